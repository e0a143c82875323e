from waypoint.core.errors import InvalidInput


class IndicatorRuleBroken(InvalidInput):
    code = "indicator_rule"


class ValueLocked(InvalidInput):
    """The value belongs to an approved (locked) report: un-approve it first."""

    code = "locked"
