from waypoint.core.errors import InvalidInput


class UnitCodeTaken(InvalidInput):
    code = "unit_code_taken"


class UnitTreeError(InvalidInput):
    code = "unit_tree"
