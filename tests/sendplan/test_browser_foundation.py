"""The foundation in Debian's Chromium: sign-in with TOTP, axe on every kind of page, no-JavaScript use, keyboard."""

import re

import pytest
from playwright.sync_api import expect

from sendplan.models import Role
from tests.conftest import assert_accessible, browser_sign_in
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from tests.sendplan.helpers import enrol_totp, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/fnd-{}.png"


def sign_in_through_the_pages(page, live_server, user, secret: str) -> None:
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your authentication code")).to_be_visible()
    page.get_by_label("Authentication code").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live_server.url + "/")


@pytest.mark.parametrize(
    "persona,heading",
    [("senco_a", "School A"), ("la_officer_x", "LA X")],
)
def test_sign_in_with_password_and_totp_lands_on_the_role_home(request, page, live_server, persona, heading):
    user = request.getfixturevalue(f"{persona}_user")
    secret = enrol_totp(user)
    sign_in_through_the_pages(page, live_server, user, secret)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    if persona == "senco_a":
        page.screenshot(path=SHOTS.format("senco-home"), full_page=True)


def test_login_pages_are_accessible(page, live_server, senco_a_user):
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.screenshot(path=SHOTS.format("login"), full_page=True)
    page.get_by_label("Email").fill(senco_a_user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    page.screenshot(path=SHOTS.format("login-error"), full_page=True)
    secret = enrol_totp(senco_a_user)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your authentication code")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SHOTS.format("mfa-authenticate"), full_page=True)
    del secret


@pytest.mark.parametrize("persona", ["senco_a", "headteacher_a", "governor_a", "la_officer_x", "la_admin_x"])
def test_each_role_home_is_accessible(request, page, live_server, persona):
    browser_sign_in(page, live_server, request.getfixturevalue(f"{persona}_user"))
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SHOTS.format(f"home-{persona}"), full_page=True)


def test_error_pages_are_accessible(page, live_server, governor_a_user):
    browser_sign_in(page, live_server, governor_a_user)
    response = page.goto(live_server.url + "/people/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    assert_accessible(page)
    page.screenshot(path=SHOTS.format("403"), full_page=True)
    response = page.goto(live_server.url + "/schools/00000000-0000-0000-0000-000000000000/")
    assert response.status == 404 or response.status == 403
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
    page.screenshot(path=SHOTS.format("404"), full_page=True)


def test_a_form_showing_errors_is_accessible(page, live_server, la_admin_x_user):
    browser_sign_in(page, live_server, la_admin_x_user)
    page.goto(live_server.url + "/schools/add/")
    page.get_by_label("School name").fill("Brook Lane Primary")
    page.get_by_label("URN").fill("12ab")
    page.get_by_role("button", name="Save school").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.title().startswith("Error: ")
    expect(page.get_by_label("URN")).to_have_value("12ab")
    page.get_by_role("link", name="Select phase").click()  # the summary link reaches the first radio
    expect(page.locator("#id_phase_1")).to_be_focused()
    assert_accessible(page)
    page.screenshot(path=SHOTS.format("school-add-errors"), full_page=True)


def test_choose_organisation_is_accessible(page, live_server, world, senco_a_user):
    MembershipFactory(user=senco_a_user, role=Role.GOVERNOR, school=world.school_b)
    browser_sign_in(page, live_server, senco_a_user)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/choose-organisation/"))
    assert_accessible(page)
    page.get_by_label("School B (Governor)").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".app-acting-for")).to_contain_text("School B")
    assert_accessible(page)
    page.screenshot(path=SHOTS.format("choose-organisation"), full_page=True)


def test_enrolling_totp_in_the_browser_is_accessible(page, live_server, world):
    user = UserFactory(email="new.senco@example.org")
    MembershipFactory(user=user, role=Role.SENCO, school=world.school_a)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # sent on to set up MFA, via allauth's reauthentication
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    assert_accessible(page)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert_accessible(page)
    page.screenshot(path=SHOTS.format("totp-activate"), full_page=True)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Code from the app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    assert_accessible(page)
    page.screenshot(path=SHOTS.format("recovery-codes"), full_page=True)
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    page.get_by_role("button", name="Continue to sendplan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School A")


@pytest.mark.parametrize("path", ["/accessibility/", "/privacy/"])
def test_public_pages_are_accessible(page, live_server, path):
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_the_skip_link_is_the_first_tab_stop(page, live_server, senco_a_user):
    browser_sign_in(page, live_server, senco_a_user)
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML")
    assert "govuk-skip-link" in focused and "Skip to main content" in focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main-content")


def test_without_javascript_sign_in_and_submit_a_form(browser, live_server, world, la_admin_x_user):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        secret = enrol_totp(la_admin_x_user)
        sign_in_through_the_pages(page, live_server, la_admin_x_user, secret)
        expect(page.get_by_role("heading", level=1)).to_have_text("LA X")
        page.get_by_role("link", name="Add a school").click()
        page.get_by_label("School name").fill("Brook Lane Primary")
        page.get_by_label("URN").fill("123456")
        page.get_by_label("Primary", exact=True).check()
        page.get_by_label("Type of school").select_option("community")
        page.get_by_role("button", name="Save school").click()
        expect(page).to_have_url(live_server.url + "/")
        expect(page.get_by_role("link", name="Brook Lane Primary")).to_be_visible()
        # and sign out, with a plain form post
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/accounts/"))
        page.goto(live_server.url + "/")
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
    finally:
        context.close()


@pytest.mark.parametrize(
    "path,name",
    [
        ("/accounts/2fa/", "account"),
        ("/accounts/password/change/", "password-change"),
        ("/accounts/logout/", "logout"),
    ],
)
def test_account_pages_are_accessible(page, live_server, senco_a_user, path, name):
    browser_sign_in(page, live_server, senco_a_user)
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SHOTS.format(name), full_page=True)
