"""History tables are append-only in the database: an UPDATE is refused (and a DELETE on PostgreSQL)."""

from datetime import date

import pytest
from django.db import connection, transaction

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
