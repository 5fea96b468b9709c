"""Sample values for URL keyword arguments, used by the URL-walking access test.

Each kwarg name maps to a function that, given the world (school A in LA X, school B in LA Y), returns
a value that points at a row owned by school A (or LA X) *in a state every entitled persona may see*
(for example an audit already submitted to LA X). Outsiders must then get 404.
Add an entry for every new kwarg name your URLs use; the walker fails on an unknown one.
"""

from collections.abc import Callable
from typing import Any

SAMPLES: dict[str, Callable[[Any], Any]] = {
    "school_id": lambda world: world.school_a.public_id,
    "membership_id": lambda world: _school_a_governor_membership(world).public_id,
    "report_id": lambda world: _school_a_report(world).public_id,
    "token": lambda world: "not-a-real-invitation-token",
    # audits: an audit of school A already submitted to LA X, with its evidence, action, section, criterion
    "audit_id": lambda world: _school_a_submitted_audit(world).public_id,
    "evidence_id": lambda world: _school_a_submitted_audit(world).evidence_added.get().public_id,
    "action_id": lambda world: _school_a_submitted_audit(world).actions.get().public_id,
    "section_ref": lambda world: "S1",
    "criterion_ref": lambda world: "S1-01",
}


def _school_a_governor_membership(world):
    from sendplan.models import Role
    from tests.factories import MembershipFactory

    return MembershipFactory(role=Role.GOVERNOR, school=world.school_a)


def _school_a_report(world):
    from django.core.files.base import ContentFile

    from sendplan.models import Report

    report = Report(school=world.school_a, kind=Report.Kind.SCHOOL_OVERVIEW, status=Report.Status.READY)
    report.file.save("report.pdf", ContentFile(b"%PDF-1.7 sample"), save=False)
    report.save()
    return report


def _school_a_submitted_audit(world):
    """Return school A's sample audit in the "submitted" state, making it (or putting it back) if need be."""
    from audits.models import Audit
    from tests.audits.factories import sample_submitted_audit

    audit = (
        Audit.objects.filter(school=world.school_a, framework__slug="url-sample-framework")
        .exclude(status=Audit.Status.ACCEPTED)
        .first()
    )
    if audit is None:
        return sample_submitted_audit(world.school_a, slug="url-sample-framework")
    if audit.status != Audit.Status.SUBMITTED:  # an owner's POST withdrew or returned it: put it back
        Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.SUBMITTED)
        audit.refresh_from_db()
    return audit
