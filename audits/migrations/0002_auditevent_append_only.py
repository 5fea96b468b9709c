"""An audit's history is append-only in the database too: events are added, never changed or removed."""

from django.db import migrations

from sendplan.migration_operations import append_only


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = [append_only("audits_auditevent")]
