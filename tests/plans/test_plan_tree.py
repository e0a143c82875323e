"""The plan tree's rows (``plans/templatetags/plan_tree.py``, written in Python for speed):
each kind of row shows what the template showed, escaped, in the reader's language, and its
buttons work."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import dateformat, translation

from tests.world import World
from waypoint.plans import services
from waypoint.plans.models import PlanElement


def _tree(client: Client, world: World, **query: str) -> str:
    response = client.get(reverse("plan-tree", args=[world.plan.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def _codes_in_order(body: str) -> list[str]:
    return re.findall(r'class="tree-row[^"]*" data-code="([^"]+)"', body)


def _rows(body: str) -> dict[str, tuple[str, str]]:
    """Each row's classes and inner HTML, by element code."""
    found = re.findall(r'<div class="(tree-row[^"]*)" data-code="([^"]+)">(.*?)</div>', body, re.S)
    return {code: (classes, inner) for classes, code, inner in found}


def _opened(body: str, code: str) -> bool | None:
    """Whether the element's subtree starts open (``None``: the element has no children)."""
    match = re.search(
        r'<details class="tree-node"( open)?>\s*<summary>\s*<div class="[^"]*" data-code="' + re.escape(code), body
    )
    return None if match is None else bool(match.group(1))


def test_each_kind_of_row_shows_its_element(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    body = _tree(client, world)
    rows = _rows(body)
    assert set(rows) == set(world.elements)
    # goals open, everything else closed until opened; a leaf is a plain row
    assert _opened(body, "G1") is True and _opened(body, "O1.1") is False and _opened(body, "A1.1.1.1") is None
    goal = rows["G1"][1]
    assert 'class="caret"' in goal and ">Goal</span>" in goal and "Faster clearance</a>" in goal
    assert f'href="{reverse("element-detail", args=[world.elements["G1"].pk])}"' in goal
    assert f'href="{reverse("unit-detail", args=["HQ-PLN"])}" title="Planning Department">HQ-PLN</a>' in goal
    assert "150,000 " + world.plan.currency in goal  # the budget of everything below
    activity = rows["A1.1.1.1"][1]
    assert 'class="caret-spacer"' in activity
    assert "Mar 2012 – Jun 2013" in activity
    assert 'class="badge text-bg-light border">' in activity  # an activity's own status
    assert 'class="badge text-bg-light border">' not in rows["O1.1"][1]
    # indicators' health: the south is on track, the west off track
    assert "status-on_track" in rows["O1.1"][1] and "status-off_track" in rows["O1.2"][1]
    assert "no indicators" in rows["I1.2.1"][1]
    # a reader who may change nothing gets no buttons
    assert not any("<form" in inner or 'class="actions"' in inner for _c, inner in rows.values())


def test_quality_findings_badge_links_to_the_element_s_findings(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    rows = _rows(_tree(client, world))
    badges = {code: inner for code, (_c, inner) in rows.items() if 'data-testid="check-badge"' in inner}
    assert badges, "the test plan has findings (elements without indicators)"
    for code, inner in badges.items():
        link = re.search(r'<a class="badge health-badge (text-bg-\w+)" href="([^"]+)"[^>]*>(\d+) checks?</a>', inner)
        assert link is not None, inner
        assert link.group(2) == f"{reverse('plan-health', args=[world.plan.pk])}?element={code}#el-{code}"


def test_buttons_appear_where_the_reader_may_change_and_their_forms_work(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["contributor"])  # the southern directorate's contributor
    body = _tree(client, world)
    rows = _rows(body)
    editable = {code for code, (_c, inner) in rows.items() if 'class="actions"' in inner}
    assert editable == {"O1.1", "I1.1.1", "A1.1.1.1"}
    assert 'aria-label="Add under I1.1.1">+</a>' in rows["I1.1.1"][1]
    assert "Add under" not in rows["A1.1.1.1"][1]  # nothing goes below an activity
    assert 'aria-label="Edit O1.1">Edit</a>' in rows["O1.1"][1]
    # the move form carries the page's token: posting it as the page would moves the element
    move = reverse("element-move", args=[world.elements["O1.1"].pk])
    form = re.search(
        rf'<form method="post" action="{move}"[^>]*><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
        r'\s*<input type="hidden" name="direction" value="down">',
        body,
    )
    assert form is not None
    response = client.post(move, {"csrfmiddlewaretoken": form.group(1), "direction": "down"})
    assert response.status_code == 302
    world.elements["O1.1"].refresh_from_db()
    world.elements["O1.2"].refresh_from_db()
    assert world.elements["O1.1"].position > world.elements["O1.2"].position


def test_a_filter_opens_every_subtree_and_greys_the_elements_above_the_matches(world: World, client: Client) -> None:
    client.force_login(world.users["viewer"])
    body = _tree(client, world, q="lanes")
    rows = _rows(body)
    assert set(rows) == {"G1", "O1.1", "I1.1.1", "A1.1.1.1"}
    assert rows["A1.1.1.1"][0] == "tree-row"
    assert all(rows[code][0] == "tree-row unmatched" for code in ("G1", "O1.1", "I1.1.1"))
    assert _opened(body, "O1.1") is True and _opened(body, "I1.1.1") is True
    # the page says how many elements match, of how many: the rows above are not matches
    total = world.plan.elements.count()
    assert f"1 of {total} elements matches the filters" in body
    assert f"of {total} elements match the filters" in _tree(client, world, q="release")


def test_what_people_wrote_is_escaped(world: World, client: Client) -> None:
    element: PlanElement = world.elements["I1.2.1"]
    services.element_update(
        actor=None,
        element=element,
        expected_version=element.version,
        changes={"title": '<script>alert("x")</script> & "lanes"'},
    )
    world.units["BP-W1"].name = 'West "One" <b>'
    world.units["BP-W1"].save()
    client.force_login(world.users["planner"])
    inner = _rows(_tree(client, world))["I1.2.1"][1]
    assert "<script>" not in inner and "<b>" not in inner
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;lanes&quot;" in inner
    assert 'title="West &quot;One&quot; &lt;b&gt;"' in inner


def test_rows_read_in_the_reader_s_language(world: World, client: Client) -> None:
    world.users["planner"].language = "fr"
    world.users["planner"].save()
    client.force_login(world.users["planner"])
    rows = _rows(_tree(client, world))
    with translation.override("fr"):
        edit, goal, up = translation.gettext("Edit"), translation.gettext("Goal"), translation.gettext("Move up")
        aria = translation.gettext("Move %(code)s up") % {"code": "G1"}
        months = f"{dateformat.format(dt.date(2012, 3, 1), 'M Y')} – {dateformat.format(dt.date(2013, 6, 1), 'M Y')}"
    assert edit != "Edit" and goal != "Goal"
    assert f">{goal}</span>" in rows["G1"][1]
    assert f">{edit}</a>" in rows["G1"][1] and f'title="{up}"' in rows["G1"][1]
    assert aria.replace("'", "&#x27;") in rows["G1"][1]
    assert f"<span>{months}</span>" in rows["A1.1.1.1"][1]


def test_a_move_keeps_the_moved_element_in_view_with_the_focus_on_its_button(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    objective = world.elements["O1.1"]
    services.element_create(
        actor=None,
        plan=world.plan,
        parent=objective,
        title="Second initiative",
        responsible_unit=objective.responsible_unit,
    )
    body = _tree(client, world)
    assert _opened(body, "O1.1") is False  # below the goals, closed until opened
    moved = PlanElement.objects.get(plan=world.plan, title="Second initiative")
    response = client.post(reverse("element-move", args=[moved.pk]), {"direction": "up"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert _opened(body, "O1.1") is True and _opened(body, "O1.2") is False
    inner = _rows(body)[moved.code][1]
    # it is first now: its up arrow is marked unavailable but keeps the focus, so pressing it
    # again moves nothing (it does not bounce the element back down)
    assert 'title="Move up" aria-disabled="true" autofocus' in inner
    assert 'class="btn btn-outline-secondary disabled"' in inner
    assert body.count("autofocus") == 1
    response = client.post(reverse("element-move", args=[moved.pk]), {"direction": "up"}, HTTP_HX_REQUEST="true")
    codes = _codes_in_order(response.content.decode())
    assert codes.index(moved.code) == codes.index("I1.1.1") - 1  # still first: nothing moved
    # moved down (now last of two): the down arrow is the unavailable one
    response = client.post(reverse("element-move", args=[moved.pk]), {"direction": "down"}, HTTP_HX_REQUEST="true")
    inner = _rows(response.content.decode())[moved.code][1]
    assert 'title="Move down" aria-disabled="true" autofocus' in inner and 'title="Move up" aria-disabled' not in inner


def test_the_first_and_the_last_of_siblings_cannot_move_further(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    rows = _rows(_tree(client, world))  # every row is on the page, closed or open
    siblings: dict[int | None, list[str]] = {}
    for element in PlanElement.objects.filter(plan=world.plan).order_by("parent_id", "position", "number"):
        siblings.setdefault(element.parent_id, []).append(element.code)
    checked = 0
    for codes in siblings.values():
        for n, code in enumerate(codes):
            if code not in rows:
                continue
            inner = rows[code][1]
            assert ('title="Move up" aria-disabled="true"' in inner) == (n == 0), code
            assert ('title="Move down" aria-disabled="true"' in inner) == (n == len(codes) - 1), code
            checked += 1
    assert checked == PlanElement.objects.filter(plan=world.plan).count()


def test_a_move_answers_with_the_tree_of_the_same_filters_and_page(world: World, client: Client) -> None:
    client.force_login(world.users["planner"])
    body = _tree(client, world, q="west")
    move = reverse("element-move", args=[world.elements["O1.2"].pk])
    assert f'hx-post="{move}?q=west"' in body
    response = client.post(f"{move}?q=west", {"direction": "up"}, HTTP_HX_REQUEST="true")
    rows = _rows(response.content.decode())
    assert set(rows) == {"G1", "O1.2", "I1.2.1"}  # still filtered
    world.elements["O1.2"].refresh_from_db()
    world.elements["O1.1"].refresh_from_db()
    assert world.elements["O1.2"].position < world.elements["O1.1"].position


def test_back_to_a_page_htmx_did_not_keep_gets_the_whole_page(world: World, client: Client) -> None:
    """htmx asks again for a page it did not keep (HX-Request and HX-History-Restore-Request)
    and puts the answer in place of the whole page: the tree's fragment alone would leave no
    menus and no filters."""
    client.force_login(world.users["viewer"])
    url = reverse("plan-tree", args=[world.plan.pk])
    fragment = client.get(url, {"q": "lanes"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and "HX-Request" in fragment["Vary"]
    restored = client.get(url, {"q": "lanes"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    page = restored.content.decode()
    assert "<html" in page and 'role="search"' in page and 'value="lanes"' in page
    assert "HX-Request" in client.get(url)["Vary"]  # the page and the fragment share an address
