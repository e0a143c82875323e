"""The workshop's own follow-up actions are gone: the register keeps them (0002 moved them)."""

from django.db import migrations


class Migration(migrations.Migration):
    # its own migration, so PostgreSQL drops the table after the move's transaction has ended
    dependencies = [("workshops", "0002_actions_in_the_register")]

    operations = [migrations.DeleteModel(name="FollowUpAction")]
