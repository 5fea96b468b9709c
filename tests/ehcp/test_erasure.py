"""Erasing pupil records past retention: the one controlled path past the history's append-only triggers.

`erase_past_retention` lists (dry run) or erases (--confirm) pupils whose date of birth plus their LA's
retention years has passed, leaving out legal holds; their plans and plan history go with them, the
access log keeps its rows (ids, never names), and an erasure record that cannot be changed says what
went. Anywhere else, the database still refuses to delete history.
"""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from ehcp import services
from ehcp.models import Carer, Plan, PlanEvent, PlanVersion, Pupil, SupportCycle
from sendplan.models import AccessEvent, Erasure
from sendplan.services import access_events_record
from tests.conftest import membership_of
from tests.ehcp.factories import CarerFactory, PupilFactory, SupportCycleFactory, add_golden_thread

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)  # a pupil born on or before 1 March 1995 is past 31 years of retention


def pupil_with_history(school, membership, **kwargs) -> Pupil:
    """A pupil with a carer, a cycle, a plan with its golden thread and history, and two access events."""
    pupil = PupilFactory(school=school, sen_provision="E", primary_need="ASD", **kwargs)
    CarerFactory(pupil=pupil)
    SupportCycleFactory(pupil=pupil)
    plan = services.plan_start(pupil=pupil, requested_on=date(2025, 9, 1), by=membership)
    add_golden_thread(plan.versions.get())
    services.plan_dates_update(plan=plan, by=membership, requested_on=date(2025, 9, 2))
    access_events_record(
        membership=membership, shown=[(pupil, "Pupil record"), (pupil, "EHC plan, version 1")], action="view"
    )
    return pupil


@pytest.fixture
def pupils(world, senco_a_user):
    membership = membership_of(senco_a_user)
    return {
        "past": pupil_with_history(
            world.school_a,
            membership,
            first_name="Zebedee",
            last_name="Quartermaine",
            date_of_birth=date(1990, 1, 1),
        ),
        "held": pupil_with_history(
            world.school_a, membership, date_of_birth=date(1990, 1, 1), legal_hold=True
        ),
        "young": pupil_with_history(world.school_a, membership, date_of_birth=date(2015, 1, 1)),
    }


def run(*args, capsys) -> str:
    call_command("erase_past_retention", *args, "--today", TODAY.isoformat())
    return capsys.readouterr().out


def test_a_dry_run_lists_ids_and_erases_nothing(pupils, capsys):
    before = (Pupil.objects.count(), PlanEvent.objects.count(), AccessEvent.objects.count())
    out = run(capsys=capsys)
    assert str(pupils["past"].public_id) in out
    assert str(pupils["held"].public_id) not in out and str(pupils["young"].public_id) not in out
    assert "Zebedee" not in out and "Quartermaine" not in out  # ids and dates, never names
    assert "--confirm" in out
    assert (Pupil.objects.count(), PlanEvent.objects.count(), AccessEvent.objects.count()) == before
    assert not Erasure.objects.exists()


def test_confirm_erases_the_pupil_their_plans_and_plan_history(pupils, capsys):
    past = pupils["past"]
    plan = Plan.objects.get(pupil=past)
    plan_events = PlanEvent.objects.filter(plan=plan).count()
    assert plan_events == 2  # started, dates changed

    out = run("--confirm", capsys=capsys)

    assert not Pupil.objects.filter(pk=past.pk).exists()
    assert not Carer.objects.filter(pupil_id=past.pk).exists()
    assert not SupportCycle.objects.filter(pupil_id=past.pk).exists()
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert not PlanVersion.objects.filter(plan_id=plan.pk).exists()
    assert not PlanEvent.objects.filter(plan_id=plan.pk).exists()
    # the others are untouched, with their history
    for key in ("held", "young"):
        kept = Plan.objects.get(pupil=pupils[key])
        assert PlanEvent.objects.filter(plan=kept).count() == 2
    # the access log keeps its rows: who looked, when, at which pupil id (no name is in it)
    assert AccessEvent.objects.filter(pupil_id=past.public_id).count() == 2

    erasure = Erasure.objects.get()
    assert erasure.kind == Erasure.Kind.PUPILS_PAST_RETENTION
    assert erasure.erased_ids == [str(past.public_id)]
    assert erasure.counts["ehcp.Pupil"] == 1
    assert erasure.counts["ehcp.Plan"] == 1
    assert erasure.counts["ehcp.PlanEvent"] == plan_events
    assert erasure.counts["ehcp.Carer"] == 1 and erasure.counts["ehcp.SupportCycle"] == 1
    recorded = json.dumps([erasure.kind, erasure.by, erasure.erased_ids, erasure.counts])
    assert "Zebedee" not in recorded and "Quartermaine" not in recorded
    assert str(erasure.public_id) in out and "Zebedee" not in out


def test_a_second_run_finds_nothing(pupils, capsys):
    run("--confirm", capsys=capsys)
    out = run("--confirm", capsys=capsys)
    assert "No pupil records are past their retention date" in out
    assert Erasure.objects.count() == 1


def test_the_erasure_record_survives_and_never_changes(pupils, capsys):
    from sendplan.history import erasure_allowed

    run("--confirm", capsys=capsys)
    erasure = Erasure.objects.get()
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Erasure.objects.filter(pk=erasure.pk).update(counts={})
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            Erasure.objects.filter(pk=erasure.pk).delete()
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), erasure_allowed():
            Erasure.objects.filter(pk=erasure.pk).delete()  # not even on the erasure path
    assert Erasure.objects.get(pk=erasure.pk).counts == erasure.counts


@pytest.mark.postgres
def test_outside_the_controlled_path_history_still_cannot_be_deleted(pupils):
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        pupils["young"].delete()  # its plan's events would go too
    assert Pupil.objects.filter(pk=pupils["young"].pk).exists()


def test_reports_about_an_erased_pupil_go_with_their_files(
    pupils, capsys, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from sendplan.models import Report

    past, young = pupils["past"], pupils["young"]
    reports = {}
    for pupil in (past, young):
        report = Report.objects.create(
            school=pupil.school, kind="school_overview", subject_id=pupil.public_id
        )
        report.file.save("r.pdf", ContentFile(b"%PDF-1.7"))
        reports[pupil] = report
    with django_capture_on_commit_callbacks(execute=True):
        run("--confirm", capsys=capsys)
    assert not Report.objects.filter(pk=reports[past].pk).exists()
    assert not default_storage.exists(reports[past].file.name)
    assert Report.objects.filter(pk=reports[young].pk).exists()
    assert default_storage.exists(reports[young].file.name)
    assert Erasure.objects.get().counts["sendplan.Report"] == 1
