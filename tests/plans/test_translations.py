"""A plan kept in several languages: each reader sees the texts in their language, or in the
plan's main language with a marker; what is stored is checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import World
from waypoint.core.errors import InvalidInput
from waypoint.plans import services
from waypoint.plans.errors import PlanFileInvalid
from waypoint.plans.planfile import plan_export, plan_file_check


@pytest.fixture(autouse=True)
def languages(settings: object) -> None:
    settings.LANGUAGES = [("en", "English"), ("az", "Azerbaijani"), ("fr", "French")]  # type: ignore[attr-defined]


def in_azerbaijani(world: World) -> None:
    services.plan_update(
        actor=None,
        plan=world.plan,
        expected_version=None,
        changes={"translations": {"az": {"title": "Sınaq planı"}}},
    )
    services.element_update(
        actor=None,
        element=world.elements["O1.1"],
        expected_version=None,
        changes={"translations": {"az": {"title": "Cənubda buraxılışı sürətləndirmək"}}},
    )


def page(client: Client, world: World, language: str, name: str = "plan-tree") -> str:
    viewer = world.users["viewer"]
    viewer.language = language
    viewer.save()
    client.force_login(viewer)
    return client.get(reverse(name, args=[world.plan.pk])).content.decode()


def test_switching_language_switches_the_plan_s_titles(world: World, client: Client) -> None:
    in_azerbaijani(world)
    english = world.elements["O1.1"].title
    content = page(client, world, "en")
    assert english in content
    assert "Cənubda buraxılışı sürətləndirmək" not in content
    content = page(client, world, "az")
    assert "Cənubda buraxılışı sürətləndirmək" in content
    assert "Sınaq planı" in content  # the plan's own title, in the header
    assert english not in content


def test_a_text_not_yet_translated_is_shown_in_the_main_language_and_marked(world: World, client: Client) -> None:
    in_azerbaijani(world)
    content = page(client, world, "az")
    o12 = world.elements["O1.2"].title  # no Azerbaijani title
    assert f'<span lang="en">{o12}</span> <abbr class="fallback-language"' in content
    # a language the plan is not kept in: everything in the main language, each marked
    content = page(client, world, "fr")
    assert f'<span lang="en">{world.elements["O1.1"].title}</span>' in content
    # the main language: no marker
    assert 'class="fallback-language"' not in page(client, world, "en")


def test_the_plan_file_carries_every_language_and_checks_them(world: World) -> None:
    in_azerbaijani(world)
    document = plan_export(world.plan)
    assert document["plan"]["translations"] == {"az": {"title": "Sınaq planı"}}
    o11 = next(e for e in document["elements"] if e["code"] == "O1.1")
    assert o11["translations"] == {"az": {"title": "Cənubda buraxılışı sürətləndirmək"}}

    def problems(doc: dict[str, Any]) -> set[str]:
        # the world's plan is in the database: the file is a duplicate of it, whatever else
        with pytest.raises(PlanFileInvalid) as refused:
            plan_file_check(doc)
        return {p.location for p in refused.value.problems}

    assert not any("translations" in location for location in problems(document))
    document["plan"]["translations"] = {"en": {"title": "Main language twice"}, "az": {"colour": "blue"}}
    assert {"$.plan.translations.en", "$.plan.translations.az.colour"} <= problems(document)


def test_translations_are_checked_before_they_are_kept(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.element_update(
            actor=None,
            element=world.elements["O1.1"],
            expected_version=None,
            changes={"translations": {"az": {"title": "x" * 301}}},
        )
    assert refused.value.problems[0].location == "translations.az.title"
    with pytest.raises(InvalidInput):
        services.plan_update(actor=None, plan=world.plan, expected_version=None, changes={"language": "xx"})


def test_the_forms_enter_the_texts_in_the_plan_s_other_languages(world: World, client: Client) -> None:
    in_azerbaijani(world)
    client.force_login(world.users["planner"])
    element = world.elements["O1.2"]
    form = client.get(reverse("element-edit", args=[element.pk])).content.decode()
    assert 'name="tr-az-title"' in form
    data = {
        "title": element.title,
        "description": element.description,
        "tier": element.tier_id,
        "responsible_unit": element.responsible_unit_id,
        "assumptions": "",
        "version": element.version,
        "tr-az-title": "Qərbdə buraxılışı sürətləndirmək",
    }
    response = client.post(reverse("element-edit", args=[element.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    element.refresh_from_db()
    assert element.translations == {"az": {"title": "Qərbdə buraxılışı sürətləndirmək"}}
    plan_form = client.get(reverse("plan-edit", args=[world.plan.pk])).content.decode()
    assert 'name="tr-az-title"' in plan_form
    assert 'name="other_languages"' in plan_form


def test_changing_the_main_language_keeps_every_text_and_the_elements_stay_editable(world: World) -> None:
    """The plan becomes an Azerbaijani plan kept in English: its and its elements' Azerbaijani
    texts move into the columns, the English ones become the English translation; an element
    then still takes a change, and the plan file still checks."""
    in_azerbaijani(world)
    element = world.elements["O1.1"]
    english_plan, english_element = world.plan.title, element.title
    world.plan.refresh_from_db()
    services.plan_update(actor=None, plan=world.plan, expected_version=None, changes={"language": "az"})
    world.plan.refresh_from_db()
    element.refresh_from_db()
    assert (world.plan.language, world.plan.title) == ("az", "Sınaq planı")
    assert world.plan.translations["en"]["title"] == english_plan and "az" not in world.plan.translations
    assert element.title == "Cənubda buraxılışı sürətləndirmək"
    assert element.translations["en"]["title"] == english_element and "az" not in element.translations
    services.element_update(actor=None, element=element, expected_version=None, changes={"status": element.status})
    with pytest.raises(PlanFileInvalid) as refused:
        plan_file_check(plan_export(world.plan))
    # the one problem of its own export is that this administration has the plan already
    assert [p.location for p in refused.value.problems] == ["$.plan.title"], refused.value.problems
    other = world.elements["O1.2"]
    other.refresh_from_db()
    assert "az" not in other.translations  # never kept in Azerbaijani: its texts are left as they are
