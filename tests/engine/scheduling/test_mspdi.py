"""MS Project XML: written by us, read back by us and by MPXJ (the reference reader)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.engine.scheduling.helpers import act, ff, fs, small_roadmap, ss
from tests.mpxj_reader import read_project
from waypoint.engine.scheduling import Granularity, Problem, ProblemError, Resource, Schedule
from waypoint.engine.scheduling.mspdi import Summary, export_mspdi, import_mspdi


def scheduled() -> Schedule:
    problem = Problem(
        activities=(
            act("I1.1.1", 3, name="Baseline time release study", demands={"team": 1}),
            act("I1.1.2", 2, name="Automate extraction", demands={"team": 1}, pinned_start=3),
            act("I1.1.3", 4, name="Publish and act", deadline=12),
            act("M1", 0, name="Report to the Chairman"),
        ),
        links=(fs("I1.1.1", "I1.1.2"), ss("I1.1.1", "I1.1.3", 1), ff("I1.1.2", "M1", 1)),
        resources=(Resource("team", 2, "TRS team"),),
        granularity=Granularity.MONTH,
        start=dt.date(2012, 1, 1),
        name="TRS programme",
    )
    return Schedule(problem, {"I1.1.1": 0, "I1.1.2": 3, "I1.1.3": 1, "M1": 6})


def test_round_trip_through_our_reader() -> None:
    schedule = scheduled()
    problem, starts = import_mspdi(export_mspdi(schedule), granularity=Granularity.MONTH)
    assert starts == dict(schedule.starts)
    assert {a.id: a.duration for a in problem.activities} == {"I1.1.1": 3, "I1.1.2": 2, "I1.1.3": 4, "M1": 0}
    assert {(link.before, link.after, link.kind.value, link.lag) for link in problem.links} == {
        ("I1.1.1", "I1.1.2", "FS", 0),
        ("I1.1.1", "I1.1.3", "SS", 1),
        ("I1.1.2", "M1", "FF", 1),
    }
    assert problem.by_id["I1.1.2"].pinned_start == 3
    assert problem.by_id["I1.1.3"].deadline == 12
    assert problem.by_id["I1.1.1"].demands == {"team": 1}
    assert problem.resources[0].capacity == 2
    assert problem.start == dt.date(2012, 1, 1)


#: a goal over an objective over an initiative with three activities; M1 stands alone; an
#: unknown id, an activity listed twice and an objective with nothing scheduled are left out
OUTLINE = (
    Summary(
        "G1",
        "Faster clearance",
        (
            Summary(
                "O1.1",
                "Measure and cut release time",
                (Summary("I1.1", "Time release study", ("I1.1.1", "I1.1.2", "I1.1.3", "I1.1.1", "gone")),),
            ),
            Summary("O1.2", "Nothing scheduled yet", (Summary("I1.2", "Empty initiative"), "gone")),
        ),
    ),
)


def test_an_outline_is_written_as_summary_tasks_and_skipped_when_read_back() -> None:
    schedule = scheduled()
    data = export_mspdi(schedule, outline=OUTLINE)
    assert data.count(b"<Summary>1</Summary>") == 3  # the empty objective is left out
    assert data.count(b"<WBS>I1.1.1</WBS>") == 1
    assert b"<OutlineNumber>1.1.1.3</OutlineNumber>" in data and b"<OutlineNumber>2</OutlineNumber>" in data
    problem, starts = import_mspdi(data, granularity=Granularity.MONTH)
    assert starts == dict(schedule.starts)
    assert {(link.before, link.after) for link in problem.links} == {
        ("I1.1.1", "I1.1.2"),
        ("I1.1.1", "I1.1.3"),
        ("I1.1.2", "M1"),
    }


def test_a_problem_without_a_calendar_start_still_exports() -> None:
    schedule = Schedule(small_roadmap().__class__(activities=(act("A", 2),), granularity=Granularity.DAY), {"A": 0})
    _problem, starts = import_mspdi(export_mspdi(schedule), granularity=Granularity.DAY)
    assert starts == {"A": 0}


def test_bad_files_are_refused_in_words() -> None:
    with pytest.raises(ProblemError, match="not an XML file"):
        import_mspdi(b"<Project")
    with pytest.raises(ProblemError, match="root element"):
        import_mspdi(b"<Other/>")
    with pytest.raises(ProblemError, match="refused"):
        import_mspdi(
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Project xmlns="http://schemas.microsoft.com/project">&a;</Project>'
        )
    with pytest.raises(ProblemError, match="no tasks"):
        import_mspdi(b'<Project xmlns="http://schemas.microsoft.com/project"><Tasks/></Project>')
    start_to_finish = export_mspdi(scheduled()).replace(b"<Type>3</Type>", b"<Type>2</Type>")
    with pytest.raises(ProblemError, match="start-to-finish"):
        import_mspdi(start_to_finish)


def test_mpxj_reads_our_tasks_dates_and_predecessors(tmp_path: Path) -> None:
    path = tmp_path / "roadmap.xml"
    path.write_bytes(export_mspdi(scheduled()))
    project = read_project(path)
    tasks = {
        str(t.getWBS()): t for t in project.getTasks() if t.getWBS() is not None and str(t.getName()) != "TRS programme"
    }
    assert set(tasks) == {"I1.1.1", "I1.1.2", "I1.1.3", "M1"}
    first = tasks["I1.1.1"]
    assert str(first.getName()) == "Baseline time release study"
    assert str(first.getStart())[:10] == "2012-01-02" or str(first.getStart())[:10] == "2012-01-01"
    assert str(tasks["I1.1.2"].getStart())[:10] == "2012-04-01" or str(tasks["I1.1.2"].getStart())[:10] == "2012-04-02"
    links = {
        (str(r.getPredecessorTask().getWBS()), str(r.getSuccessorTask().getWBS()), str(r.getType()))
        for t in tasks.values()
        for r in t.getPredecessors()
    }
    assert links == {("I1.1.1", "I1.1.2", "FS"), ("I1.1.1", "I1.1.3", "SS"), ("I1.1.2", "M1", "FF")}
    assert bool(tasks["M1"].getMilestone())
    resources = [str(r.getName()) for r in project.getResources() if r.getName() is not None]
    assert resources == ["TRS team"]


def test_summary_tasks_and_the_blank_resource_are_skipped() -> None:
    ns = "http://schemas.microsoft.com/project"
    xml = f"""<Project xmlns="{ns}"><StartDate>2012-01-02T08:00:00</StartDate>
      <Tasks>
        <Task><UID>0</UID><Name>Project</Name><Summary>1</Summary><Start>2012-01-02T08:00:00</Start></Task>
        <Task><UID>1</UID><Name>Phase</Name><Summary>1</Summary><Start>2012-01-02T08:00:00</Start></Task>
        <Task><UID>2</UID><Name>Work</Name><Start>2012-01-02T08:00:00</Start><Finish>2012-01-13T17:00:00</Finish>
          <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task>
      </Tasks>
      <Resources><Resource><UID>0</UID></Resource><Resource><UID>5</UID><Name>Analysts</Name><MaxUnits>2.00</MaxUnits></Resource></Resources>
      <Assignments><Assignment><TaskUID>2</TaskUID><ResourceUID>5</ResourceUID><Units>1.50</Units></Assignment></Assignments>
    </Project>""".encode()
    problem, starts = import_mspdi(xml, granularity=Granularity.DAY)
    assert [a.id for a in problem.activities] == ["T2"]
    assert problem.activities[0].duration == 12
    assert problem.links == ()
    assert problem.resources[0].id == "R5" and problem.resources[0].capacity == 2
    assert problem.activities[0].demands == {"R5": 2}
    assert starts == {"T2": 0}


def test_mpxj_reads_the_outline(tmp_path: Path) -> None:
    path = tmp_path / "outline.xml"
    path.write_bytes(export_mspdi(scheduled(), outline=OUTLINE))
    project = read_project(path)
    tasks = {str(t.getWBS()): t for t in project.getTasks() if t.getWBS() is not None and t.getUniqueID() != 0}
    levels = {code: int(task.getOutlineLevel()) for code, task in tasks.items()}
    assert levels == {"G1": 1, "O1.1": 2, "I1.1": 3, "I1.1.1": 4, "I1.1.2": 4, "I1.1.3": 4, "M1": 1}
    parents = {code: str(task.getParentTask().getWBS()) for code, task in tasks.items() if levels[code] > 1}
    assert parents == {"O1.1": "G1", "I1.1": "O1.1", "I1.1.1": "I1.1", "I1.1.2": "I1.1", "I1.1.3": "I1.1"}
    assert {code for code, task in tasks.items() if bool(task.getSummary())} == {"G1", "O1.1", "I1.1"}
    # a summary spans its activities: from January (I1.1.1) to the end of May (I1.1.2 and I1.1.3)
    assert str(tasks["G1"].getStart())[:10] == "2012-01-02" or str(tasks["G1"].getStart())[:10] == "2012-01-01"
    assert str(tasks["I1.1"].getFinish())[:10] == str(tasks["I1.1.2"].getFinish())[:10]
    assert str(tasks["G1"].getName()) == "Faster clearance"
