"""Stored frameworks as the engine's objects (parsed once per stored version)."""

from __future__ import annotations

from functools import lru_cache

from waypoint.engine.training.framework import CompetencyFramework, framework_from_document
from waypoint.people.models import CompetencyFramework as StoredFramework


@lru_cache(maxsize=64)
def _parsed(pk: int, imported_at: str) -> CompetencyFramework:
    stored = StoredFramework.objects.get(pk=pk)
    return framework_from_document(stored.document)


def framework_model(stored: StoredFramework) -> CompetencyFramework:
    """The engine's framework for a stored one (a stored framework never changes: a new file is
    a new version, so the cache is keyed by its id and import time)."""
    return _parsed(stored.pk, stored.imported_at.isoformat())
