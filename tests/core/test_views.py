"""The form page and the confirm-delete page every app's views hand their work to
(``core.views.form_page``, ``core.views.confirm_delete``), outside any one app."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from waypoint.core.errors import EditConflict, InvalidInput, NotAllowed, Problem
from waypoint.core.forms import VersionedForm
from waypoint.core.views import confirm_delete, form_page


class NoteForm(VersionedForm):
    title = forms.CharField(label="Title", max_length=20)
    body = forms.CharField(label="Body", required=False)


def request(method: str = "get", data: dict[str, Any] | None = None, *, htmx: bool = False) -> HttpRequest:
    factory = RequestFactory()
    headers = {"HX-Request": "true"} if htmx else {}
    made = factory.post("/", data or {}, headers=headers) if method == "post" else factory.get("/", headers=headers)
    made.user = AnonymousUser()
    made.session = {}  # type: ignore[assignment]  # what the messages' session storage needs
    made._messages = FallbackStorage(made)  # type: ignore[attr-defined]
    made.htmx = HtmxDetails(made)  # type: ignore[attr-defined]  # what django-htmx's middleware attaches
    return made


def texts(made: HttpRequest) -> list[str]:
    return [str(m) for m in get_messages(made)]


class Saves:
    """A stand-in service: records what it was given, returns or raises what it is told."""

    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome
        self.calls: list[dict[str, Any]] = []

    def __call__(self, data: dict[str, Any]) -> Any:
        self.calls.append(data)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def page(made: HttpRequest, form: forms.Form, saves: Saves, **extra: Any) -> Any:
    return form_page(
        made,
        form,
        save=saves,
        message=lambda saved: f"Saved {saved}.",
        then=lambda saved: f"/notes/{saved}/",
        template="core/_form_errors.html",
        **extra,
    )


def test_a_get_shows_the_form_and_saves_nothing() -> None:
    made = request()
    saves = Saves("n1")
    response = page(made, NoteForm(None), saves)
    assert response.status_code == 200
    assert saves.calls == [] and texts(made) == []


def test_a_saved_form_says_so_and_goes_where_the_result_says() -> None:
    made = request("post", {"title": "Note"})
    saves = Saves("n1")
    response = page(made, NoteForm(made.POST), saves)
    assert response.status_code == 302 and response["Location"] == "/notes/n1/"
    assert saves.calls[0]["title"] == "Note"
    assert texts(made) == ["Saved n1."]


def test_an_htmx_form_is_told_to_load_the_next_page() -> None:
    made = request("post", {"title": "Note"}, htmx=True)
    response = page(made, NoteForm(made.POST), Saves("n1"))
    assert response.status_code == 204 and response["HX-Redirect"] == "/notes/n1/"


def test_an_invalid_form_never_reaches_the_service() -> None:
    made = request("post", {"title": "x" * 30})
    form, saves = NoteForm(made.POST), Saves("n1")
    response = page(made, form, saves, status=400)
    assert response.status_code == 400
    assert saves.calls == [] and "title" in form.errors
    assert "Please correct the fields marked below." in response.content.decode()


def test_the_services_problems_land_on_their_fields_and_the_rest_on_top() -> None:
    made = request("post", {"title": "Note", "body": "text"})
    form = NoteForm(made.POST)
    refusal = InvalidInput("No.", problems=[Problem("body", "Too vague."), Problem("$.elsewhere", "Not here.")])
    response = page(made, form, Saves(refusal))
    assert response.status_code == 200
    assert form.errors["body"] == ["Too vague."]
    assert form.non_field_errors() == ["Not here."]
    assert form.data["body"] == "text"  # what the user typed stays
    assert texts(made) == []


def test_a_concurrent_edit_keeps_the_users_text_beside_the_stored_one() -> None:
    made = request("post", {"title": "Mine", "version": "3"})
    form = NoteForm(made.POST)
    conflict = EditConflict("Somebody saved first.", current={"title": "Theirs", "version": 4}, current_version=4)
    response = form_page(
        made,
        form,
        save=Saves(conflict),
        message="Saved.",
        then="/notes/",
        template="core/_conflict.html",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Theirs" in html and "Mine" in html
    assert form.data["version"] == "4"  # the next save, after merging, goes through
    assert form.non_field_errors() == ["Somebody saved first."]


def test_a_refusal_of_the_right_is_a_403_not_a_form_error() -> None:
    made = request("post", {"title": "Note"})
    with pytest.raises(NotAllowed):
        page(made, NoteForm(made.POST), Saves(NotAllowed("Not yours.")))


# --- confirm_delete -------------------------------------------------------------------------------------


def delete_page(made: HttpRequest, deletes: Any) -> Any:
    return confirm_delete(
        made,
        delete=deletes,
        message=lambda removed: f"Removed {removed}.",
        then="/notes/",
        cancel="/notes/n1/",
        what="the note “n1”",
        consequence="Its comments go with it.",
    )


def test_a_get_asks_first_and_deletes_nothing() -> None:
    calls: list[str] = []
    response = delete_page(request(), lambda: calls.append("deleted"))
    html = response.content.decode()
    assert response.status_code == 200 and calls == []
    assert "the note “n1”" in html and "Its comments go with it." in html and 'href="/notes/n1/"' in html


def test_a_post_deletes_and_goes_on() -> None:
    made = request("post")
    response = delete_page(made, lambda: 3)
    assert response.status_code == 302 and response["Location"] == "/notes/"
    assert texts(made) == ["Removed 3."]


def test_a_refused_deletion_goes_back_with_the_reason() -> None:
    made = request("post")

    def refuse() -> None:
        raise InvalidInput("It is still in use.")

    response = delete_page(made, refuse)
    assert response.status_code == 302 and response["Location"] == "/notes/n1/"
    assert texts(made) == ["It is still in use."]


def test_a_deletion_without_the_right_is_a_403() -> None:
    def refuse() -> None:
        raise NotAllowed("Not yours.")

    with pytest.raises(NotAllowed):
        delete_page(request("post"), refuse)
