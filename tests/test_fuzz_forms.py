"""The forms with the most logic behind them, fuzzed harder on PostgreSQL, in the states where they write.

The walk (tests/test_fuzz_every_form.py) meets school A's audit already submitted, so most audit forms
refuse early there; here the audit is in progress, the strategy and SEN report are drafts, the plan is a
draft, the invitation is real. Each page's forms get hostile values (tests/hostile.py); the imports get
hostile files; raw bytes that are not UTF-8 are posted too. Never a server error, and school B's and LA Y's
rows never change.
"""

import csv
import io
import re
from datetime import date
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendplan.models import Invitation, Membership
from tests.conftest import membership_of
from tests.hostile import ODD_STRINGS, build_other_tenant, fingerprint, fuzz_page, hostile_values

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PAGE = settings(FUZZ, max_examples=12)  # for each of several pages in one test


@pytest.fixture
def other_tenant(world, senco_b_user):
    return build_other_tenant(world, senco_b_user)


@pytest.fixture
def unchanged(world, other_tenant):
    return lambda: fingerprint(world.school_b, world.la_y) == other_tenant["before"]


def _audit(world, user):
    from audits import services
    from tests.audits.factories import PDF, make_audit

    audit = make_audit(world.school_a, user)
    criterion = audit.framework_version.criteria.order_by("ref").first()
    by = membership_of(user)
    evidence = services.evidence_add(
        audit=audit, title="SEN policy", criteria=[criterion], by=by, file_name="policy.pdf", data=PDF
    )
    action = services.action_create(
        audit=audit, criterion=criterion, what="Train staff", owner="SENCO", due=date(2030, 7, 1), by=by
    )
    return audit, evidence, action


def _plan(world):
    from tests.ehcp.factories import PlanFactory, PupilFactory, add_golden_thread

    pupil = PupilFactory(school=world.school_a, sen_provision="E", primary_need="SLCN")
    plan = PlanFactory(pupil=pupil, school=world.school_a)
    add_golden_thread(plan.versions.get())
    return plan


def pages_of_an_audit_in_progress(world, user):
    audit, evidence, action = _audit(world, user)
    k = {"audit_id": audit.public_id}
    return [
        reverse("audits:audit_list"),  # the form that starts an audit
        reverse("audits:audit_rate", kwargs=k),  # the whole audit on one page
        reverse("audits:section", kwargs={**k, "section_ref": "S1"}),  # autosaved criteria
        reverse("audits:rating_save", kwargs={**k, "criterion_ref": "S1-02"}),
        reverse("audits:evidence_add", kwargs=k),
        reverse("audits:evidence_edit", kwargs={**k, "evidence_id": evidence.public_id}),
        reverse("audits:action_add", kwargs=k),
        reverse("audits:action_edit", kwargs={**k, "action_id": action.public_id}),
        reverse("audits:audit_check", kwargs=k),
    ]


def pages_of_draft_publications(world, user):
    from tests.publications.factories import fill_strategy, make_report, make_strategy

    strategy = fill_strategy(make_strategy(world.school_a, user), user)
    report = make_report(world.school_a, user)
    s = {"strategy_id": strategy.public_id}
    return [
        reverse("publications:statement_edit", kwargs=s),
        reverse("publications:barrier_list", kwargs=s),
        reverse("publications:activity_add", kwargs=s),
        reverse("publications:outcome_add", kwargs=s),
        reverse("publications:cover_edit", kwargs={"publication_id": strategy.public_id}),
        reverse("publications:section_edit", kwargs={"sen_report_id": report.public_id, "item": "1"}),
    ]


def pages_of_a_draft_plan(world, user):
    plan = _plan(world)
    pupil = plan.pupil
    return [
        reverse("ehcp:pupil_add"),
        reverse("ehcp:pupil_edit", args=[pupil.public_id]),
        reverse("ehcp:carer_add", args=[pupil.public_id]),
        *[reverse("ehcp:section_detail", args=[plan.public_id, s]) for s in ("A", "B", "E", "F", "I", "K")],
        reverse("ehcp:plan_dates", args=[plan.public_id]),
    ]


SCHOOL_PAGES = {
    "audit": pages_of_an_audit_in_progress,
    "publication": pages_of_draft_publications,
    "plan": pages_of_a_draft_plan,
}


@pytest.mark.parametrize("kind", sorted(SCHOOL_PAGES))
def test_a_sencos_forms_never_fail_and_never_reach_another_school(
    kind, world, senco_a, senco_a_user, other_tenant, unchanged
):
    for url in SCHOOL_PAGES[kind](world, senco_a_user):
        fuzz_page(senco_a, url, other_tenant["ids"], unchanged, PAGE)


def test_an_la_officers_comment_and_decision_forms_never_fail(world, la_officer_x, other_tenant, unchanged):
    from tests.audits.factories import sample_submitted_audit

    audit = sample_submitted_audit(world.school_a, slug="fuzz-la-decisions")
    k = {"audit_id": audit.public_id}
    for name in ("audits:audit_detail", "audits:la_comment", "audits:la_return", "audits:la_accept"):
        fuzz_page(la_officer_x, reverse(name, kwargs=k), other_tenant["ids"], unchanged, PAGE)


def test_the_invitation_forms_never_fail(
    world, la_admin_x, headteacher_a, headteacher_a_user, other_tenant, unchanged
):
    from sendplan import services

    fuzz_page(la_admin_x, reverse("sendplan:invite"), other_tenant["ids"], unchanged, PAGE)
    fuzz_page(headteacher_a, reverse("sendplan:invite"), other_tenant["ids"], unchanged, PAGE)
    _, token = services.invitation_create(
        by=membership_of(headteacher_a_user), email="new.governor@example.org", role="governor"
    )
    fuzz_page(Client(), reverse("invitation_accept", args=[token]), other_tenant["ids"], unchanged, PAGE)
    assert not Membership.objects.filter(
        school=world.school_b, user__email="new.governor@example.org"
    ).exists()


@FUZZ
@given(token=hostile_values([]).filter(lambda t: t.strip()))
def test_any_invitation_token_gets_a_page(world, token):
    response = Client().get(f"/invitations/{quote(token, safe='')}/")
    assert response.status_code in (200, 404, 410)  # 410: "this invitation link no longer works"
    assert not Invitation.objects.exists()


MIS_HEADINGS = [
    "Legal Forename",
    "Legal Surname",
    "DOB",
    "Year",
    "SEN Status",
    "Primary Need",
    "UPN",
    "Gender",
]


@FUZZ
@given(
    headings=st.lists(st.one_of(st.sampled_from(MIS_HEADINGS), hostile_values([])), min_size=0, max_size=8),
    rows=st.lists(
        st.lists(st.one_of(st.sampled_from(ODD_STRINGS), st.text(max_size=12)), max_size=9), max_size=5
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
    decide=st.sampled_from(["confirm", "discard", "columns", "none"]),
)
def test_any_mis_export_gets_a_page_and_imports_only_into_the_own_school(
    world, senco_a, other_tenant, unchanged, headings, rows, encoding, decide
):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([h.replace("\x00", "") for h in headings])
    writer.writerows([[c.replace("\x00", "\\0") for c in row] for row in rows])
    content = buffer.getvalue().encode(encoding, errors="replace")
    upload = SimpleUploadedFile("export.csv", content, content_type="text/csv")
    response = senco_a.post(reverse("ehcp:pupil_import"), {"file": upload})
    assert response.status_code in (200, 302)
    found = re.search(r"/pupils/import/([0-9a-f-]{36})/", response.get("Location", ""))
    if found and decide != "none":
        import_id = found.group(1)
        preview = reverse("ehcp:pupil_import_preview", args=[import_id])
        page = senco_a.get(preview)
        assert page.status_code in (200, 302)
        if decide == "columns":
            columns = reverse("ehcp:pupil_import_columns", args=[import_id])
            response = senco_a.post(columns, {h: "first_name" for h in headings})
        elif decide == "discard":
            response = senco_a.post(reverse("ehcp:pupil_import_discard", args=[import_id]))
        else:
            digest = re.search(r'name="digest" value="([^"]*)"', page.content.decode())
            response = senco_a.post(preview, {"digest": digest.group(1) if digest else "", "confirm": "1"})
        assert response.status_code < 500
    assert unchanged()


@FUZZ
@given(
    name=st.sampled_from(
        ["framework.yaml", "framework.yml", "framework.csv", "framework.xlsx", "f.txt", "../x.yaml"]
    ),
    content=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda t: t.encode("utf-8", errors="replace")),
        st.sampled_from(ODD_STRINGS).map(lambda t: f"slug: {t}\nname: {t}\nversion: {t}\n".encode()),
    ),
)
def test_any_framework_upload_gets_a_page(world, la_admin_x, other_tenant, unchanged, name, content):
    response = la_admin_x.post(
        reverse("standards:framework_upload"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code in (200, 302)
    assert unchanged()


FORM_TARGETS = {
    "audit start": lambda world, user: reverse("audits:audit_start"),
    "pupil": lambda world, user: reverse("ehcp:pupil_add"),
    "invitation": lambda world, user: reverse("sendplan:invite"),
    "report request": lambda world, user: reverse("sendplan:report_request"),
}


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=nonsense",  # a charset Python does not know
    "multipart/form-data; boundary=xyz",  # a multipart body that is not one
    "multipart/form-data",  # no boundary at all
    "application/json",
    "text/plain",
]


@pytest.mark.parametrize("target", sorted(FORM_TARGETS))
@FUZZ
@given(body=st.binary(max_size=300), content_type=st.sampled_from(CONTENT_TYPES))
def test_a_body_that_is_not_a_form_gets_a_page(world, senco_a, senco_a_user, target, body, content_type):
    """Scripts can send any bytes with any content type: undecodable, malformed multipart, JSON."""
    url = FORM_TARGETS[target](world, senco_a_user)
    content = b"title=" + body + b"&first_name=%FF%FE%00&email=\xff@x"
    if content_type.startswith("multipart"):
        content = b"--xyz\r\nContent-Disposition: form-data; name=" + body + b"\r\n\r\n" + body
    response = senco_a.generic("POST", url, content, content_type=content_type)
    assert response.status_code < 500


def test_a_hand_edited_audit_choice_on_the_suggestion_pages_reads_as_no_choice(world, senco_a, senco_a_user):
    """Found by the walk: ?audit= that was not a UUID reached a UUID lookup and gave a server error."""
    from tests.publications.factories import make_strategy

    strategy = make_strategy(world.school_a, senco_a_user)
    url = reverse("publications:barrier_list", kwargs={"strategy_id": strategy.public_id})
    for value in (" ", "not-an-id", "a\x00b", "1"):
        assert senco_a.get(url, {"audit": value}).status_code == 200
