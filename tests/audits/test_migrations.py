"""The data migration that gives each audit its own copy of evidence it shared with another audit."""

import importlib

import pytest
from django.apps import apps

from audits import services
from audits.models import Evidence, Rating
from tests.audits.factories import PDF, acting, make_audit, make_version

pytestmark = pytest.mark.django_db

migration = importlib.import_module("audits.migrations.0005_evidence_own_per_audit")


def test_evidence_shared_by_two_audits_is_split_so_each_has_its_own(world, senco_a_user):
    version = make_version()
    first = make_audit(world.school_a, senco_a_user, version, year="2025/26")
    criterion = version.criteria.get(ref="S1-01")
    evidence = services.evidence_add(
        audit=first,
        title="Policy",
        criteria=[criterion],
        by=acting(senco_a_user),
        file_name="p.pdf",
        data=PDF,
    )
    second = make_audit(world.school_b, senco_a_user, make_version(), year="2026/27")
    # As carrying forward once did: the second audit's rating points at the first audit's row.
    later = Rating.objects.filter(audit=second).first()
    later.evidence.add(evidence)

    migration.split_shared_evidence(apps, None)

    first_owners = [e.audit_id for e in Rating.objects.get(audit=first, criterion=criterion).evidence.all()]
    second_evidence = later.evidence.get()
    assert first_owners == [first.pk]
    assert second_evidence.pk != evidence.pk and second_evidence.audit_id == second.pk
    assert (second_evidence.title, second_evidence.file.name) == ("Policy", evidence.file.name)
    migration.split_shared_evidence(apps, None)  # running again changes nothing
    assert Evidence.objects.count() == 2
