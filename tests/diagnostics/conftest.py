"""A framework, an assessment of the world's administration, and a recommendation."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.world import World
from waypoint.diagnostics import services
from waypoint.diagnostics.models import Assessment, Framework

SMALL_FRAMEWORK = """
format: waypoint-framework
code: small
version: "1"
name: Small framework
scale: maturity-0-4
areas:
- code: SP
  name: Systems and procedures
  topics:
  - code: SP.1
    name: Risk
    criteria:
    - code: SP.1.1
      text: Controls are selected by risk.
      descriptors: {"0": none, "1": some, "2": half, "3": most, "4": all}
    - code: SP.1.2
      text: Pre-arrival lodgement.
      descriptors: {"0": none, "1": some, "2": half, "3": most, "4": all}
- code: IN
  name: Integrity
  topics:
  - code: IN.1
    name: Conduct
    criteria:
    - code: IN.1.1
      text: A code of conduct is enforced.
      descriptors: {"0": none, "1": some, "2": half, "3": most, "4": all}
"""


def make_framework() -> Framework:
    return services.framework_import(actor=None, content=SMALL_FRAMEWORK, filename="small.yaml")


def make_assessment(world: World, framework: Framework | None = None, reference: str = "DIAG-2011") -> Assessment:
    return services.assessment_save(
        actor=None,
        administration=world.plan.administration,
        framework=framework or Framework.objects.first() or make_framework(),
        reference=reference,
        title="Diagnostic",
        assessed_on=dt.date(2011, 5, 1),
        kind="expert",
        plans=[world.plan],
    )


@pytest.fixture
def assessment(world: World) -> Assessment:
    assessment = make_assessment(world)
    services.ratings_save(
        actor=None,
        assessment=assessment,
        rows={"SP.1.1": {"current": "1", "target": "3"}, "IN.1.1": {"current": "2", "target": "4"}},
        expected_version=None,
    )
    services.recommendation_save(
        actor=None, assessment=assessment, area="SP", priority="high", text="Automate selectivity", elements=[]
    )
    return assessment
