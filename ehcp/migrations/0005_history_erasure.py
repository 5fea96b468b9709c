"""The access log and plan events: erasure on the controlled path only, and no TRUNCATE.

See sendplan.migration_operations.history_guard and sendplan.history.
"""

from django.db import migrations

from sendplan.migration_operations import history_guard


class Migration(migrations.Migration):
    dependencies = [
        ("ehcp", "0004_plan_one_per_pupil"),
        ("sendplan", "0005_erasure"),
    ]

    operations = [history_guard("sendplan_accessevent"), history_guard("ehcp_planevent")]
