"""Every write to units, people, roles and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core.audit import audit_record, diff, snapshot
from waypoint.core.errors import InvalidInput, NotAllowed
from waypoint.engine.timezones import is_time_zone
from waypoint.org.access import Access
from waypoint.org.errors import UnitCodeTaken, UnitTreeError
from waypoint.org.models import ApiToken, OrgUnit, Role, RoleAssignment, UnitKind, User

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")
UNIT_FIELDS = ("code", "name", "kind", "parent", "description", "is_active", "position")


def _check_unit(*, code: str, kind: str, parent: OrgUnit | None, unit: OrgUnit | None = None) -> None:
    if not CODE_PATTERN.match(code):
        raise InvalidInput.at("code", _("Use capital letters, digits and dashes (at most 32), e.g. BP-AST."))
    if kind not in UnitKind.values:
        raise InvalidInput.at("kind", _("Unknown unit type '%(kind)s'.") % {"kind": kind})
    taken = OrgUnit.objects.filter(code=code)
    if unit is not None:
        taken = taken.exclude(pk=unit.pk)
    if taken.exists():
        raise UnitCodeTaken.at("code", _("The code %(code)s is already used by another unit.") % {"code": code})
    if parent is None and kind != UnitKind.ADMINISTRATION:
        raise UnitTreeError.at("parent", _("Only an administration can sit at the top of the tree."))
    if parent is not None and kind == UnitKind.ADMINISTRATION:
        raise UnitTreeError.at("kind", _("An administration cannot sit below another unit."))
    if unit is not None and parent is not None and unit.pk and parent.is_within(unit):
        raise UnitTreeError.at("parent", _("A unit cannot be moved below itself."))


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    description: str = "",
    position: int = 0,
) -> OrgUnit:
    """Add a unit to the tree.

    Raises:
        InvalidInput: bad code, code taken, or a place in the tree its type cannot have.
    """
    _check_unit(code=code, kind=kind, parent=parent)
    unit = OrgUnit(code=code, name=name.strip(), kind=kind, parent=parent, description=description, position=position)
    unit.full_clean(exclude=["path"])
    unit.save()
    audit_record(actor=actor, action="create", instance=unit, changes=snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def unit_update(*, actor: User | None, unit: OrgUnit, **changes: object) -> OrgUnit:
    """Change a unit's attributes or move it in the tree (its subtree follows)."""
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in changes.items():
        if name not in UNIT_FIELDS:
            raise InvalidInput.at(name, _("This field cannot be changed here."))
        setattr(unit, name, value)
    _check_unit(code=unit.code, kind=unit.kind, parent=unit.parent, unit=unit)
    unit.full_clean(exclude=["path"])
    unit.save()
    audit_record(actor=actor, action="update", instance=unit, changes=diff(before, snapshot(unit, UNIT_FIELDS)))
    return unit


@transaction.atomic
def administration_time_zone_set(*, actor: User | None, administration: OrgUnit, time_zone: str) -> OrgUnit:
    """Set the time zone the administration's declaration data is recorded in (the default
    for its new datasets).

    Raises:
        NotAllowed: the actor is not an administrator of this administration.
        InvalidInput: not an administration, or not a time zone name.
    """
    if actor is not None and Role.ADMINISTRATOR not in Access.of(actor).roles_in_administration(administration.path):
        raise NotAllowed(_("Only an administrator of this administration changes its settings."))
    if administration.kind != UnitKind.ADMINISTRATION or administration.parent_id is not None:
        raise InvalidInput.at("time_zone", _("Only an administration has a time zone."))
    if not is_time_zone(time_zone):
        raise InvalidInput.at(
            "time_zone", _("“%(zone)s” is not a time zone; choose one such as Asia/Baku.") % {"zone": time_zone}
        )
    before = administration.time_zone
    administration.time_zone = time_zone
    administration.save(update_fields=["time_zone"])
    audit_record(actor=actor, action="update", instance=administration, changes={"time_zone": [before, time_zone]})
    return administration


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: str, unit: OrgUnit) -> RoleAssignment:
    """Give ``user`` a role at ``unit``. Administrators also get the Django admin."""
    if role not in Role.values:
        raise InvalidInput.at("role", _("Unknown role '%(role)s'.") % {"role": role})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    if role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    if created:
        audit_record(
            actor=actor,
            action="grant",
            instance=assignment,
            changes={"user": user.get_username(), "role": role, "unit": unit.code},
        )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User | None, assignment: RoleAssignment) -> None:
    user = assignment.user
    label = str(assignment)
    changes = {"user": user.get_username(), "role": assignment.role, "unit": assignment.unit.code}
    entity_id = assignment.pk
    assignment.delete()
    if not user.role_assignments.filter(role=Role.ADMINISTRATOR).exists() and user.is_superuser:
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    audit_record(
        actor=actor, action="revoke", entity="org.RoleAssignment", entity_id=entity_id, label=label, changes=changes
    )


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
) -> User:
    if User.objects.filter(username=username).exists():
        raise InvalidInput.at("username", _("The user name %(name)s is taken.") % {"name": username})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email, job_title=job_title)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="create",
        instance=user,
        changes={"username": username, "name": user.get_full_name(), "job_title": job_title},
    )
    return user


TOKEN_PREFIX = "wpt_"  # noqa: S105 - a public prefix that marks Waypoint tokens, not a secret


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for ``actor``. The clear key is returned once and never stored."""
    if not name.strip():
        raise InvalidInput.at("name", _("Give the token a name, e.g. the script that will use it."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name.strip()[:100], prefix=key[:12], key_hash=_hash(key))
    audit_record(actor=actor, action="create", instance=token, changes={"name": token.name})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise NotAllowed(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="revoke", instance=token)


def api_token_user(key: str) -> User | None:
    """The active user a token belongs to, or ``None``. Records when it was last used."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
