"""The audit trail's actions: the seven that services already wrote (upload, register, ingest,
compute, solve, cancel, approve) become choices, so the audit log filters and translates them.
Only the choices change; no stored row does."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_auditevent_administration'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('create', 'created'), ('update', 'updated'), ('delete', 'deleted'), ('move', 'moved'), ('import', 'imported'), ('status', 'changed status'), ('grant', 'granted'), ('revoke', 'revoked'), ('unlock', 'unlocked'), ('upload', 'uploaded'), ('register', 'registered'), ('ingest', 'read in'), ('compute', 'computed'), ('solve', 'solved'), ('cancel', 'cancelled'), ('approve', 'approved')], max_length=16),
        ),
    ]
