"""The LA's EHC plan pipeline: figures worked out by hand (tests/ehcp/pipeline_data.py), the page, the
drill-down to the plans behind a figure and back, the exports, isolation and a fixed query count."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from ehcp.models import PlanVersion
from ehcp.selectors.pipeline import pipeline_figures
from sendplan.models import AccessEvent, School
from tests.conftest import membership_of
from tests.ehcp import pipeline_data
from tests.ehcp.pipeline_data import NOON_TODAY, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(world):
    return pipeline_data.build(world)


def test_the_figures_match_the_hand_worked_dataset(plans, la_officer_x_user):
    figures = pipeline_figures(membership_of(la_officer_x_user), today=TODAY)

    assert [(key, n) for key, _, n in figures.stages] == [
        ("request", 1),
        ("decision", 1),
        ("advice", 1),
        ("draft", 1),
        ("final", 5),
    ]
    assert figures.plans == 9

    months = {m.month: m for m in figures.months}
    assert list(months)[0] == date(2025, 7, 1) and list(months)[-1] == date(2026, 6, 1)
    assert len(months) == 12
    april, march = months[date(2026, 4, 1)], months[date(2026, 3, 1)]
    assert (
        april.issued,
        april.on_time,
        april.issued_without_exceptions,
        april.on_time_without_exceptions,
    ) == (
        2,
        1,
        1,
        1,
    )
    assert (
        march.issued,
        march.on_time,
        march.issued_without_exceptions,
        march.on_time_without_exceptions,
    ) == (
        2,
        1,
        1,
        0,
    )
    assert (april.share, march.share_without_exceptions) == (50, 0)
    others = [m for month, m in months.items() if month not in (date(2026, 4, 1), date(2026, 3, 1))]
    assert all(m.issued == 0 and m.share is None for m in others)
    total = figures.total
    assert (
        total.issued,
        total.on_time,
        total.issued_without_exceptions,
        total.on_time_without_exceptions,
    ) == (
        4,
        2,
        2,
        1,
    )
    assert (total.share, total.share_without_exceptions) == (50, 50)

    assert [(s.school, s.key, s.due, s.days_overdue) for s in figures.overdue] == [
        ("School A", "no_plan_notice", date(2026, 4, 27), 49),
        ("School A", "final_plan", date(2026, 5, 25), 21),
        ("School A", "advice", date(2026, 6, 1), 14),
        ("School C", "decision", date(2026, 6, 12), 3),
    ]
    assert figures.overdue[0].plan_id == str(plans["P2"].public_id)
    assert figures.overdue_by_school == [
        ("School A", "900001", 3, date(2026, 4, 27)),
        ("School C", "900003", 1, date(2026, 6, 12)),
    ]

    assert [(code, n) for code, _, n in figures.needs] == [("ASD", 4), ("SLCN", 3), ("SEMH", 2)]


def test_another_la_sees_none_of_it(plans, la_officer_y_user):
    figures = pipeline_figures(membership_of(la_officer_y_user), today=TODAY)
    # LA Y has only School B's plan: final in April 2026, within 20 weeks.
    assert figures.plans == 1
    assert [(key, n) for key, _, n in figures.stages if n] == [("final", 1)]
    assert figures.overdue == []
    assert figures.total.issued == 1 and figures.total.on_time == 1
    assert [(code, n) for code, _, n in figures.needs] == [("ASD", 1)]


@time_machine.travel(NOON_TODAY, tick=False)
def test_the_page_shows_the_figures_and_names_no_pupil(plans, la_officer_x):
    response = la_officer_x.get(reverse("ehcp:la_pipeline"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Decide whether to assess" in html and "School C" in html
    assert "April 2026" in html and "(50%)" in html
    assert "Autistic spectrum disorder" in html
    for name in ("P1", "P2", "P3", "Unsent", "Elsewhere"):
        assert f">{name} Pupil<" not in html
    assert "School B" not in html
    assert reverse("ehcp:plan_detail", args=[plans["P2"].public_id]) in html
    assert reverse("sendplan:school_detail", args=[plans["school_c"].public_id]) in html  # to the school
    assert not AccessEvent.objects.exists()  # no pupil shown, so no access event


@pytest.mark.parametrize("persona", ["senco_a", "headteacher_a", "governor_a"])
def test_school_roles_are_refused(plans, request, persona):
    client = request.getfixturevalue(persona)
    for name in (
        "ehcp:la_pipeline",
        "ehcp:la_pipeline_csv",
        "ehcp:la_pipeline_xlsx",
        "ehcp:la_pipeline_plans",
    ):
        assert client.get(reverse(name)).status_code == 404


@time_machine.travel(NOON_TODAY, tick=False)
def test_a_count_drills_down_to_its_plans_and_back(plans, la_officer_x):
    page = la_officer_x.get(reverse("ehcp:la_pipeline")).content.decode()
    link = f"{reverse('ehcp:la_pipeline_plans')}?stage=advice"
    assert f'href="{link}"' in page

    response = la_officer_x.get(link)
    html = response.content.decode()
    assert "P3 Pupil" in html
    assert "P1 Pupil" not in html and "P4 Pupil" not in html
    assert f'href="{reverse("ehcp:la_pipeline")}"' in html  # and back
    assert AccessEvent.objects.count() == 1  # the one pupil shown is logged

    issued = la_officer_x.get(reverse("ehcp:la_pipeline_plans"), {"issued": "2026-04", "on_time": "1"})
    assert "P5 Pupil" in issued.content.decode() and "P6 Pupil" not in issued.content.decode()
    march = la_officer_x.get(reverse("ehcp:la_pipeline_plans"), {"issued": "2026-03", "no_exception": "1"})
    assert "P8 Pupil" in march.content.decode() and "P7 Pupil" not in march.content.decode()
    need = la_officer_x.get(reverse("ehcp:la_pipeline_plans"), {"need": "SEMH"}).content.decode()
    assert "P4 Pupil" in need and "P6 Pupil" in need and "P5 Pupil" not in need


def test_a_made_up_figure_is_not_found(plans, la_officer_x):
    for params in ({"stage": "everything"}, {"need": "XYZ"}, {"issued": "2026-13"}, {"issued": "soon"}):
        assert la_officer_x.get(reverse("ehcp:la_pipeline_plans"), params).status_code == 404


def test_another_las_drill_down_shows_none_of_la_xs_plans(plans, la_officer_y):
    html = la_officer_y.get(reverse("ehcp:la_pipeline_plans")).content.decode()
    assert "Elsewhere Pupil" in html
    assert "P1 Pupil" not in html and "School A" not in html


@time_machine.travel(NOON_TODAY, tick=False)
def test_the_csv_export_holds_the_figures_without_pupils(plans, la_officer_x):
    response = la_officer_x.get(reverse("ehcp:la_pipeline_csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ehc-plan-pipeline-901-2026-06-15.csv"'
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Final plan issued", "5"] in rows
    assert ["April 2026", "2", "1", "50%", "1", "1", "100%"] in rows
    assert [
        "School C",
        "900003",
        "Decide whether to assess",
        "2026-06-12",
        "3",
        "SEND Regulations 2014, reg 5(1)",
    ] in rows
    assert ["Autistic spectrum disorder", "4"] in rows
    assert "Pupil" not in text.replace("Pupils", "")
    assert "School B" not in text


@time_machine.travel(NOON_TODAY, tick=False)
def test_the_excel_export_has_a_sheet_per_table(plans, la_officer_x):
    response = la_officer_x.get(reverse("ehcp:la_pipeline_xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Stages", "Within 20 weeks by month", "Overdue steps", "Primary needs"]
    overdue = [row for row in workbook["Overdue steps"].iter_rows(min_row=4, values_only=True)]
    assert [(r[0], r[2], r[4]) for r in overdue] == [
        ("School A", "Tell the family if no plan will be issued", 49),
        ("School A", "Issue the final EHC plan", 21),
        ("School A", "Advice given", 14),
        ("School C", "Decide whether to assess", 3),
    ]


def _schools(world, count: int) -> None:
    """Give LA X ``count`` more schools, each with a handed plan at a different stage."""
    from tests.ehcp.factories import PlanFactory, PupilFactory

    new = School.objects.bulk_create(
        School(name=f"School {n:04d}", urn=f"{800000 + n}", local_authority=world.la_x) for n in range(count)
    )
    for n, school in enumerate(new):
        pupil = PupilFactory(school=school, sen_provision="E", primary_need="MLD")
        PlanFactory(
            pupil=pupil,
            school=school,
            status=PlanVersion.Status.SUBMITTED,
            requested_on=date(2026, 1, 5),
            final_issued_on=date(2026, 5, 1) if n % 2 else None,
        )


# The session, user, membership and MFA; the count, the page of plans, the access events (one insert);
# the session saved (three).
DRILL_DOWN_QUERIES = 10


@pytest.mark.parametrize("schools", [5, 600])
@time_machine.travel(NOON_TODAY, tick=False)
def test_the_page_makes_the_same_number_of_queries_whatever_the_number_of_schools(
    world, la_officer_x, django_assert_num_queries, schools
):
    _schools(world, schools)
    la_officer_x.get(reverse("ehcp:la_pipeline"))  # sessions and caches warm
    # The session, the user, the membership, MFA; the stages, months, needs and open plans; then the
    # session's last-activity time saved (a savepoint, the update, its release).
    with django_assert_num_queries(11):
        response = la_officer_x.get(reverse("ehcp:la_pipeline"))
    assert response.status_code == 200
    assert response.context["figures"].plans == schools
    # The exports read the same figures; the drill-down counts its plans, shows 50 and logs their pupils.
    with django_assert_num_queries(11):
        assert la_officer_x.get(reverse("ehcp:la_pipeline_csv")).status_code == 200
    with django_assert_num_queries(11):
        assert la_officer_x.get(reverse("ehcp:la_pipeline_xlsx")).status_code == 200
    with django_assert_num_queries(DRILL_DOWN_QUERIES):
        drill = la_officer_x.get(reverse("ehcp:la_pipeline_plans"), {"need": "MLD"})
    assert drill.context["page_obj"].paginator.count == schools


def test_the_sql_finds_exactly_the_overdue_steps_plan_timeline_finds(world):
    """Every combination of recorded dates, a day either side of each time limit, against the timeline."""
    from itertools import product

    from ehcp import deadlines
    from ehcp.models import Plan
    from ehcp.selectors.pipeline import overdue_steps
    from ehcp.selectors.timeliness import plan_dates

    today = TODAY
    # Requests 6, 16 and 20 weeks before today, each a day either side; advice requested 6 weeks back too.
    requested = [today - timedelta(weeks=w, days=d) for w in (6, 16, 20) for d in (-1, 0, 1)]
    advice = [None, today - timedelta(weeks=6, days=1), today - timedelta(weeks=6)]
    n = 0
    for asked, decided, advice_on, draft, transfer in product(
        requested, (False, True), advice, (False, True), (None, date(2027, 9, 1), date(2026, 9, 1))
    ):
        if advice_on is not None and advice_on < asked:
            continue
        n += 1
        pipeline_data.make_plan(
            world.school_a,
            f"G{n}",
            requested=asked.isoformat(),
            decided=asked.isoformat() if decided else None,
            advice=advice_on.isoformat() if advice_on else None,
            draft=(today - timedelta(days=3)).isoformat() if draft else None,
        )
        Plan.objects.filter(pupil__first_name=f"G{n}").update(phase_transfer_on=transfer)
    plans = Plan.objects.filter(school=world.school_a)
    expected = sorted(
        (str(plan.public_id), step.deadline.key, step.deadline.due)
        for plan in plans
        for step in deadlines.plan_timeline(plan_dates(plan), today=today)
        if step.status == "overdue"
    )
    found = sorted((s.plan_id, s.key, s.due) for s in overdue_steps(plans, today=today))
    assert found == expected
    assert {key for _, key, _ in expected} >= {
        "decision",
        "advice",
        "no_plan_notice",
        "final_plan",
        "phase_transfer",
    }


@time_machine.travel(NOON_TODAY, tick=False)
def test_another_las_exports_hold_none_of_la_xs_schools(plans, la_officer_y):
    text = la_officer_y.get(reverse("ehcp:la_pipeline_csv")).content.decode("utf-8-sig")
    assert "School A" not in text and "School C" not in text
    assert ["Final plan issued", "1"] in list(csv.reader(io.StringIO(text)))
    workbook = load_workbook(io.BytesIO(la_officer_y.get(reverse("ehcp:la_pipeline_xlsx")).content))
    assert list(workbook["Overdue steps"].iter_rows(min_row=4, values_only=True)) == []


@time_machine.travel(NOON_TODAY, tick=False)
def test_a_school_name_cannot_run_as_a_formula_in_the_exports(plans, la_officer_x):
    School.objects.filter(name="School C").update(name='=HYPERLINK("http://example.com","C")')
    text = la_officer_x.get(reverse("ehcp:la_pipeline_csv")).content.decode("utf-8-sig")
    assert [row[:3] for row in csv.reader(io.StringIO(text)) if row[:1] and "HYPERLINK" in row[0]][0] == [
        '\'=HYPERLINK("http://example.com","C")',
        "900003",
        "Decide whether to assess",
    ]
    workbook = load_workbook(io.BytesIO(la_officer_x.get(reverse("ehcp:la_pipeline_xlsx")).content))
    names = [row[0] for row in workbook["Overdue steps"].iter_rows(min_row=4, values_only=True)]
    assert '\'=HYPERLINK("http://example.com","C")' in names
