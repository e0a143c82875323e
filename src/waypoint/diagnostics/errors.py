from waypoint.core.errors import InvalidInput


class FrameworkFileInvalid(InvalidInput):
    code = "framework_invalid"
