"""Who may do what: roles held at units, evaluated against the org tree.

Every view and API endpoint asks these questions; nothing else grants rights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext as _

from waypoint.org.models import OrgUnit, Role, RoleAssignment, User

_CACHE_ATTRIBUTE = "_waypoint_access"


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    unit_path: str

    @property
    def administration_path(self) -> str:
        first = self.unit_path.strip("/").split("/")[0]
        return f"/{first}/"


class Access:
    """The roles of one user, loaded once per request."""

    def __init__(self, user: User | AnonymousUser | Any) -> None:
        self.user = user
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            self.grants: tuple[Grant, ...] = ()
        else:
            rows = RoleAssignment.objects.filter(user_id=cast(int, user.pk), unit__is_active=True).values_list(
                "role", "unit_id", "unit__path"
            )
            self.grants = tuple(Grant(role, unit_id, path) for role, unit_id, path in rows)

    @classmethod
    def of(cls, user: Any) -> Access:
        cached = getattr(user, _CACHE_ATTRIBUTE, None)
        if isinstance(cached, Access):
            return cached
        access = cls(user)
        if getattr(user, "is_authenticated", False):
            setattr(user, _CACHE_ATTRIBUTE, access)
        return access

    # -- primitives ------------------------------------------------------------------------
    @property
    def has_any_role(self) -> bool:
        return bool(self.grants)

    def roles_in_administration(self, unit_path: str) -> set[str]:
        """Roles the user holds anywhere in the administration that contains ``unit_path``."""
        admin = "/" + unit_path.strip("/").split("/")[0] + "/"
        return {grant.role for grant in self.grants if grant.administration_path == admin}

    def administration_paths(self) -> set[str]:
        return {grant.administration_path for grant in self.grants}

    def contributor_covers(self, unit_path: str) -> bool:
        """A contributor role at ``unit_path`` or one of its ancestors."""
        return any(grant.role == Role.CONTRIBUTOR and unit_path.startswith(grant.unit_path) for grant in self.grants)

    def contributor_paths(self) -> list[str]:
        return [grant.unit_path for grant in self.grants if grant.role == Role.CONTRIBUTOR]

    # -- questions asked by views ------------------------------------------------------------
    def can_read(self, unit_path: str) -> bool:
        """Any role in an administration lets the user read all of that administration."""
        return bool(self.roles_in_administration(unit_path))

    def is_administrator(self, unit_path: str) -> bool:
        return Role.ADMINISTRATOR in self.roles_in_administration(unit_path)

    def is_planner(self, unit_path: str) -> bool:
        return bool({Role.ADMINISTRATOR, Role.PLANNER} & self.roles_in_administration(unit_path))

    def is_approver(self, unit_path: str) -> bool:
        return bool({Role.ADMINISTRATOR, Role.APPROVER} & self.roles_in_administration(unit_path))

    def can_edit_unit_content(self, unit_path: str) -> bool:
        """Change what a unit is responsible for: planners everywhere, contributors in their subtree."""
        return self.is_planner(unit_path) or self.contributor_covers(unit_path)

    def is_any_administrator(self) -> bool:
        return any(grant.role == Role.ADMINISTRATOR for grant in self.grants)

    def administered_paths(self) -> set[str]:
        """Paths of the administrations in which the user is an administrator."""
        return {grant.administration_path for grant in self.grants if grant.role == Role.ADMINISTRATOR}

    def administered_ids(self) -> set[int]:
        """Ids of those administrations (the root unit's id starts its path)."""
        return {int(path.strip("/")) for path in self.administered_paths()}


def planned_administrations(user: Any) -> list[OrgUnit]:
    """The active administrations in which the user is a planner (or an administrator)."""
    access = Access.of(user)
    units = OrgUnit.objects.filter(parent__isnull=True, is_active=True)
    return [unit for unit in units if access.is_planner(unit.path)]


def planned_administration(
    user: Any, code: str | None, *, location: str = "administration", refusal: str = ""
) -> OrgUnit:
    """The administration a planner's new record is for: the one ``code`` names, or, without a
    code, the only one they plan for (a planner of several must say which).

    Raises:
        NotAllowed: the user plans for no administration (with ``refusal`` when given), or not
            for the one named (the same answer whether it exists or not).
        InvalidInput: they plan for several and named none (located at ``location``).
    """

    from waypoint.core.errors import InvalidInput, NotAllowed

    administrations = planned_administrations(user)
    if code:
        chosen = next((unit for unit in administrations if unit.code == code), None)
        if chosen is None:
            raise NotAllowed(_("You do not plan for an administration %(code)s.") % {"code": code})
        return chosen
    if not administrations:
        raise NotAllowed(refusal or _("Only planners of an administration can do this."))
    if len(administrations) > 1:
        codes = ", ".join(sorted(unit.code for unit in administrations))
        raise InvalidInput.at(
            location, _("You plan for several administrations (%(codes)s): say which one.") % {"codes": codes}
        )
    return administrations[0]


def within_administrations(user: Any, path_field: str = "path") -> Q:
    """A filter for rows whose unit (``path_field``, a unit path) lies in one of the
    administrations the user holds a role in; it matches nothing for a user without a role."""
    condition = Q(pk__in=[])
    for path in Access.of(user).administration_paths():
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def unit_for(user: Any, code: str) -> OrgUnit:
    """A unit of one of the user's administrations, by code. A unit of another administration
    is "not found", like a code nobody uses: the answer tells nothing about it.

    Raises:
        NotFound: no such unit among those the user may read.
    """
    unit = OrgUnit.objects.select_related("parent").filter(code=code).first()
    if unit is None or not Access.of(user).can_read(unit.path):
        from waypoint.core.errors import NotFound

        raise NotFound(_("No such unit."))
    return unit


def readable_units(user: Any) -> list[OrgUnit]:
    """All units of the administrations the user has a role in."""
    return list(OrgUnit.objects.filter(within_administrations(user)))


def require_any_role(user: Any) -> None:
    """Lists of an administration's content are for people with a role in it."""
    if not Access.of(user).has_any_role:
        from waypoint.core.errors import NotAllowed

        raise NotAllowed(_("You have no role in any administration yet."))


def request_user(request: Any) -> User:
    """The signed-in user of a request (every view sits behind the login requirement)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        from waypoint.core.errors import NotAllowed

        raise NotAllowed(_("Sign in first."))
    return user
