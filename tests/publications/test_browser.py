"""Both documents end to end in Chromium: from the audit to the public page, its PDF and its Word file.

Screenshots and the first PDF page (as PNG) go to /tmp/publications-*.png, to look at.
"""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from publications.models import Publication
from sendplan.celery import app as celery_app
from tests.conftest import assert_accessible, browser_sign_in
from tests.publications.conftest import NAMES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp")


@pytest.fixture
def eager(monkeypatch):
    """Render PDFs in the web process after each commit, as the embedded default does without Redis."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def as_user(browser, live_server, user):
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    browser_sign_in(page, live_server, user)
    return page


def anonymous(browser):
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    return page


def look_at_pdf(data: bytes, name: str) -> str:
    """Save the PDF, convert its first page to PNG (to look at), and return its text."""
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils is not installed")
    pdf = SHOTS / f"publications-{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SHOTS / f"publications-{name}-pdf")],
                   check=True)  # fmt: skip
    assert (SHOTS / f"publications-{name}-pdf-1.png").stat().st_size > 5000
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", " ", text)


def download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(link_name)).click()
    return Path(info.value.path()).read_bytes()


def test_the_inclusion_strategy_from_audit_to_public_page(
    browser, live_server, world, senco_a_user, known_audit, known_register, eager
):
    senco = as_user(browser, live_server, senco_a_user)

    # the audit the suggestions come from
    senco.goto(f"{live_server.url}/audits/{known_audit.public_id}/summary/")
    expect(senco.locator("h1")).to_be_visible()

    # start a three-year strategy
    senco.get_by_role("link", name="Public documents").click()
    assert_accessible(senco)
    senco.get_by_label("First academic year").fill("2026/27")
    senco.get_by_label("3 years").check()
    senco.get_by_role("button", name="Start the strategy").click()
    expect(senco.locator("h1")).to_have_text("Inclusion strategy 2026/27 to 2028/29")
    strategy = Publication.objects.get()
    assert_accessible(senco)

    # the cover: review date and who authorised it
    senco.get_by_role("link", name="Years, review date and who authorised it").click()
    senco.get_by_label("Day").fill("16")
    senco.get_by_label("Month").fill("7")
    senco.get_by_label("Year", exact=True).fill("2027")
    senco.get_by_label("The governing board").check()
    senco.get_by_role("button", name="Save").click()

    # the statement of intent, counted in words as it is typed
    senco.get_by_role("link", name="Statement of intent").click()
    senco.get_by_label("Your statement of intent").fill("Every pupil belongs at School A.")
    expect(senco.locator(".govuk-character-count__status")).to_contain_text("494 words remaining")
    assert_accessible(senco)
    senco.get_by_role("button", name="Save statement").click()

    # barriers suggested from the audit and the register, each with its source: keep, edit, drop
    senco.get_by_role("link", name="Barriers to learning and participation").click()
    suggestions = senco.locator(".app-suggestion")
    expect(suggestions).to_have_count(6)
    expect(suggestions.nth(0)).to_contain_text("S1-01 (Identifying needs) is a statutory duty rated")
    expect(suggestions.nth(4)).to_contain_text("From your SEN register on")
    assert_accessible(senco)
    senco.screenshot(path=str(SHOTS / "publications-barriers.png"), full_page=True)
    senco.get_by_label("Suggestion 1").fill("We have no qualified SENCO in post yet.")
    senco.get_by_role("button", name="Keep suggestion 1").click()
    expect(senco.locator(".govuk-list--number")).to_contain_text("We have no qualified SENCO in post yet.")
    senco.get_by_role("button", name="Drop suggestion 1").click()  # S2-02 is dropped
    senco.get_by_role("button", name="Keep suggestion 3").click()  # the register's communication count
    expect(senco.locator(".govuk-list--number li")).to_have_count(2)
    expect(senco.locator(".govuk-list--number")).to_contain_text("Communication and interaction: 4 pupils")

    # activities with costs: the audit's action in one step, and one of our own
    senco.get_by_role("link", name=strategy.title).click()
    senco.get_by_role("link", name="Activities and budgeted costs").click()
    senco.get_by_role("button", name=re.compile("^Make it an activity")).click()
    expect(senco.locator("h1")).to_have_text("Change an activity")
    senco.get_by_label("Targeted").check()
    senco.get_by_label("1. Ambitious leadership and governance that embeds inclusion").check()
    senco.get_by_label("Notional SEN budget").check()
    senco.get_by_role("button", name="Save activity").click()
    senco.get_by_role("link", name="Add an activity").click()
    senco.get_by_label("What is the activity?").fill("Speech and language screening in Reception")
    senco.get_by_label("Universal", exact=True).check()
    senco.get_by_label("2. Evidence-based support that prioritises early intervention").check()
    senco.get_by_label(re.compile("2\\. Communication and interaction")).check()
    senco.get_by_label("Inclusive mainstream fund").check()
    senco.get_by_label("Budgeted cost in pounds (optional)").fill("1,500")
    senco.get_by_role("button", name="Save activity").click()
    expect(senco.locator("table").first).to_contain_text("£1,500")
    expect(senco.locator("body")).to_contain_text("£1,750")  # £250 from the action and £1,500
    assert_accessible(senco)
    senco.screenshot(path=str(SHOTS / "publications-activities.png"), full_page=True)

    # an outcome, the check (it reports, never blocks), publish
    senco.get_by_role("link", name=strategy.title).click()
    senco.get_by_role("link", name="Intended outcomes, and last year's to review").click()
    senco.get_by_role("link", name="Add an intended outcome").click()
    senco.get_by_label("Intended outcome").fill("Every pupil on SEN support is screened within a term")
    senco.get_by_label("Success criteria").fill("Screening log complete by Easter")
    senco.get_by_role("button", name="Save outcome").click()
    senco.get_by_role("link", name=strategy.title).click()
    senco.get_by_role("link", name="Publish", exact=True).click()
    expect(senco.locator("body")).to_contain_text("Principles no activity serves")
    assert_accessible(senco)
    senco.get_by_role("button", name="Publish", exact=True).click()
    expect(senco.locator(".govuk-notification-banner")).to_contain_text("Published")
    public_url = senco.get_by_label("Link to the public page").input_value()
    assert strategy.public_token in public_url

    # the public page, without signing in
    reader = anonymous(browser)
    reader.goto(public_url)
    expect(reader.locator("h1")).to_have_text("Inclusion strategy 2026/27 to 2028/29")
    expect(reader.locator("body")).to_contain_text("This is a 3-year strategy. It is reviewed every year")
    expect(reader.locator("body")).to_contain_text("We have no qualified SENCO in post yet.")
    assert_accessible(reader)
    reader.screenshot(path=str(SHOTS / "publications-public-strategy.png"), full_page=True)
    html = reader.content()
    assert not [name for name in NAMES if name in html]

    # the PDF, rendered by the report pipeline on publishing, and the Word file
    pdf = look_at_pdf(download(reader, "^PDF"), "strategy")
    for text in (
        "Inclusion strategy 2026/27 to 2028/29",
        "We have no qualified SENCO in post yet.",
        "£1,750",
    ):
        assert text in pdf
    document = Document(io.BytesIO(download(reader, "^Word document")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:5] == [
        "About this document",
        "Statement of intent",
        "The seven principles of inclusion",
        "Barriers to learning and participation",
        "Activities and budgeted costs",
    ]
    assert not [name for name in NAMES if name in pdf]

    # the draft moves on; the public page does not, until published again; then it is taken off
    senco.get_by_role("link", name="Statement of intent").click()
    senco.get_by_label("Your statement of intent").fill("A redrafted statement.")
    senco.get_by_role("button", name="Save statement").click()
    reader.goto(public_url)
    expect(reader.locator("body")).not_to_contain_text("A redrafted statement.")
    senco.get_by_role("button", name="Take it off the public page").click()
    assert reader.goto(public_url).status == 404


def test_the_sen_information_report_from_audit_to_public_page(
    browser, live_server, world, senco_a_user, governor_a_user, known_audit, known_register, eager
):
    senco_a_user.full_name = "Ada Lovelace"
    senco_a_user.save()
    senco = as_user(browser, live_server, senco_a_user)
    senco.goto(f"{live_server.url}/publications/")
    senco.get_by_label("Academic year", exact=True).fill("2026/27")
    senco.get_by_role("button", name="Start the report").click()
    expect(senco.locator("h1")).to_have_text("SEN information report 2026/27")
    assert_accessible(senco)

    # the kinds of need: suggested from the register (counts of 3 or more) and the audit's areas
    senco.get_by_role("link", name="The kinds of special educational needs we provide for").click()
    expect(senco.locator(".app-suggestion").first).to_contain_text("communication and interaction (4 pupils)")
    assert_accessible(senco)
    senco.get_by_role("button", name="Add to the section suggestion 1").click()
    expect(senco.get_by_label("The kinds of special educational needs we provide for")).to_have_value(
        re.compile("communication and interaction \\(4 pupils\\)")
    )
    senco.get_by_role("button", name="Save section").click()

    # identification, from the audit criterion rated Embedded and its rationale
    senco.get_by_role("link", name="How we identify and assess special educational needs").click()
    expect(senco.locator(".app-suggestion")).to_contain_text("rated ‘Embedded’, with your rationale")
    senco.get_by_role("button", name="Add to the section suggestion 1").click()
    senco.get_by_role("button", name="Save section").click()

    # the SENCO, from their account
    senco.get_by_role("link", name="Our special educational needs co-ordinator (SENCO)").click()
    senco.get_by_role("button", name="Add to the section suggestion 1").click()
    senco.screenshot(path=str(SHOTS / "publications-section.png"), full_page=True)
    senco.get_by_role("button", name="Save section").click()

    # the check lists what is still empty, and does not block publishing
    senco.get_by_role("link", name="Check what is missing").click()
    expect(senco.locator("body")).to_contain_text("Complaints")
    senco.get_by_role("link", name="SEN information report 2026/27").click()
    senco.get_by_role("link", name="Publish", exact=True).click()
    senco.get_by_role("button", name="Publish", exact=True).click()
    public_url = senco.get_by_label("Link to the public page").input_value()

    # the governing board records its approval
    governor = as_user(browser, live_server, governor_a_user)
    governor.goto(senco.url)
    governor.get_by_role("link", name="Record the board's approval").click()
    governor.get_by_label("Day").fill("26")
    governor.get_by_label("Month").fill("11")
    governor.get_by_label("Year", exact=True).fill("2026")
    governor.get_by_label("Minute reference").fill("FGB 2026/11 item 5")
    assert_accessible(governor)
    governor.get_by_role("button", name="Record the approval").click()
    expect(governor.locator("body")).to_contain_text(
        "Approved on 26 November 2026 (minute FGB 2026/11 item 5)"
    )

    reader = anonymous(browser)
    reader.goto(public_url)
    expect(reader.locator("h1")).to_have_text("SEN information report 2026/27")
    expect(reader.locator("body")).to_contain_text("Our SENCO is Ada Lovelace.")
    expect(reader.locator("h2", has_text="Complaints")).to_be_visible()
    assert_accessible(reader)
    reader.screenshot(path=str(SHOTS / "publications-public-report.png"), full_page=True)
    assert not [name for name in NAMES if name in reader.content()]

    pdf = look_at_pdf(download(reader, "^PDF"), "report")
    assert (
        "Our SENCO is Ada Lovelace." in pdf and "How we identify and assess special educational needs" in pdf
    )
    document = Document(io.BytesIO(download(reader, "^Word document")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[1:5] == [
        "The kinds of special educational needs we provide for",
        "How we identify and assess special educational needs",
        "How we check that our provision works",
        "How we assess and review pupils' progress",
    ]
    assert len(headings) == 1 + 23  # "About this document" and every item of Schedule 1 and s69(3)(b)
