"""Give each audit its own copy of evidence it shares with another audit (carried forward before copies).

Carrying an audit forward used to link the new audit's ratings to the earlier audit's evidence rows, so
renaming or unsharing evidence in the new audit changed the accepted audit's record. Carrying forward now
copies the evidence; this migration does the same for audits carried forward before.
"""

from django.db import migrations
from django.db.models import F


def split_shared_evidence(apps, schema_editor):
    Evidence = apps.get_model("audits", "Evidence")
    Rating = apps.get_model("audits", "Rating")
    through = Rating.evidence.through
    links = through.objects.select_related("rating", "evidence").exclude(rating__audit_id=F("evidence__audit_id"))
    copies = {}
    for link in links.order_by("pk"):
        old = link.evidence
        key = (old.pk, link.rating.audit_id)
        if key not in copies:
            copies[key] = Evidence.objects.create(
                school_id=old.school_id,
                audit_id=link.rating.audit_id,
                title=old.title,
                file=old.file,
                url=old.url,
                original_name=old.original_name,
                size=old.size,
                content_type=old.content_type,
                shareable_with_governors=old.shareable_with_governors,
                uploaded_by_id=old.uploaded_by_id,
                uploaded_at=old.uploaded_at,
            )
        link.evidence_id = copies[key].pk
        link.save(update_fields=["evidence"])


class Migration(migrations.Migration):
    dependencies = [("audits", "0004_returned_snapshot")]

    operations = [migrations.RunPython(split_shared_evidence, migrations.RunPython.noop)]
