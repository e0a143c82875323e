from waypoint.core.errors import ApplicationError, InvalidInput


class UnitCodeTaken(InvalidInput):
    code = "unit_code_taken"


class UnitTreeError(InvalidInput):
    code = "unit_tree"


class TokenError(ApplicationError):
    code = "token"
