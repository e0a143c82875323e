"""MPXJ, the reference reader of project files (a dev dependency), for tests that check what
MS Project would see in our exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def read_project(path: Path) -> Any:
    """The project in ``path`` as MPXJ reads it (``org.mpxj.ProjectFile``)."""
    import jpype
    import mpxj  # noqa: F401 - puts the MPXJ jars on the class path

    if not jpype.isJVMStarted():
        jpype.startJVM()
    from org.mpxj.reader import UniversalProjectReader

    return UniversalProjectReader().read(str(path))
