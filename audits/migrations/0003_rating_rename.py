# A criterion's rating was called "Response", which read like an HTTP response everywhere it was used.
from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0002_auditevent_append_only"),
        ("sendplan", "0002_remove_invitation_invitation_role_fits_organisation_and_more"),
        ("standards", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="response", name="response_one_per_criterion"),
        migrations.RemoveConstraint(model_name="response", name="response_na_has_no_level"),
        migrations.RemoveConstraint(model_name="response", name="response_na_has_reason"),
        migrations.RenameModel(old_name="Response", new_name="Rating"),
        migrations.AlterField(
            model_name="rating",
            name="school",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="audit_ratings", to="sendplan.school"
            ),
        ),
        migrations.AlterField(
            model_name="rating",
            name="audit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="ratings", to="audits.audit"
            ),
        ),
        migrations.AlterField(
            model_name="rating",
            name="criterion",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="ratings", to="standards.criterion"
            ),
        ),
        migrations.AlterField(
            model_name="rating",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="ratings_updated",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="rating",
            name="evidence",
            field=models.ManyToManyField(blank=True, related_name="ratings", to="audits.evidence"),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.UniqueConstraint(fields=("audit", "criterion"), name="rating_one_per_criterion"),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(
                condition=models.Q(("not_applicable", False), ("level__isnull", True), _connector="OR"),
                name="rating_na_has_no_level",
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(
                condition=models.Q(("not_applicable", False), models.Q(("na_reason", ""), _negated=True), _connector="OR"),
                name="rating_na_has_reason",
            ),
        ),
    ]
