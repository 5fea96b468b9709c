"""The pages: writing, bad input kept with the GOV.UK error summary, publishing, approval, the LA's list."""

import datetime

from django.urls import reverse

from audits.models import Action
from publications import selectors
from publications.models import Activity, Publication
from tests.publications.factories import (
    fill_strategy,
    make_report,
    make_strategy,
    principles,
    published_strategy,
)


def url(name: str, **kwargs) -> str:
    return reverse(f"publications:{name}", kwargs=kwargs)


def test_a_senco_starts_a_three_year_strategy(world, senco_a):
    response = senco_a.post(url("strategy_start"), {"strategy-first_year": "2026/27", "strategy-years": "3"})
    strategy = Publication.objects.get(school=world.school_a)
    assert response.status_code == 302 and response["Location"] == url(
        "publication_detail", publication_id=strategy.public_id
    )
    assert (strategy.kind, strategy.years_label) == ("strategy", "2026/27 to 2028/29")


def test_a_bad_start_keeps_the_input_and_shows_the_error_summary(world, senco_a):
    response = senco_a.post(url("strategy_start"), {"strategy-first_year": "2026/28", "strategy-years": "3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "govuk-error-summary" in html
    assert "Enter an academic year whose second year follows the first" in html
    assert 'value="2026/28"' in html
    assert not Publication.objects.exists()


def test_a_statement_over_500_words_is_refused_with_the_words_kept(world, senco_a, senco_a_user):
    strategy = make_strategy(world.school_a, senco_a_user)
    text = "inclusion " * 501
    response = senco_a.post(url("statement_edit", strategy_id=strategy.public_id), {"statement": text})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert "Statement of intent must be 500 words or fewer (it has 501)" in html
    assert html.count("inclusion ") >= 501  # what they typed is still there
    assert 'data-maxwords="500"' in html  # the GOV.UK component counts words as they type
    assert "You can enter up to 500 words" in html  # what it says without JavaScript
    strategy.refresh_from_db()
    assert strategy.statement_of_intent == ""
    response = senco_a.post(
        url("statement_edit", strategy_id=strategy.public_id), {"statement": "inclusion " * 500}
    )
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert len(strategy.statement_of_intent.split()) == 500


def test_keeping_an_edited_suggestion_records_its_source_from_the_server(
    world, senco_a, senco_a_user, known_audit, known_register
):
    strategy = make_strategy(world.school_a, senco_a_user)
    page = senco_a.get(
        url("barrier_list", strategy_id=strategy.public_id) + f"?audit={known_audit.public_id}"
    )
    html = page.content.decode()
    assert "is a statutory duty rated ‘Not yet in place’" in html
    assert "Communication and interaction: 4 pupils" in html
    for name in ("Zebulon", "Quartermaine", "Araminta"):
        assert name not in html  # counts only, never a pupil
    key = f"audit:{known_audit.public_id}:S1-01"
    response = senco_a.post(
        url("barrier_suggestion", strategy_id=strategy.public_id),
        {
            "key": key,
            "audit": known_audit.public_id,
            "decision": "keep",
            "text": "We have no qualified SENCO yet.",
            "source": "forged",
        },  # fmt: skip
    )
    assert response.status_code == 302
    barrier = strategy.barriers.get()
    assert barrier.text == "We have no qualified SENCO yet."
    assert barrier.source.startswith("From your 2026/27 audit") and "forged" not in barrier.source
    senco_a.post(
        url("barrier_suggestion", strategy_id=strategy.public_id),
        {"key": "register:semh", "audit": known_audit.public_id, "decision": "drop"},
    )
    strategy.refresh_from_db()
    assert strategy.suggestions_dealt_with == ["register:semh"]


def test_an_activity_with_a_bad_cost_keeps_the_input(world, senco_a, senco_a_user):
    strategy = make_strategy(world.school_a, senco_a_user)
    principle = principles()[2]
    data = {
        "description": "Adaptive teaching training",
        "reach": "universal",
        "principles": [str(principle.public_id)],
        "funding_source": "imf",
        "cost": "12.345",
    }
    response = senco_a.post(url("activity_add", strategy_id=strategy.public_id), data)
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert "Enter the cost in pounds, like 1250 or 1,250.50" in html and 'value="12.345"' in html
    assert not strategy.activities.exists()
    data["cost"] = "£3,600"
    assert senco_a.post(url("activity_add", strategy_id=strategy.public_id), data).status_code == 302
    activity = strategy.activities.get()
    assert (activity.cost_pence, activity.funding_source, [p.ref for p in activity.principles.all()]) == (
        360000,
        "imf",
        ["P3"],
    )


def test_an_audit_action_becomes_an_activity_in_one_click(world, senco_a, senco_a_user, known_audit):
    strategy = make_strategy(world.school_a, senco_a_user)
    action = Action.objects.get(audit=known_audit)
    response = senco_a.post(
        url("activity_from_action", strategy_id=strategy.public_id, action_id=action.public_id)
    )
    activity = strategy.activities.get()
    assert response["Location"] == url(
        "activity_edit", strategy_id=strategy.public_id, activity_id=activity.public_id
    )
    assert (activity.description, activity.cost_pence) == (action.what, 25000)
    page = senco_a.get(
        url("activity_list", strategy_id=strategy.public_id) + f"?audit={known_audit.public_id}"
    )
    assert "Already an activity" in page.content.decode()


def test_the_check_reports_without_blocking_publication(world, senco_a, senco_a_user):
    strategy = fill_strategy(make_strategy(world.school_a, senco_a_user), senco_a_user)
    html = senco_a.get(url("publication_check", publication_id=strategy.public_id)).content.decode()
    # fill_strategy serves principle 1 only: principles 2 to 7 are unserved.
    assert html.count("<li>") >= 6 and "2. Evidence-based support that prioritises early intervention" in html
    assert "Principles no activity serves" in html and "Activities with no budgeted cost" not in html
    assert senco_a.post(url("publication_publish", publication_id=strategy.public_id)).status_code == 302
    strategy.refresh_from_db()
    assert strategy.is_published


def test_a_governor_reads_the_draft_and_records_the_boards_approval(world, governor_a, senco_a_user):
    strategy = fill_strategy(make_strategy(world.school_a, senco_a_user), senco_a_user)
    detail = governor_a.get(url("publication_detail", publication_id=strategy.public_id)).content.decode()
    assert "Record the board&#x27;s approval" in detail or "Record the board's approval" in detail
    assert url("statement_edit", strategy_id=strategy.public_id) not in detail  # no writing links
    assert governor_a.get(url("publication_preview", publication_id=strategy.public_id)).status_code == 200
    assert governor_a.get(url("statement_edit", strategy_id=strategy.public_id)).status_code == 403
    bad = governor_a.post(
        url("board_approval", publication_id=strategy.public_id), {"minute_reference": "FGB 4"}
    )
    assert (
        bad.status_code == 200
        and "<title>Error: " in bad.content.decode()
        and 'value="FGB 4"' in bad.content.decode()
    )
    response = governor_a.post(
        url("board_approval", publication_id=strategy.public_id),
        {"approved_on_0": "26", "approved_on_1": "11", "approved_on_2": "2026", "minute_reference": "FGB 4"},
    )
    assert response.status_code == 302
    approval = strategy.approvals.get()
    assert (approval.approved_on, approval.minute_reference) == (datetime.date(2026, 11, 26), "FGB 4")


def test_the_sen_report_section_page_shows_the_law_and_suggestions_with_sources(
    world, senco_a, senco_a_user, known_audit
):
    report = make_report(world.school_a, senco_a_user)
    page = senco_a.get(
        url("section_edit", sen_report_id=report.public_id, item="2") + f"?audit={known_audit.public_id}"
    )
    html = page.content.decode()
    assert "SEND Regulations 2014, Schedule 1, paragraph 2" in html
    assert "Every new pupil has a reading and language screen within two weeks." in html
    assert "S1-03 (Identifying needs), rated ‘Embedded’, with your rationale." in html
    key = f"2:audit:{known_audit.public_id}:S1-03"
    senco_a.post(
        url("section_suggestion", sen_report_id=report.public_id, item="2"),
        {"key": key, "audit": known_audit.public_id, "decision": "use"},
    )
    assert selectors.section_for(report, "2").text.endswith("within two weeks.")
    assert senco_a.get(url("section_edit", sen_report_id=report.public_id, item="99")).status_code == 404
    detail = senco_a.get(url("publication_detail", publication_id=report.public_id)).content.decode()
    assert "22 still empty" in detail


def test_the_las_list_shows_only_what_its_schools_published(
    world, la_officer_x, la_officer_y, senco_a_user, senco_b_user
):
    published = published_strategy(world.school_a, senco_a_user)
    draft = make_report(world.school_a, senco_a_user)  # a draft: never listed
    published_strategy(world.school_b, senco_b_user)  # another LA's school
    html = la_officer_x.get(url("la_list")).content.decode()
    assert url("public_page", public_token=published.public_token) in html
    assert url("public_page", public_token=draft.public_token) not in html and "School B" not in html
    assert html.count('<tr class="govuk-table__row">') == 2  # the header and school A's strategy
    assert "School A" not in la_officer_y.get(url("la_list")).content.decode()


def test_the_draft_downloads_as_word_with_real_headings(world, senco_a, senco_a_user):
    import io

    from docx import Document

    strategy = fill_strategy(make_strategy(world.school_a, senco_a_user, years=2), senco_a_user)
    response = senco_a.get(url("publication_docx", publication_id=strategy.public_id))
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and response["X-Content-Type-Options"] == "nosniff"
    )
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [
        "Inclusion strategy 2026/27 to 2027/28",
        "About this document",
        "Statement of intent",
        "The seven principles of inclusion",
        "Barriers to learning and participation",
        "Activities and budgeted costs",
        "Budget by funding source",
        "Budget by principle",
        "Intended outcomes",
    ]
    assert document.sections[0].header.paragraphs[0].text.startswith("DRAFT · School A")
    costs = document.tables[1]
    assert [cell.text for cell in costs.rows[1].cells] == [
        "1. Quiet lunchtime club", "Universal", "1", "1", "Inclusive mainstream fund", "£1,200",
    ]  # fmt: skip


def test_an_activity_edit_shows_the_cost_as_it_was_typed(world, senco_a, senco_a_user):
    strategy = fill_strategy(make_strategy(world.school_a, senco_a_user), senco_a_user)
    activity = strategy.activities.get()
    html = senco_a.get(
        url("activity_edit", strategy_id=strategy.public_id, activity_id=activity.public_id)
    ).content.decode()
    assert 'value="1200"' in html and activity.reach == Activity.Reach.UNIVERSAL


def test_text_that_is_too_long_says_so_in_gov_uk_words_and_is_kept(world, senco_a, senco_a_user):
    strategy = make_strategy(world.school_a, senco_a_user)
    text = "x" * 1001
    response = senco_a.post(url("barrier_list", strategy_id=strategy.public_id), {"text": text})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert "Barrier to learning and participation must be 1,000 characters or fewer" in html
    assert text in html and not strategy.barriers.exists()
