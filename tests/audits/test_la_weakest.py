"""Where provision is weakest: the spread of levels per criterion with the schools named, across an LA.

The dataset is small and built by hand; every expected value below was worked out by hand from it.

LA X: school A (primary), C (secondary), D (primary), E (primary, no audit). LA Y: school B.
Framework "four" (levels Not yet in place / Emerging / Established / Embedded, stored 0–3), criteria
S1-01 (a statutory duty), S1-02, S1-03, S2-01, S2-02, S2-03. For 2026/27:

    criterion  A (submitted)      C (returned, changed, resubmitted)   D (draft)   B (LA Y, submitted)
    S1-01      Not yet in place   Established                          NYIP        NYIP
    S1-02      Not yet in place   Not yet in place                     NYIP        NYIP
    S1-03      not applicable     Emerging                             NYIP        NYIP
    S2-01      Embedded           Established                          NYIP        NYIP
    S2-02      Established        Established                          NYIP        NYIP
    S2-03      Emerging           not rated                            NYIP        NYIP

C first submitted everything at Not yet in place, was returned, and resubmitted the values above; a
school whose audit is back with it and not yet resubmitted counts for nothing. In 2025/26 A's accepted
audit of the same version rated everything Emerging except S1-02 (Not yet in place).

Framework "rag" (Red / Amber / Green, stored 1–3), 2026/27: A rates S1-01 Green, the rest Red; C rates
everything Amber.

Section levels (the mean of the rated criteria, rounded to the nearest level, halves down; a statutory
duty below Established holds a level at Emerging at most; provisional while a criterion is not rated):

    four 2026/27   S1                        S2                         overall
    A              0, 0 → Not yet in place   3, 2, 1 → Established      6/5 → Emerging
    C              2, 0, 1 → Emerging        2, 2 → Established (prov.) 7/5 → Emerging (provisional)
    A 2025/26      1, 0, 1 → Emerging        1, 1, 1 → Emerging         5/6 → Emerging
    rag 2026/27
    A              3, 1, 1 → Amber           1, 1, 1 → Red              8/6 → Red
    C              Amber                     Amber                      Amber
"""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from audits import services, weakest
from audits.levels import audit_levels_refresh
from audits.models import Audit, AuditLevel, Rating
from sendplan.models import School
from standards.models import RatingScale, ScaleLevel
from tests.audits.factories import make_audit, make_version
from tests.conftest import make_member, membership_of
from tests.factories import SchoolFactory

NYIP, EMERGING, ESTABLISHED, EMBEDDED = 0, 1, 2, 3
NA, UNRATED = "na", "unrated"
REFS = ["S1-01", "S1-02", "S1-03", "S2-01", "S2-02", "S2-03"]


def rate(audit, user, levels: dict) -> None:
    """Rate each criterion through the service: a level, or "na" (not applicable)."""
    for rating in Rating.objects.filter(audit=audit).select_related("criterion"):
        value = levels[rating.criterion.ref]
        services.rating_record(
            audit=audit,
            response=rating,
            level=None if value == NA else value,
            not_applicable=value == NA,
            na_reason="Not offered here" if value == NA else "",
            rationale="We see this in practice.",
            expected_version=rating.version,
            by=membership_of(user),
        )


def everything(value) -> dict:
    return dict.fromkeys(REFS, value)


def rag_version():
    """Build a version whose own scale is a three-point RAG numbered 1 to 3."""
    version = make_version(slug="rag", label="RAG 2026")
    scale = RatingScale.objects.create(allow_not_applicable=True, met_value=2)
    ScaleLevel.objects.bulk_create(
        [
            ScaleLevel(scale=scale, value=1, label="Red", descriptor="Not in place."),
            ScaleLevel(scale=scale, value=2, label="Amber", descriptor="Partly in place."),
            ScaleLevel(scale=scale, value=3, label="Green", descriptor="In place."),
        ]
    )
    old = version.scale
    version.scale = scale
    version.save()
    old.delete()
    return version


@pytest.fixture
def data(world, la_officer_x_user):
    la_x = membership_of(la_officer_x_user)
    a = world.school_a
    c = SchoolFactory(name="School C", local_authority=world.la_x, phase=School.Phase.SECONDARY)
    d = SchoolFactory(name="School D", local_authority=world.la_x)
    e = SchoolFactory(name="School E", local_authority=world.la_x)
    senco = {
        s: make_member("senco", school=s, email=f"senco.{s.urn}@example.org")
        for s in (a, c, d, world.school_b)
    }
    four = make_version(slug="four")

    last_year = make_audit(a, senco[a], four, year="2025/26")
    rate(last_year, senco[a], {**everything(EMERGING), "S1-02": NYIP})
    services.audit_submit(audit=last_year, by=membership_of(senco[a]))
    services.audit_accept(audit=last_year, by=la_x)

    audit_a = make_audit(a, senco[a], four)
    rate(
        audit_a,
        senco[a],
        {
            "S1-01": NYIP,
            "S1-02": NYIP,
            "S1-03": NA,
            "S2-01": EMBEDDED,
            "S2-02": ESTABLISHED,
            "S2-03": EMERGING,
        },
    )
    services.audit_submit(audit=audit_a, by=membership_of(senco[a]))

    audit_c = make_audit(c, senco[c], four)
    rate(audit_c, senco[c], everything(NYIP))
    services.audit_submit(audit=audit_c, by=membership_of(senco[c]))
    services.audit_return(audit=audit_c, by=la_x, comment="Look again at S1.")
    rate(audit_c, senco[c], {**everything(ESTABLISHED), "S1-02": NYIP, "S1-03": EMERGING})
    services.audit_submit(audit=audit_c, by=membership_of(senco[c]))
    # Submitted with every criterion answered; the rating of S2-03 is then lost (set-up only): not rated.
    Rating.objects.filter(audit=audit_c, criterion__ref="S2-03").update(level=None)
    audit_levels_refresh(audit_c)

    draft = make_audit(d, senco[d], four)
    rate(draft, senco[d], everything(NYIP))

    audit_b = make_audit(world.school_b, senco[world.school_b], four)
    rate(audit_b, senco[world.school_b], everything(NYIP))
    services.audit_submit(audit=audit_b, by=membership_of(senco[world.school_b]))

    rag = rag_version()
    for school, levels in ((a, {**everything(1), "S1-01": 3}), (c, everything(2))):
        audit = make_audit(school, senco[school], rag)
        rate(audit, senco[school], levels)
        services.audit_submit(audit=audit, by=membership_of(senco[school]))
    return {"four": four, "rag": rag, "a": a, "c": c, "d": d, "e": e, "b": world.school_b}


def page(client, version, **params):
    query = {"version": str(version.public_id), "year": "2026/27", **params}
    return client.get(reverse("audits:la_weakest"), query)


def spread_table(response) -> list[tuple]:
    """Return, per criterion in the order shown, the counts and named schools at each level."""
    return [
        (
            item.criterion.ref,
            [(cell.count, [n.school_name for n in cell.named]) for cell in item.levels],
            (item.not_applicable.count, [n.school_name for n in item.not_applicable.named]),
            (item.not_rated.count, [n.school_name for n in item.not_rated.named]),
        )
        for item in response.context["spreads"]
    ]


def test_the_spread_of_a_four_level_scale_names_the_schools_lowest_first(la_officer_x, data):
    response = page(la_officer_x, data["four"])
    assert response.status_code == 200
    none = (0, [])
    a, c = ["School A"], ["School C"]
    assert spread_table(response) == [
        ("S1-02", [(2, ["School A", "School C"]), none, none, none], none, none),
        ("S1-01", [(1, a), none, (1, c), none], none, none),
        ("S1-03", [none, (1, c), none, none], (1, a), none),
        ("S2-03", [none, (1, a), none, none], none, (1, c)),
        ("S2-02", [none, none, (2, ["School A", "School C"]), none], none, none),
        ("S2-01", [none, none, (1, c), (1, a)], none, none),
    ]
    assert [(lv.label, lv.place) for lv in response.context["levels"]] == [
        ("Not yet in place", "1 of 4"),
        ("Emerging", "2 of 4"),
        ("Established", "3 of 4"),
        ("Embedded", "4 of 4"),
    ]
    assert response.context["coverage"] == {"schools": 4, "handed": 2, "not_handed": 2}
    html = response.content.decode()
    assert "2 of 4 schools</strong> handed an audit" in html
    assert reverse("sendplan:school_detail", args=[data["a"].public_id]) in html
    audit_c = Audit.objects.get(school=data["c"], framework_version=data["four"])
    assert f"{reverse('audits:section', args=[audit_c.public_id, 'S1'])}?from=weakest#criterion-S1-01" in html
    # Never a draft, never the LA Y school, never a bare average
    assert "School D" not in html and "School B" not in html and "0.50" not in html


def test_a_three_point_rag_scale_is_counted_on_its_own_levels(la_officer_x, data):
    response = page(la_officer_x, data["rag"])
    assert [(lv.label, lv.place) for lv in response.context["levels"]] == [
        ("Red", "1 of 3"),
        ("Amber", "2 of 3"),
        ("Green", "3 of 3"),
    ]
    none = (0, [])
    a, c = ["School A"], ["School C"]
    rows = spread_table(response)
    assert rows[0] == ("S1-02", [(1, a), (1, c), none], none, none)
    assert [row[0] for row in rows] == ["S1-02", "S1-03", "S2-01", "S2-02", "S2-03", "S1-01"]
    assert rows[-1] == ("S1-01", [none, (1, c), (1, a)], none, none)
    assert "Not yet in place" not in response.content.decode()


def test_filters_by_phase_and_area(la_officer_x, data):
    response = page(la_officer_x, data["four"], phase="secondary", area="S2")
    assert response.context["coverage"] == {"schools": 1, "handed": 1, "not_handed": 0}
    none = (0, [])
    assert spread_table(response) == [
        ("S2-01", [none, none, (1, ["School C"]), none], none, none),  # a tie: the framework's order
        ("S2-02", [none, none, (1, ["School C"]), none], none, none),
        ("S2-03", [none, none, none, none], none, (1, ["School C"])),
    ]


def test_compare_with_the_year_before(la_officer_x, data):
    response = page(la_officer_x, data["four"], compare="yes")
    lowest = {item.criterion.ref: item.lowest_last_year for item in response.context["spreads"]}
    assert lowest == {"S1-01": 0, "S1-02": 1, "S1-03": 0, "S2-01": 0, "S2-02": 0, "S2-03": 0}
    detail = la_officer_x.get(
        reverse("audits:la_weakest_criterion"),
        {"version": str(data["four"].public_id), "year": "2026/27", "compare": "yes", "criterion": "S1-01"},
    )
    rows = {r.school.name: (r.group, r.last_year_label, r.change) for r in detail.context["rows"]}
    assert rows == {
        "School A": ("Not yet in place", "Emerging", "Down 1 level"),
        "School C": ("Established", "", ""),
        "School D": ("No audit handed to the local authority", "", ""),
        "School E": ("No audit handed to the local authority", "", ""),
    }
    html = detail.content.decode()
    assert "Down 1 level" in html
    back = reverse("audits:la_weakest") + "?" + weakest.query_of(detail.context["choice"])
    assert back.replace("&", "&amp;") in html  # the way back keeps the filters


@pytest.mark.parametrize(
    "old,now,expected",
    [
        # the same name is the same level, whatever its position
        (("Emerging", 1, 4), ["Not yet in place", "Emerging", "Established", "Embedded"], "Emerging"),
        (("Amber", 1, 3), ["Red", "Amber", "Green"], "Amber"),
        # otherwise the same position on a scale as long
        (
            ("Beginning", 0, 4),
            ["Not yet in place", "Emerging", "Established", "Embedded"],
            "Not yet in place",
        ),
        # a four-level scale and a three-point RAG cannot be compared
        (("Emerging", 1, 4), ["Red", "Amber", "Green"], None),
    ],
)
def test_levels_of_two_scales_compare_by_name_then_position(old, now, expected):
    levels = [weakest.Level(label=label, position=i, of=len(now)) for i, label in enumerate(now)]
    found = weakest.Scales(levels={}, values={}).comparable(weakest.Level(*old), levels)
    assert (found.label if found else None) == expected


def test_la_y_sees_nothing_of_la_x_on_the_page_or_the_exports(la_officer_y, la_officer_x, data):
    for client, theirs, others in (
        (la_officer_y, ["School B"], ["School A", "School C", "School D", "School E"]),
        (la_officer_x, ["School A", "School C"], ["School B"]),
    ):
        query = {"version": str(data["four"].public_id), "year": "2026/27", "compare": "yes"}
        html = client.get(reverse("audits:la_weakest"), query).content.decode()
        heat = client.get(reverse("audits:la_weakest_schools"), query).content.decode()
        text = client.get(reverse("audits:la_weakest_csv"), query).content.decode("utf-8-sig")
        schools = client.get(reverse("audits:la_weakest_csv"), {**query, "view": "schools"}).content.decode()
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(client.get(reverse("audits:la_weakest_xlsx"), query).content))
        cells = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
        for name in theirs:
            assert all(name in x for x in (html, heat, text, schools, cells)), name
        for name in others:
            assert not any(name in x for x in (html, heat, text, schools, cells)), name
    # LA Y has no audit of the RAG framework: the version cannot be chosen
    html = page(la_officer_y, data["rag"]).content.decode()
    assert "Red" not in html and "School A" not in html


def test_the_csv_and_excel_files_hold_what_the_page_shows(la_officer_x, data):
    query = {"version": str(data["four"].public_id), "year": "2026/27"}
    response = la_officer_x.get(reverse("audits:la_weakest_csv"), query)
    assert response["Content-Disposition"] == 'attachment; filename="weakest-provision-four-2026-27.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][4:6] == ["Not yet in place (1 of 4): schools", "Not yet in place: school names"]
    assert [row[0] for row in rows[1:]] == ["S1-02", "S1-01", "S1-03", "S2-03", "S2-02", "S2-01"]
    assert rows[1][4:6] == ["2", "School A; School C"]
    assert rows[3][12:16] == ["1", "School A", "0", ""]  # S1-03: A not applicable, none unrated
    from openpyxl import load_workbook

    xlsx = la_officer_x.get(reverse("audits:la_weakest_xlsx"), query)
    sheet = load_workbook(io.BytesIO(xlsx.content))["Criteria"]
    assert sheet["A2"].value.startswith("2 of 4 schools handed this audit")
    values = list(sheet.iter_rows(min_row=4, values_only=True))
    assert values[0][4] == "Not yet in place (1 of 4): schools"
    assert values[1][:6] == ("S1-02", "Statement for S1-02.", "Section S1", "No", 2, "School A; School C")


def test_the_criterion_page_lists_every_school(la_officer_x, data):
    response = la_officer_x.get(
        reverse("audits:la_weakest_criterion"),
        {"version": str(data["four"].public_id), "year": "2026/27", "criterion": "S1-03"},
    )
    groups = [(r.school.name, r.group) for r in response.context["rows"]]
    assert groups == [
        ("School C", "Emerging"),
        ("School A", "Not applicable"),
        ("School D", "No audit handed to the local authority"),
        ("School E", "No audit handed to the local authority"),
    ]
    unknown = la_officer_x.get(
        reverse("audits:la_weakest_criterion"),
        {"version": str(data["four"].public_id), "year": "2026/27", "criterion": "S9-99"},
    )
    assert unknown.status_code == 404


def test_an_la_with_no_audits_handed_is_told_so(la_officer_x, world):
    response = la_officer_x.get(reverse("audits:la_weakest"))
    assert response.status_code == 200
    assert "No school has handed an audit" in response.content.decode()


def heat(response) -> list[tuple]:
    """Return each row of the heatmap as the page shows it: school, overall and each section, by name."""
    return [
        (
            row.school_name,
            row.overall.text if row.overall else None,
            [c.text if c else None for c in row.cells],
        )
        for row in response.context["rows"]
    ]


def test_the_heatmap_writes_each_schools_section_level(la_officer_x, data):
    query = {"version": str(data["four"].public_id), "year": "2026/27", "compare": "yes"}
    response = la_officer_x.get(reverse("audits:la_weakest_schools"), query)
    assert [s.ref for s in response.context["sections"]] == ["S1", "S2"]
    assert heat(response) == [
        ("School A", "Emerging", ["Not yet in place", "Established"]),
        ("School C", "Emerging", ["Emerging", "Established"]),
        ("School D", None, [None, None]),
        ("School E", None, [None, None]),
    ]
    a, c = response.context["rows"][:2]
    assert [(x.last_year, x.change) for x in [a.overall, *a.cells]] == [
        ("Emerging", "No change"),
        ("Emerging", "Down 1 level"),
        ("Emerging", "Up 1 level"),
    ]
    assert (c.overall.provisional, c.cells[1].provisional, c.cells[1].last_year) == (True, True, "")
    html = response.content.decode()
    assert html.count("No audit handed to the local authority") == 2  # D (a draft) and E
    assert "Down 1 level" in html and "School B" not in html
    audit_a = Audit.objects.get(school=data["a"], framework_version=data["four"], academic_year="2026/27")
    assert reverse("audits:section", args=[audit_a.public_id, "S2"]) in html
    plain = la_officer_x.get(reverse("audits:la_weakest_schools"), {**query, "plain": "yes"}).content.decode()
    assert "app-heatmap--plain" in plain and "Not yet in place" in plain


def test_the_heatmap_of_a_rag_scale(la_officer_x, data):
    query = {"version": str(data["rag"].public_id), "year": "2026/27"}
    response = la_officer_x.get(reverse("audits:la_weakest_schools"), query)
    assert heat(response)[:2] == [
        ("School A", "Red", ["Amber", "Red"]),
        ("School C", "Amber", ["Amber", "Amber"]),
    ]
    csv_text = la_officer_x.get(reverse("audits:la_weakest_csv"), {**query, "view": "schools"})
    rows = list(csv.reader(io.StringIO(csv_text.content.decode("utf-8-sig"))))
    assert rows[0] == ["School", "URN", "Phase", "Overall", "S1 Section S1", "S2 Section S2"]
    assert rows[1][0] == "School A" and rows[1][3:] == ["Red", "Amber", "Red"]


def _bulk_schools(world, version, n: int) -> None:
    """Add ``n`` schools of LA X, each with a submitted audit of the version rated at every level in turn."""
    schools = School.objects.bulk_create(
        [
            School(
                name=f"Bulk school {i:03d}",
                urn=f"{700000 + i:06d}",
                local_authority=world.la_x,
                phase=School.Phase.PRIMARY,
                school_type=School.Type.COMMUNITY,
            )
            for i in range(n)
        ]
    )
    now = timezone.now()
    audits = Audit.objects.bulk_create(
        [
            Audit(
                school=s,
                framework=version.framework,
                framework_version=version,
                academic_year="2026/27",
                status=Audit.Status.SUBMITTED,
                submitted_at=now,
            )
            for s in schools
        ]
    )
    criteria = list(version.criteria.all())
    Rating.objects.bulk_create(
        [
            Rating(school_id=audit.school_id, audit=audit, criterion=c, level=(i + j) % 4)
            for i, audit in enumerate(audits)
            for j, c in enumerate(criteria)
        ]
    )
    labels = ["Not yet in place", "Emerging", "Established", "Embedded"]
    sections = [None, *version.sections.all()]
    AuditLevel.objects.bulk_create(
        [
            AuditLevel(
                school_id=audit.school_id,
                audit=audit,
                section=section,
                level_label=labels[i % 4],
                level_position=1 + i % 4,
                scale_size=4,
            )
            for i, audit in enumerate(audits)
            for section in sections
        ]
    )


@pytest.mark.parametrize("schools", [5, 600])
def test_a_fixed_number_of_queries_whatever_the_number_of_schools(
    la_officer_x, world, django_assert_num_queries, schools
):
    version = make_version(slug="bulk")
    _bulk_schools(world, version, schools)
    query = {"version": str(version.public_id), "year": "2026/27", "compare": "yes"}
    la_officer_x.get(reverse("audits:la_weakest"), query)  # the session and membership are cached after this
    with django_assert_num_queries(QUERIES_PAGE):
        response = la_officer_x.get(reverse("audits:la_weakest"), query)
    assert response.context["coverage"]["handed"] == schools
    with django_assert_num_queries(QUERIES_CRITERION):
        la_officer_x.get(reverse("audits:la_weakest_criterion"), {**query, "criterion": "S1-01"})
    with django_assert_num_queries(QUERIES_SCHOOLS):
        response = la_officer_x.get(reverse("audits:la_weakest_schools"), query)
    assert response.context["handed"] == schools
    assert len(response.context["rows"]) == min(schools + 1, 100)  # with school A, which has no audit
    with django_assert_num_queries(QUERIES_EXPORT):
        la_officer_x.get(reverse("audits:la_weakest_csv"), query)
    with django_assert_num_queries(QUERIES_XLSX):
        la_officer_x.get(reverse("audits:la_weakest_xlsx"), query)


QUERIES_PAGE = 17
QUERIES_CRITERION = 17
QUERIES_EXPORT = 16
QUERIES_SCHOOLS = 17
QUERIES_XLSX = 22


def test_the_audit_leads_back_to_the_page_it_was_reached_from_with_its_filters(la_officer_x, data):
    query = {
        "version": str(data["four"].public_id),
        "year": "2026/27",
        "phase": "secondary",
        "criterion": "S1-01",
    }
    detail = la_officer_x.get(reverse("audits:la_weakest_criterion"), query)
    audit_c = Audit.objects.get(school=data["c"], framework_version=data["four"])
    rating = f"{reverse('audits:section', args=[audit_c.public_id, 'S1'])}?from=weakest#criterion-S1-01"
    assert rating in detail.content.decode()
    section = la_officer_x.get(rating.split("#")[0]).content.decode()
    came_from = reverse("audits:la_weakest_criterion") + "?" + urlencode(query)
    assert (
        f'href="{came_from.replace("&", "&amp;")}" class="govuk-back-link">Where provision is weakest'
        in section
    )
    # reached any other way, the audit's own way back
    plain = la_officer_x.get(reverse("audits:section", args=[audit_c.public_id, "S1"])).content.decode()
    assert "Where provision is weakest" not in plain and ">All sections<" in plain
