"""API tokens expire and die with their account; sign-ins are throttled by account and address."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.world import PASSWORD, World
from waypoint.org import services
from waypoint.org.models import ApiToken


def api_status(key: str) -> int:
    return Client().get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code


# --- API tokens -----------------------------------------------------------------------------------------


def test_a_token_expires_after_the_configured_days_and_the_page_says_when(world: World, settings) -> None:
    settings.WAYPOINT_API_TOKEN_DAYS = 30
    token, key = services.api_token_create(actor=world.users["viewer"], name="report")
    assert token.expires_at is not None
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    assert api_status(key) == 200
    client = Client()
    client.force_login(world.users["viewer"])
    page = client.get(reverse("api-tokens")).content.decode()
    assert token.expires_at.strftime("%Y-%m-%d") in page
    assert "works for 30 days" in page
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api_status(key) == 401
    assert "(expired)" in client.get(reverse("api-tokens")).content.decode()


def test_tokens_last_until_revoked_when_the_lifetime_is_zero(world: World, settings) -> None:
    settings.WAYPOINT_API_TOKEN_DAYS = 0
    token, key = services.api_token_create(actor=world.users["viewer"], name="forever")
    assert token.expires_at is None
    assert api_status(key) == 200


def test_the_default_lifetime_is_ninety_days(world: World) -> None:
    token, _key = services.api_token_create(actor=world.users["viewer"], name="report")
    assert token.expires_at is not None
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 90


def test_deactivating_an_account_revokes_its_tokens_and_reactivating_does_not_revive_them(world: World) -> None:
    viewer = world.users["viewer"]
    token, key = services.api_token_create(actor=viewer, name="script")
    assert api_status(key) == 200
    services.user_set_active(actor=world.users["administrator"], user=viewer, active=False)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_status(key) == 401
    services.user_set_active(actor=world.users["administrator"], user=viewer, active=True)
    viewer.refresh_from_db()
    assert viewer.is_active
    assert api_status(key) == 401
    _fresh, new_key = services.api_token_create(actor=viewer, name="new script")
    assert api_status(new_key) == 200


def test_deactivating_in_the_django_admin_revokes_tokens_too(world: World) -> None:
    viewer = world.users["viewer"]
    _token, key = services.api_token_create(actor=viewer, name="script")
    operator = world.users["outsider"]
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = Client()
    client.force_login(operator)
    response = client.post(
        reverse("admin:org_user_change", args=[viewer.pk]),
        {
            "username": "viewer",
            "first_name": "Viewer",
            "last_name": "",
            "email": "",
            "job_title": "",
            "date_joined_0": "2012-01-01",
            "date_joined_1": "00:00:00",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    viewer.refresh_from_db()
    assert not viewer.is_active
    viewer.is_active = True
    viewer.save()
    assert api_status(key) == 401


# --- sign-in throttling -----------------------------------------------------------------------------------


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_repeated_failures_and_an_administrator_unlocks_it(world: World, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for attempt in range(4):
        # each from another address: the account itself is throttled
        assert sign_in(client, "viewer", "wrong-password", f"10.0.1.{attempt}").status_code == 200
    assert sign_in(client, "viewer", "wrong-password", "10.0.1.4").status_code == 429  # the fifth
    refused = sign_in(client, "viewer", PASSWORD, "10.0.1.99")
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Too many failed sign-ins for this account or from this address" in text
    assert "Try again in 15 minutes" in text
    assert "_auth_user_id" not in client.session
    admin = Client()
    admin.force_login(world.users["administrator"])
    page = admin.get(reverse("people")).content.decode()
    assert 'data-testid="locked"' in page
    assert admin.post(reverse("person-unlock", args=[world.users["viewer"].pk])).status_code == 302
    assert 'data-testid="locked"' not in admin.get(reverse("people")).content.decode()
    assert sign_in(client, "viewer", PASSWORD, "10.0.1.99").status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["viewer"].pk)


def test_an_address_is_locked_after_repeated_failures_whatever_the_account(world: World, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for name in ("a1", "a2", "a3", "a4", "a5"):
        sign_in(client, name, "wrong-password", "10.0.2.1")
    assert sign_in(client, "planner", PASSWORD, "10.0.2.1").status_code == 429
    # a forged X-Forwarded-For does not help when no proxy is declared
    forged = client.post(
        reverse("login"),
        {"username": "planner", "password": PASSWORD},
        REMOTE_ADDR="10.0.2.1",
        HTTP_X_FORWARDED_FOR="192.0.2.7",
    )
    assert forged.status_code == 429
    assert sign_in(client, "planner", PASSWORD, "10.0.2.2").status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(world: World, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.BEHIND_PROXY = True
    client = Client()
    for name in ("b1", "b2", "b3"):
        client.post(
            reverse("login"),
            {"username": name, "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{len(name)}, 203.0.113.5",
        )
    # the same client (as the proxy saw it), whatever it writes on the left
    locked = client.post(
        reverse("login"),
        {"username": "planner", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5",
    )
    assert locked.status_code == 429
    # another client behind the same proxy is not locked out
    other = client.post(
        reverse("login"),
        {"username": "planner", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert other.status_code == 302


def test_tokens_and_sessions_are_not_throttled(world: World, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(3):
        sign_in(client, "viewer", "wrong-password", "127.0.0.1")
    _token, key = services.api_token_create(actor=world.users["viewer"], name="script")
    assert Client(REMOTE_ADDR="127.0.0.1").get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    session = Client()
    session.force_login(world.users["viewer"])
    assert session.get(reverse("plan-list")).status_code == 200
