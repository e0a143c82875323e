"""A result of the room can become a proposal in the plan's open planning round: the outcome
kind "proposal", and the link to the proposal (kept as a record when a draft is taken back)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rounds', '0001_initial'),
        ('workshops', '0003_remove_followupaction'),
    ]

    operations = [
        migrations.AddField(
            model_name='outcome',
            name='proposal',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='workshop_outcomes', to='rounds.proposal'),
        ),
        migrations.AlterField(
            model_name='outcome',
            name='kind',
            field=models.CharField(choices=[('analysis_item', 'SWOT/PESTLE item'), ('function', 'Function priority'), ('element', 'Plan element'), ('action', 'Follow-up action'), ('proposal', 'Proposal in a planning round')], max_length=16),
        ),
    ]
