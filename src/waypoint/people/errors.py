from waypoint.core.errors import InvalidInput


class FrameworkFileInvalid(InvalidInput):
    code = "framework_invalid"


class FileInvalid(InvalidInput):
    """An HR file (officers, assessments, training records) with problems; nothing was written."""

    code = "file_invalid"
