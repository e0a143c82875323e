"""The workshop's follow-up actions move to the plan's action register (``monitoring``): each
one kept here becomes an action of the register (source: the workshop), and the outcome that
named it now points at that action."""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max


def to_the_register(apps, schema_editor):  # type: ignore[no-untyped-def]
    Kept = apps.get_model("workshops", "FollowUpAction")
    Outcome = apps.get_model("workshops", "Outcome")
    Register = apps.get_model("monitoring", "FollowUpAction")
    for kept in Kept.objects.select_related("workshop", "exercise").order_by("pk"):
        workshop = kept.workshop
        top = Register.objects.filter(plan_id=workshop.plan_id).aggregate(top=Max("number"))["top"] or 0
        detail = workshop.title if kept.exercise is None else f"{workshop.title}, {kept.exercise.title}"
        action = Register.objects.create(
            plan_id=workshop.plan_id,
            number=top + 1,
            title=kept.text,
            # the register needs an owner and a date the room may not have given
            owner_unit_id=kept.responsible_unit_id or workshop.administration_id,
            due_on=kept.due_on or workshop.ends_on + dt.timedelta(days=30),
            source="workshop",
            source_detail=detail[:200],
        )
        linked = Outcome.objects.filter(workshop=workshop, kind="action", target_id=kept.pk).first()
        if linked is None and kept.exercise_id is not None:
            linked = Outcome.objects.create(
                workshop=workshop, exercise_id=kept.exercise_id, kind="action", target_id=action.pk, label=kept.text
            )
        if linked is not None:
            linked.target_id = action.pk
            linked.action_id = action.pk
            linked.save(update_fields=["target_id", "action"])


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
        ("workshops", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcome",
            name="action",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="workshop_outcome",
                to="monitoring.followupaction",
            ),
        ),
        migrations.RunPython(to_the_register, migrations.RunPython.noop),
    ]
