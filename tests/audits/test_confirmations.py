"""Safe actions: each one asks first on a GOV.UK confirmation page, and the plain POST still does it.

Submitting an audit, publishing a framework version, and removing an action, evidence, a person, a carer
or a plan item: GET shows what will happen, with a warning and one button, and changes nothing.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits import services
from audits.models import Action, AuditEvent, Evidence
from ehcp.models import Carer, Need
from sendplan.models import Membership, Role
from standards.models import FrameworkVersion
from tests.audits.factories import PDF, make_audit, rate_all
from tests.conftest import membership_of
from tests.ehcp.factories import CarerFactory, PlanFactory, PupilFactory, add_golden_thread
from tests.factories import MembershipFactory
from tests.standards.factories import framework_data, load_version

pytestmark = pytest.mark.django_db

WARNING = 'class="govuk-warning-text"'


def url(name, audit, **kwargs):
    return reverse(f"audits:{name}", kwargs={"audit_id": audit.public_id, **kwargs})


def assert_confirmation(response, heading: str, warning: str, button: str) -> str:
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert WARNING in page and warning in page
    assert f">{button}</button>" in page and 'method="post"' in page
    return page


@pytest.fixture
def rated(world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user)
    rate_all(audit, senco_a_user)
    return audit


def test_submitting_asks_first(senco_a, rated):
    check = senco_a.get(url("audit_check", rated)).content.decode()
    assert f'href="{url("audit_submit", rated)}"' in check and ">Submit the audit</button>" not in check
    response = senco_a.get(url("audit_submit", rated))
    page = assert_confirmation(
        response,
        "Submit the audit to LA X?",
        "You cannot change the audit while LA X reviews it, unless you withdraw it.",
        "Submit the audit",
    )
    assert "1 of 1 met" in page
    rated.refresh_from_db()
    assert rated.status == "draft"
    assert senco_a.post(url("audit_submit", rated)).status_code == 302
    rated.refresh_from_db()
    assert rated.status == "submitted"


def test_an_unfinished_audit_goes_back_to_check_instead(senco_a, senco_a_user, world):
    audit = make_audit(world.school_a, senco_a_user)
    response = senco_a.get(url("audit_submit", audit))
    assert response.status_code == 302 and response["Location"] == url("audit_check", audit)


def test_accepting_and_returning_warn_what_cannot_be_undone(la_officer_x, senco_a_user, rated):
    services.audit_submit(audit=rated, by=membership_of(senco_a_user))
    accept = la_officer_x.get(url("la_accept", rated)).content.decode()
    assert WARNING in accept and "Once accepted, the audit can no longer be changed by anyone." in accept
    returning = la_officer_x.get(url("la_return", rated)).content.decode()
    assert WARNING in returning and "you will see the audit only as it was submitted" in returning
    rated.refresh_from_db()
    assert rated.status == "submitted"


def test_publishing_a_framework_version_asks_first(la_admin_x, world):
    draft = load_version(
        framework_data(publisher="local_authority", la_code=world.la_x.code, status="draft", criteria=3)
    )
    publish = reverse("standards:version_publish", kwargs={"version_id": draft.public_id})
    review = la_admin_x.get(reverse("standards:version_review", kwargs={"version_id": draft.public_id}))
    assert f'href="{publish}"' in review.content.decode()
    assert_confirmation(
        la_admin_x.get(publish),
        f"Publish version {draft.label}?",
        "Once published, a version can never change.",
        f"Publish version {draft.label}",
    )
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert la_admin_x.post(publish).status_code == 302
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PUBLISHED


def test_removing_an_action_asks_first_and_is_recorded(senco_a, senco_a_user, rated):
    action = services.action_create(
        audit=rated,
        criterion=None,
        what="Publish the accessibility plan",
        owner="Headteacher",
        due=timezone.localdate() + datetime.timedelta(days=20),
        by=membership_of(senco_a_user),
    )
    remove = url("action_remove", rated, action_id=action.public_id)
    assert (
        f'href="{remove}"'
        in senco_a.get(url("action_edit", rated, action_id=action.public_id)).content.decode()
    )
    page = assert_confirmation(
        senco_a.get(remove),
        "Remove this action from the plan?",
        "The action will be removed from the plan.",
        "Remove the action",
    )
    assert "Publish the accessibility plan" in page and "govuk-button--warning" in page
    assert Action.objects.filter(pk=action.pk).exists()
    assert senco_a.post(remove).status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()
    event = AuditEvent.objects.filter(audit=rated, kind="action_changed").latest("at")
    assert event.detail["removed"] == "Publish the accessibility plan"


def test_removing_evidence_asks_first_and_the_history_hides_it_from_those_who_never_saw_it(
    senco_a, governor_a, senco_a_user, rated
):
    evidence = services.evidence_add(
        audit=rated,
        title="Staff survey",
        criteria=list(rated.framework_version.criteria.all()[:2]),
        by=membership_of(senco_a_user),
        file_name="survey.pdf",
        data=PDF,
        shareable_with_governors=False,
    )
    remove = url("evidence_remove", rated, evidence_id=evidence.public_id)
    assert_confirmation(
        senco_a.get(remove),
        "Remove ‘Staff survey’ from the audit?",
        "It will no longer support any criterion of this audit",
        "Remove the evidence",
    )
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert senco_a.post(remove).status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert "Evidence removed" in senco_a.get(url("audit_history", rated)).content.decode()
    assert "Staff survey" in senco_a.get(url("audit_history", rated)).content.decode()
    governor_history = governor_a.get(url("audit_history", rated)).content.decode()
    assert "Staff survey" not in governor_history and "Evidence not shared with you" in governor_history


def test_removing_a_person_asks_first(headteacher_a, world):
    governor = MembershipFactory(role=Role.GOVERNOR, school=world.school_a)
    remove = reverse("sendplan:membership_remove", kwargs={"membership_id": governor.public_id})
    assert f'href="{remove}"' in headteacher_a.get(reverse("sendplan:people")).content.decode()
    assert_confirmation(
        headteacher_a.get(remove),
        f"Remove {governor.user.full_name or governor.user.email} as Governor?",
        "they will lose access at once",
        "Remove access",
    )
    assert Membership.objects.get(pk=governor.pk).is_active
    assert headteacher_a.post(remove).status_code == 302
    assert not Membership.objects.get(pk=governor.pk).is_active


def test_removing_a_carer_or_a_plan_item_asks_first(senco_a, world):
    pupil = PupilFactory(school=world.school_a)
    carer = CarerFactory(pupil=pupil, school=world.school_a)
    remove = reverse("ehcp:carer_remove", kwargs={"pupil_id": pupil.public_id, "carer_id": carer.public_id})
    assert (
        f'href="{remove}"'
        in senco_a.get(reverse("ehcp:pupil_detail", kwargs={"pupil_id": pupil.public_id})).content.decode()
    )
    assert_confirmation(
        senco_a.get(remove),
        f"Remove {carer.name} from {pupil}&#x27;s record?",
        "Their name and contact details will be deleted from the record.",
        "Remove",
    )
    assert Carer.objects.filter(pk=carer.pk).exists()
    assert senco_a.post(remove).status_code == 302
    assert not Carer.objects.filter(pk=carer.pk).exists()

    plan = PlanFactory(pupil=pupil, school=world.school_a)
    add_golden_thread(plan.versions.get())
    need = Need.objects.filter(version__plan=plan).first()
    remove = reverse(
        "ehcp:item_remove", kwargs={"plan_id": plan.public_id, "section": "B", "item_id": need.public_id}
    )
    assert_confirmation(
        senco_a.get(remove),
        "Remove this need from the plan?",
        "The need will be removed from this draft of the plan",
        "Remove the need",
    )
    assert Need.objects.filter(pk=need.pk).exists()
    assert senco_a.post(remove).status_code == 302
    assert not Need.objects.filter(pk=need.pk).exists()
