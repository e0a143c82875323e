"""Load benchmark of a workshop (issue 19): 100 simulated participants join as guests with
the code and, within the same minute, add notes and spend their dots, while the facilitator's
screen polls its live part every two seconds as the browser does.

Loopback only (127.0.0.1), against ``waypoint serve`` (gunicorn, the production server) on a
fresh SQLite database under ``var/bench/workshop``; bounded: it stops after about 90 s.
Afterwards it counts what is stored: every note and dot sent and acknowledged must be there
exactly once, and the facilitator's totals must equal a direct count. It reports the time
from a vote's acknowledgement to the first facilitator poll that shows it (p50/p95).

    uv run python -m benchmarks.workshop               # writes docs/benchmarks.md
    uv run python -m benchmarks.workshop --no-write --participants 20
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.report import replace_section

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "var" / "bench" / "workshop"
POLL_S = 2.0
PASSWORD = "bench-password-1"  # noqa: S105  # a throwaway database on loopback
NOTES_EACH = 2
DOTS_EACH = 3
OPTIONS = ["Risk management", "Single window", "Training", "Release-time study", "Data exchange"]


@dataclass(frozen=True)
class Poll:
    started: float
    ended: float
    total: int  # dots the facilitator's screen shows


@dataclass
class Tally:
    notes_ok: int = 0
    dots_ok: int = 0
    errors: list[str] = field(default_factory=list)
    vote_acks: list[float] = field(default_factory=list)  # when each acknowledged dot came back
    request_s: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def appearance_delays(acks: list[float], polls: list[Poll]) -> list[float]:
    """For each acknowledged vote (in the order acknowledged), the time until the end of the
    first poll that started after it and shows at least as many dots as were acknowledged by
    then; a vote no poll showed is left out (and counted by the caller)."""
    ordered = sorted(acks)
    polls = sorted(polls, key=lambda p: p.started)
    starts = [p.started for p in polls]
    delays = []
    for count, ack in enumerate(ordered, start=1):
        index = bisect.bisect_right(starts, ack)
        while index < len(polls) and polls[index].total < count:
            index += 1
        if index < len(polls):
            delays.append(polls[index].ended - ack)
    return delays


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _setup(participants: int) -> dict[str, Any]:
    """A fresh database with an administration, a planner, a plan and an open workshop."""
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from waypoint.org import services as org_services
    from waypoint.plans import services as plan_services
    from waypoint.workshops import services

    admin = org_services.unit_create(actor=None, code="ADM", name="Bench Customs", kind="administration", parent=None)
    planner = org_services.user_create(actor=None, username="facilitator", password=PASSWORD)
    org_services.role_grant(actor=None, user=planner, role="planner", unit=admin)
    plan = plan_services.plan_create(actor=None, administration=admin, title="Plan", start_year=2012, end_year=2016)
    workshop = services.workshop_create(
        actor=planner, plan=plan, title="Load", starts_on=dt.date(2011, 11, 14), ends_on=dt.date(2011, 11, 14)
    )
    columns = [{"key": "strength", "label": "Strengths"}, {"key": "weakness", "label": "Weaknesses"}]
    board = services.exercise_save(actor=planner, workshop=workshop, kind="board", title="Board", columns=columns)
    vote = services.exercise_save(
        actor=planner, workshop=workshop, kind="dot_vote", title="Vote", options=OPTIONS, dots_per_person=DOTS_EACH
    )
    services.workshop_set_status(actor=planner, workshop=workshop, status="open")
    for exercise in (board, vote):
        services.exercise_set_status(actor=planner, exercise=exercise, status="open")
    return {
        "workshop": workshop.pk,
        "code": workshop.join_code,
        "board": board.pk,
        "vote": vote.pk,
        "options": list(vote.options.values_list("pk", flat=True)),
    }


def _count(ids: dict[str, Any]) -> dict[str, int]:
    from django.db.models import Sum

    from waypoint.workshops.models import DotVote, Note, Participant

    return {
        "notes": Note.objects.filter(exercise_id=ids["board"]).count(),
        "distinct_notes": Note.objects.filter(exercise_id=ids["board"]).values("text").distinct().count(),
        "dots": int(DotVote.objects.filter(option__exercise_id=ids["vote"]).aggregate(s=Sum("dots"))["s"] or 0),
        "guests": Participant.objects.filter(workshop_id=ids["workshop"], is_guest=True).count(),
    }


TOTAL = re.compile(r'data-testid="dot-total">\s*(\d+) dots?')


def _csrf(session: Any) -> str:
    return str(session.cookies.get("csrftoken", ""))


def _participant(base: str, ids: dict[str, Any], number: int, at: float, tally: Tally) -> None:
    import requests

    rng = random.Random(number)  # a repeatable load, not a secret
    time.sleep(max(0.0, at - time.monotonic()))
    session = requests.Session()

    def post(path: str, data: dict[str, Any], what: str) -> bool:
        began = time.monotonic()
        try:
            # as the page sends it: htmx asks for the partial that changed (the join page is a
            # plain form, whose redirect to the participant's page is not followed here)
            headers = {"X-CSRFToken": _csrf(session), "Referer": base + path}
            if what != "join":
                headers["HX-Request"] = "true"
            response = session.post(base + path, data=data, headers=headers, timeout=30, allow_redirects=False)
        except requests.RequestException as error:
            with tally.lock:
                tally.errors.append(f"{what}: {error}")
            return False
        ended = time.monotonic()
        ok = response.status_code in (200, 302)
        with tally.lock:
            tally.request_s.append(ended - began)
            if not ok:
                tally.errors.append(f"{what}: HTTP {response.status_code}")
            elif what == "dot":
                tally.dots_ok += 1
                tally.vote_acks.append(ended)
            elif what == "note":
                tally.notes_ok += 1
        return ok

    session.get(base + "/join/", timeout=30)
    if not post("/join/", {"code": ids["code"], "name": f"Participant {number:03d}"}, "join"):
        return
    workshop, board, vote = ids["workshop"], ids["board"], ids["vote"]
    mine: dict[int, int] = {}
    actions = ["note"] * NOTES_EACH + ["dot"] * DOTS_EACH
    rng.shuffle(actions)
    for step, action in enumerate(actions):
        time.sleep(rng.uniform(0.5, 4.0))  # reading, typing, deciding
        if action == "note":
            column = rng.choice(["strength", "weakness"])
            post(
                f"/workshops/{workshop}/exercises/{board}/notes/",
                {"column": column, "text": f"Note {step} of participant {number:03d}"},
                "note",
            )
        else:
            option = rng.choice(ids["options"])
            if post(
                f"/workshops/{workshop}/exercises/{vote}/dots/",
                {"option": option, "dots": mine.get(option, 0) + 1},
                "dot",
            ):
                mine[option] = mine.get(option, 0) + 1


def _facilitator(base: str, ids: dict[str, Any], stop: threading.Event, polls: list[Poll]) -> None:
    import requests

    session = requests.Session()
    session.get(base + "/accounts/login/", timeout=30)
    session.post(
        base + "/accounts/login/",
        data={"username": "facilitator", "password": PASSWORD},
        headers={"X-CSRFToken": _csrf(session), "Referer": base + "/accounts/login/"},
        timeout=30,
    )
    url = f"{base}/workshops/{ids['workshop']}/exercises/{ids['vote']}/live/"
    shown, revision = 0, ""
    while not stop.is_set():
        began = time.monotonic()
        response = session.get(url, params={"view": "screen", "rev": revision}, timeout=30)
        ended = time.monotonic()
        if response.status_code == 200:
            found = TOTAL.search(response.text)
            shown = int(found.group(1)) if found else 0
            revision_match = re.search(r'data-revision="(\d+)"', response.text)
            revision = revision_match.group(1) if revision_match else ""
        polls.append(Poll(began, ended, shown))
        stop.wait(max(0.0, POLL_S - (time.monotonic() - began)))


def _final_screen_total(base: str, ids: dict[str, Any]) -> int:
    import requests

    session = requests.Session()
    session.get(base + "/accounts/login/", timeout=30)
    session.post(
        base + "/accounts/login/",
        data={"username": "facilitator", "password": PASSWORD},
        headers={"X-CSRFToken": _csrf(session), "Referer": base + "/accounts/login/"},
        timeout=30,
    )
    page = session.get(f"{base}/workshops/{ids['workshop']}/exercises/{ids['vote']}/live/?view=screen", timeout=30)
    found = TOTAL.search(page.text)
    return int(found.group(1)) if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--window", type=float, default=45.0, help="seconds over which participants start")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DATA / 'db.sqlite3'}",
        "WAYPOINT_HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "waypoint.settings",
        "WAYPOINT_LOGIN_THROTTLE": "0",
    }
    os.environ.update(env)
    ids = _setup(args.participants)
    subprocess.run(
        [sys.executable, "-m", "waypoint.cli", "collectstatic", "--no-input", "-v", "0"], env=env, check=True
    )
    port = _free_port()
    server = subprocess.Popen(  # our own command line
        [
            sys.executable,
            "-m",
            "waypoint.cli",
            "serve",
            "--port",
            str(port),
            "--task-workers",
            "0",
            "--workers",
            str(args.web_workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import requests

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(base + "/healthz", timeout=2).status_code < 500:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        tally = Tally()
        polls: list[Poll] = []
        stop = threading.Event()
        watcher = threading.Thread(target=_facilitator, args=(base, ids, stop, polls), daemon=True)
        watcher.start()
        time.sleep(POLL_S)
        began = time.monotonic()
        rng = random.Random(19)
        threads = [
            threading.Thread(
                target=_participant, args=(base, ids, n, began + rng.uniform(0, args.window), tally), daemon=True
            )
            for n in range(1, args.participants + 1)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1.0, began + 90 - time.monotonic()))
        elapsed = time.monotonic() - began
        time.sleep(2 * POLL_S + 1)
        stop.set()
        watcher.join(timeout=10)
        stored = _count(ids)
        screen = _final_screen_total(base, ids)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    delays = appearance_delays(tally.vote_acks, polls)
    unseen = len(tally.vote_acks) - len(delays)
    lines = [
        f"{args.participants} guests joined by code and, within {elapsed:.0f} s, sent "
        f"{tally.notes_ok} notes and {tally.dots_ok} dots (all acknowledged); "
        f"errors: {len(tally.errors)}{' (' + '; '.join(sorted(set(tally.errors))[:5]) + ')' if tally.errors else ''}.",
        "",
        "| check | sent and acknowledged | stored | facilitator's screen |",
        "| --- | ---: | ---: | ---: |",
        f"| guests | {args.participants} | {stored['guests']} | |",
        f"| notes | {tally.notes_ok} | {stored['notes']} ({stored['distinct_notes']} distinct) | |",
        f"| dots | {tally.dots_ok} | {stored['dots']} | {screen} |",
        "",
        "| measure | p50 | p95 | max |",
        "| --- | ---: | ---: | ---: |",
        f"| vote acknowledged → shown on the facilitator's screen (s) | {percentile(delays, 0.5):.2f} | "
        f"{percentile(delays, 0.95):.2f} | {max(delays) if delays else float('nan'):.2f} |",
        f"| a participant's request (join, note, dot) (s) | {percentile(tally.request_s, 0.5):.3f} | "
        f"{percentile(tally.request_s, 0.95):.3f} | {max(tally.request_s) if tally.request_s else float('nan'):.3f} |",
        "",
        f"Polls: {len(polls)} (every {POLL_S:.0f} s, answered 204 when nothing changed); votes no poll showed: "
        f"{unseen}. Server: `waypoint serve` with {args.web_workers} gunicorn workers on 127.0.0.1, SQLite; "
        f"the clients ran on the same 2-core machine.",
    ]
    text = "\n".join(lines)
    print(text)
    exact = (
        stored["notes"] == tally.notes_ok == stored["distinct_notes"]
        and stored["dots"] == tally.dots_ok == screen
        and stored["guests"] == args.participants
        and not tally.errors
    )
    print("every note and dot stored exactly once, totals agree:", exact)
    if not args.no_write:
        replace_section("workshop", text)
    return 0 if exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
