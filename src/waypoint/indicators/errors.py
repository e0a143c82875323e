from waypoint.core.errors import InvalidInput


class IndicatorRuleBroken(InvalidInput):
    code = "indicator_rule"
