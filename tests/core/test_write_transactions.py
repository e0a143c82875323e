"""No web request holds the database's write lock while it reads, parses or copies: imports and
uploads do that work first and keep only their writes in the transaction. (On SQLite a write
transaction locks every other writer, the background worker included: a 30-second one is how
the worker died in the incident this guards against.)

Each test wraps the slow step and records whether it ran inside a transaction that the code
under test opened (the test's own wrapping transaction does not count)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.diagnostics.conftest import SMALL_FRAMEWORK
from tests.roadmap.conftest import Roadmap
from tests.world import World
from waypoint.diagnostics import services as diagnostics_services
from waypoint.indicators import services as indicator_services
from waypoint.plans.models import Plan
from waypoint.plans.planfile import importing, plan_export_json
from waypoint.roadmap import msproject
from waypoint.roadmap import services as roadmap_services
from waypoint.trs import services as trs_services


def in_write_transaction() -> bool:
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def watch(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[bool]:
    """Record, for every call of ``owner.name``, whether it ran inside a write transaction."""
    seen: list[bool] = []
    original: Callable[..., Any] = getattr(owner, name)

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(in_write_transaction())
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, watched)
    return seen


def test_the_plan_file_is_checked_before_the_import_transaction(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    text = plan_export_json(world.plan).replace('"title": "', '"title": "Copy of ', 1)
    checked = watch(monkeypatch, importing, "plan_file_review")
    written = watch(monkeypatch, Plan.objects, "create")
    importing.plan_import(text, actor=world.users["planner"])
    assert checked == [False]
    assert written == [True]


def test_a_framework_file_is_read_before_the_import_transaction(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = watch(monkeypatch, diagnostics_services, "parse_text")
    diagnostics_services.framework_import(actor=None, content=SMALL_FRAMEWORK, filename="f.yaml")
    assert parsed == [False]


def test_an_ms_project_file_is_read_before_the_import_transaction(
    roadmap: Roadmap, monkeypatch: pytest.MonkeyPatch
) -> None:
    from waypoint.engine.scheduling.mspdi import export_mspdi
    from waypoint.roadmap.selectors import scenario_schedule

    scenario = roadmap_services.scenario_create(actor=None, plan=roadmap.world.plan, name="Out", time_limit_s=2)
    schedule = scenario_schedule(scenario)
    assert schedule is not None
    read = watch(monkeypatch, msproject, "import_mspdi")
    msproject.scenario_import_mspdi(actor=None, plan=roadmap.world.plan, data=export_mspdi(schedule), name="Back")
    assert read == [False]


def test_a_scenario_is_built_from_the_plan_before_its_transaction(
    roadmap: Roadmap, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = watch(monkeypatch, roadmap_services, "checked_problem")
    roadmap_services.scenario_create(actor=None, plan=roadmap.world.plan, name="Built", time_limit_s=1)
    assert built == [False]


def test_an_uploaded_data_file_is_copied_before_the_transaction(
    world: World, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # read later, by the worker
    copied = watch(monkeypatch, FileSystemStorage, "_save")
    csv = b"declaration_id,milestone,timestamp\nD1,arrival,2012-01-01T08:00:00Z\n"
    dataset = trs_services.dataset_upload(
        actor=None, administration=world.unit("ADM"), name="Upload", upload=SimpleUploadedFile("u.csv", csv)
    )
    assert copied == [False]
    assert Path(dataset.file.path).read_bytes() == csv


def test_an_evidence_file_is_copied_before_the_transaction_and_removed_if_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = watch(monkeypatch, FileSystemStorage, "_save")
    indicator = world.indicators["west"]
    actual = indicator_services.actual_record(
        actor=None,
        indicator=indicator,
        period="2013",
        value=Decimal(3),
        evidence_file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 report"),
    )
    assert copied == [False]
    assert actual.evidence_file.read() == b"%PDF-1.4 report"
    stored = Path(actual.evidence_file.path)
    # a second value for the same period is refused: its file does not stay behind
    with pytest.raises(Exception, match="already"):
        indicator_services.actual_record(
            actor=None,
            indicator=indicator,
            period="2013",
            value=Decimal(4),
            evidence_file=SimpleUploadedFile("again.pdf", b"%PDF-1.4 again"),
        )
    assert sorted(p.name for p in stored.parent.iterdir()) == [stored.name]


def test_every_row_lock_locks_its_own_rows_only() -> None:
    """``select_for_update()`` locks every table its query joins: a default ordering through a
    plan, or a ``select_related``, locked the plan's row too, and two writers that each held
    one of (the plan, the change count) waited for each other (a deadlock on PostgreSQL).
    Every row lock names its own table (``of=("self",)``)."""
    source = Path(__file__).resolve().parents[2] / "src" / "waypoint"
    unbounded = []
    for path in sorted(source.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "select_for_update"
                and not any(keyword.arg == "of" for keyword in node.keywords)
            ):
                unbounded.append(f"{path.relative_to(source)}:{node.lineno}")
    assert not unbounded, unbounded
