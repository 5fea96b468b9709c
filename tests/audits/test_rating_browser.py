"""Nothing typed is lost, in Chromium: two passes of rating, every kind of failed autosave (signed out,
conflict, server error, offline), the timeout warning, leaving with unsaved changes, the whole audit on one
page by keyboard with and without JavaScript, and confirming a carried-forward section then undoing it.
axe reports no violation in any state."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from playwright.sync_api import expect

from audits import services
from audits.models import AuditEvent, Rating
from tests.audits.factories import acting, make_audit, make_version, submitted_audit
from tests.conftest import assert_accessible, browser_sign_in, membership_of
from tests.factories import TEST_PASSWORD
from tests.sendplan.helpers import enrol_totp, totp_code
from tests.standards.factories import load_shipped

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp"
LEVELS = ["Not yet in place", "Emerging", "Established", "Embedded"]


def as_user(browser, live_server, user, *, javascript=True):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    browser_sign_in(page, live_server, user)
    return page


def rationale(page, ref):
    return page.locator(f"#criterion-{ref}").get_by_label(re.compile("^Rationale"))


def saved(ref) -> Rating:
    return Rating.objects.get(criterion__ref=ref)


def expire_sessions() -> None:
    """End every session on the server, as the idle timeout does."""
    Session.objects.all().delete()


# --- 1. Two passes: levels first, rationales later ------------------------------------------------


def test_a_first_pass_of_levels_then_a_second_of_rationales_loses_nothing(
    browser, live_server, world, senco_a_user
):
    audit = make_audit(world.school_a, senco_a_user, make_version(sections=1, per_section=3, statutory=()))
    page = as_user(browser, live_server, senco_a_user)
    section = f"{live_server.url}/audits/{audit.public_id}/sections/S1/"
    page.goto(section)
    for ref, label in (("S1-01", "Established"), ("S1-02", "Embedded"), ("S1-03", "Not yet in place")):
        page.locator(f"#criterion-{ref}").get_by_label(label, exact=True).check()
        expect(page.locator(f"#status-{ref}")).to_contain_text("Saved")
    expect(page.locator("#status-S1-01")).to_contain_text("Rationale needed")
    expect(page.locator("#status-S1-03")).not_to_contain_text("Rationale needed")  # the lowest needs none
    expect(page.locator("#level-S1")).to_contain_text("Level of this section so far")
    assert_accessible(page)
    assert [saved(r).level for r in ("S1-01", "S1-02", "S1-03")] == [2, 3, 0]

    page.reload()  # the first pass is all there
    expect(page.locator("#criterion-S1-01").get_by_label("Established", exact=True)).to_be_checked()
    expect(page.locator("#criterion-S1-02").get_by_label("Embedded", exact=True)).to_be_checked()
    page.goto(f"{live_server.url}/audits/{audit.public_id}/")
    expect(page.locator(".govuk-task-list")).to_contain_text("2 rationales needed")
    page.goto(f"{live_server.url}/audits/{audit.public_id}/check/")
    expect(page.locator("main")).to_contain_text("Rationale needed")
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    assert_accessible(page)

    page.goto(section)  # the second pass
    for ref in ("S1-01", "S1-02"):
        rationale(page, ref).fill(f"Evidence for {ref}")
        rationale(page, ref).blur()
        expect(page.locator(f"#status-{ref}")).to_contain_text("Saved")
        expect(page.locator(f"#status-{ref}")).not_to_contain_text("Rationale needed")
    assert_accessible(page)
    page.reload()
    expect(rationale(page, "S1-01")).to_have_value("Evidence for S1-01")
    assert [(saved(r).level, saved(r).rationale) for r in ("S1-01", "S1-02")] == [
        (2, "Evidence for S1-01"),
        (3, "Evidence for S1-02"),
    ]
    page.goto(f"{live_server.url}/audits/{audit.public_id}/check/")
    page.get_by_role("button", name="Continue").click()  # to the confirmation page
    page.get_by_role("button", name="Submit the audit").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Audit submitted")


# --- 2. The session ends while typing ------------------------------------------------------------


def test_a_session_that_ends_mid_typing_keeps_the_text_through_signing_in_again(
    browser, live_server, world, senco_a_user
):
    cache.clear()  # used authentication codes live in the cache
    secret = enrol_totp(senco_a_user)
    audit = make_audit(world.school_a, senco_a_user, make_version(sections=1, per_section=2, statutory=()))
    page = as_user(browser, live_server, senco_a_user)
    page.goto(f"{live_server.url}/audits/{audit.public_id}/sections/S1/")
    page.locator("#criterion-S1-02").get_by_label("Established", exact=True).check()
    expect(page.locator("#status-S1-02")).to_contain_text("Saved")

    expire_sessions()  # 30 minutes pass on the server while the SENCO writes
    typed = "Every class has a provision map, reviewed each term with the class teacher."
    rationale(page, "S1-02").fill(typed)
    rationale(page, "S1-02").blur()
    problem = page.locator("#problem-S1-02")
    expect(problem).to_contain_text("S1-02 was not saved: you have been signed out")
    expect(problem).to_have_class(re.compile("govuk-error-message"))
    expect(rationale(page, "S1-02")).to_have_value(typed)  # nothing lost on the page
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/rating-signed-out.png", full_page=True)
    assert saved("S1-02").rationale == ""

    problem.get_by_role("link", name="Sign in again to save it").click()  # no "leave page?" question
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(senco_a_user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Authentication code").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(rf"/audits/{audit.public_id}/sections/S1/#criterion-S1-02$"))
    expect(rationale(page, "S1-02")).to_have_value(typed)  # put back from this browser
    expect(page.locator("#status-S1-02")).to_contain_text("Saved")
    assert_accessible(page)
    rating = saved("S1-02")
    assert (rating.level, rating.rationale, rating.version) == (2, typed, 2)


# --- 3. Other failed autosaves: conflict, server error, offline ----------------------------------


def test_a_conflict_a_server_error_and_no_connection_each_say_so_and_keep_the_text(
    browser, live_server, world, senco_a_user, headteacher_a_user
):
    audit = make_audit(world.school_a, senco_a_user, make_version(sections=1, per_section=3, statutory=()))
    page = as_user(browser, live_server, senco_a_user)
    page.goto(f"{live_server.url}/audits/{audit.public_id}/sections/S1/")

    # conflict: a colleague saved S1-01 after the page was drawn
    services.rating_record(
        audit=audit,
        response=Rating.objects.select_related("criterion").get(criterion__ref="S1-01"),
        level=0,
        not_applicable=False,
        na_reason="",
        rationale="The head says not yet",
        expected_version=0,
        by=membership_of(headteacher_a_user),
    )
    page.locator("#criterion-S1-01").get_by_label("Embedded", exact=True).check()
    rationale(page, "S1-01").fill("My view")
    rationale(page, "S1-01").blur()
    expect(page.locator("#problem-S1-01")).to_contain_text("someone else changed it")
    expect(page.locator("#criterion-S1-01")).to_contain_text("The head says not yet")
    expect(rationale(page, "S1-01")).to_have_value("My view")
    assert_accessible(page)
    assert saved("S1-01").rationale == "The head says not yet"

    # a server error
    page.route("**/criteria/S1-02/", lambda route: route.fulfill(status=500, body="Server error"))
    page.locator("#criterion-S1-02").get_by_label("Emerging", exact=True).check()
    rationale(page, "S1-02").fill("Started in the spring term")
    rationale(page, "S1-02").blur()
    expect(page.locator("#problem-S1-02")).to_contain_text("something went wrong (error 500)")
    expect(rationale(page, "S1-02")).to_have_value("Started in the spring term")
    assert_accessible(page)
    page.unroute("**/criteria/S1-02/")

    # no connection, then back online: saved without doing anything
    page.context.set_offline(True)
    page.locator("#criterion-S1-03").get_by_label("Established", exact=True).check()
    rationale(page, "S1-03").fill("Written while the wifi was down")
    rationale(page, "S1-03").blur()
    expect(page.locator("#problem-S1-03")).to_contain_text("there is no connection")
    expect(rationale(page, "S1-03")).to_have_value("Written while the wifi was down")
    assert_accessible(page)
    assert saved("S1-03").level is None
    page.context.set_offline(False)
    expect(page.locator("#status-S1-03")).to_contain_text("Saved")
    expect(page.locator("#problem-S1-03")).to_have_count(0)
    assert (saved("S1-03").level, saved("S1-03").rationale) == (2, "Written while the wifi was down")


# --- 4. Leaving with unsaved changes; the timeout warning -----------------------------------------


def test_leaving_with_unsaved_text_asks_first(browser, live_server, world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user, make_version(sections=1, per_section=2, statutory=()))
    page = as_user(browser, live_server, senco_a_user)
    section = f"{live_server.url}/audits/{audit.public_id}/sections/S1/"
    page.goto(section)
    page.route("**/criteria/S1-01/", lambda route: route.abort())  # the save cannot get through
    page.locator("#criterion-S1-01").get_by_label("Established", exact=True).check()
    rationale(page, "S1-01").fill("Half written")
    expect(page.locator("#problem-S1-01")).to_be_visible()
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.get_by_role("link", name="All sections").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url == section
    expect(rationale(page, "S1-01")).to_have_value("Half written")


def test_the_timeout_warning_before_the_idle_limit(browser, live_server, world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user, make_version(sections=1, per_section=2, statutory=()))
    page = as_user(browser, live_server, senco_a_user)
    page.clock.install()
    page.goto(f"{live_server.url}/audits/{audit.public_id}/sections/S1/")
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("25:01")  # 5 minutes before the 30-minute limit
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("we will sign you out in 5 minutes")
    expect(dialog).to_be_focused()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/rating-timeout-warning.png")
    before = Session.objects.get().expire_date
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    assert Session.objects.get().expire_date > before  # renewed on the server

    page.clock.fast_forward("25:01")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")  # Escape means "stay signed in" too
    expect(dialog).to_be_hidden()

    page.clock.fast_forward("30:01")  # nobody answers
    signed_out = page.get_by_role("dialog", name="You have been signed out")
    expect(signed_out).to_be_visible()
    expect(signed_out.get_by_role("link", name="Sign in again")).to_have_attribute(
        "href", re.compile(r"/accounts/login/\?next=%2Faudits%2F")
    )
    assert_accessible(page)
    for _ in range(50):  # the dialog ends the session on the server too
        if not Session.objects.exists():
            break
        page.wait_for_timeout(100)
    assert not Session.objects.exists()


# --- 5. The whole audit on one page -------------------------------------------------------------


def _oap_audit(world, senco_a_user):
    return make_audit(world.school_a, senco_a_user, load_shipped("sendplan-oap"))


def _tab_to(page, selector: str, limit: int = 200) -> int:
    """Press Tab until the focus is on ``selector``; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"Tab never reached {selector}")


def test_rating_20_criteria_by_keyboard_on_one_page(browser, live_server, world, senco_a_user):
    audit = _oap_audit(world, senco_a_user)
    refs = list(audit.ratings.order_by("criterion__position").values_list("criterion__ref", flat=True)[:20])
    page = as_user(browser, live_server, senco_a_user)
    page.goto(f"{live_server.url}/audits/{audit.public_id}/rate/")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/rating-one-page-empty.png")
    _tab_to(page, f"input[name='{refs[0]}-level']")
    sections = dict(audit.ratings.values_list("criterion__ref", "criterion__section__ref"))
    tabs, expected_tabs = [], []
    for index, ref in enumerate(refs):
        level = index % 4  # 0: Not yet in place … 3: Embedded
        # Tab lands on the first level of an unrated row; each arrow moves to (and chooses) the next one.
        assert page.evaluate("() => document.activeElement.name") == f"{ref}-level"
        if level == 0:
            page.keyboard.press("Space")
        for _ in range(level):
            page.keyboard.press("ArrowRight")
        if index % 5 == 0:
            page.keyboard.press("Tab")
            page.keyboard.type(f"Seen in practice ({ref})")
        if index + 1 < len(refs):
            tabs.append(_tab_to(page, f"input[name='{refs[index + 1]}-level']", limit=5))
            # rationale, the next row's link, its levels; one less from a rationale; one more past a
            # section's "Save changes" button
            new_section = sections[refs[index + 1]] != sections[ref]
            expected_tabs.append((2 if index % 5 == 0 else 3) + (1 if new_section else 0))
    for ref in refs[-3:]:
        expect(page.locator(f"#status-{ref}")).to_contain_text("Saved")
    page.keyboard.press("Tab")  # leave the last rationale so it saves
    page.wait_for_timeout(1200)
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/rating-one-page.png")
    got = dict(Rating.objects.filter(audit=audit, level__isnull=False).values_list("criterion__ref", "level"))
    assert got == {ref: index % 4 for index, ref in enumerate(refs)}
    assert (
        Rating.objects.get(audit=audit, criterion__ref=refs[5]).rationale == f"Seen in practice ({refs[5]})"
    )
    assert tabs == expected_tabs
    page.reload()
    expect(page.locator(f"#row-{refs[3]}").get_by_label("Embedded", exact=True)).to_be_checked()
    expect(page.locator(f"#status-{refs[1]}")).to_contain_text("Rationale needed")


def test_rating_20_criteria_on_one_page_without_javascript(browser, live_server, world, senco_a_user):
    audit = make_audit(world.school_a, senco_a_user, make_version(sections=2, per_section=10, statutory=()))
    refs = list(audit.ratings.order_by("criterion__position").values_list("criterion__ref", flat=True))
    page = as_user(browser, live_server, senco_a_user, javascript=False)
    page.goto(f"{live_server.url}/audits/{audit.public_id}/rate/")
    _tab_to(page, f"input[name='{refs[0]}-level']")
    for index in range(len(refs)):
        level = index % 4
        if level == 0:
            page.keyboard.press("Space")
        for _ in range(level):
            page.keyboard.press("ArrowRight")
        if index + 1 < len(refs):
            _tab_to(page, f"input[name='{refs[index + 1]}-level']", limit=4)
    _tab_to(page, "button.app-rate__save", limit=4)
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("20 ratings saved.")
    got = dict(Rating.objects.filter(audit=audit).values_list("criterion__ref", "level"))
    assert got == {ref: index % 4 for index, ref in enumerate(refs)}
    # "Not applicable" shows its reason box only when chosen, even without JavaScript
    row = page.locator(f"#row-{refs[0]}")
    reason = row.locator(f"#id_{refs[0]}-na_reason")
    expect(reason).to_be_hidden()
    row.get_by_label("Not applicable").check()
    expect(row.get_by_label(re.compile("not apply to your school"))).to_be_visible()
    reason.fill("We have no early years pupils.")
    page.get_by_role("button", name="Save changes").first.click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 rating saved.")
    assert Rating.objects.get(audit=audit, criterion__ref=refs[0]).not_applicable


# --- 6. Year two: confirm a carried-forward section, then undo -----------------------------------


def test_confirming_a_carried_forward_section_and_undoing_it(
    browser, live_server, world, senco_a_user, la_officer_x_user
):
    version = make_version(sections=2, per_section=3)
    previous = submitted_audit(world.school_a, senco_a_user, version)
    services.audit_accept(audit=previous, by=membership_of(la_officer_x_user))
    audit = services.audit_carry_forward(
        previous=previous, framework_version=version, academic_year="2027/28", by=acting(senco_a_user)
    )
    page = as_user(browser, live_server, senco_a_user)
    page.goto(f"{live_server.url}/audits/{audit.public_id}/sections/S1/")
    assert_accessible(page)
    page.get_by_role(
        "button", name=re.compile("Confirm every carried-forward rating in this section")
    ).click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("3 carried-forward ratings confirmed in ‘Section S1’.")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/rating-confirmed.png")
    assert list(
        audit.ratings.filter(to_confirm=True).values_list("criterion__ref", flat=True).order_by("pk")
    ) == [
        "S2-01",
        "S2-02",
        "S2-03",
    ]
    banner.get_by_role("button", name=re.compile("^Undo")).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Undone: 3 ratings")
    assert_accessible(page)
    assert audit.ratings.filter(to_confirm=True).count() == 6
    kinds = list(AuditEvent.objects.filter(audit=audit).values_list("kind", flat=True))
    assert kinds[-2:] == ["ratings_confirmed", "confirm_undone"]
