"""Audit events carry their administration, so that an administrator reads only their own
administration's events. Events written before are given theirs where it can be found (their
plan, the unit, role, dataset, assessment or funding source they name); the rest stay empty
and are shown to no administrator (the platform operators read them in the Django admin)."""

from django.db import migrations, models


def root_of(path):
    first = (path or "").strip("/").split("/")[0]
    return int(first) if first.isdigit() else None


def backfill(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    Plan = apps.get_model("plans", "Plan")
    OrgUnit = apps.get_model("org", "OrgUnit")
    RoleAssignment = apps.get_model("org", "RoleAssignment")
    plan_admin = dict(Plan.objects.values_list("id", "administration_id"))
    for plan_id, administration_id in plan_admin.items():
        AuditEvent.objects.filter(plan_id=plan_id, administration_id__isnull=True).update(
            administration_id=administration_id
        )
    lookups = {
        "plans.Plan": plan_admin,
        "org.OrgUnit": {pk: root_of(path) for pk, path in OrgUnit.objects.values_list("id", "path")},
        "org.RoleAssignment": {
            pk: root_of(path) for pk, path in RoleAssignment.objects.values_list("id", "unit__path")
        },
    }
    for label in ("plans.FundingSource", "trs.Dataset", "diagnostics.Assessment"):
        app_label, model_name = label.split(".")
        model = apps.get_model(app_label, model_name)
        lookups[label] = dict(model.objects.values_list("id", "administration_id"))
    for entity, owners in lookups.items():
        for pk, administration_id in owners.items():
            if administration_id is not None:
                AuditEvent.objects.filter(
                    entity=entity, entity_id=str(pk), administration_id__isnull=True
                ).update(administration_id=administration_id)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_initial'),
        ('org', '0001_initial'),
        ('plans', '0002_qualityrulesetting'),
        ('trs', '0001_initial'),
        ('diagnostics', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='administration_id',
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('create', 'created'), ('update', 'updated'), ('delete', 'deleted'), ('move', 'moved'), ('import', 'imported'), ('status', 'changed status'), ('grant', 'granted'), ('revoke', 'revoked'), ('unlock', 'unlocked')], max_length=16),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
