"""The level at which a statutory duty counts as met, statutory guidance on criteria, and who rates a framework.

Existing scales get their "met" level from their labels: the level called "Established" where there is
one (the shipped scale and the default spreadsheet scale), otherwise the second-highest level (the
highest on a two-level scale). The shipped governance health check is rated by governing boards.
"""

from django.db import migrations, models


def backfill(apps, schema_editor):
    RatingScale = apps.get_model("standards", "RatingScale")
    Framework = apps.get_model("standards", "Framework")
    for scale in RatingScale.objects.all():
        levels = list(scale.levels.order_by("value").values_list("value", "label"))
        if not levels:
            scale.met_value = 0
        else:
            named = [value for value, label in levels if label.strip().lower() == "established"]
            values = [value for value, _ in levels]
            scale.met_value = named[0] if named else values[-2] if len(values) > 2 else values[-1]
        scale.save(update_fields=["met_value"])
    Framework.objects.filter(slug="send-governance").update(rated_by="governors")


class Migration(migrations.Migration):

    dependencies = [
        ("standards", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ratingscale",
            name="met_value",
            field=models.SmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="framework",
            name="rated_by",
            field=models.CharField(
                choices=[("school_staff", "The SENCO and headteacher"), ("governors", "The governing board")],
                default="school_staff",
                max_length=16,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ratingscale",
            name="met_value",
            field=models.SmallIntegerField(),
        ),
        migrations.AddField(
            model_name="criterion",
            name="statutory_guidance",
            field=models.BooleanField(default=False),
        ),
        migrations.RemoveConstraint(
            model_name="criterion",
            name="criterion_statutory_has_source",
        ),
        migrations.AddConstraint(
            model_name="criterion",
            constraint=models.CheckConstraint(
                condition=models.Q(("statutory", False), ("statutory_guidance", False), _connector="OR"),
                name="criterion_law_or_guidance_not_both",
            ),
        ),
        migrations.AddConstraint(
            model_name="criterion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("statutory", False), ("statutory_guidance", False), ("statutory_source", "")),
                    models.Q(
                        models.Q(("statutory", True), ("statutory_guidance", True), _connector="OR"),
                        models.Q(("statutory_source", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="criterion_statutory_has_source",
            ),
        ),
    ]
