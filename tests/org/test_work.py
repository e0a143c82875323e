"""Work gathered from the apps that register providers, due first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from waypoint.org import work
from waypoint.org.models import User
from waypoint.org.work import WorkItem, register_provider, work_for


@pytest.fixture
def providers() -> Iterator[None]:
    saved = dict(work._PROVIDERS)
    work._PROVIDERS.clear()
    yield
    work._PROVIDERS.clear()
    work._PROVIDERS.update(saved)


def test_work_from_every_provider_comes_sorted_by_due_date_undated_last(providers: None) -> None:
    person = User(username="elvin")
    register_provider(
        "reporting",
        lambda user: [
            WorkItem("Values to report", "2013Q2 values", "/r/2", dt.date(2013, 7, 15)),
            WorkItem("Values to report", "Undated", "/r/x"),
        ],
    )
    register_provider(
        "actions",
        lambda user: [WorkItem("Actions", f"Close the action of {user.username}", "/a/1", dt.date(2013, 7, 1))],
    )
    titles = [item.title for item in work_for(person)]
    assert titles == ["Close the action of elvin", "2013Q2 values", "Undated"]


def test_an_item_past_its_due_date_is_overdue() -> None:
    item = WorkItem("Actions", "Close it", "/a/1", dt.date(2013, 7, 1))
    assert item.is_overdue(dt.date(2013, 7, 2))
    assert not item.is_overdue(dt.date(2013, 7, 1))
    assert not WorkItem("Actions", "Undated", "/a/2").is_overdue(dt.date(2099, 1, 1))
