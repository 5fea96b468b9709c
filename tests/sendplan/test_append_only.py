"""History tables are append-only in the database: an UPDATE is refused (and a DELETE on PostgreSQL)."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.utils import timezone

from audits.models import AuditEvent
from ehcp import services as ehcp_services
from ehcp.models import PlanEvent
from tests.audits.factories import make_audit
from tests.conftest import membership_of
from tests.ehcp.factories import PupilFactory


def an_audit_event(world, user) -> AuditEvent:
    audit = make_audit(world.school_a, user)
    return AuditEvent.objects.filter(audit=audit).first()


def a_plan_event(world, user) -> PlanEvent:
    pupil = PupilFactory(school=world.school_a, sen_provision="K", primary_need="SLCN")
    plan = ehcp_services.plan_start(pupil=pupil, requested_on=date(2026, 9, 1), by=membership_of(user))
    return PlanEvent.objects.filter(plan=plan).first()


@pytest.mark.parametrize("make_event", [an_audit_event, a_plan_event], ids=["audit events", "plan events"])
def test_the_database_refuses_to_change_history(world, senco_a_user, make_event):
    event = make_event(world, senco_a_user)
    assert event is not None, "the service records an event"
    model = type(event)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        model.objects.filter(pk=event.pk).update(at=event.at.replace(year=2000))
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            model.objects.filter(pk=event.pk).delete()
    assert model.objects.filter(pk=event.pk, at=event.at).exists()


# --- erasure: the one controlled way past the triggers -------------------------------------------------------

HISTORY_TABLES = ["sendplan_accessevent", "audits_auditevent", "ehcp_planevent", "sendplan_erasure"]


def test_a_person_with_history_is_erased_and_the_history_keeps_what_they_did(world, senco_a_user):
    from sendplan.models import AccessEvent, Erasure, User
    from sendplan.services import user_erase

    audit_event = an_audit_event(world, senco_a_user)
    plan_event = a_plan_event(world, senco_a_user)
    from sendplan.services import access_events_record

    (access_event,) = access_events_record(
        membership=membership_of(senco_a_user), shown=[(plan_event.plan.pupil, "Pupil record")], action="view"
    )
    public_id = senco_a_user.public_id

    user_erase(user=senco_a_user, by="test")

    assert not User.objects.filter(public_id=public_id).exists()
    for event in (audit_event, plan_event, access_event):
        kept = type(event).objects.get(pk=event.pk)
        assert kept.actor_id is None  # anonymised …
        assert kept.at == event.at  # … and nothing else changed
    assert PlanEvent.objects.get(pk=plan_event.pk).actor_role == "senco"
    assert AccessEvent.objects.get(pk=access_event.pk).actor_organisation == "School A"
    erasure = Erasure.objects.get()
    assert erasure.kind == Erasure.Kind.USER and erasure.erased_ids == [str(public_id)]
    assert erasure.counts == {"audits.AuditEvent": 1, "ehcp.PlanEvent": 1, "sendplan.AccessEvent": 1}
    assert senco_a_user.email not in str(erasure.counts) + erasure.by


def test_staff_delete_a_person_in_the_admin_through_the_same_path(world, headteacher_a_user, senco_a_user):
    from allauth.mfa.models import Authenticator
    from django.urls import reverse

    from sendplan.models import Erasure, Invitation, User
    from tests.conftest import sign_in
    from tests.factories import UserFactory
    from tests.sendplan.helpers import enrol_totp

    an_audit_event(world, headteacher_a_user)
    invitation = Invitation.objects.create(
        email="new@example.org", school=world.school_a, role="senco", invited_by=headteacher_a_user,
        token_hash="0" * 64, expires_at=timezone.now(),
    )  # fmt: skip
    staff = UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    enrol_totp(staff)
    response = sign_in(staff).post(
        reverse("admin:sendplan_user_delete", args=[headteacher_a_user.pk]), {"post": "yes"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not User.objects.filter(pk=headteacher_a_user.pk).exists()
    assert not Authenticator.objects.filter(user_id=headteacher_a_user.pk).exists()
    invitation.refresh_from_db()
    assert invitation.invited_by is None  # the invitation stays; who sent it is gone
    erasure = Erasure.objects.get()
    assert erasure.kind == Erasure.Kind.USER and str(staff.public_id) in erasure.by


def test_a_person_cannot_be_deleted_outside_the_controlled_path(world, senco_a_user):
    an_audit_event(world, senco_a_user)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        senco_a_user.delete()


@pytest.mark.postgres
def test_under_the_flag_only_the_actor_can_be_removed(world, senco_a_user, headteacher_a_user):
    from sendplan.history import erasure_allowed

    event = an_audit_event(world, senco_a_user)
    for change in ({"kind": "comment"}, {"actor": headteacher_a_user}, {"actor": None, "detail": {"x": 1}}):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), erasure_allowed():
            AuditEvent.objects.filter(pk=event.pk).update(**change)
    with transaction.atomic(), erasure_allowed():
        AuditEvent.objects.filter(pk=event.pk).update(actor=None)
    assert AuditEvent.objects.get(pk=event.pk).actor_id is None
    # the flag lasts only as long as the block: afterwards the same change is refused again
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with erasure_allowed():
            pass
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.postgres
@pytest.mark.parametrize("table", HISTORY_TABLES)
def test_truncate_is_refused_on_the_history(db, table):
    """A database that has not switched truncation on (any but the tests') refuses TRUNCATE."""
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL sendplan.allow_truncate = 'off'")
        cursor.execute(f"TRUNCATE {table}")
    if table != "sendplan_erasure":  # the others are reached by TRUNCATE … CASCADE of their school
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL sendplan.allow_truncate = 'off'")
            cursor.execute("TRUNCATE sendplan_school CASCADE")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_suites_flush_still_works(world, senco_a_user):
    """pytest-django empties PostgreSQL with TRUNCATE after each transactional test: the test database
    allows it (tests/conftest.py), for this connection and for every new one (live-server threads)."""
    from django.core.management import call_command
    from django.db import connections

    an_audit_event(world, senco_a_user)
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SELECT current_setting('sendplan.allow_truncate', true)")
            assert cursor.fetchone()[0] == "on"
    finally:
        fresh.close()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
