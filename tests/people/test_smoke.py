from __future__ import annotations

from tests.people.conftest import Workforce
from tests.world import World


def test_the_workforce_builds(world: World, workforce: Workforce) -> None:
    assert len(workforce.officers) == 31
    assert len(workforce.sessions) == 8
