from waypoint.core.errors import InvalidInput, NotAllowed


class PlanRuleBroken(InvalidInput):
    """A plan invariant (periods, tree shape, dates) would be broken."""

    code = "plan_rule"


class PlanFileInvalid(InvalidInput):
    """A portable plan file was refused; ``problems`` are located by JSON path."""

    code = "plan_file_invalid"


class PlanLocked(NotAllowed):
    """The plan's content is fixed (submitted for approval, approved, or superseded); the
    message says why and what to do instead."""

    code = "plan_locked"
