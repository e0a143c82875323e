"""Page speed at demo size and at ten times the demo, and the application under load.

A benchmark, not a test: it measures and writes its figures into docs/benchmarks.md.

    uv run python -m benchmarks.web setup                 # once: var/bench/web (a few minutes)
    uv run python -m benchmarks.web pages --repeats 5     # every main page, both sizes
    uv run python -m benchmarks.web load --users 100 --minutes 10

*setup* builds its own installation in ``var/bench/web`` (``WAYPOINT_VAR_DIR``): the demo, a
plan generated at ten times the demo (``waypoint.demo.scaled``: about 1,500 elements, 520
indicators with ten years of actuals by office, about 800 schedule entries), a solved and
approved scenario for it, and a Time Release Study dataset of 1 million generated
declarations (``engine/trs/generator.py``). It is kept and reused; ``--fresh`` starts again.

*pages* signs in as the demo planner and opens every main page of the demo plan and of the
generated one with Django's test client, in one process, one after the other: the server's
time per page (median of ``--repeats``, after one warm-up), its queries and HTML size, and
its time divided by the simple list page's (the plan list) in the same run. The machine's
load average is written beside the figures.

*load* starts ``waypoint serve`` on a loopback port with the recommended settings and lets
``--users`` signed-in users (threads with their own session) open the same pages, each
waiting ``--think`` seconds (uniformly) between pages, for ``--minutes``; it reports each
page's p50 and p95, errors, the requests per second, and the server's memory (all of its
processes) every half minute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench" / "web"
BIG_TITLE = "Generated plan ×10 (seed 1)"
DATASET = "Declarations, 1 million (generated)"
DECLARATIONS = 1_000_000
PLANNER = "planner"


def _environment(var: Path) -> None:
    os.environ["WAYPOINT_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
    os.environ.setdefault("WAYPOINT_HTTPS", "0")
    os.environ.setdefault("WAYPOINT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("WAYPOINT_LOG_LEVEL", "WARNING")
    # work queued while setting up is done in this process
    os.environ["WAYPOINT_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"


def _django(var: Path) -> None:
    _environment(var)
    import django

    django.setup()


# ---------------------------------------------------------------- setup


def setup(var: Path, fresh: bool) -> None:
    if fresh and var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True, exist_ok=True)
    _django(var)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from waypoint.demo.builder import build_demo
    from waypoint.org.models import OrgUnit
    from waypoint.plans.models import Plan

    began = time.perf_counter()
    summary = build_demo(password="waypoint-demo")
    print(f"demo ready ({time.perf_counter() - began:.0f} s)")
    administration = OrgUnit.objects.get(code="SCC")
    demo_plan = Plan.objects.get(pk=summary.plans[1][0])
    big = Plan.objects.filter(administration=administration, title=BIG_TITLE).first()
    if big is None:
        began = time.perf_counter()
        big = _build_big(administration, demo_plan)
        print(f"generated plan {big.pk} ({time.perf_counter() - began:.0f} s)")
    _big_roadmap(big)
    _big_dataset(administration)


def _build_big(administration: Any, demo_plan: Any) -> Any:
    from waypoint.demo.scaled import build_plan
    from waypoint.plans.planfile import plan_export

    recommendations = plan_export(demo_plan).get("recommendations", [])
    return build_plan(administration=administration, scale=10, seed=1, title=BIG_TITLE, recommendations=recommendations)


def _big_roadmap(plan: Any) -> None:
    from waypoint.roadmap import services
    from waypoint.roadmap.models import Scenario, ScenarioStatus

    if Scenario.objects.filter(plan=plan, status=ScenarioStatus.DONE).exists():
        return
    began = time.perf_counter()
    scenario = services.scenario_create(actor=None, plan=plan, name="Generated baseline", time_limit_s=20, run_now=True)
    if scenario.status == ScenarioStatus.DONE and scenario.starts:
        services.scenario_approve(actor=None, scenario=scenario)
    print(f"scenario {scenario.pk}: {scenario.status} ({time.perf_counter() - began:.0f} s)")


def _big_dataset(administration: Any) -> None:
    from django.conf import settings

    from waypoint.engine.trs import generator
    from waypoint.trs import services
    from waypoint.trs.models import Dataset

    if Dataset.objects.filter(administration=administration, name=DATASET).exists():
        return
    began = time.perf_counter()
    folder = Path(settings.WAYPOINT_TRS_DATA) / "bench-1m"
    generator.write(DECLARATIONS, folder, seed=7, name="declarations.parquet")
    dataset = services.dataset_register(
        actor=None, administration=administration, name=DATASET, server_path="bench-1m", run_now=True
    )
    print(f"dataset {dataset.pk}: {dataset.status} ({time.perf_counter() - began:.0f} s)")


# ---------------------------------------------------------------- pages

PAGES = (
    "plan list",
    "overview",
    "tree",
    "logframe",
    "indicators",
    "indicator",
    "health",
    "roadmap",
    "scenario",
    "clearance times",
    "assessment",
    "coverage",
)


def page_urls() -> dict[str, dict[str, str]]:
    """The pages of each size, by name (the plan list is the same for both)."""
    from django.db.models import Count
    from django.urls import reverse

    from waypoint.diagnostics.models import Assessment
    from waypoint.indicators.models import Indicator
    from waypoint.plans.models import Plan
    from waypoint.roadmap.models import Scenario, ScenarioStatus
    from waypoint.trs.models import Dataset

    big = Plan.objects.get(title=BIG_TITLE)
    demo = Plan.objects.filter(administration=big.administration, start_year=2012).exclude(pk=big.pk).get()
    assessment = Assessment.objects.filter(administration=big.administration).order_by("-pk").first()
    datasets = {
        "demo": Dataset.objects.exclude(name=DATASET).filter(administration=big.administration).order_by("pk").first(),
        "×10": Dataset.objects.get(name=DATASET),
    }
    urls: dict[str, dict[str, str]] = {}
    for size, plan in (("demo", demo), ("×10", big)):
        indicator = Indicator.objects.filter(plan=plan).annotate(n=Count("actuals")).order_by("-n", "pk").first()
        scenario = Scenario.objects.filter(plan=plan, status=ScenarioStatus.DONE).order_by("-is_baseline", "pk").first()
        dataset = datasets[size]
        assert indicator and scenario and dataset and assessment
        urls[size] = {
            "plan list": reverse("plan-list"),
            "overview": reverse("plan-overview", args=[plan.pk]),
            "tree": reverse("plan-tree", args=[plan.pk]),
            "logframe": reverse("logframe", args=[plan.pk]),
            "indicators": reverse("indicator-list", args=[plan.pk]),
            "indicator": reverse("indicator-detail", args=[indicator.pk]),
            "health": reverse("plan-health", args=[plan.pk]),
            "roadmap": reverse("roadmap", args=[plan.pk]),
            "scenario": reverse("scenario-detail", args=[scenario.pk]),
            "clearance times": reverse("trs-dataset", args=[dataset.pk]),
            "assessment": reverse("diagnostics-assessment", args=[assessment.pk]),
            "coverage": reverse("plan-coverage", args=[plan.pk]),
        }
    return urls


def _client() -> Any:
    from django.test import Client

    from waypoint.org.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=PLANNER))
    return client


def measure_pages(repeats: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    urls = page_urls()
    results: dict[str, dict[str, dict[str, float]]] = {}
    load_before = os.getloadavg()
    for size, pages in urls.items():
        results[size] = {}
        for name, url in pages.items():
            client.get(url)  # warm-up: templates, the plan's cached findings, DuckDB's file
            times = []
            for _ in range(repeats):
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - began)
                assert response.status_code == 200, (url, response.status_code)
            results[size][name] = {
                "ms": statistics.median(times) * 1000,
                "queries": len(queries.captured_queries),
                "kb": len(response.content) / 1024,
            }
            print(
                f"{size:5} {name:16} {results[size][name]['ms']:8.1f} ms {len(queries.captured_queries):4} queries",
                flush=True,
            )
    return {"results": results, "urls": urls, "load": (load_before, os.getloadavg())}


def pages_table(measured: dict[str, Any], repeats: int) -> str:
    results = measured["results"]
    demo, big = results["demo"], results["×10"]
    lines = [
        f"### Pages at demo size and at ten times the demo (Django test client, one user, median of {repeats})",
        "",
        "| page | demo ms | demo ÷ list | ×10 ms | ×10 ÷ list | ×10 ÷ demo | queries demo / ×10 | HTML kB demo / ×10 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in PAGES:
        d, b = demo[name], big[name]
        lines.append(
            f"| {name} | {d['ms']:.1f} | {d['ms'] / demo['plan list']['ms']:.1f}× | {b['ms']:.1f} | "
            f"{b['ms'] / big['plan list']['ms']:.1f}× | {b['ms'] / d['ms']:.1f}× | {d['queries']} / {b['queries']} | "
            f"{d['kb']:.0f} / {b['kb']:.0f} |"
        )
    before, after = measured["load"]
    lines += [
        "",
        f"Command: `uv run python -m benchmarks.web pages --repeats {repeats}`  ",
        f"Machine: {_machine()}  ",
        f"Load average (1, 5, 15 min) before: {_load(before)}; after: {_load(after)}  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    ]
    return "\n".join(lines)


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def _load(values: tuple[float, ...]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


# ---------------------------------------------------------------- load


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sessions(count: int) -> list[str]:
    """Session keys of ``count`` signed-in sessions of the demo's people (no password hashing
    in the measured run: a sign-in costs a PBKDF2 hash by design)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from waypoint.org.models import User

    people = list(User.objects.filter(username__in=["planner", "viewer", "approver", "admin", "me.officer"]))
    keys = []
    for index in range(count):
        user = people[index % len(people)]
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        assert store.session_key
        keys.append(store.session_key)
    return keys


def _tree_rss(pid: int) -> float:
    """Resident memory of a process and its descendants, in MB (Linux /proc)."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total / 1024


def run_load(users: int, minutes: float, think: tuple[float, float], serve_args: list[str]) -> dict[str, Any]:
    import requests

    urls = page_urls()
    keys = _sessions(users)
    port = _free_port()
    env = dict(os.environ)
    env.pop("WAYPOINT_TASK_BACKEND", None)  # the server queues work for its workers
    server = subprocess.Popen(
        [sys.executable, "-m", "waypoint.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *serve_args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # on a busy machine the server and its processes take a minute or more to start
        deadline = time.monotonic() + 600
        while True:
            try:
                if requests.get(base + "/healthz", timeout=10).status_code in (200, 503):
                    break
            except requests.RequestException:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("waypoint serve did not answer") from None
                time.sleep(1)
        # every page once, so that the measured run starts warm, as a running server is
        warm = requests.Session()
        warm.cookies.set("sessionid", keys[0])
        for pages in urls.values():
            for url in pages.values():
                warm.get(base + url, timeout=120)
        mix = [(f"{size} {name}", url) for size in ("demo",) for name, url in urls[size].items()]
        samples: list[tuple[str, float, int]] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + minutes * 60
        began = time.monotonic()

        def user(number: int) -> None:
            rng = random.Random(number)
            session = requests.Session()
            session.cookies.set("sessionid", keys[number])
            # a new connection per page, as a browser after a 5–15 s pause: a kept-alive one
            # that the server closes just as a request is sent would count as an error here
            session.headers["Connection"] = "close"
            time.sleep(rng.uniform(0, think[1]))  # users arrive over the first think time
            while time.monotonic() < stop:
                name, url = rng.choice(mix)
                started = time.monotonic()
                try:
                    response = session.get(base + url, timeout=60)
                    status = response.status_code
                except requests.RequestException as error:
                    status = 0
                    with lock:
                        errors.append(f"{name}: {error}")
                elapsed = time.monotonic() - started
                with lock:
                    samples.append((name, elapsed, status))
                    if status != 200 and status != 0:
                        errors.append(f"{name}: HTTP {status}")
                time.sleep(rng.uniform(*think))

        threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
        for thread in threads:
            thread.start()
        memory: list[tuple[float, float]] = []
        while time.monotonic() < stop:
            memory.append((time.monotonic() - began, _tree_rss(server.pid)))
            time.sleep(min(30.0, max(0.0, stop - time.monotonic())))
        memory.append((time.monotonic() - began, _tree_rss(server.pid)))
        for thread in threads:
            thread.join(timeout=90)
        duration = time.monotonic() - began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    by_page: dict[str, list[float]] = {}
    for name, elapsed, _status in samples:
        by_page.setdefault(name, []).append(elapsed)
    return {
        "users": users,
        "minutes": minutes,
        "think": think,
        "requests": len(samples),
        "rps": len(samples) / duration,
        "errors": errors,
        "pages": {name: _percentiles(values) for name, values in sorted(by_page.items())},
        "all": _percentiles([s[1] for s in samples]),
        "memory": memory,
        "serve_args": serve_args,
    }


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "max": 0.0}

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "max": ordered[-1]}


def load_table(result: dict[str, Any], load: tuple[tuple[float, ...], tuple[float, ...]]) -> str:
    lo, hi = result["think"]
    lines = [
        f"### Under load: {result['users']} signed-in users, {lo:g}–{hi:g} s think time, {result['minutes']:g} minutes, "
        "the demo plan's pages",
        "",
        f"{result['requests']} requests, **{result['rps']:.1f} requests a second**, "
        f"**{len(result['errors'])} errors**; all pages: p50 {result['all']['p50'] * 1000:.0f} ms, "
        f"p95 {result['all']['p95'] * 1000:.0f} ms, max {result['all']['max'] * 1000:.0f} ms.",
        "",
        "| page | requests | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    for name, figures in result["pages"].items():
        lines.append(
            f"| {name} | {figures['n']} | {figures['p50'] * 1000:.0f} | {figures['p95'] * 1000:.0f} | "
            f"{figures['max'] * 1000:.0f} |"
        )
    memory = result["memory"]
    lines += [
        "",
        "Server memory (gunicorn and workers, resident, MB) every half minute: "
        + ", ".join(f"{mb:.0f}" for _t, mb in memory),
        "",
        f"Command: `uv run python -m benchmarks.web load --users {result['users']} --minutes {result['minutes']:g} "
        f"--think {lo:g},{hi:g}`; server: `waypoint serve {' '.join(result['serve_args'])}`  ",
        f"Machine: {_machine()}  ",
        f"Load average (1, 5, 15 min) before: {_load(load[0])}; after: {_load(load[1])}  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("part", choices=["setup", "pages", "load", "all"])
    parser.add_argument("--var", type=Path, default=VAR)
    parser.add_argument("--fresh", action="store_true", help="build the benchmark installation again")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--think", default="5,15", help="think time between pages: low,high seconds")
    parser.add_argument("--serve", default="", help="extra arguments for waypoint serve")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave docs/benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    from benchmarks.report import replace_section

    if args.part in ("setup", "all"):
        setup(args.var, args.fresh)
    if args.part in ("pages", "all"):
        _django(args.var)
        measured = measure_pages(args.repeats)
        table = pages_table(measured, args.repeats)
        print(table)
        if args.json:
            args.json.write_text(json.dumps(measured, indent=1))
        if not args.no_write:
            replace_section("web-pages", table)
    if args.part in ("load", "all"):
        _django(args.var)
        lo, hi = (float(v) for v in args.think.split(","))
        before = os.getloadavg()
        result = run_load(args.users, args.minutes, (lo, hi), args.serve.split())
        table = load_table(result, (before, os.getloadavg()))
        print(table)
        if result["errors"]:
            print("errors:", *result["errors"][:20], sep="\n  ")
        if args.json:
            args.json.write_text(json.dumps(result, indent=1))
        if not args.no_write:
            replace_section("web-load", table)


if __name__ == "__main__":
    main()
