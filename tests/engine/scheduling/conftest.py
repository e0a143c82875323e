from __future__ import annotations

from pathlib import Path

import pytest

PSPLIB = Path(__file__).resolve().parents[4] / "shared" / "data" / "psplib"


@pytest.fixture
def psplib() -> Path:
    if not PSPLIB.exists():  # the data sits beside the repository, never inside it
        pytest.skip(f"PSPLIB data not found at {PSPLIB}")
    return PSPLIB
