"""The policy table against the hand-written matrix, and services refusing the wrong actor whatever calls them.

tests/test_url_access.py checks what each URL does for each persona; this file checks the policy table
itself (so an action with no URL yet is covered too) and calls the services directly: a service called
with a SENCO's membership must refuse to accept an audit or finalise a plan, whichever view (or command,
or task) called it.
"""

import datetime

import pytest

from audits import services as audit_services
from ehcp import services as plan_services
from ehcp.models import AnnualReview
from sendplan import policy, services
from sendplan.models import Role, School
from sendplan.policy import POLICY
from standards import services as framework_services
from standards.models import FrameworkVersion
from tests.audits.factories import make_audit, submitted_audit
from tests.conftest import membership_of
from tests.ehcp.factories import PlanFactory, PupilFactory
from tests.policy_matrix import MATRIX, PERSONAS
from tests.standards.factories import framework_data, load_version

pytestmark = pytest.mark.django_db

ROLE_OF = {
    "senco_a": Role.SENCO,
    "headteacher_a": Role.HEADTEACHER,
    "governor_a": Role.GOVERNOR,
    "la_officer_x": Role.LA_OFFICER,
    "la_admin_x": Role.LA_ADMIN,
}


def test_the_policy_and_the_matrix_name_the_same_actions():
    assert set(POLICY) == set(MATRIX)


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_the_policy_grants_exactly_the_roles_the_matrix_allows(action):
    verdicts = dict(zip(PERSONAS, MATRIX[action].split(), strict=True))
    rule = POLICY[action]
    assert rule.public == (verdicts["anonymous"] == "A")
    if rule.public or rule.signed_in:
        return
    allowed = {ROLE_OF[p] for p in ROLE_OF if verdicts[p] == "A"}
    assert rule.roles == allowed
    hidden = {verdicts[p] for p in ROLE_OF if verdicts[p] != "A"}
    assert hidden <= ({"N"} if rule.conceal else {"F"}), f"{action}: refused roles get {hidden}"


# --- services refuse the wrong actor --------------------------------------------------------------------


@pytest.fixture
def rows(world, senco_a_user):
    """School A's audit and plan, both submitted to LA X, and a draft framework of LA X."""
    audit = submitted_audit(world.school_a, senco_a_user)
    pupil = PupilFactory(school=world.school_a)
    plan = PlanFactory(pupil=pupil, school=world.school_a)
    plan_services.plan_submit(plan=plan, by=membership_of(senco_a_user))
    draft = load_version(
        framework_data(
            publisher="local_authority",
            la_code=world.la_x.code,
            status="draft",
            criteria=2,
            slug="la-x-draft",
        )
    )
    review = AnnualReview.objects.create(
        school=world.school_a,
        plan=plan,
        status=AnnualReview.Status.REPORT_SENT,
        cycle_started_on=datetime.date(2025, 3, 10),
        meeting_on=datetime.date(2026, 2, 2),
        report_sent_on=datetime.date(2026, 2, 13),
    )
    return {"audit": audit, "plan": plan, "pupil": pupil, "draft": draft, "world": world, "review": review}


def _school_data(world):
    return {"local_authority": world.la_x, "name": "New", "urn": "911111", "phase": "primary"} | {
        "school_type": "community"
    }


# Writes only LA staff may make, each called as (rows, membership).
LA_WRITES = {
    "accept an audit": lambda r, by: audit_services.audit_accept(audit=r["audit"], by=by),
    "return an audit": lambda r, by: audit_services.audit_return(audit=r["audit"], by=by, comment="Fix"),
    "comment on an audit": lambda r, by: audit_services.la_comment_add(
        audit=r["audit"], criterion=None, text="Note", by=by
    ),
    "mark a plan final": lambda r, by: plan_services.plan_finalise(plan=r["plan"], by=by),
    "return a plan": lambda r, by: plan_services.plan_return(plan=r["plan"], by=by, reason="Fix"),
    "comment on a plan": lambda r, by: plan_services.plan_comment_add(plan=r["plan"], by=by, text="Note"),
    "decide after an annual review": lambda r, by: plan_services.review_decide(
        review=r["review"], by=by, decision="maintain", sent_on=datetime.date(2026, 2, 20)
    ),
}

# Writes only an LA admin may make.
ADMIN_WRITES = {
    "add a school": lambda r, by: services.school_save(by=by, **_school_data(r["world"])),
    "upload a framework": lambda r, by: framework_services.framework_version_load(
        data=framework_data(publisher="local_authority", la_code=r["world"].la_x.code, slug="upload-test"),
        by=by,
        owner=r["world"].la_x,
        as_draft=True,
    ),
    "publish a framework": lambda r, by: framework_services.framework_version_publish(
        version=r["draft"], by=by
    ),
    "delete a draft framework": lambda r, by: framework_services.framework_version_delete_draft(
        version=r["draft"], by=by
    ),
    "invite an LA officer": lambda r, by: services.invitation_create(
        by=by, email="new@example.org", role=Role.LA_OFFICER
    ),
}

# Writes only the school's SENCO and headteacher may make.
SCHOOL_WRITES = {
    "withdraw a submitted audit": lambda r, by: audit_services.audit_reopen(audit=r["audit"], by=by),
    "start an audit": lambda r, by: make_audit(r["world"].school_a, by),
    "submit a plan": lambda r, by: plan_services.plan_submit(plan=r["plan"], by=by),
    "change a pupil": lambda r, by: plan_services.pupil_save(
        school=r["world"].school_a, by=by, pupil=r["pupil"], first_name="X"
    ),
    "add a pupil": lambda r, by: plan_services.pupil_save(school=r["world"].school_a, by=by, first_name="X"),
    "import pupils": lambda r, by: plan_services.pupil_import(
        school=r["world"].school_a, by=by, content=b"x"
    ),
    "add a need": lambda r, by: plan_services.need_save(
        version=r["plan"].versions.get(), by=by, area_of_need="semh", text="x"
    ),
    "arrange an annual review": lambda r, by: plan_services.review_start(
        plan=r["plan"], by=by, meeting_on=datetime.date(2026, 2, 2)
    ),
    "invite someone to a review": lambda r, by: plan_services.review_attendee_add(
        review=r["review"], by=by, name="X", role="Y", kind="other"
    ),
    "send a review report": lambda r, by: plan_services.review_report_send(
        review=r["review"], by=by, sent_on=datetime.date(2026, 2, 13)
    ),
}


@pytest.mark.parametrize("write", sorted(LA_WRITES))
@pytest.mark.parametrize(
    "persona", ["senco_a_user", "headteacher_a_user", "governor_a_user", "la_officer_y_user"]
)
def test_only_the_schools_own_la_makes_la_decisions(request, rows, write, persona):
    by = membership_of(request.getfixturevalue(persona))
    with pytest.raises(policy.NotAllowed):
        LA_WRITES[write](rows, by)


@pytest.mark.parametrize("write", sorted(ADMIN_WRITES))
@pytest.mark.parametrize(
    "persona", ["senco_a_user", "headteacher_a_user", "governor_a_user", "la_officer_x_user"]
)
def test_only_an_la_admin_makes_admin_changes(request, rows, write, persona):
    by = membership_of(request.getfixturevalue(persona))
    with pytest.raises(policy.NotAllowed):
        ADMIN_WRITES[write](rows, by)


def test_an_la_admin_of_another_la_cannot_add_a_school_to_this_one(rows, la_admin_y_user):
    with pytest.raises(policy.NotAllowed):
        ADMIN_WRITES["add a school"](rows, membership_of(la_admin_y_user))
    assert not School.objects.filter(urn="911111").exists()


@pytest.mark.parametrize("write", sorted(SCHOOL_WRITES))
@pytest.mark.parametrize(
    "persona", ["governor_a_user", "senco_b_user", "la_officer_x_user", "la_admin_x_user"]
)
def test_only_the_schools_own_staff_change_its_audits_and_pupils(request, rows, write, persona):
    by = membership_of(request.getfixturevalue(persona))
    with pytest.raises(policy.NotAllowed):
        SCHOOL_WRITES[write](rows, by)


@pytest.mark.parametrize("persona", ["senco_a_user", "headteacher_a_user", "la_officer_x_user"])
def test_only_a_governor_records_the_boards_review(request, rows, persona):
    with pytest.raises(policy.NotAllowed):
        audit_services.governor_review_record(
            audit=rows["audit"],
            reviewed_on=datetime.date(2026, 11, 1),
            minute_reference="M1",
            by=membership_of(request.getfixturevalue(persona)),
        )


def test_the_allowed_actor_still_succeeds(rows, la_officer_x_user, la_admin_x_user):
    """The refusals above are not a service that refuses everyone."""
    LA_WRITES["accept an audit"](rows, membership_of(la_officer_x_user))
    ADMIN_WRITES["publish a framework"](rows, membership_of(la_admin_x_user))
    rows["audit"].refresh_from_db()
    rows["draft"].refresh_from_db()
    assert rows["audit"].status == "accepted"
    assert rows["draft"].status == FrameworkVersion.Status.PUBLISHED


def test_a_deactivated_membership_may_do_nothing(rows, la_officer_x_user):
    by = membership_of(la_officer_x_user)
    by.is_active = False
    by.save()
    with pytest.raises(policy.NotAllowed):
        LA_WRITES["accept an audit"](rows, by)
