"""The whole audit on one page: rows, filters, the one-form save without JavaScript (per-row version checks),
the htmx row save, confirming a section and undoing it, and "Stay signed in"."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from audits import services
from audits.models import AuditEvent, LAComment, Rating
from tests.audits.factories import acting, make_audit, make_version, submitted_audit
from tests.conftest import membership_of

pytestmark = pytest.mark.django_db


def url(name, audit, **kwargs):
    return reverse(f"audits:{name}", kwargs={"audit_id": audit.public_id, **kwargs})


@pytest.fixture
def audit(world, senco_a_user):
    return make_audit(world.school_a, senco_a_user, make_version(sections=2, per_section=3))


def page_rows(response) -> dict:
    """Return the rows the page drew: {ref: row}."""
    return {row["ref"]: row for group in response.context["groups"] for row in group["rows"]}


def form_data(response, **changes) -> dict:
    """Return what the page's one form would post as drawn, with ``changes`` ({ref: (level, rationale)})."""
    data = {"section": response.context["section_ref"], "show": response.context["show"]}
    for ref, row in page_rows(response).items():
        level, rationale = changes.get(ref, (row["value"], row["rationale"]))
        data |= {
            f"{ref}-level": level,
            f"{ref}-rationale": rationale,
            f"{ref}-na_reason": row["na_reason"],
            f"{ref}-version": row["version"],
            f"{ref}-was": row["was"],
        }
        if level == "":
            del data[f"{ref}-level"]  # a radio group with nothing chosen sends nothing
    return data


def test_every_criterion_on_one_page_with_the_scale_once(senco_a, audit):
    response = senco_a.get(url("audit_rate", audit))
    page = response.content.decode()
    assert response.status_code == 200
    assert list(page_rows(response)) == ["S1-01", "S1-02", "S1-03", "S2-01", "S2-02", "S2-03"]
    assert page.count("This is consistently in place, checked and improved.") == 1  # the scale, once
    assert page.count('name="S1-01-level"') == 4  # a statutory duty: four levels, never "Not applicable"
    assert page.count('name="S1-02-level"') == 5  # four levels and "Not applicable"
    assert 'hx-post="/audits/' in page and 'id="row-S2-03"' in page
    # every level in words, each with its own colour class
    for label, colour in (
        ("Not yet in place", "red"),
        ("Emerging", "orange"),
        ("Established", "turquoise"),
        ("Embedded", "green"),
    ):
        assert f"app-level--{colour}" in page and label in page
    assert 'aria-controls="conditional-S1-02-na"' in page  # the reason is a conditional reveal
    assert 'class="govuk-radios__conditional app-rate__na" id="conditional-S1-02-na"' in page
    assert "conditional-S1-01-na" not in page


def test_rows_are_drawn_in_one_loop_without_an_include_per_row():
    rows = (settings.BASE_DIR / "templates/audits/partials/_rate_rows.html").read_text()
    assert "{% for row in rows %}" in rows and "{% include" not in rows


def test_the_whole_audit_page_is_read_only_for_governors(governor_a, senco_a_user, world):
    audit = submitted_audit(world.school_a, senco_a_user, make_version(sections=1, per_section=2))
    page = governor_a.get(url("audit_rate", audit)).content.decode()
    assert "Established" in page and 'name="S1-01-level"' not in page and "hx-post" not in page


def test_filters_and_sections(senco_a, senco_a_user, la_officer_x_user, audit):
    by = acting(senco_a_user, audit.school)
    for ref, level, rationale in (("S1-01", 2, "Minutes"), ("S1-02", 3, ""), ("S2-01", 0, "")):
        rating = Rating.objects.select_related("criterion").get(audit=audit, criterion__ref=ref)
        services.rating_record(
            audit=audit,
            response=rating,
            level=level,
            not_applicable=False,
            na_reason="",
            rationale=rationale,
            expected_version=0,
            by=by,
        )
    criterion = Rating.objects.get(audit=audit, criterion__ref="S2-02").criterion
    LAComment.objects.create(school=audit.school, audit=audit, criterion=criterion, text="Say more")
    expected = {
        "": ["S1-01", "S1-02", "S1-03", "S2-01", "S2-02", "S2-03"],
        "unrated": ["S1-03", "S2-02", "S2-03"],
        "rationale": ["S1-02"],
        "statutory": ["S1-01"],
        "confirm": [],
        "comments": ["S2-02"],
    }
    for show, refs in expected.items():
        response = senco_a.get(url("audit_rate", audit), {"show": show})
        assert list(page_rows(response)) == refs, show
    response = senco_a.get(url("audit_rate", audit), {"section": "S2", "show": "unrated"})
    assert list(page_rows(response)) == ["S2-02", "S2-03"]
    counts = {f["key"]: f["count"] for f in response.context["filters"]}
    assert counts == {"": 3, "unrated": 2, "rationale": 0, "statutory": 0, "confirm": 0, "comments": 1}
    # nonsense filters show everything rather than fail
    assert senco_a.get(url("audit_rate", audit), {"section": "<x>", "show": "no"}).status_code == 200


def test_without_javascript_one_post_saves_every_changed_row(senco_a, audit):
    page = senco_a.get(url("audit_rate", audit))
    data = form_data(page, **{"S1-01": ("2", "Board minutes"), "S2-03": ("3", "")})
    response = senco_a.post(url("audit_rate_save", audit), data)
    assert response.status_code == 302 and response["Location"] == url("audit_rate", audit)
    saved = dict(
        Rating.objects.filter(audit=audit, level__isnull=False).values_list("criterion__ref", "level")
    )
    assert saved == {"S1-01": 2, "S2-03": 3}
    assert AuditEvent.objects.filter(audit=audit, kind="response_changed").count() == 2
    follow = senco_a.get(response["Location"])
    assert "2 ratings saved." in follow.content.decode()


def test_without_javascript_a_row_someone_else_saved_is_a_conflict_and_nothing_is_saved(
    senco_a, headteacher_a_user, audit
):
    page = senco_a.get(url("audit_rate", audit))
    rating = Rating.objects.select_related("criterion").get(audit=audit, criterion__ref="S1-02")
    services.rating_record(
        audit=audit,
        response=rating,
        level=0,
        not_applicable=False,
        na_reason="",
        rationale="The head says not yet",
        expected_version=0,
        by=membership_of(headteacher_a_user),
    )
    data = form_data(page, **{"S1-01": ("2", "Mine"), "S1-02": ("3", "My view")})
    response = senco_a.post(url("audit_rate_save", audit), data)
    text = response.content.decode()
    assert response.status_code == 409
    assert "<title>Error:" in text and "govuk-error-summary" in text
    assert "S1-02: someone else changed it" in text and "The head says not yet" in text
    rows = page_rows(response)
    assert (rows["S1-02"]["value"], rows["S1-02"]["rationale"]) == ("3", "My view")  # kept
    assert rows["S1-02"]["version"] == 1  # saving again replaces theirs, deliberately
    assert rows["S1-01"]["rationale"] == "Mine"
    assert Rating.objects.get(audit=audit, criterion__ref="S1-01").level is None  # all or nothing
    # A row the person did not touch is never a conflict, even though the page drew it before the save.
    again = form_data(response)
    assert senco_a.post(url("audit_rate_save", audit), again).status_code == 302
    assert Rating.objects.get(audit=audit, criterion__ref="S1-02").rationale == "My view"


@pytest.mark.parametrize(
    "level,reason,message",
    [
        ("na", "", "Enter why this criterion does not apply to your school"),
        ("9", "", "Select one of the levels shown"),
        ("two", "", "Select one of the levels shown"),
    ],
)
def test_without_javascript_bad_rows_show_errors_and_keep_input(senco_a, audit, level, reason, message):
    page = senco_a.get(url("audit_rate", audit))
    data = form_data(page, **{"S1-01": ("2", "Kept"), "S1-03": (level, "Typed text")})
    data["S1-03-na_reason"] = reason
    response = senco_a.post(url("audit_rate_save", audit), data)
    text = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in text and message in text
    assert "Typed text" in text and "Kept" in text
    assert not Rating.objects.filter(audit=audit, level__isnull=False).exists()


def test_nothing_changed_saves_nothing(senco_a, audit):
    page = senco_a.get(url("audit_rate", audit))
    response = senco_a.post(url("audit_rate_save", audit), form_data(page), follow=True)
    assert "There were no changes to save." in response.content.decode()
    assert not AuditEvent.objects.filter(audit=audit, kind="response_changed").exists()


def test_a_row_autosaves_through_rating_save_and_gets_its_fragments(senco_a, audit):
    data = {"S1-02-level": "2", "S1-02-rationale": "", "S1-02-na_reason": "", "S1-02-version": "0"}
    address = url("rating_save", audit, criterion_ref="S1-02")
    response = senco_a.post(address, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="row-S1-02")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_S1-02-version" value="1" hx-swap-oob="true"' in text
    assert 'id="status-S1-02"' in text and "Saved" in text and "Rationale needed" in text
    # the live level: withheld while S1-01, a statutory duty, is unrated (audits/scoring.py)
    assert 'id="level-S1" hx-swap-oob="true"' in text and "Withheld" in text
    assert 'id="was-S1-02"' in text
    # a stale row save redraws that row with both versions (409)
    data["S1-02-level"] = "3"
    stale = senco_a.post(address, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="row-S1-02")
    assert stale.status_code == 409 and stale["HX-Retarget"] == "#row-S1-02"
    assert "Someone else changed S1-02" in stale.content.decode()


def test_an_autosave_of_what_is_already_stored_keeps_the_version_and_says_so(senco_a, audit):
    """htmx may send the same answer twice (a change event, then a blur): the second writes nothing, and
    the form is handed the version that is stored, so the person's next change saves without a conflict."""
    address = url("rating_save", audit, criterion_ref="S1-02")
    data = {
        "S1-02-level": "2",
        "S1-02-rationale": "Seen in lessons",
        "S1-02-na_reason": "",
        "S1-02-version": "0",
    }
    assert senco_a.post(address, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="row-S1-02").status_code == 200
    data["S1-02-version"] = "1"
    again = senco_a.post(address, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="row-S1-02")
    assert again.status_code == 200 and "Saved" in again.content.decode()
    assert 'id="id_S1-02-version" value="1" hx-swap-oob="true"' in again.content.decode()
    assert AuditEvent.objects.filter(audit=audit, kind="response_changed").count() == 1
    data["S1-02-level"] = "3"
    assert senco_a.post(address, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="row-S1-02").status_code == 200
    assert audit.ratings.get(criterion__ref="S1-02").version == 2


def test_the_section_page_shows_its_live_level(senco_a, audit):
    page = senco_a.get(url("section", audit, section_ref="S1")).content.decode()
    assert 'id="level-S1"' in page and "Withheld" in page  # S1-01, a statutory duty, is unrated


# --- confirming carried-forward ratings --------------------------------------------------------------


@pytest.fixture
def carried(world, senco_a_user, la_officer_x_user):
    version = make_version(sections=2, per_section=3)
    previous = submitted_audit(world.school_a, senco_a_user, version)
    services.audit_accept(audit=previous, by=membership_of(la_officer_x_user))
    return services.audit_carry_forward(
        previous=previous, framework_version=version, academic_year="2027/28", by=acting(senco_a_user)
    )


def test_confirm_a_section_then_undo_from_the_page(senco_a, carried):
    rate = url("audit_rate", carried)
    page = senco_a.get(rate, {"section": "S1"}).content.decode()
    assert "Confirm every carried-forward rating in this section" in page
    response = senco_a.post(url("ratings_confirm", carried), {"section": "S1", "next": f"{rate}?section=S1"})
    event = AuditEvent.objects.get(audit=carried, kind="ratings_confirmed")
    assert (
        response.status_code == 302
        and response["Location"] == f"{rate}?section=S1&confirmed={event.public_id}"
    )
    assert list(
        carried.ratings.filter(to_confirm=True).values_list("criterion__ref", flat=True).order_by("pk")
    ) == [
        "S2-01",
        "S2-02",
        "S2-03",
    ]
    banner = senco_a.get(response["Location"]).content.decode()
    assert "3 carried-forward ratings confirmed in ‘Section S1’." in banner and ">Undo<" in banner
    undo = senco_a.post(
        url("ratings_confirm_undo", carried, event_id=event.public_id), {"next": rate}, follow=True
    )
    assert "Undone: 3 ratings marked ‘to confirm’ again." in undo.content.decode()
    assert carried.ratings.filter(to_confirm=True).count() == 6
    history = senco_a.get(url("audit_history", carried)).content.decode()
    assert "Carried-forward ratings confirmed" in history and "Confirmation undone" in history
    assert "_versions" not in history


def test_confirm_the_whole_audit_from_the_task_list(senco_a, carried):
    page = senco_a.get(url("audit_detail", carried)).content.decode()
    assert "Confirm every carried-forward rating in the audit" in page
    senco_a.post(url("ratings_confirm", carried), {"next": url("audit_detail", carried)})
    assert not carried.ratings.filter(to_confirm=True).exists()


def test_confirming_an_unknown_section_is_not_found(senco_a, carried):
    assert senco_a.post(url("ratings_confirm", carried), {"section": "S9"}).status_code == 404


# --- "Stay signed in" --------------------------------------------------------------------------------


def test_stay_signed_in_renews_the_session(senco_a):
    response = senco_a.post(reverse("session_extend"))
    assert response.status_code == 204
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    assert senco_a.get(reverse("session_extend")).status_code == 405


def test_every_signed_in_page_carries_the_timeout_warning(senco_a, client):
    page = senco_a.get(reverse("home")).content.decode()
    assert 'id="timeout-warning"' in page and f'data-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert "Stay signed in" in page and "js/timeout.js" in page
    assert 'id="timeout-warning"' not in client.get(reverse("account_login")).content.decode()


# --- evidence and actions from a criterion -----------------------------------------------------------


def test_the_evidence_form_groups_criteria_by_section_with_full_labels(senco_a, world, senco_a_user):
    version = make_version(sections=2, per_section=2)
    long_statement = "Staff " + "adapt teaching for pupils with SEND in every lesson, " * 4 + "end."
    version.criteria.filter(ref="S2-02").update(statement=long_statement)
    audit = make_audit(world.school_a, senco_a_user, version)
    page = senco_a.get(url("evidence_add", audit)).content.decode()
    assert f"S2-02: {long_statement}" in page  # never cut mid-word
    assert page.index("Section S1") < page.index("S1-02:") < page.index("Section S2") < page.index("S2-01:")
    assert 'id="criteria-filter"' in page and 'id="id_criteria_1"' in page
    response = senco_a.post(url("evidence_add", audit), {"title": "Plan", "url": "https://example.org/p"})
    text = response.content.decode()
    assert (
        "<title>Error:" in text
        and 'href="#id_criteria_1"' in text
        and "Select at least one criterion" in text
    )


@pytest.mark.parametrize("start", ["section", "rating_save", "audit_rate"])
def test_adding_an_action_from_a_criterion_returns_to_it(senco_a, audit, start):
    criterion = Rating.objects.get(audit=audit, criterion__ref="S1-02").criterion
    kwargs = {"section": {"section_ref": "S1"}, "rating_save": {"criterion_ref": "S1-02"}}.get(start, {})
    where = url(start, audit, **kwargs)
    anchor = "#row-S1-02" if start == "audit_rate" else "#criterion-S1-02"
    address = (
        f"{url('action_add', audit)}?criterion={criterion.public_id}&next={where}{anchor.replace('#', '%23')}"
    )
    form = senco_a.get(address).content.decode()
    assert "Back to the criterion" in form
    due = datetime.date.today() + datetime.timedelta(days=30)
    response = senco_a.post(
        address,
        {
            "criterion": str(criterion.public_id),
            "what": "Train staff",
            "owner": "SENCO",
            "due_0": due.day,
            "due_1": due.month,
            "due_2": due.year,
            "success_measure": "All trained",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{where}{anchor}"


def test_a_next_address_outside_the_audit_is_ignored(senco_a, audit):
    criterion = Rating.objects.get(audit=audit, criterion__ref="S1-02").criterion
    due = datetime.date.today() + datetime.timedelta(days=30)
    response = senco_a.post(
        f"{url('action_add', audit)}?next=https://evil.example/",
        {
            "criterion": str(criterion.public_id),
            "what": "Train staff",
            "owner": "SENCO",
            "due_0": due.day,
            "due_1": due.month,
            "due_2": due.year,
            "success_measure": "All trained",
        },
    )
    assert response["Location"] == url("action_list", audit)
