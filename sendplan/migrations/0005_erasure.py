"""The erasure log (append-only, never erasable), an invitation that outlives its sender, SQLite's flag.

See sendplan.history: erasing pupils past retention, or a person's account, is the one way past the
histories' append-only triggers, and each erasure is recorded here.
"""

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models

from sendplan.migration_operations import append_only, erasure_flag_table, history_guard


class Migration(migrations.Migration):
    dependencies = [
        ("sendplan", "0004_grant_origin"),
    ]

    operations = [
        migrations.CreateModel(
            name="Erasure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("pupils_past_retention", "Pupil records past retention"),
                            ("user", "A person's account"),
                        ],
                        max_length=24,
                    ),
                ),
                ("by", models.CharField(max_length=200)),
                ("erased_ids", models.JSONField(default=list)),
                ("counts", models.JSONField(default=dict)),
            ],
            options={
                "ordering": ["-at"],
            },
        ),
        migrations.AlterField(
            model_name="invitation",
            name="invited_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="invitations_sent",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        erasure_flag_table(),
        append_only("sendplan_erasure"),
        history_guard("sendplan_erasure", actor=None),
        history_guard("sendplan_securityevent"),
    ]
