from collections.abc import Mapping
from typing import Any

from waypoint.core.errors import EditConflict, InvalidInput


class IndicatorRuleBroken(InvalidInput):
    code = "indicator_rule"


class ValueLocked(InvalidInput):
    """The value belongs to an approved (locked) report: un-approve it first."""

    code = "locked"


class TargetsChangedMeanwhile(EditConflict):
    """Somebody else changed some of the targets a grid was saving, after it was opened.

    ``current`` has the stored values by the grid's field names (``"2014.value"``), ``rows``
    each target's stored values and version by period (``None``: removed meanwhile), so the
    page can show them beside the user's and let the next save through."""

    def __init__(self, message: str, *, rows: Mapping[str, Mapping[str, Any] | None]) -> None:
        current: dict[str, Any] = {}
        for period, row in rows.items():
            current[f"{period}.value"] = row["value"] if row else None
            current[f"{period}.upper_value"] = row["upper_value"] if row else None
        super().__init__(message, current=current, current_version=0)
        self.rows = dict(rows)
