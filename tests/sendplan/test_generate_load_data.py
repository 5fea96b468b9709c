"""generate_load_data: a small run on PostgreSQL, checked by hand against what the command promises."""

import datetime
import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.utils import timezone

from audits.models import Audit, AuditLevel, Rating
from ehcp.models import Plan, PlanVersion, Pupil
from ehcp.services.plans import plan_dates_validate
from sendplan import load_data
from sendplan.models import Membership, Role, School, User
from standards.models import Criterion, FrameworkVersion, Section
from tests.sendplan.helpers import post_code, post_password, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def generate(**extra):
    call_command(
        "generate_load_data",
        "--schools",
        "5",
        "--criteria",
        "12",
        "--years",
        "2",
        stdout=io.StringIO(),
        **extra,
    )


def this_year_and_last():
    today = timezone.localdate()
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start - 1}/{start % 100:02d}", f"{start}/{(start + 1) % 100:02d}"


def test_a_small_run_has_the_promised_organisations_people_and_framework(settings):
    settings.DEBUG = True
    generate()
    assert School.objects.filter(local_authority__code="960").count() == 5
    assert School.objects.filter(local_authority__code="961").count() == 5  # the small LA, for isolation
    # Three people at each of 10 schools; 10 officers and an admin at LA 960, one of each at LA 961.
    assert User.objects.filter(email__endswith="@load.example").count() == 30 + 11 + 2
    assert Membership.objects.filter(role=Role.LA_OFFICER, local_authority__code="960").count() == 10
    senco = User.objects.get(email="senco.700001@load.example")
    assert senco.check_password("load-password-2026")
    # MFA for the roles that must have it, none for governors.
    assert Authenticator.objects.filter(user__email__endswith="@load.example").count() == 10 * 2 + 11 + 2
    assert not Authenticator.objects.filter(user__email__startswith="governor.").exists()
    version = FrameworkVersion.objects.get(framework__slug="load-oap")
    assert version.status == "published"
    assert Criterion.objects.filter(version=version).count() == 12
    assert Section.objects.filter(version=version).count() == 3
    assert Criterion.objects.filter(version=version, statutory=True).exists()


def test_audits_cover_two_years_and_every_state_and_obey_the_submission_rules(settings):
    settings.DEBUG = True
    generate()
    last_year, this_year = this_year_and_last()
    audits = Audit.objects.filter(framework__slug="load-oap")
    assert set(audits.values_list("academic_year", flat=True)) == {last_year, this_year}
    assert set(audits.filter(academic_year=last_year).values_list("status", flat=True)) == {"accepted"}
    # The first five schools of the large LA take the states of this year in turn.
    states = {}
    for urn in ("700001", "700002", "700003", "700004", "700005"):
        audit = audits.filter(school__urn=urn, academic_year=this_year).first()
        states[urn] = audit.status if audit else "not started"
    assert states == {
        "700001": "not started",
        "700002": "draft",
        "700003": "submitted",
        "700004": "returned",
        "700005": "accepted",
    }
    assert Rating.objects.filter(audit__in=audits).count() == audits.count() * 12
    for audit in audits.exclude(status="draft"):
        ratings = Rating.objects.filter(audit=audit).select_related("criterion")
        assert audit.submitted_at is not None
        for rating in ratings:
            assert rating.level is not None or rating.not_applicable  # complete when submitted
            assert not (rating.criterion.statutory and rating.not_applicable)  # a duty is never n/a
            if rating.level is not None and rating.level > 0:
                assert rating.rationale  # a rationale above "Not yet in place"
    returned = audits.get(school__urn="700004", academic_year=this_year)
    assert returned.decided_at is not None and len(returned.returned_snapshot["ratings"]) == 12
    assert returned.la_comments.exists()
    in_progress = audits.get(school__urn="700002", academic_year=this_year)
    assert Rating.objects.filter(audit=in_progress, level__isnull=True, not_applicable=False).exists()
    # The LA summary table is filled as the services would have kept it: the whole audit and 3 sections.
    assert AuditLevel.objects.filter(audit__in=audits, section__isnull=True).count() == audits.count()
    assert AuditLevel.objects.filter(audit__in=audits).count() == audits.count() * 4
    accepted = AuditLevel.objects.get(
        audit__school__urn="700005", audit__academic_year=this_year, section=None
    )
    assert accepted.level_label in {"Not yet in place", "Emerging", "Established", "Embedded"}


def test_plans_are_at_every_stage_with_valid_dates(settings):
    settings.DEBUG = True
    generate()
    today = timezone.localdate()
    # The first pupils of the large LA take each stage in turn (FORCED_PLANS), so every stage is there.
    plans = Plan.objects.filter(school__local_authority__code="960")
    shared = plans.filter(versions__status__in=["submitted", "returned", "final"]).distinct()

    def stage(plan):
        for name, field in (("final", "final_issued_on"), ("draft", "draft_sent_on"), ("advice", "advice_requested_on"), ("decision", "decided_on")):  # fmt: skip
            if getattr(plan, field):
                return name
        return "request"

    assert {stage(p) for p in shared} == {"request", "decision", "advice", "draft", "final"}
    # A request with no decision after 6 weeks (reg 4(2)) is overdue; one is, one is not.
    waiting = [p for p in shared if stage(p) == "request"]
    assert any(today - p.requested_on > datetime.timedelta(weeks=6) for p in waiting)
    assert any(today - p.requested_on <= datetime.timedelta(weeks=6) for p in waiting)
    finals = [p for p in shared if stage(p) == "final"]
    weeks = [(p.final_issued_on - p.requested_on).days / 7 for p in finals]
    assert any(w <= 20 for w in weeks) and any(w > 20 for w in weeks)
    assert any(p.time_limit_exception and (p.final_issued_on - p.requested_on).days > 140 for p in finals)
    for plan in Plan.objects.filter(school__local_authority__code__in=["960", "961"]):
        dates = {name: getattr(plan, name) for name in Plan.DATE_FIELDS}
        assert plan_dates_validate(today=today, **dates) == {}, plan
        if plan.status == "final":
            assert PlanVersion.objects.get(plan=plan).status == "final"
    # Pupils on the register with a plan are recorded E; those still being assessed K.
    assert set(Pupil.objects.filter(plans__final_issued_on__isnull=False).values_list("sen_provision", flat=True)) == {"E"}  # fmt: skip


def test_a_second_run_refuses_and_reset_replaces(settings):
    settings.DEBUG = True
    generate()
    with pytest.raises(CommandError, match="--reset"):
        generate()
    generate(reset=True)
    assert School.objects.filter(local_authority__code="960").count() == 5
    assert User.objects.filter(email__endswith="@load.example").count() == 43
    assert Audit.objects.filter(framework__slug="load-oap").count() <= 10 * 2


def test_a_generated_officer_signs_in_with_the_password_and_the_published_code(client, settings):
    settings.DEBUG = True
    generate()
    response = post_password(client, "officer1.960@load.example", load_data.LOAD_PASSWORD)
    assert response.status_code == 302
    response = post_code(client, totp_code(load_data.LOAD_TOTP_SECRET))
    assert response.status_code == 302
    assert client.get("/").status_code == 200
