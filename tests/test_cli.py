from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.world import World
from waypoint.cli import ENGINE_COMMANDS, main
from waypoint.plans.models import Plan


def test_plan_list_starts_each_line_with_the_id(world: World) -> None:
    out = StringIO()
    call_command("plan", "list", stdout=out)
    first = out.getvalue().splitlines()[0].split("\t")
    assert first[0] == str(world.plan.pk)
    assert first[1] == "2012-2016"


def test_export_then_import_through_the_cli(world: World, tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    call_command("plan", "export", str(world.plan.pk), "-o", str(target), stderr=StringIO())
    document = json.loads(target.read_text())
    document["plan"]["title"] = "Copy through the CLI"
    target.write_text(json.dumps(document))
    out = StringIO()
    call_command("plan", "import", str(target), stdout=out)
    assert "Imported plan" in out.getvalue()
    assert Plan.objects.filter(title="Copy through the CLI").exists()


def test_a_broken_file_is_reported_line_by_line_and_nothing_is_imported(world: World, tmp_path: Path) -> None:
    target = tmp_path / "broken.json"
    call_command("plan", "export", str(world.plan.pk), "-o", str(target), stderr=StringIO())
    document = json.loads(target.read_text())
    document["plan"]["title"] = "Broken"
    document["elements"][0]["responsible_unit"] = "NOWHERE"
    target.write_text(json.dumps(document))
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", str(target))
    assert "$.elements[0].responsible_unit: Unknown unit NOWHERE" in str(caught.value)
    assert "Nothing was imported" in str(caught.value)
    assert not Plan.objects.filter(title="Broken").exists()


def test_exporting_an_unknown_plan_says_how_to_find_one(world: World) -> None:
    with pytest.raises(CommandError, match="waypoint plan list"):
        call_command("plan", "export", "999")


def test_the_published_schema_matches_the_code() -> None:
    from waypoint.plans.management.commands.plan import plan_file_schema

    published = Path(__file__).resolve().parents[1] / "docs" / "plan-file.schema.json"
    assert published.read_text() == plan_file_schema(), "run `waypoint plan schema > docs/plan-file.schema.json`"


def test_the_console_script_runs_django_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help", "--commands"]) == 0
    commands = capsys.readouterr().out.split()
    assert {"plan", "demo", "serve"} <= set(commands)


def test_check_with_a_plan_file_runs_the_quality_checks_and_without_one_the_system_check(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from waypoint.plans.planfile import plan_export_json

    path = tmp_path / "plan.json"
    path.write_text(plan_export_json(world.plan), encoding="utf-8")
    assert main(["check", str(path)]) == 0  # the world plan has warnings and hints, no error
    assert "Q203" in capsys.readouterr().out
    assert main(["check", "--rules"]) == 0
    assert "Q101" in capsys.readouterr().out
    assert main(["check"]) == 0
    assert "System check identified no issues" in capsys.readouterr().out


@pytest.mark.parametrize("asked", [["--help"], ["help"], []])
def test_the_help_lists_the_commands_on_files_too(asked: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Django's list knows only management commands; schedule, trs, plan diff and the plan
    file check are ours, dispatched before Django, and must be found in the same list."""
    assert main(asked) == 0
    listed = capsys.readouterr().out
    assert "migrate" in listed  # Django's own list comes first
    for command in ("check PLAN.json", "plan diff", "schedule", "trs"):
        assert f"\n    {command}" in listed, command
    for command in ENGINE_COMMANDS:
        assert f"\n    {command}" in listed


def test_the_system_checks_help_names_the_plan_file_check(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("waypoint check PLAN.json") and "--deploy" in out


@pytest.mark.parametrize("command", sorted(ENGINE_COMMANDS))
def test_help_on_a_command_on_files_gives_its_own_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["help", command])
    assert ended.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: waypoint {command}")
