from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from waypoint.org import notifications
from waypoint.org.access import readable_units, request_user, require_any_role, unit_for
from waypoint.org.models import OrgUnit

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    depth: int
    is_active: bool


def unit_out(unit: OrgUnit, codes: dict[int, str]) -> UnitOut:
    return UnitOut(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        parent=codes.get(unit.parent_id) if unit.parent_id else None,
        depth=unit.depth,
        is_active=unit.is_active,
    )


@router.get("/units", response=list[UnitOut], summary="Org units of your administrations, in tree order")
def list_units(request: HttpRequest) -> list[UnitOut]:
    require_any_role(request.user)
    units = sorted(readable_units(request.user), key=lambda u: u.path)
    codes = {u.pk: u.code for u in units}
    return [unit_out(u, codes) for u in units]


@router.get("/units/{code}", response=UnitOut)
def get_unit(request: HttpRequest, code: str) -> UnitOut:
    unit = unit_for(request.user, code)
    codes = {unit.parent.pk: unit.parent.code} if unit.parent else {}
    return unit_out(unit, codes)


notifications_router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class ReadIn(Schema):
    #: the notifications to mark read; none: all of them (ids a database can hold: a larger
    #: number is refused with a 422, not passed to SQLite, which cannot compare it)
    ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] | None = None


class ReadOut(Schema):
    marked: int
    unread: int


@notifications_router.get("/notifications", response=list[NotificationOut], summary="Your notifications, unread first")
@paginate
def list_notifications(request: HttpRequest) -> Any:
    return notifications.inbox(request_user(request))


@notifications_router.post("/notifications/read", response=ReadOut, summary="Mark notifications read")
def read_notifications(request: HttpRequest, payload: ReadIn) -> ReadOut:
    user = request_user(request)
    marked = notifications.mark_read(user, payload.ids)
    return ReadOut(marked=marked, unread=notifications.unread_count(user))
