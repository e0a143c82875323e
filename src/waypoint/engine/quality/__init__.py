"""Plan quality: a catalogue of rules that tell whether a plan holds together.

``model`` is what the rules read and report, ``rules`` the catalogue, ``check`` the facade
(``check_plan``), ``document`` reads the portable plan file, ``cli`` is ``waypoint check``.
"""

from waypoint.engine.quality.check import check_plan
from waypoint.engine.quality.model import Finding, PlanUnderCheck, Report, RuleSetting, Severity, Subject
from waypoint.engine.quality.rules import CATALOGUE, Rule

__all__ = [
    "CATALOGUE",
    "Finding",
    "PlanUnderCheck",
    "Report",
    "Rule",
    "RuleSetting",
    "Severity",
    "Subject",
    "check_plan",
]
