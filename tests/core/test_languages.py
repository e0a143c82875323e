"""Which language a page is in: the switch, the person's preference, the browser's language,
Arabic laid out right to left, numbers per locale."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.world import World
from waypoint.core.models import AuditEvent

SEVERAL = [("en", "English"), ("fr", "French"), ("ar", "Arabic"), ("ru", "Russian")]


@pytest.fixture(autouse=True)
def several_languages(settings: object) -> None:
    # the languages offered grow as their catalogues are completed: these tests need a few
    # whatever the state of the catalogues (Django's own strings are translated in all of them)
    settings.LANGUAGES = SEVERAL  # type: ignore[attr-defined]


def html_lang(content: bytes) -> str:
    head = content.decode()[:400]
    start = head.index('<html lang="') + len('<html lang="')
    return head[start : head.index('"', start)]


def test_the_switch_sets_the_language_and_the_person_s_preference(world: World, client: Client) -> None:
    viewer = world.users["viewer"]
    client.force_login(viewer)
    overview = reverse("plan-overview", args=[world.plan.pk])
    response = client.post(reverse("language-set"), {"language": "fr", "next": overview})
    assert response.status_code == 302
    assert response["Location"] == overview
    viewer.refresh_from_db()
    assert viewer.language == "fr"
    assert AuditEvent.objects.filter(
        entity="org.User", entity_id=str(viewer.pk), changes={"language": ["", "fr"]}
    ).exists()
    page = client.get(overview)
    assert html_lang(page.content) == "fr"
    assert page["Content-Language"] == "fr"


def test_the_preference_follows_the_person_to_another_browser(world: World, client: Client) -> None:
    viewer = world.users["viewer"]
    viewer.language = "ru"
    viewer.save()
    client.force_login(viewer)
    # a browser that asks for French and holds an English cookie: the preference wins
    client.cookies["django_language"] = "en"
    response = client.get(reverse("plan-overview", args=[world.plan.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert html_lang(response.content) == "ru"


def test_a_visitor_not_signed_in_reads_the_browser_s_language(db: None, client: Client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9, en;q=0.8")
    assert html_lang(response.content) == "fr"
    # a language Waypoint does not speak falls back to English
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de")
    assert html_lang(response.content) == "en"


def test_a_visitor_not_signed_in_can_switch_on_the_sign_in_page(db: None, client: Client) -> None:
    page = client.get(reverse("login"))
    assert b'data-testid="language-switch"' in page.content
    response = client.post(reverse("language-set"), {"language": "ar", "next": reverse("login")})
    assert response.status_code == 302
    assert html_lang(client.get(reverse("login")).content) == "ar"


def test_the_switch_needs_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["viewer"])
    response = client.post(reverse("language-set"), {"language": "fr", "next": "/"})
    assert response.status_code == 403
    world.users["viewer"].refresh_from_db()
    assert world.users["viewer"].language == ""


def test_a_language_not_offered_is_not_kept(world: World, client: Client) -> None:
    viewer = world.users["viewer"]
    client.force_login(viewer)
    client.post(reverse("language-set"), {"language": "de", "next": "/"})
    viewer.refresh_from_db()
    assert viewer.language == ""


def test_the_switch_is_in_the_user_menu_with_each_language_in_its_own_name(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    content = client.get(reverse("plan-overview", args=[world.plan.pk])).content.decode()
    assert 'data-testid="language-switch"' in content
    for name in ("English", "Français", "Русский", "العربيّة"):
        assert name in content
    assert "<script>" not in content  # the switch is a form, not a script


def test_arabic_pages_are_laid_out_right_to_left(world: World, client: Client) -> None:
    viewer = world.users["viewer"]
    viewer.language = "ar"
    viewer.save()
    client.force_login(viewer)
    content = client.get(reverse("plan-tree", args=[world.plan.pk])).content.decode()
    assert '<html lang="ar" dir="rtl"' in content
    assert "vendor/bootstrap/bootstrap.rtl.min.css" in content
    assert "vendor/bootstrap/bootstrap.min.css" not in content
    viewer.language = "fr"
    viewer.save()
    content = client.get(reverse("plan-tree", args=[world.plan.pk])).content.decode()
    assert '<html lang="fr" dir="ltr"' in content
    assert "vendor/bootstrap/bootstrap.min.css" in content


@override_settings(LANGUAGES=SEVERAL)
def test_numbers_are_written_per_locale(world: World, client: Client) -> None:
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{{ value }}")
    with translation.override("fr"):
        assert template.render(Context({"value": 1234.5})) == "1234,5"
    with translation.override("en"):
        assert template.render(Context({"value": 1234.5})) == "1234.5"


def test_numbers_and_amounts_are_grouped_per_locale() -> None:
    from django.utils import translation

    from waypoint.core.templatetags.waypoint import money, num

    with translation.override("en"):
        assert (num(1234567.891, 2), money(1234567.4)) == ("1,234,567.89", "1,234,567")
    with translation.override("fr"):
        assert (num(1234567.891, 2), money(1234567.4)) == ("1\xa0234\xa0567,89", "1\xa0234\xa0567")


def test_arabic_groups_digits_too() -> None:
    # Django's ar formats name the separators but no grouping: waypoint/formats/ar adds it,
    # and the rest of Django's ar formats still apply
    from django.utils import translation
    from django.utils.formats import get_format

    from waypoint.core.templatetags.waypoint import money, num

    with translation.override("ar"):
        assert (num(1234567.891, 2), money(1234567.4)) == ("1.234.567,89", "1.234.567")
        assert get_format("DATE_FORMAT") == "j F، Y"
        assert get_format("NUMBER_GROUPING") == 3
    with translation.override("ru"):
        assert money(1234567.4) == "1\xa0234\xa0567"


@pytest.mark.parametrize(
    ("language", "total", "row"),
    [("ar", "1.234.567", "1.184.567"), ("fr", "1\xa0234\xa0567", "1\xa0184\xa0567"), ("en", "1,234,567", "1,184,567")],
)
def test_the_plan_s_budget_is_grouped_on_its_pages(
    world: World, client: Client, language: str, total: str, row: str
) -> None:
    from decimal import Decimal

    from waypoint.plans import services
    from waypoint.plans.models import BudgetLine

    line = BudgetLine.objects.get(element=world.elements["A1.1.1.1"], year=2012)
    services.budget_line_save(
        actor=None,
        element=line.element,
        year=2012,
        funding_source=world.source,
        amount=Decimal("1184567"),
        line=line,
    )
    viewer = world.users["viewer"]
    viewer.language = language
    viewer.save()
    client.force_login(viewer)
    overview = client.get(reverse("plan-overview", args=[world.plan.pk])).content.decode()
    assert f"<strong>{total} {world.plan.currency}</strong>" in overview
    tree = client.get(reverse("plan-tree", args=[world.plan.pk]), {"expand": "all"}).content.decode()
    code = tree.index('data-code="A1.1.1.1"')
    assert f">{row} {world.plan.currency}</span>" in tree[code : tree.index('class="tree-row', code + 1)]


def test_charts_run_right_to_left_in_arabic() -> None:
    from django.utils import translation

    from waypoint.core.templatetags.waypoint import for_reader

    spec = {
        "layer": [{"encoding": {"x": {"field": "date", "scale": {"zero": False}}, "y": {"field": "value"}}}],
        "encoding": {"x": {"field": "year"}, "y": {"field": "v", "axis": None}},
    }
    with translation.override("en"):
        assert for_reader(spec) == spec
    with translation.override("ar"):
        mirrored = for_reader(spec)
    layer = mirrored["layer"][0]["encoding"]
    assert layer["x"]["scale"] == {"zero": False, "reverse": True}
    assert layer["y"]["axis"] == {"orient": "right"}
    assert mirrored["encoding"]["x"]["scale"] == {"reverse": True}
    assert mirrored["encoding"]["y"]["axis"] is None  # no axis stays none


def test_a_label_beside_its_point_moves_to_the_other_side_in_arabic() -> None:
    from django.utils import translation

    from waypoint.core.templatetags.waypoint import for_reader
    from waypoint.workshops.charts import impact_effort

    with translation.override("ar"):
        spec = impact_effort([("A", 4.0, 2.0, "quick_win")], low=1, high=5)
        mirrored = for_reader(spec)
        # the quadrants' names in the reader's language, whatever language the module met first
        assert translation.gettext("Quick win") in str(spec)
        centred = for_reader({"mark": {"type": "text", "align": "center", "dx": 0}})
    assert centred == {"mark": {"type": "text", "align": "center", "dx": 0}}
    marks = [layer["mark"] for layer in mirrored["layer"] if isinstance(layer.get("mark"), dict)]
    texts = [m for m in marks if m["type"] == "text"]
    assert {(m.get("align"), m.get("dx")) for m in texts} == {("right", None), ("left", None), ("right", -8)}


def test_the_page_tells_its_scripts_how_numbers_are_written(world: World, client: Client) -> None:
    import html
    import json

    viewer = world.users["viewer"]
    viewer.language = "fr"
    viewer.save()
    client.force_login(viewer)
    content = client.get(reverse("plan-overview", args=[world.plan.pk])).content.decode()
    start = content.index('data-locale="') + len('data-locale="')
    locale = json.loads(html.unescape(content[start : content.index('"', start)]))
    assert locale["number"]["decimal"] == ","
    assert locale["time"]["months"][0] == "Janvier"


def test_the_audit_log_says_record_types_and_list_entries_in_words() -> None:
    from django.utils import translation

    from waypoint.core.templatetags.waypoint import entity_label, field_label, plain

    with translation.override("en"):
        assert entity_label("monitoring.FollowUpAction") == "Follow-up action"
        assert entity_label("documents.Render") == "Document produced"
        assert field_label("facilitators", "workshops.Workshop") == "facilitators"
    # a list recorded whole: each entry by its name, not as a mapping
    assert plain([{"key": "strength", "label": "Strengths"}, {"key": "threat", "label": "Threats"}]) == (
        "Strengths, Threats"
    )
    assert plain({"TEC.CLASS": 3}) == "TEC.CLASS: 3"


def test_the_user_menu_names_the_person_s_roles_in_their_language(world: World, client: Client) -> None:
    planner = world.users["planner"]
    planner.language = "fr"
    planner.save(update_fields=["language"])
    client.force_login(planner)
    page = client.get(reverse("plan-overview", args=[world.plan.pk])).content.decode()
    roles = page[page.index('dropdown-item-text small text-body-secondary">') :].split("<", 1)[0]
    assert roles.endswith(">Planificateur")
