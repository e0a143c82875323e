"""The roadmap of the roadmap tests, for the operations tests that solve scenarios."""

from __future__ import annotations

from tests.roadmap.conftest import roadmap

__all__ = ["roadmap"]
