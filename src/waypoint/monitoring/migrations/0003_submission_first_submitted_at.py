"""Reports remember their first submission: timeliness counts from it."""

from typing import Any

from django.db import migrations, models


def first_submissions(apps: Any, schema_editor: Any) -> None:
    """The earliest "submitted" status change the audit trail holds, else the last submission."""
    submission_model = apps.get_model("monitoring", "Submission")
    event_model = apps.get_model("core", "AuditEvent")
    earliest: dict[str, Any] = {}
    for entity_id, at, changes in (
        event_model.objects.filter(entity="monitoring.Submission", action="status")
        .order_by("at")
        .values_list("entity_id", "at", "changes")
    ):
        status = (changes or {}).get("status")
        if isinstance(status, list) and status[-1:] == ["submitted"]:
            earliest.setdefault(entity_id, at)
    for submission in submission_model.objects.filter(submitted_at__isnull=False):
        first = earliest.get(str(submission.pk), submission.submitted_at)
        submission.first_submitted_at = min(first, submission.submitted_at)
        submission.save(update_fields=["first_submitted_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("monitoring", "0002_assignment_value_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="first_submitted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(first_submissions, migrations.RunPython.noop),
    ]
