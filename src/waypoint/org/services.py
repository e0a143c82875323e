"""Every write to units, people, roles and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.core.audit import Action, audit_record, audited_delete, diff, snapshot
from waypoint.core.errors import InvalidInput, NotAllowed, NotFound, Problem
from waypoint.engine.timezones import is_time_zone
from waypoint.org import rules, throttle
from waypoint.org.access import Access
from waypoint.org.errors import UnitCodeTaken, UnitTreeError
from waypoint.org.models import ApiToken, EmailMode, Notification, OrgUnit, Role, RoleAssignment, UnitKind, User

UNIT_FIELDS = ("code", "name", "kind", "parent", "description", "is_active", "position")


def _check_unit(*, code: str, kind: str, parent: OrgUnit | None, unit: OrgUnit | None = None) -> None:
    for problem in rules.unit_problems(code=code, kind=kind):
        raise InvalidInput.at(problem.location, problem.message)
    taken = OrgUnit.objects.filter(code=code)
    if unit is not None:
        taken = taken.exclude(pk=unit.pk)
    if taken.exists():
        raise UnitCodeTaken.at("code", _("The code %(code)s is already used by another unit.") % {"code": code})
    for problem in rules.unit_place_problems(kind=kind, has_parent=parent is not None):
        raise UnitTreeError.at(problem.location, problem.message)
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
    """Add a unit to the tree. Administrators add units to their administration; a new
    administration is made by the platform (``actor=None``: the operators' admin, the demo).

    Raises:
        NotAllowed: the actor is not an administrator of the parent's administration.
        InvalidInput: bad code, code taken, or a place in the tree its type cannot have.
    """
    if actor is not None:
        if parent is None:
            raise NotAllowed(_("Only the platform's operators start a new administration."))
        _require_administrator(actor, parent)
    _check_unit(code=code, kind=kind, parent=parent)
    unit = OrgUnit(code=code, name=name.strip(), kind=kind, parent=parent, description=description, position=position)
    unit.full_clean(exclude=["path"])
    unit.save()
    audit_record(actor=actor, action=Action.CREATE, instance=unit, changes=snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def unit_update(*, actor: User | None, unit: OrgUnit, **changes: object) -> OrgUnit:
    """Change a unit's attributes or move it in the tree (its subtree follows), within its
    administration.

    Raises:
        NotAllowed: the actor is not an administrator of the unit's administration, or the
            unit would move to another administration.
        InvalidInput: bad code, code taken, or a place in the tree its type cannot have.
    """
    _require_administrator(actor, unit)
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in changes.items():
        if name not in UNIT_FIELDS:
            raise InvalidInput.at(name, _("This field cannot be changed here."))
        setattr(unit, name, value)
    if actor is not None and before["parent"] is None and ({"parent", "kind"} & set(changes) or not unit.is_active):
        raise NotAllowed(_("Only the platform's operators move, retype or close an administration."))
    moved = actor is not None and unit.parent_id != before["parent"]
    # unit.path is still the old one here: save() recomputes it
    if moved and (unit.parent is None or unit.parent.administration_path != unit.administration_path):
        raise NotAllowed(_("A unit stays in its administration."))
    _check_unit(code=unit.code, kind=unit.kind, parent=unit.parent, unit=unit)
    unit.full_clean(exclude=["path"])
    unit.save()
    audit_record(actor=actor, action=Action.UPDATE, instance=unit, changes=diff(before, snapshot(unit, UNIT_FIELDS)))
    return unit


def _require_administrator(actor: User | None, unit: OrgUnit) -> None:
    """People and roles of an administration are changed by its administrators (or the system)."""
    if actor is not None and not Access.of(actor).is_administrator(unit.path):
        raise NotAllowed(_("Only administrators of this administration manage its people and roles."))


def can_manage_person(actor: User, person: User) -> bool:
    """An administrator manages the people who hold a role in one of their administrations."""
    paths = Access.of(actor).administered_paths()
    return any(
        unit_path.startswith(tuple(paths))
        for unit_path in RoleAssignment.objects.filter(user=person).values_list("unit__path", flat=True)
    )


def can_set_active(actor: User, person: User) -> bool:
    """Deactivating shuts a person out everywhere, so every role they hold must be in one of
    the actor's administrations; nobody deactivates themselves."""
    if person.pk == actor.pk:
        return False
    paths = tuple(Access.of(actor).administered_paths())
    held = list(RoleAssignment.objects.filter(user=person).values_list("unit__path", flat=True))
    return bool(held) and bool(paths) and all(path.startswith(paths) for path in held)


@transaction.atomic
def administration_time_zone_set(*, actor: User | None, administration: OrgUnit, time_zone: str) -> OrgUnit:
    """Set the time zone the administration's declaration data is recorded in (the default
    for its new datasets).

    Raises:
        NotAllowed: the actor is not an administrator of this administration.
        InvalidInput: not an administration, or not a time zone name.
    """
    if actor is not None and not Access.of(actor).is_administrator(administration.path):
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
    audit_record(actor=actor, action=Action.UPDATE, instance=administration, changes={"time_zone": [before, time_zone]})
    return administration


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: str, unit: OrgUnit) -> RoleAssignment:
    """Give ``user`` a role at ``unit``. No role opens the Django admin: that is the platform
    operators' (``is_superuser``, set by ``waypoint createsuperuser`` or ``waypoint
    platform_admin``), and it is never given or taken with a role.

    Raises:
        NotAllowed: the actor is not an administrator of the unit's administration.
        InvalidInput: an unknown role.
    """
    _require_administrator(actor, unit)
    if role not in Role.values:
        raise InvalidInput.at("role", _("Unknown role '%(role)s'.") % {"role": role})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    if created:
        audit_record(
            actor=actor,
            action=Action.GRANT,
            instance=assignment,
            changes={"user": user.get_username(), "role": role, "unit": unit.code},
        )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User | None, assignment: RoleAssignment) -> None:
    """Take a role back.

    Raises:
        NotAllowed: the actor is not an administrator of the unit's administration, or is
            taking their own administrator role (another administrator must).
    """
    _require_administrator(actor, assignment.unit)
    if actor is not None and assignment.user_id == actor.pk and assignment.role == Role.ADMINISTRATOR:
        raise NotAllowed(_("Another administrator must take your administrator role away."))
    changes = {"user": assignment.user.get_username(), "role": assignment.role, "unit": assignment.unit.code}
    audited_delete(actor=actor, instance=assignment, changes=changes, action=Action.REVOKE)


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
    administration_id: int | None = None,
) -> User:
    """Make an account (it has no role until one is granted).

    Raises:
        InvalidInput: the user name is taken or not valid.
    """
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
        action=Action.CREATE,
        instance=user,
        changes={"username": username, "name": user.get_full_name(), "job_title": job_title},
        administration_id=administration_id,
    )
    return user


@transaction.atomic
def person_add(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    unit: OrgUnit,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
) -> User:
    """A new account with its first role, so that it belongs to an administration from the
    start (an administrator sees only the people of their administrations).

    Raises:
        NotAllowed: the actor is not an administrator of the unit's administration.
        InvalidInput: the user name is taken, the password too weak, the role unknown.
    """
    _require_administrator(actor, unit)
    candidate = User(username=username, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        raise InvalidInput(
            " ".join(error.messages), problems=[Problem("password", message) for message in error.messages]
        ) from error
    user = user_create(
        actor=actor,
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        administration_id=int(unit.administration_path.strip("/")),
    )
    role_grant(actor=actor, user=user, role=role, unit=unit)
    return user


def _person_administration(actor: User | None, person: User) -> int | None:
    """The administration an event about ``person`` belongs to: the actor's one they share."""
    paths = tuple(Access.of(actor).administered_paths()) if actor is not None else ()
    for path in RoleAssignment.objects.filter(user=person).values_list("unit__path", flat=True):
        if not paths or path.startswith(paths):
            return int(path.strip("/").split("/")[0])
    return None


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, active: bool) -> User:
    """Let a person sign in again, or stop them. Deactivating revokes every API token they
    hold: reactivating later does not bring those back.

    Raises:
        NotAllowed: the actor may not (see ``can_set_active``).
    """
    if actor is not None and not can_set_active(actor, user):
        raise NotAllowed(_("Only an administrator of every administration this person works in can do this."))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=Action.STATUS,
            instance=user,
            changes={"is_active": [not active, active]},
            administration_id=_person_administration(actor, user),
        )
    if not active:
        api_tokens_revoke_all(actor=actor, user=user)
    return user


@transaction.atomic
def language_set(*, actor: User, user: User, language: str) -> User:
    """Choose the language ``user`` reads Waypoint and its e-mails in (one of
    ``settings.LANGUAGES``; empty: the browser's). People choose for themselves.

    Raises:
        NotAllowed: somebody else's choice.
        InvalidInput: not one of the languages Waypoint speaks.
    """
    if actor.pk != user.pk:
        raise NotAllowed(_("People choose their language themselves."))
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidInput.at("language", _("Choose one of the languages offered."))
    before = user.language
    if before != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            instance=user,
            changes={"language": [before, language]},
            administration_id=_person_administration(None, user),
        )
    return user


@transaction.atomic
def notification_settings_set(*, actor: User, user: User, email_mode: str) -> User:
    """Choose how ``user`` hears of notifications by e-mail (each at once, a daily digest, or
    none). People choose for themselves.

    Raises:
        NotAllowed: somebody else's choice.
        InvalidInput: not one of the choices.
    """
    if actor.pk != user.pk:
        raise NotAllowed(_("People choose how they are notified themselves."))
    if email_mode not in EmailMode.values:
        raise InvalidInput.at("email_mode", _("Choose one of the options."))
    before = user.email_mode
    if before != email_mode:
        user.email_mode = email_mode
        user.save(update_fields=["email_mode"])
        if before == EmailMode.NONE:
            # what came while the person wanted no e-mail stays in the inbox; it is not mailed now
            Notification.objects.filter(recipient=user, emailed_at__isnull=True).update(emailed_at=timezone.now())
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            instance=user,
            changes={"email_mode": [before, email_mode]},
            administration_id=_person_administration(None, user),
        )
    return user


@transaction.atomic
def login_unlock(*, actor: User | None, user: User) -> int:
    """Forget the person's failed sign-ins so they can try again at once.

    Returns how many failure records were removed. Failures from an address stay until the
    cool-off ends (or the operator runs ``waypoint axes_reset_ip``).

    Raises:
        NotAllowed: the person holds no role in an administration the actor administers.
    """
    if actor is not None and not can_manage_person(actor, user):
        raise NotAllowed(_("Only administrators of this person's administration can unlock them."))
    removed = throttle.unlock_account(user.get_username())
    audit_record(
        actor=actor,
        action=Action.UNLOCK,
        instance=user,
        changes={"failure_records": removed},
        administration_id=_person_administration(actor, user),
    )
    return removed


def person_for(actor: User, person_id: int) -> User:
    """A person the actor manages; any other id is "not found", whether it exists or not.

    Raises:
        NotFound: no such person among the actor's administrations' people.
    """
    person = User.objects.filter(pk=person_id).first()
    if person is None or not can_manage_person(actor, person):
        raise NotFound(_("No such person."))
    return person


TOKEN_PREFIX = "wpt_"  # noqa: S105 - a public prefix that marks Waypoint tokens, not a secret


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime() -> dt.timedelta | None:
    days = int(getattr(settings, "WAYPOINT_API_TOKEN_DAYS", 90))
    return dt.timedelta(days=days) if days > 0 else None


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for ``actor``, valid for ``WAYPOINT_API_TOKEN_DAYS``. The clear key is
    returned once and never stored.

    Raises:
        InvalidInput: no name.
    """
    if not name.strip():
        raise InvalidInput.at("name", _("Give the token a name, e.g. the script that will use it."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    lifetime = token_lifetime()
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip()[:100],
        prefix=key[:12],
        key_hash=_hash(key),
        expires_at=timezone.now() + lifetime if lifetime else None,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        instance=token,
        changes={"name": token.name, "expires_at": token.expires_at.isoformat() if token.expires_at else None},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Raises:
    NotAllowed: the token is somebody else's.
    """
    if token.user_id != actor.pk:
        raise NotAllowed(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=Action.REVOKE, instance=token)


@transaction.atomic
def api_tokens_revoke_all(*, actor: User | None, user: User) -> int:
    """Revoke every live token of ``user`` (when the account is deactivated); returns how many."""
    live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    now = timezone.now()
    for token in live:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=Action.REVOKE, instance=token, changes={"reason": "account deactivated"})
    return len(live)


def api_token_user(key: str) -> User | None:
    """The active user a live (not revoked, not expired) token belongs to, or ``None``.
    Records when it was last used."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    if token is None or token.is_expired or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
