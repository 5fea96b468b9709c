"""A plan's history is append-only in the database too: events are added, never changed or removed."""

from django.db import migrations

from sendplan.migration_operations import append_only


class Migration(migrations.Migration):
    dependencies = [("ehcp", "0002_accessevent_append_only")]

    operations = [append_only("ehcp_planevent")]
