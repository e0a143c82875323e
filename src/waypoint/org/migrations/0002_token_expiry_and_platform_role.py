"""API tokens expire; the Django admin is no longer given with the administrator role.

Tokens made before get ``WAYPOINT_API_TOKEN_DAYS`` from now (not from their creation, so that
no script stops on the day of the upgrade). Until now every administrator was made a Django
superuser by being granted the role; that is taken back here from everybody who holds the role,
since nothing tells those apart from a platform operator who also holds it. An operator gets it
back with ``waypoint platform_admin grant NAME`` (see docs/deployment.md).
"""

import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def forward(apps, schema_editor):
    ApiToken = apps.get_model("org", "ApiToken")
    User = apps.get_model("org", "User")
    days = int(getattr(settings, "WAYPOINT_API_TOKEN_DAYS", 90))
    if days > 0:
        ApiToken.objects.filter(revoked_at__isnull=True, expires_at__isnull=True).update(
            expires_at=timezone.now() + dt.timedelta(days=days)
        )
    User.objects.filter(role_assignments__role="administrator").update(is_staff=False, is_superuser=False)


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='expires'),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
