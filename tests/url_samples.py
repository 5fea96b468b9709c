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
    # The LA's own reports (the LA summary): one of LA X's, ready to download
    "la_report_id": lambda world: _la_x_report(world).public_id,
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
    # documents: the sample plan as a PDF that LA X asked for (the school sees it too), and a subject
    # access pack of the sample pupil that school A asked for; both ready to download
    "document_id": lambda world: _ehcp_plan_document(world).public_id,
    "pack_id": lambda world: _ehcp_pupil_pack(world).public_id,
    "carer_id": lambda world: _ehcp_carer(world).public_id,  # fresh each time: an owner's POST removes it
    # An annual review of the same plan whose report the school has sent to LA X (so LA X may see it and
    # decide), and a fresh invitee each time.
    "review_id": lambda world: _ehcp_review(world).public_id,
    "attendee_id": lambda world: _ehcp_attendee(world).public_id,
    "cycle_id": lambda world: _ehcp_cycle(world).public_id,
    # A fresh upload each time (an owner's POST confirms or discards it), whose one row updates the pupil.
    "import_id": lambda world: _ehcp_import(world).public_id,
    # audits: an audit of school A already submitted to LA X, with its evidence, action, section, criterion
    "audit_id": lambda world: _school_a_submitted_audit(world).public_id,
    "evidence_id": lambda world: _school_a_submitted_audit(world).evidence_added.get().public_id,
    "action_id": lambda world: _school_a_submitted_audit(world).actions.get().public_id,
    "section_ref": lambda world: "S1",
    "criterion_ref": lambda world: "S1-01",
    # publications: school A's inclusion strategy, published (so its public link works), and its SEN
    # information report; barriers, activities and outcomes fresh each time (an owner's POST removes them)
    "publication_id": lambda world: _school_a_strategy(world).public_id,
    "strategy_id": lambda world: _school_a_strategy(world).public_id,
    "sen_report_id": lambda world: _school_a_sen_report(world).public_id,
    "barrier_id": lambda world: _school_a_strategy_row(world, "barrier").public_id,
    "activity_id": lambda world: _school_a_strategy_row(world, "activity").public_id,
    "outcome_id": lambda world: _school_a_strategy_row(world, "outcome").public_id,
    "publications:action_id": lambda world: _school_a_submitted_audit(world).actions.get().public_id,
    "item": lambda world: "1",
    "public_token": lambda world: _school_a_strategy(world).public_token,
    "event_id": lambda world: _school_a_submitted_audit(world).events.first().public_id,
}


# The same URLs on school A's audit of a framework the governing board rates (tests/policy_matrix.py
# BOARD_MATRIX): these win over SAMPLES in the walk of the board's audit.
BOARD_SAMPLES: dict[str, Callable[[Any], Any]] = {
    "audit_id": lambda world: _school_a_board_audit(world).public_id,
    "evidence_id": lambda world: _school_a_board_audit(world).evidence_added.get().public_id,
    "action_id": lambda world: _school_a_board_audit(world).actions.get().public_id,
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


def _la_x_report(world):
    from django.core.files.base import ContentFile

    from sendplan.models import Report

    report = Report(local_authority=world.la_x, kind=Report.Kind.LA_SUMMARY, status=Report.Status.READY)
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
        _ehcp_review(world)  # lists of reviews show the same one pupil
    return plan


def _ehcp_carer(world):
    from tests.ehcp.factories import CarerFactory

    pupil = _ehcp_plan(world).pupil
    return CarerFactory(pupil=pupil, school=pupil.school)


def _ehcp_review(world):
    plan = _ehcp_plan(world)  # which makes the review the first time
    review = getattr(world, "_ehcp_review", None)
    if review is None:
        from datetime import date

        from ehcp.models import AnnualReview

        review = world._ehcp_review = AnnualReview.objects.create(
            school=plan.school,
            plan=plan,
            status=AnnualReview.Status.REPORT_SENT,
            cycle_started_on=date(2025, 3, 10),
            meeting_on=date(2026, 2, 2),
            report_sent_on=date(2026, 2, 13),
        )
    return review


def _ehcp_attendee(world):
    from ehcp.models import ReviewAttendee

    review = _ehcp_review(world)
    return ReviewAttendee.objects.create(
        school=review.school, review=review, name="Ada Parent", role="Mother", kind=ReviewAttendee.Kind.PARENT
    )


def _ehcp_cycle(world):
    cycle = getattr(world, "_ehcp_cycle", None)
    if cycle is None:
        from tests.ehcp.factories import SupportCycleFactory

        pupil = _ehcp_plan(world).pupil
        cycle = world._ehcp_cycle = SupportCycleFactory(pupil=pupil, school=pupil.school)
    return cycle


def _ehcp_import(world):
    from ehcp import mis
    from ehcp.models import PupilImport

    pupil = _ehcp_plan(world).pupil
    headings = ["Legal Forename", "Legal Surname", "DOB", "Year", "SEN Status", "Primary Need"]
    row = [pupil.first_name, pupil.last_name, pupil.date_of_birth.strftime("%d/%m/%Y"), "5", "E", "SLCN"]
    content = (",".join(headings) + "\n" + ",".join(row) + "\n").encode()
    return PupilImport.objects.create(
        school=world.school_a,
        filename="export.csv",
        content=content,
        headings=headings,
        columns=mis.recognise_headings(headings),
    )


def _school_a_board_audit(world):
    return _school_a_submitted_audit(world, slug="url-sample-board-framework", rated_by="governors")


def _school_a_submitted_audit(world, slug="url-sample-framework", rated_by="school_staff"):
    """Return school A's sample audit in the "submitted" state, making it (or putting it back) if need be."""
    from audits.models import Audit
    from tests.audits.factories import sample_submitted_audit

    audit = (
        Audit.objects.filter(school=world.school_a, framework__slug=slug)
        .exclude(status=Audit.Status.ACCEPTED)
        .first()
    )
    if audit is None:
        return sample_submitted_audit(world.school_a, slug=slug, rated_by=rated_by)
    if audit.status != Audit.Status.SUBMITTED:  # an owner's POST withdrew or returned it: put it back
        Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.SUBMITTED)
        audit.refresh_from_db()
    return audit


def _ready_report(world, *, kind: str, subject_id, requested_by_la=None):
    from django.core.files.base import ContentFile

    from sendplan.models import Report

    report = Report(
        school=world.school_a,
        kind=kind,
        subject_id=subject_id,
        status=Report.Status.READY,
        requested_by_la=requested_by_la,
        snapshot={"summary": "Version 1, submitted to the LA"},
    )
    report.file.save("report.pdf", ContentFile(b"%PDF-1.7 sample"), save=False)
    report.save()
    return report


def _ehcp_plan_document(world):
    from sendplan.models import Report

    plan = _ehcp_plan(world)
    return _ready_report(
        world, kind=Report.Kind.EHC_PLAN, subject_id=plan.public_id, requested_by_la=world.la_x
    )


def _ehcp_pupil_pack(world):
    from sendplan.models import Report

    pupil = _ehcp_plan(world).pupil
    return _ready_report(world, kind=Report.Kind.SUBJECT_ACCESS, subject_id=pupil.public_id)


def _publications_author(world):
    from sendplan.models import Role, User
    from tests.factories import MembershipFactory

    user, created = User.objects.get_or_create(
        email="sample.publisher@example.org", defaults={"full_name": "Pat Publisher"}
    )
    if created:
        MembershipFactory(user=user, role=Role.SENCO, school=world.school_a)
    return user.memberships.get()


def _school_a_strategy(world):
    """Return school A's sample strategy, published with a ready PDF (publishing it again if taken off)."""
    from django.core.files.base import ContentFile

    from publications import selectors, services
    from sendplan.models import Report
    from tests.publications.factories import fill_strategy, make_strategy

    by = _publications_author(world)
    strategy = getattr(world, "_publications_strategy", None)
    if strategy is None:
        strategy = world._publications_strategy = fill_strategy(make_strategy(world.school_a, by), by)
    strategy.refresh_from_db()
    if strategy.current_version is None:  # an owner's POST took it off the public page
        version = services.publication_publish(publication=strategy, by=by)
        report = Report(
            school=world.school_a, kind=Report.Kind.INCLUSION_STRATEGY, subject_id=version.public_id,
            status=Report.Status.READY, requested_by=by.user,
        )  # fmt: skip
        report.file.save("report.pdf", ContentFile(b"%PDF-1.7 sample"), save=False)
        report.save()
        strategy.refresh_from_db()
        assert selectors.version_pdf(strategy.current_version) is not None
    return strategy


def _school_a_sen_report(world):
    from tests.publications.factories import make_report

    report = getattr(world, "_publications_sen_report", None)
    if report is None:
        report = world._publications_sen_report = make_report(world.school_a, _publications_author(world))
    return report


def _school_a_strategy_row(world, kind: str):
    from publications import services
    from publications.models import Activity
    from tests.publications.factories import principles

    strategy, by = _school_a_strategy(world), _publications_author(world)
    if kind == "barrier":
        return services.barrier_add(publication=strategy, text="Sample barrier", by=by)
    if kind == "activity":
        return services.activity_save(
            publication=strategy, description="Sample activity", reach=Activity.Reach.TARGETED,
            principles=principles()[1:2], barriers=[], funding_source=Activity.FundingSource.CORE,
            cost_pence=5000, by=by,
        )  # fmt: skip
    return services.outcome_save(publication=strategy, text="Sample outcome", success_criteria="Seen", by=by)
