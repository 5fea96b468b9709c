"""Sample values for URL keyword arguments, used by the URL-walking access test.

Each kwarg name maps to a function that, given the world (school A in LA X, school B in LA Y), returns
a value that points at a row owned by school A (or LA X) *in a state every entitled persona may see*
(for example an audit already submitted to LA X). Outsiders must then get 404.
Add an entry for every new kwarg name your URLs use; the walker fails on an unknown one. Where two
apps use the same kwarg name for different rows, key the entry "<namespace>:<kwarg>" (it wins over the
plain name for URLs in that namespace).
"""

from collections.abc import Callable
from typing import Any

SAMPLES: dict[str, Callable[[Any], Any]] = {
    "school_id": lambda world: world.school_a.public_id,
    "membership_id": lambda world: _school_a_governor_membership(world).public_id,
    "report_id": lambda world: _school_a_report(world).public_id,
    "token": lambda world: "not-a-real-invitation-token",
    # Standards: a fresh published version of an LA X framework each time (an owner's POST may retire it).
    # Browse views are @access(shared=True): every member may read published versions; the LA-admin
    # views (review, publish, retire, delete) give LA Y's admin 404.
    "framework_id": lambda world: _la_x_published_version(world).framework.public_id,
    "standards:version_id": lambda world: _la_x_published_version(world).public_id,
    "criterion_id": lambda world: _la_x_published_version(world).criteria.first().public_id,
    # ehcp: one pupil of school A with a plan already submitted to LA X (so LA X staff may read the plan);
    # the same pupil and plan for every kwarg of a URL (memoised on the world). Pupil-record URLs are for
    # school A's SENCO and headteacher only: LA roles and governors get 404 there (conceal).
    "pupil_id": lambda world: _ehcp_plan(world).pupil.public_id,
    "plan_id": lambda world: _ehcp_plan(world).public_id,
    "ehcp:version_id": lambda world: _ehcp_plan(world).versions.get().public_id,
    "section": lambda world: "B",
    "item_id": lambda world: _ehcp_plan(world).versions.get().needs.get().public_id,
    "carer_id": lambda world: _ehcp_carer(world).public_id,  # fresh each time: an owner's POST removes it
    "cycle_id": lambda world: _ehcp_cycle(world).public_id,
    # audits: an audit of school A already submitted to LA X, with its evidence, action, section, criterion
    "audit_id": lambda world: _school_a_submitted_audit(world).public_id,
    "evidence_id": lambda world: _school_a_submitted_audit(world).evidence_added.get().public_id,
    "action_id": lambda world: _school_a_submitted_audit(world).actions.get().public_id,
    "section_ref": lambda world: "S1",
    "criterion_ref": lambda world: "S1-01",
    "event_id": lambda world: _school_a_submitted_audit(world).events.first().public_id,
}


def _la_x_published_version(world):
    from tests.standards.factories import framework_data, load_version

    data = framework_data(criteria=4, sections=2, publisher="local_authority", la_code=world.la_x.code)
    return load_version(data)


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


def _ehcp_plan(world):
    plan = getattr(world, "_ehcp_plan", None)
    if plan is None:
        from ehcp.models import PlanVersion
        from tests.ehcp.factories import PlanFactory, PupilFactory, add_golden_thread

        pupil = PupilFactory(school=world.school_a, sen_provision="E", primary_need="SLCN")
        plan = PlanFactory(pupil=pupil, school=world.school_a, status=PlanVersion.Status.SUBMITTED)
        add_golden_thread(plan.versions.get())
        world._ehcp_plan = plan
    return plan


def _ehcp_carer(world):
    from tests.ehcp.factories import CarerFactory

    pupil = _ehcp_plan(world).pupil
    return CarerFactory(pupil=pupil, school=pupil.school)


def _ehcp_cycle(world):
    cycle = getattr(world, "_ehcp_cycle", None)
    if cycle is None:
        from tests.ehcp.factories import SupportCycleFactory

        pupil = _ehcp_plan(world).pupil
        cycle = world._ehcp_cycle = SupportCycleFactory(pupil=pupil, school=pupil.school)
    return cycle


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
