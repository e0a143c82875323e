"""The decision variables of the CP-SAT model: when each activity starts and ends."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from waypoint.engine.scheduling.cpm import CriticalPath
from waypoint.engine.scheduling.cpsat._ortools import cp_model
from waypoint.engine.scheduling.model import Problem

__all__ = ["Variables", "make_variables"]


@dataclass
class Variables:
    """Start, end and interval of every activity, by id, with the window its start may take."""

    starts: dict[str, cp_model.IntVar]
    ends: dict[str, cp_model.IntVar]
    intervals: dict[str, cp_model.IntervalVar]
    windows: dict[str, tuple[int, int]]
    durations: dict[str, int] = field(default_factory=dict)
    #: the other variables, each with its value in a schedule given by its starts (so that a
    #: known schedule hints every variable: CP-SAT takes a complete hint as it is, while it
    #: has to search for the rest of an incomplete one)
    derived: list[tuple[cp_model.IntVar, Callable[[Mapping[str, int]], int]]] = field(default_factory=list)

    def derive(self, variable: cp_model.IntVar, value: Callable[[Mapping[str, int]], int]) -> cp_model.IntVar:
        """Record how ``variable`` follows from the starts; returns it."""
        self.derived.append((variable, value))
        return variable

    def hint(self, model: cp_model.CpModel, starts: Mapping[str, int] | None) -> None:
        """Replace the model's hints with ``starts`` (a known schedule to start the search
        from) and every value that follows from them."""
        model.clear_hints()  # type: ignore[no-untyped-call]
        if starts is None:
            return
        for activity_id, start in starts.items():
            model.add_hint(self.starts[activity_id], start)
            model.add_hint(self.ends[activity_id], start + self.durations[activity_id])
        for variable, value in self.derived:
            model.add_hint(variable, value(starts))


def make_variables(
    model: cp_model.CpModel, problem: Problem, *, horizon: int, windows: CriticalPath | None, fix_pins: bool
) -> Variables:
    """One interval per activity, its start between its release and ``horizon`` minus its length.

    Parameters:
        windows: critical-path times that narrow each start further (within ``horizon``).
        fix_pins: a pinned activity's start is fixed in its domain; otherwise the pin is left
            to a constraint that can be switched off (to explain a conflict).
    """
    starts: dict[str, cp_model.IntVar] = {}
    ends: dict[str, cp_model.IntVar] = {}
    intervals: dict[str, cp_model.IntervalVar] = {}
    bounds: dict[str, tuple[int, int]] = {}
    for activity in problem.activities:
        low, high = activity.release, horizon - activity.duration
        if windows is not None:
            low = max(low, windows.earliest_start[activity.id])
            high = min(high, windows.latest_start[activity.id])
        if fix_pins and activity.pinned_start is not None:
            low = high = activity.pinned_start
        if high < low:
            high = low  # infeasible within the horizon; the constraints will say so
        bounds[activity.id] = (low, high)
        start = model.new_int_var(low, high, f"start_{activity.id}")
        end = model.new_int_var(low + activity.duration, high + activity.duration, f"end_{activity.id}")
        starts[activity.id], ends[activity.id] = start, end
        intervals[activity.id] = model.new_interval_var(start, activity.duration, end, f"run_{activity.id}")
    return Variables(starts, ends, intervals, bounds, {a.id: a.duration for a in problem.activities})
