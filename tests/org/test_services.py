from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.world import World
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.org import services
from waypoint.org.access import Access
from waypoint.org.models import OrgUnit


def test_paths_follow_the_tree_and_moves(world: World) -> None:
    post = world.units["BP-S1"]
    assert post.is_within(world.units["RD-S"]) and post.depth == 2
    services.unit_update(actor=None, unit=world.units["RD-S"], parent=world.units["RD-W"])
    post.refresh_from_db()
    assert post.is_within(world.units["RD-W"]) and post.depth == 3


def test_a_unit_cannot_move_below_itself(world: World) -> None:
    with pytest.raises(InvalidInput, match="below itself"):
        services.unit_update(actor=None, unit=world.units["RD-S"], parent=world.units["BP-S1"])


@pytest.mark.parametrize("code", ["bp-1", "", "A B", "X" * 40])
def test_unit_codes_are_short_capitals(world: World, code: str) -> None:
    with pytest.raises(InvalidInput):
        services.unit_create(actor=None, code=code, name="x", kind="customs_office", parent=world.units["ADM"])


def test_unit_codes_are_unique(world: World) -> None:
    with pytest.raises(InvalidInput, match="already used"):
        services.unit_create(actor=None, code="RD-S", name="x", kind="customs_office", parent=world.units["ADM"])


def test_only_an_administration_sits_at_the_top(world: World) -> None:
    with pytest.raises(InvalidInput):
        services.unit_create(actor=None, code="LOOSE", name="x", kind="customs_office", parent=None)
    with pytest.raises(InvalidInput):
        services.unit_create(actor=None, code="NESTED", name="x", kind="administration", parent=world.units["ADM"])


def test_contributors_cover_their_subtree_only(world: World) -> None:
    access = Access(world.users["contributor"])
    assert access.contributor_covers(world.units["BP-S1"].path)
    assert not access.contributor_covers(world.units["BP-W1"].path)
    assert access.can_read(world.units["BP-W1"].path)
    assert not access.is_planner(world.units["ADM"].path)


def test_roles_in_another_administration_give_nothing_here(world: World) -> None:
    other = services.unit_create(actor=None, code="OTHER", name="Other", kind="administration", parent=None)
    stranger = services.user_create(actor=None, username="stranger", password="x" * 12)
    services.role_grant(actor=None, user=stranger, role="planner", unit=other)
    access = Access(stranger)
    assert access.is_planner(other.path)
    assert not access.can_read(world.units["ADM"].path)


def test_the_administrator_role_never_opens_the_django_admin(world: World) -> None:
    # It used to: every administrator became a Django superuser, over every administration
    # (issue 12). The Django admin is now for platform operators only (`waypoint platform_admin`).
    user = world.users["viewer"]
    assignment = services.role_grant(actor=None, user=user, role="administrator", unit=world.units["ADM"])
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    operator = services.user_create(actor=None, username="operator", password="x" * 12)
    call_command("platform_admin", "grant", "operator", stdout=io.StringIO())
    operator.refresh_from_db()
    assert operator.is_staff and operator.is_superuser
    services.role_grant(actor=None, user=operator, role="administrator", unit=world.units["ADM"])
    services.role_revoke(actor=None, assignment=assignment)
    operator.refresh_from_db()
    user.refresh_from_db()
    assert operator.is_superuser and not user.is_superuser
    out = io.StringIO()
    call_command("platform_admin", "list", stdout=out)
    assert out.getvalue().split() == ["operator"]
    call_command("platform_admin", "revoke", "operator", stdout=io.StringIO())
    operator.refresh_from_db()
    assert not operator.is_superuser and not operator.is_staff


def test_a_closed_unit_grants_nothing(world: World) -> None:
    OrgUnit.objects.filter(code="RD-S").update(is_active=False)
    assert not Access(world.users["contributor"]).has_any_role


def test_tokens_are_stored_hashed_and_revoked_by_their_owner_only(world: World) -> None:
    token, key = services.api_token_create(actor=world.users["viewer"], name="reporting script")
    assert key.startswith("wpt_") and key not in token.key_hash
    assert services.api_token_user(key) == world.users["viewer"]
    with pytest.raises(NotAllowed):
        services.api_token_revoke(actor=world.users["planner"], token=token)
    assert services.api_token_user("wpt_nonsense") is None
    assert services.api_token_user("not-a-token") is None
