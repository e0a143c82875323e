"""The Into the plan page: what a result can become is what the plan takes from the user (a
submitted, approved or superseded plan takes no SWOT/PESTLE item, element or functions'
priorities, and the page says why), each group of fields says which choice it is for (the
script hides the others; without it they all stay), and the view reads only the fields of
the choice made."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import pseudo_locale
from tests.test_pseudo_locale import ALLOWED, data_shown
from tests.workshops.conftest import Room, make_room
from tests.world import World
from waypoint.monitoring.models import FollowUpAction
from waypoint.plans import services as plan_services
from waypoint.plans.models import AnalysisItem, PlanElement, PlanFunction
from waypoint.site.context_processors import navigation_languages
from waypoint.workshops import services
from waypoint.workshops.forms import NEEDS


class Form(HTMLParser):
    """The first result's form: the choices of "Becomes", and each group of fields with the
    choices it is for, its legend and its fields."""

    def __init__(self) -> None:
        super().__init__()
        self.found = False
        self.inside = False
        self.in_kind = False
        self.choices: list[str] = []
        self.groups: dict[str, dict[str, object]] = {}
        self.group: dict[str, object] | None = None
        self.in_legend = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"] or "")
        if tag == "form" and a.get("data-testid") == "to-plan-form" and not self.found:
            self.found = self.inside = True
        if not self.inside:
            return
        if tag == "select" and a.get("name") == "kind":
            self.in_kind = True
        elif tag == "option" and self.in_kind:
            self.choices.append(a.get("value") or "")
        elif tag == "fieldset":
            self.group = {"for": (a.get("data-becomes-for") or "").split(), "legend": "", "fields": []}
        elif tag == "legend":
            self.in_legend = True
        elif tag in ("select", "input") and self.group is not None:
            self.group["fields"].append(a.get("name"))  # type: ignore[attr-defined]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.in_kind = False
        elif tag == "legend":
            self.in_legend = False
        elif tag == "fieldset" and self.group is not None:
            fields = self.group["fields"]
            assert isinstance(fields, list) and len(fields) == 1, fields
            self.groups[fields[0]] = self.group
            self.group = None
        elif tag == "form" and self.inside:
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.in_legend and self.group is not None:
            self.group["legend"] = f"{self.group['legend']}{data}".strip()


def _page(client: Client, room: Room) -> tuple[str, Form]:
    response = client.get(reverse("exercise-to-plan", args=[room.workshop.pk, room.dots.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    form = Form()
    form.feed(html)
    return html, form


@pytest.fixture
def room(world: World) -> Room:
    made = make_room(world)
    # a ranking, so that the page offers to set the functions' priorities
    services.dots_set(participant=made.guest, option=made.dots.options.all()[0], dots=2)
    return made


def test_a_draft_plan_is_offered_every_result_and_each_field_says_its_choice(
    world: World, client: Client, room: Room
) -> None:
    client.force_login(world.users["planner"])
    html, form = _page(client, room)
    assert form.choices == ["analysis_item", "element", "action"]
    assert {name: group["for"] for name, group in form.groups.items()} == {
        "category": ["analysis_item"],
        "parent": ["element"],
        "responsible_unit": ["element", "action"],
        "due_on": ["action"],
    }
    assert {name: group["legend"] for name, group in form.groups.items()} == {
        "category": "For a SWOT/PESTLE item",
        "parent": "For a plan element",
        "responsible_unit": "For a plan element or a follow-up action",
        "due_on": "For a follow-up action",
    }
    # the groups are the fields the view reads for each choice
    assert {name: tuple(group["for"]) for name, group in form.groups.items()} == NEEDS  # type: ignore[arg-type]
    # the script that shows only the chosen one's, from a static file (no inline script)
    assert any(src.endswith("waypoint/to-plan.js") for src in form.scripts)
    assert 'data-testid="plan-locked"' not in html and 'data-testid="set-priorities"' in html


def test_the_groups_are_in_the_readers_language(world: World, client: Client, room: Room) -> None:
    world.users["planner"].language = "fr"
    world.users["planner"].save()
    client.force_login(world.users["planner"])
    _html, form = _page(client, room)
    with translation.override("fr"):
        wanted = [translation.gettext(f"For a {what}") for what in ("SWOT/PESTLE item", "plan element")]
        wanted += [translation.gettext("For a plan element or a follow-up action")]
        wanted += [translation.gettext("For a follow-up action")]
    assert [group["legend"] for group in form.groups.values()] == wanted
    assert "For a plan element" not in wanted


@pytest.mark.parametrize("status", ["under_review", "approved"])
def test_a_locked_plan_is_offered_only_what_it_takes_and_says_why(
    world: World, client: Client, room: Room, status: str
) -> None:
    plan_services.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review")
    if status == "approved":
        plan_services.plan_set_status(actor=world.users["approver"], plan=world.plan, status="approved", note="OK")
    client.force_login(world.users["planner"])
    html, form = _page(client, room)
    # a follow-up action only: the plan's content (items, elements, priorities) is refused
    assert form.choices == ["action"]
    assert {name: group["legend"] for name, group in form.groups.items()} == {
        "responsible_unit": "For a follow-up action",
        "due_on": "For a follow-up action",
    }
    assert 'data-testid="set-priorities"' not in html and 'data-testid="priorities-locked"' in html
    notice = html[html.index('data-testid="plan-locked"') :]
    notice = notice[: notice.index("</div>\n</div>")]
    reason = {
        "under_review": "This plan is submitted for approval and does not change while it waits for the decision",
        "approved": "This plan is approved and locked: its elements, indicators, targets and budgets change only "
        "through an amendment",
    }[status]
    assert reason in notice
    assert "Here the exercise's results can become follow-up actions of the plan's action register" in notice
    assert f'href="{reverse("plan-approval", args=[world.plan.pk])}"' in notice

    # the service's refusal stays the guard: a post that asks for an element anyway
    to_plan = reverse("exercise-to-plan", args=[room.workshop.pk, room.dots.pk])
    option = room.dots.options.all()[0]
    elements = PlanElement.objects.count()
    response = client.post(
        to_plan, {"source": f"option:{option.pk}", "kind": "element", "text": "Risk engine"}, follow=True
    )
    assert PlanElement.objects.count() == elements
    assert reason in response.content.decode()
    client.post(
        to_plan,
        {"source": f"option:{option.pk}", "kind": "analysis_item", "text": "Risk", "category": "strength"},
    )
    assert not AnalysisItem.objects.filter(text="Risk").exists()
    functions = PlanFunction.objects.count()
    client.post(reverse("exercise-priorities", args=[room.workshop.pk, room.dots.pk]))
    assert PlanFunction.objects.count() == functions
    # and what it offers works
    client.post(
        to_plan,
        {
            "source": f"option:{option.pk}",
            "kind": "action",
            "text": "Brief the risk team",
            "responsible_unit": world.unit("HQ-RSK").pk,
            "due_on": "2013-03-15",
        },
    )
    assert FollowUpAction.objects.filter(plan=world.plan, title="Brief the risk team").exists()


def test_a_superseded_plan_takes_nothing_and_the_page_says_where_to_go(
    world: World, client: Client, room: Room
) -> None:
    plan_services.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review")
    plan_services.plan_set_status(actor=world.users["approver"], plan=world.plan, status="approved", note="OK")
    plan_services.plan_set_status(actor=world.users["approver"], plan=world.plan, status="superseded")
    client.force_login(world.users["planner"])
    html, form = _page(client, room)
    assert not form.found and 'name="kind"' not in html
    assert "This plan is superseded and read-only." in html
    assert "choose that plan on the workshop's Edit page" in html
    assert f'href="{reverse("workshop-edit", args=[room.workshop.pk])}"' in html


def test_a_facilitator_who_may_not_change_the_plan_is_offered_what_their_role_allows(
    world: World, client: Client, room: Room
) -> None:
    planner = world.users["planner"]
    services.workshop_update(
        actor=planner,
        workshop=room.workshop,
        expected_version=None,
        changes={},
        facilitators=[world.users["contributor"], world.users["viewer"]],
    )
    client.force_login(world.users["contributor"])
    html, form = _page(client, room)
    assert form.choices == ["action"] and set(form.groups) == {"responsible_unit", "due_on"}
    assert "Only planners can change the plan; you can record follow-up actions." in html
    assert "Only planners set the functions' priorities." in html
    client.force_login(world.users["viewer"])
    html, form = _page(client, room)
    assert not form.found and "Only planners and contributors put results into the plan." in html


def test_the_view_reads_only_the_fields_of_the_choice(world: World, client: Client, room: Room) -> None:
    """Without the script every field is sent: those of another choice are ignored (a well-formed
    value) or refuse the whole form (a malformed one), as before the page hid them."""
    client.force_login(world.users["planner"])
    to_plan = reverse("exercise-to-plan", args=[room.workshop.pk, room.board.pk])
    note = services.note_add(participant=room.guest, exercise=room.board, column="weakness", text="Paper forms")
    every = {
        "source": f"note:{note.pk}",
        "category": "weakness",
        "parent": world.elements["G1"].pk,
        "responsible_unit": world.unit("HQ-RSK").pk,
        "due_on": "2013-03-15",
    }
    elements, items, actions = PlanElement.objects.count(), AnalysisItem.objects.count(), FollowUpAction.objects.count()
    client.post(to_plan, {**every, "kind": "action", "text": "Scan the forms"})
    assert FollowUpAction.objects.count() == actions + 1
    assert (PlanElement.objects.count(), AnalysisItem.objects.count()) == (elements, items)
    client.post(to_plan, {**every, "kind": "analysis_item", "text": "Paper forms"})
    assert AnalysisItem.objects.count() == items + 1 and PlanElement.objects.count() == elements
    client.post(to_plan, {**every, "kind": "element", "text": "Paperless posts"})
    element = PlanElement.objects.get(title="Paperless posts")
    assert element.parent == world.elements["G1"] and FollowUpAction.objects.count() == actions + 1
    response = client.post(
        to_plan, {**every, "due_on": "soon", "kind": "element", "text": "Paperless south"}, follow=True
    )
    assert not PlanElement.objects.filter(title="Paperless south").exists()
    assert "Say what the result becomes, and its text." in response.content.decode()


@pytest.fixture
def pseudo_language(settings: Any, tmp_path: Path) -> str:
    """The pseudo-locale in front of the real catalogues, as tests/test_pseudo_locale.py has it."""
    locale = pseudo_locale.build(Path(settings.LOCALE_PATHS[0]), tmp_path / "locale")
    settings.LOCALE_PATHS = [locale, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, (pseudo_locale.CODE, "Pseudo")]
    return pseudo_locale.CODE


@pytest.mark.parametrize("status", ["approved", "superseded"])
def test_the_locked_pages_show_only_translated_text(
    world: World, client: Client, room: Room, pseudo_language: str, status: str
) -> None:
    """The pseudo-locale sweep (tests/test_pseudo_locale.py) opens this page on a draft plan;
    here on a locked and a superseded one, as a planner and as a contributor who facilitates."""
    plan_services.plan_set_status(actor=world.users["planner"], plan=world.plan, status="under_review")
    plan_services.plan_set_status(actor=world.users["approver"], plan=world.plan, status="approved", note="OK")
    if status == "superseded":
        plan_services.plan_set_status(actor=world.users["approver"], plan=world.plan, status="superseded")
    services.workshop_update(
        actor=world.users["planner"],
        workshop=room.workshop,
        expected_version=None,
        changes={},
        facilitators=[world.users["contributor"]],
    )
    data = [*data_shown(world), *(name for _code, name in navigation_languages())]
    for name in ("planner", "contributor"):
        user = world.users[name]
        user.language = pseudo_language
        user.save(update_fields=["language"])
        client.force_login(user)
        html, _form = _page(client, room)
        assert 'data-testid="plan-locked"' in html
        left = [
            (text.strip(), words)
            for text in pseudo_locale.visible_texts(html)
            # the marker of a title not yet in the reader's language names it: here the pseudo-locale
            if (words := pseudo_locale.untranslated_words(text, data, {*ALLOWED, pseudo_language}))
        ]
        assert left == [], name
