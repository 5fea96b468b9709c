"""Chromium: an LA officer goes from the EHC plan list to the pipeline, down to the plans behind a count
and back, then asks for the LA summary report; axe on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import assert_accessible, browser_sign_in, make_member
from tests.ehcp import pipeline_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_pipeline_to_its_plans_and_back_then_the_la_summary(page, live_server, world):
    pipeline_data.build(world)
    officer = make_member("la_officer", la=world.la_x, email="officer.pipeline@example.org")
    browser_sign_in(page, live_server, officer)
    page.goto(live_server.url + reverse("ehcp:la_plan_list"))
    page.get_by_role("link", name="EHC plan pipeline").click()
    expect(page.get_by_role("heading", name="EHC plan pipeline", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="1 plan: Advice requested").click()
    expect(page.get_by_role("heading", name="At the stage: Advice requested")).to_be_visible()
    expect(page.get_by_role("link", name="P3 Pupil")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the EHC plan pipeline").first.click()
    expect(page.get_by_role("heading", name="EHC plan pipeline", level=1)).to_be_visible()

    page.get_by_role("link", name="reports page").click()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    page.get_by_label("Excel, to work with the figures").check()
    page.get_by_role("button", name="Prepare the report").click()
    expect(page.get_by_role("table")).to_contain_text("LA summary report (Excel)")
    assert_accessible(page)
