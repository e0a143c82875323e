"""Reads about people: who an administrator manages, with their roles there and their sign-in state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from waypoint.core.models import AuditEvent
from waypoint.org import throttle
from waypoint.org.access import Access, within_administrations
from waypoint.org.models import OrgUnit, RoleAssignment, User


@dataclass
class Person:
    user: User
    #: roles in the viewer's administrations only: what they hold elsewhere is not shown
    roles: list[RoleAssignment] = field(default_factory=list)
    failed_sign_ins: int = 0

    @property
    def locked(self) -> bool:
        return throttle.is_locked(self.failed_sign_ins)


def _within(paths: set[str], field_name: str) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field_name}__startswith": path})
    return condition


def _path_ids(unit: OrgUnit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()]


def in_tree_order(units: Iterable[OrgUnit]) -> list[OrgUnit]:
    """``units`` as the tree reads: each unit after its parent, siblings by their position,
    then name (not by id, which is only the order they were created in). Units above them
    that are not among them are read once to place them."""
    found = list(units)
    known: dict[int, OrgUnit] = {unit.pk: unit for unit in found}
    above = {pk for unit in found for pk in _path_ids(unit)} - known.keys()
    if above:
        known.update({unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=above).only("pk", "position", "name")})

    def key(unit: OrgUnit) -> list[tuple[int, str, int]]:
        return [
            (known[pk].position, known[pk].name.casefold(), pk) if pk in known else (0, "", pk)
            for pk in _path_ids(unit)
        ]

    return sorted(found, key=key)


def unit_tree(user: Any, *, search: str = "", kind: str = "") -> tuple[list[tuple[OrgUnit, bool]], int]:
    """The units of the user's administrations as an indented list (tree order), each with
    whether it matches ``search`` (name or code) and ``kind``; with either, only the matches
    and the units above them are listed. Also returns how many units there are in all."""
    units = list(OrgUnit.objects.filter(within_administrations(user)).order_by("path"))
    if search or kind:
        needle = search.lower()
        hits = {
            u.pk
            for u in units
            if (not needle or needle in u.name.lower() or needle in u.code.lower()) and (not kind or u.kind == kind)
        }
        keep: set[int] = set()
        by_id = {u.pk: u for u in units}
        for hit in hits:
            node: OrgUnit | None = by_id[hit]
            while node is not None and node.pk not in keep:
                keep.add(node.pk)
                node = by_id.get(node.parent_id) if node.parent_id else None
        rows = [(u, u.pk in hits) for u in units if u.pk in keep]
    else:
        rows = [(u, False) for u in units]
    position = {unit.pk: index for index, unit in enumerate(in_tree_order(unit for unit, _hit in rows))}
    rows.sort(key=lambda row: position[row[0].pk])
    return rows, len(units)


def administered_units(user: Any) -> QuerySet[OrgUnit]:
    """The active units of the administrations in which ``user`` is an administrator."""
    return OrgUnit.objects.filter(_within(Access.of(user).administered_paths(), "path"), is_active=True).order_by(
        "path"
    )


def people_for(user: Any) -> list[Person]:
    """Everybody holding a role in an administration that ``user`` administers, by name."""
    assignments = (
        RoleAssignment.objects.filter(_within(Access.of(user).administered_paths(), "unit__path"))
        .select_related("user", "unit")
        .order_by("unit__path", "role")
    )
    people: dict[int, Person] = {}
    for assignment in assignments:
        people.setdefault(assignment.user_id, Person(assignment.user)).roles.append(assignment)
    failures = throttle.failed_sign_ins(person.user.get_username() for person in people.values())
    for person in people.values():
        person.failed_sign_ins = failures.get(person.user.get_username(), 0)
    return sorted(people.values(), key=lambda p: (p.user.last_name.lower(), p.user.first_name.lower(), p.user.username))


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """The events of the administrations in which ``user`` is an administrator, newest first.
    Events of other administrations, and those that belong to none, are not among them."""
    return AuditEvent.objects.filter(administration_id__in=sorted(Access.of(user).administered_ids())).select_related(
        "actor"
    )
