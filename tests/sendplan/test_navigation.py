"""The service navigation fits the person's role and marks where they are."""

import re

import pytest
from django.urls import reverse

NAV = {
    "senco_a": ["Home", "Audits", "Pupils", "Public documents", "Reports", "Frameworks"],
    "headteacher_a": ["Home", "Audits", "Pupils", "Public documents", "Reports", "Frameworks", "People"],
    "governor_a": ["Home", "Audits", "Public documents", "Reports", "Frameworks"],
    "la_officer_x": [
        "Home",
        "Audit round",
        "Submitted audits",
        "EHC plans",
        "Published documents",
        "Reports",
        "Frameworks",
    ],
    "la_admin_x": [
        "Home",
        "Audit round",
        "Submitted audits",
        "EHC plans",
        "Published documents",
        "Legal holds",
        "Reports",
        "Frameworks",
        "People",
    ],
}


def nav_labels(html: str) -> list[str]:
    items = re.findall(r'class="govuk-service-navigation__link" href="[^"]*"[^>]*>(.*?)</a>', html, re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def current_label(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r'aria-current="page">(.*?)</a>', html, re.S).group(1)).strip()


@pytest.mark.parametrize("persona", NAV)
def test_each_role_sees_its_own_sections(request, world, persona):
    html = request.getfixturevalue(persona).get(reverse("home")).content.decode()
    assert nav_labels(html) == [*NAV[persona], "Notifications", "Your account"]  # then the Sign out button
    assert current_label(html) == "Home"


@pytest.mark.parametrize(
    "persona,url_name,current",
    [
        ("senco_a", "audits:audit_list", "Audits"),
        ("senco_a", "ehcp:register", "Pupils"),
        ("senco_a", "sendplan:report_list", "Reports"),
        ("headteacher_a", "sendplan:invite", "People"),
        ("la_officer_x", "audits:la_audit_list", "Submitted audits"),
        ("la_officer_x", "audits:la_round", "Audit round"),
        ("la_officer_x", "standards:framework_list", "Frameworks"),
        ("la_admin_x", "ehcp:la_plan_list", "EHC plans"),
        ("la_admin_x", "ehcp:legal_holds", "Legal holds"),
        ("la_officer_x", "sendplan:la_report_list", "Reports"),  # the LA's own reports (the LA summary)
        ("la_officer_x", "ehcp:la_pipeline", "EHC plans"),
    ],
)
def test_the_current_section_is_marked(request, world, persona, url_name, current):
    html = request.getfixturevalue(persona).get(reverse(url_name)).content.decode()
    assert current_label(html) == current
    assert html.count('aria-current="page"') == 1
