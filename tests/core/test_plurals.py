"""Counts read as a person would say them: "1 error", "2 errors" (issue 13), in every language
through the translation machinery, and the plan's two "health" pages have two names."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.plans import quality

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "waypoint"
#: a number printed, then a translated plural noun outside a {% blocktranslate count %}
COUNT_THEN_NOUN = re.compile(
    r"\{\{[^}\n]*\}\}"
    r"(?:[ \t]*(?:</?(?:span|strong|b|div)[^>\n]*>|\{%\s*(?:if|elif|else)\b[^%\n]*%\}))*"
    r"[ \t]*\{%\s*translate\s+\"([a-z]+s|criteria|people)\b"
)


def test_one_finding_is_one_error_and_the_quality_checks_are_not_the_plan_health(world: World, client: Client) -> None:
    for rule in ("Q203", "Q601"):
        quality.quality_rule_set(actor=None, plan=world.plan, rule=rule, enabled=False, severity="", reason="Not now")
    quality.quality_rule_set(actor=None, plan=world.plan, rule="Q207", enabled=True, severity="error", reason="Strict")
    client.force_login(world.users["viewer"])
    page = client.get(reverse("plan-health", args=[world.plan.pk])).content.decode()
    counts = page[page.index('data-testid="health-counts"') : page.index("</span>", page.index("health-counts"))]
    assert re.search(r">\s*1 error\s*<", counts), counts
    assert "1 errors" not in page
    assert re.search(r">\s*2 hints\s*<", counts), counts
    # the tab and the page are "Quality checks"; "Plan health" is the indicators' verdict on the overview
    assert "<title>Quality checks" in page
    tab = re.search(r'href="/plans/\d+/health/">([^<]+)</a>', page)
    assert tab is not None and tab.group(1) == "Quality checks"
    overview = client.get(reverse("plan-overview", args=[world.plan.pk])).content.decode()
    assert "Plan health" in overview and ">Health<" not in overview


def test_no_template_prints_a_count_before_a_fixed_plural_noun() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)[-60:]}"
        for path in TEMPLATES.rglob("*.html")
        for match in COUNT_THEN_NOUN.finditer(path.read_text())
    ]
    assert not found, "use {% blocktranslate count %}:\n" + "\n".join(found)


#: a count put into a text through gettext rather than ngettext ("1 proposals wait")
GETTEXT_COUNT = re.compile(r"""\b_\(\s*["']%\((?:n|count)\)d\b|\b_\(\s*["'][^"']*\w\(s\)""")


def test_counts_in_python_texts_go_through_ngettext() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if GETTEXT_COUNT.search(line)
    ]
    assert not found, "use ngettext for these counts: " + ", ".join(found)
