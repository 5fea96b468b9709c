"""Nothing shown to a signed-in person is kept by the browser or a proxy: `Cache-Control: no-store, private`."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.cache import get_max_age

from tests.audits.factories import PDF, make_audit
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",") if d.strip()}


def assert_not_stored(response) -> None:
    assert response.status_code in (200, 302), response.status_code
    assert {"no-store", "private"} <= directives(response), response.get("Cache-Control")
    assert "public" not in directives(response)


def test_a_page(senco_a):
    assert_not_stored(senco_a.get(reverse("home")))
    assert_not_stored(senco_a.get(reverse("accessibility")))  # even a public page, once signed in


def test_a_file_download(senco_a, senco_a_user, world):
    from audits import services

    audit = make_audit(world.school_a, senco_a_user)
    evidence = services.evidence_add(
        audit=audit,
        title="SEN policy",
        criteria=[audit.framework_version.criteria.first()],
        by=membership_of(senco_a_user),
        file_name="policy.pdf",
        data=PDF,
    )
    response = senco_a.get(
        reverse(
            "audits:evidence_download",
            kwargs={"audit_id": audit.public_id, "evidence_id": evidence.public_id},
        )
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert_not_stored(response)


def test_a_json_export(senco_a, world):
    from tests.ehcp.factories import PupilFactory

    pupil_a = PupilFactory(school=world.school_a)
    response = senco_a.get(reverse("ehcp:pupil_export", args=[pupil_a.public_id]))
    assert response["Content-Type"].startswith("application/json")
    assert_not_stored(response)


def test_an_htmx_partial(senco_a, senco_a_user, world):
    audit = make_audit(world.school_a, senco_a_user)
    response = senco_a.post(
        reverse("audits:rating_save", kwargs={"audit_id": audit.public_id, "criterion_ref": "S1-01"}),
        {
            "S1-01-level": "2",
            "S1-01-rationale": "Seen in lessons.",
            "S1-01-na_reason": "",
            "S1-01-version": "0",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "<html" not in response.content.decode()  # a fragment, not a page
    assert_not_stored(response)


def test_a_redirect_and_a_not_found(senco_a):
    response = senco_a.get(reverse("account_login"))  # signed in already: sent on
    assert response.status_code == 302
    assert_not_stored(response)
    response = senco_a.get("/audits/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert {"no-store", "private"} <= directives(response)


def test_public_pages_for_anonymous_people_may_be_cached(world):
    response = Client().get(reverse("accessibility"))
    assert response.status_code == 200
    assert "no-store" not in directives(response) and get_max_age(response) is None
