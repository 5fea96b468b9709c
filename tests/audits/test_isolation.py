"""Isolation: outsiders never reach school A's audits; governors read only; LA officers never see drafts."""

import pytest
from django.urls import reverse

from audits.models import Audit, Rating
from tests.audits.factories import make_audit, sample_submitted_audit

pytestmark = pytest.mark.django_db

AUDIT_URLS = [
    ("audit_detail", {}),
    ("section", {"section_ref": "S1"}),
    ("rating_save", {"criterion_ref": "S1-01"}),
    ("audit_summary", {}),
    ("audit_check", {}),
    ("audit_history", {}),
    ("audit_compare", {}),
    ("evidence_list", {}),
    ("evidence_add", {}),
    ("evidence_edit", {"evidence": True}),
    ("evidence_download", {"evidence": True}),
    ("action_list", {}),
    ("action_add", {}),
    ("action_edit", {"action": True}),
    ("audit_export_csv", {}),
    ("audit_export_xlsx", {}),
    ("la_comment", {}),
    ("la_return", {}),
    ("la_accept", {}),
    ("governor_review", {}),
    ("audit_submit", {}),
    ("audit_withdraw", {}),
]
POST_ONLY = {"audit_submit", "audit_withdraw"}


def audit_urls(audit: Audit) -> list[tuple[str, str]]:
    evidence = audit.evidence_added.first()
    action = audit.actions.first()
    urls = []
    for name, extra in AUDIT_URLS:
        kwargs = {"audit_id": audit.public_id}
        kwargs.update({k: v for k, v in extra.items() if k not in ("evidence", "action")})
        if "evidence" in extra:
            kwargs["evidence_id"] = evidence.public_id
        if "action" in extra:
            kwargs["action_id"] = action.public_id
        urls.append((name, reverse(f"audits:{name}", kwargs=kwargs)))
    return urls


@pytest.fixture
def audit_a(world):
    return sample_submitted_audit(world.school_a, slug="isolation-sample")


def _snapshot(audit: Audit):
    audit.refresh_from_db()
    return (
        audit.status,
        list(Rating.objects.filter(audit=audit).order_by("pk").values_list("level", "version")),
        audit.events.count(),
        audit.la_comments.count(),
        audit.actions.count(),
    )


@pytest.mark.parametrize("persona", ["senco_b", "la_officer_y", "la_admin_y"])
def test_outsiders_get_404_on_every_audit_url_and_change_nothing(request, audit_a, persona):
    client = request.getfixturevalue(persona)
    before = _snapshot(audit_a)
    failures = []
    for name, address in audit_urls(audit_a):
        for method in ("get", "post"):
            if method == "get" and name in POST_ONLY:
                continue
            status = getattr(client, method)(address).status_code
            if status not in (403, 404):  # 403 only where the role itself is not allowed
                failures.append(f"{method.upper()} {name}: {status}")
            if (
                status == 403
                and persona == "senco_b"
                and name not in {"la_comment", "la_return", "la_accept", "governor_review"}
            ):
                failures.append(f"{method.upper()} {name}: 403 reveals the audit exists")
    assert not failures, failures
    assert _snapshot(audit_a) == before


def test_anonymous_is_sent_to_sign_in_everywhere(anonymous, audit_a):
    for name, address in audit_urls(audit_a):
        response = anonymous.post(address) if name in POST_ONLY else anonymous.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_la_officer_never_sees_a_draft(la_officer_x, la_admin_x, senco_a_user, world):
    draft = make_audit(world.school_a, senco_a_user)
    for client in (la_officer_x, la_admin_x):
        for name, extra in AUDIT_URLS:
            if "evidence" in extra or "action" in extra or name in POST_ONLY:
                continue
            kwargs = {"audit_id": draft.public_id, **extra}
            status = client.get(reverse(f"audits:{name}", kwargs=kwargs)).status_code
            assert status in (403, 404), (name, status)  # 403 only for pages no LA role may use
        page = client.get(reverse("audits:la_audit_list")).content.decode()
        assert str(draft.public_id) not in page


def test_governors_cannot_write(governor_a, audit_a):
    before = _snapshot(audit_a)
    for name in (
        "rating_save",
        "evidence_add",
        "action_add",
        "audit_submit",
        "audit_withdraw",
        "la_return",
        "la_accept",
    ):
        kwargs = {"audit_id": audit_a.public_id}
        if name == "rating_save":
            kwargs["criterion_ref"] = "S1-01"
        assert (
            governor_a.post(reverse(f"audits:{name}", kwargs=kwargs), {"S1-01-level": "0"}).status_code == 403
        ), name
    assert _snapshot(audit_a) == before


def test_a_governor_reads_the_audit(governor_a, audit_a):
    for name in ("audit_detail", "audit_summary", "action_list", "evidence_list", "audit_history"):
        assert (
            governor_a.get(reverse(f"audits:{name}", kwargs={"audit_id": audit_a.public_id})).status_code
            == 200
        )
    page = governor_a.get(
        reverse("audits:section", kwargs={"audit_id": audit_a.public_id, "section_ref": "S1"})
    )
    assert page.status_code == 200 and "hx-post" not in page.content.decode()


def test_lists_hold_no_foreign_rows(senco_b, la_officer_y, la_officer_x, audit_a):
    assert str(audit_a.public_id) not in senco_b.get(reverse("audits:audit_list")).content.decode()
    assert str(audit_a.public_id) not in la_officer_y.get(reverse("audits:la_audit_list")).content.decode()
    assert str(audit_a.public_id) in la_officer_x.get(reverse("audits:la_audit_list")).content.decode()
    assert "S1-01" not in la_officer_y.get(reverse("audits:la_weakest")).content.decode()
    assert "S1-01" in la_officer_x.get(reverse("audits:la_weakest")).content.decode()


def test_a_form_posting_another_schools_criterion_is_rejected(senco_b, senco_b_user, audit_a, world):
    mine = make_audit(world.school_b, senco_b_user, audit_a.framework_version)
    # school B's SENCO cannot reach school A's audit, even with a valid criterion ref
    address = reverse("audits:rating_save", kwargs={"audit_id": audit_a.public_id, "criterion_ref": "S1-02"})
    assert senco_b.post(address, {"S1-02-level": "0", "S1-02-version": "0"}).status_code == 404
    assert mine.ratings.filter(level__isnull=False).count() == 0
