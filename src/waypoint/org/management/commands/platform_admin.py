"""``waypoint platform_admin list|grant NAME|revoke NAME``: who runs the platform.

Platform operators (Django's ``is_superuser`` and ``is_staff``) use the Django admin at
``/admin/``, which sees every administration's data. No role in an administration gives that:
only this command (or ``waypoint createsuperuser``) does, run by whoever runs the server.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from waypoint.core.audit import Action, audit_record
from waypoint.org.models import User


class Command(BaseCommand):
    help = "List, grant or revoke the platform operator role (the Django admin, over every administration)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the platform operators, one user name a line")
        grant = sub.add_parser("grant", help="make an existing account a platform operator")
        grant.add_argument("username")
        revoke = sub.add_parser("revoke", help="take the platform operator role away")
        revoke.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for username in (
                User.objects.filter(is_superuser=True).order_by("username").values_list("username", flat=True)
            ):
                self.stdout.write(username)
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account named {options['username']}.")
        granted = action == "grant"
        with transaction.atomic():
            user.is_staff = user.is_superuser = granted
            user.save(update_fields=["is_staff", "is_superuser"])
            audit_record(
                actor=None,
                action=Action.GRANT if granted else Action.REVOKE,
                instance=user,
                changes={"platform_operator": granted},
            )
        self.stdout.write(f"{user.username} is {'now' if granted else 'no longer'} a platform operator.")
