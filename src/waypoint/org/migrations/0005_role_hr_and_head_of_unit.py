"""Two roles for the people side (issue 17): HR officers, who keep the officers' records, and heads
of unit, who see their own units' officers. Only the choices change."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0004_notifications'),
    ]

    operations = [
        migrations.AlterField(
            model_name='roleassignment',
            name='role',
            field=models.CharField(choices=[('administrator', 'Administrator'), ('planner', 'Planner'), ('approver', 'Approver'), ('contributor', 'Contributor'), ('viewer', 'Viewer'), ('hr', 'HR officer'), ('head', 'Head of unit')], max_length=16, verbose_name='role'),
        ),
    ]
