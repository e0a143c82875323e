from waypoint.core.errors import InvalidInput


class PlanRuleBroken(InvalidInput):
    """A plan invariant (periods, tree shape, dates) would be broken."""

    code = "plan_rule"


class PlanFileInvalid(InvalidInput):
    """A portable plan file was refused; ``problems`` are located by JSON path."""

    code = "plan_file_invalid"
