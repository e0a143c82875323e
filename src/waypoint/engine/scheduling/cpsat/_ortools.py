"""OR-Tools' CP-SAT module, imported without pandas.

``ortools.sat.python.cp_model`` imports pandas at its top for its ``*_series`` methods (which
build variables from pandas indexes); importing pandas costs about a second, more than the
rest of ``waypoint schedule`` takes to start. We never use those methods, so CP-SAT is
imported with a placeholder in pandas' place, which is then taken away again: a later
``import pandas`` anywhere gets the real one. (CP-SAT's ``*_series`` methods do not work in
a process where this module came first.) When pandas is already imported, it is used as is.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["cp_model"]


def _placeholder(name: str) -> types.ModuleType:
    """A module whose every attribute is an empty class (enough for type annotations)."""
    module = types.ModuleType(name, "placeholder: see waypoint.engine.scheduling.cpsat._ortools")

    def attribute(attribute_name: str) -> Any:
        return type(attribute_name, (), {})

    module.__getattr__ = attribute  # type: ignore[method-assign]
    return module


def import_without(module: str, missing: str) -> None:
    """Import ``module`` with a placeholder for ``missing`` unless that is imported already."""
    present = missing in sys.modules
    if not present:
        sys.modules[missing] = _placeholder(missing)
    try:
        importlib.import_module(module)
    finally:
        if not present:
            del sys.modules[missing]


import_without("ortools.sat.python.cp_model", "pandas")
from ortools.sat.python import cp_model  # noqa: E402  (imported just above; this binds the name)
