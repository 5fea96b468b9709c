"""Where provision is weakest in Chromium: axe on its pages, the heatmap is a table with headers, and a
journey from a count to a school's rating and back with the filters kept."""

import pytest
from playwright.sync_api import expect

from tests.audits.test_la_weakest import data  # noqa: F401 (the hand-built dataset)
from tests.conftest import assert_accessible, browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp"


def test_the_pages_pass_axe_and_the_heatmap_is_a_table_with_headers(
    page,
    live_server,
    la_officer_x_user,
    data,  # noqa: F811
):
    browser_sign_in(page, live_server, la_officer_x_user)
    page.goto(f"{live_server.url}/audits/la/weakest-provision/")
    page.get_by_label("Framework version").select_option(label=str(data["four"]))
    page.get_by_label("Academic year").select_option("2026/27")
    page.get_by_label("Compare with the year before").check()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("h1")).to_have_text("Where provision is weakest")
    expect(page.locator("#coverage")).to_contain_text("2 of 4 schools")
    assert_accessible(page)
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => !e.closest('.app-table-scroll'))
            .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    assert wide == []  # the wide table scrolls inside its own region; the page itself never does
    page.screenshot(path=f"{SHOTS}/la-weakest-criteria.png", full_page=True)

    # the heatmap: a real table, a column header per section, a row header per school, a name in each cell
    page.get_by_role("link", name="By school and section (heatmap)").click()
    table = page.get_by_role("table", name="Section levels by school")
    headers = table.locator("thead th[scope=col]")
    expect(headers).to_have_text(["School", "Overall", "S1Section S1", "S2Section S2"])
    expect(table.locator("tbody th[scope=row]")).to_have_count(4)
    first = table.locator("tbody tr").first
    expect(first.locator("th")).to_contain_text("School A")
    expect(first.locator("td").nth(1)).to_contain_text("Not yet in place")
    expect(first.locator("td").nth(1)).to_contain_text("Down 1 level")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/la-weakest-heatmap.png", full_page=True)
    page.get_by_role("link", name="Show as a plain table, without colour").click()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/la-weakest-heatmap-plain.png", full_page=True)

    # from a count to the criterion, to the school's rating, and back with the filters kept
    page.get_by_role("link", name="By criterion").click()
    page.get_by_role("link", name="2 schools: see every school on S1-02").click()
    expect(page.locator("h1")).to_contain_text("S1-02")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/la-weakest-criterion.png", full_page=True)
    school_a = page.get_by_role("row").filter(has_text="School A")
    school_a.locator('a[href*="#criterion-S1-02"]').click()
    expect(page.locator("#criterion-S1-02")).to_be_visible()
    page.get_by_role("link", name="Where provision is weakest").click()  # the audit's way back
    expect(page.locator("h1")).to_contain_text("S1-02")
    page.get_by_role("link", name="Where provision is weakest").click()
    expect(page.get_by_label("Compare with the year before (2025/26)")).to_be_checked()
    expect(page.get_by_label("Framework version")).to_have_value(str(data["four"].public_id))
