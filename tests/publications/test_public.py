"""The public page and its files: only the published version, no pupil ever, only through its link;
and drafts stay with their school."""

import io
import re
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from audits.models import Action
from publications import selectors, services
from publications.models import Publication, new_public_token
from sendplan import policy, reports
from sendplan.models import Report
from tests.audits.factories import acting
from tests.conftest import membership_of, sign_in
from tests.publications.conftest import NAMES
from tests.publications.factories import fill_strategy, make_report, make_strategy, published_strategy


def public_url(publication: Publication, name: str = "public_page") -> str:
    return reverse(f"publications:{name}", kwargs={"public_token": publication.public_token})


def test_anyone_with_the_link_reads_the_published_version_without_signing_in(world, senco_a_user):
    strategy = published_strategy(world.school_a, senco_a_user)
    response = Client().get(public_url(strategy))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Inclusion strategy 2026/27</h1>' in html and "School A" in html
    assert "Noisy corridors at lunchtime." in html and "£1,200" in html
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"


def test_the_public_page_shows_only_the_published_version(world, senco_a_user):
    strategy = published_strategy(world.school_a, senco_a_user)
    by = membership_of(senco_a_user)
    services.barrier_add(publication=strategy, text="A draft barrier nobody has published", by=by)
    services.statement_update(publication=strategy, text="A redrafted statement", by=by)
    html = Client().get(public_url(strategy)).content.decode()
    assert "A draft barrier nobody has published" not in html and "A redrafted statement" not in html
    assert "Every pupil belongs here." in html
    docx = Client().get(public_url(strategy, "public_docx")).content
    assert b"A redrafted statement" not in _docx_text(docx).encode()
    services.publication_publish(publication=strategy, by=by)
    assert "A redrafted statement" in Client().get(public_url(strategy)).content.decode()


def test_the_link_answers_page_not_found_once_unpublished(world, senco_a_user):
    strategy = published_strategy(world.school_a, senco_a_user)
    services.publication_unpublish(publication=strategy, by=membership_of(senco_a_user))
    for name in ("public_page", "public_docx", "public_pdf"):
        assert Client().get(public_url(strategy, name)).status_code == 404
    draft = make_report(world.school_a, senco_a_user)  # never published: its token leads nowhere either
    assert Client().get(public_url(draft)).status_code == 404


def test_the_link_cannot_be_guessed_or_listed(world, senco_a_user):
    strategy = published_strategy(world.school_a, senco_a_user)
    token = strategy.public_token
    # 32 random bytes in URL-safe base64: 43 characters, 256 bits. Nothing about the school is in it.
    assert len(token) == 43 and re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    assert world.school_a.urn not in token and str(strategy.public_id) not in token
    assert len({new_public_token() for _ in range(500)}) == 500
    near_misses = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character out
        token[:20],  # a prefix
        token.upper() if token.upper() != token else token.lower(),
        world.school_a.urn,  # the school's URN
        str(strategy.public_id),  # the document's own id
        new_public_token(),
        "x" * 65,
    ]
    for guess in near_misses:
        assert (
            Client().get(reverse("publications:public_page", kwargs={"public_token": guess})).status_code
            == 404
        )
    for listing in ("/publications/p/", "/publications/p/?school=900001", "/publications/public/"):
        assert Client().get(listing).status_code in (302, 404)  # no public listing of links exists
    assert (
        Client().get(reverse("publications:publication_list")).status_code == 302
    )  # the school's list: sign in


def test_the_public_page_and_files_hold_no_pupil_level_data(world, senco_a_user, known_audit, known_register):
    """Fill the register with distinctive names, keep every suggestion the register makes, publish, and look."""
    by = acting(senco_a_user, world.school_a)
    strategy = fill_strategy(make_strategy(world.school_a, senco_a_user), senco_a_user)
    for suggestion in selectors.barrier_suggestions(strategy, known_audit):
        services.barrier_add(
            publication=strategy,
            text=suggestion.text,
            source=suggestion.source,
            suggestion_key=suggestion.key,
            by=by,
        )
    report = make_report(world.school_a, senco_a_user)
    for key, items in selectors.section_suggestions(report, known_audit).items():
        for suggestion in items:
            services.suggestion_use(publication=report, item=key, suggestion=suggestion, by=by)
    for publication in (strategy, report):
        version = services.publication_publish(publication=publication, by=by)
        pdf_report = Report.objects.get(subject_id=version.public_id)
        reports.report_render(report_id=pdf_report.pk)
        pdf_report.refresh_from_db()
        assert pdf_report.status == Report.Status.READY, pdf_report.error
        page = Client().get(public_url(publication)).content.decode()
        docx = _docx_text(Client().get(public_url(publication, "public_docx")).content)
        pdf = _pdf_text(b"".join(Client().get(public_url(publication, "public_pdf")).streaming_content))
        for text in (page, docx, pdf, str(version.content)):
            found = [name for name in NAMES if name in text]
            assert not found, f"pupil names in the published {publication.kind}: {found}"
        assert "4 pupils" in page  # the register's counts are there, and only counts of 3 or more
        assert "2 pupils" not in page and "1 pupil" not in page


def test_the_pdf_is_rendered_by_the_report_pipeline_tagged_with_its_headings_and_figures(
    world, senco_a_user, tmp_path
):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    strategy = published_strategy(world.school_a, senco_a_user, years=3)
    report = Report.objects.get(subject_id=strategy.current_version.public_id)
    assert report.kind == Report.Kind.INCLUSION_STRATEGY and report.status == Report.Status.QUEUED
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    data = report.file.open("rb").read()
    path = tmp_path / "strategy.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert "Inclusion strategy 2026/27 to 2028/29" in info  # the document title
    text = _pdf_text(data)
    for expected in (
        "Inclusion strategy 2026/27 to 2028/29",
        "This is a 3-year strategy. It is reviewed every year",
        "Statement of intent",
        "Barriers to learning and participation",
        "Noisy corridors at lunchtime.",
        "Quiet lunchtime club",
        "£1,200",
        "Budget by funding source",
        "Intended outcomes",
    ):
        assert expected in text, expected
    assert "DRAFT" not in text  # a published version is not a draft
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    assert (tmp_path / "page-1.png").stat().st_size > 5000  # a rendered page, not a blank one


def test_a_draft_pdf_says_draft_on_every_page(world, senco_a_user, governor_a_user):
    strategy = fill_strategy(make_strategy(world.school_a, senco_a_user), senco_a_user)
    report = reports.report_request(
        kind=Report.Kind.INCLUSION_STRATEGY, subject=strategy, by=membership_of(governor_a_user)
    )
    reports.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    assert "DRAFT – not published" in _pdf_text(report.file.open("rb").read())


def test_a_report_never_renders_another_schools_document(world, senco_a_user, senco_b_user):
    theirs = fill_strategy(make_strategy(world.school_b, senco_b_user), senco_b_user)
    with pytest.raises(policy.NotAllowed):
        reports.report_request(
            kind=Report.Kind.INCLUSION_STRATEGY, subject=theirs, by=membership_of(senco_a_user)
        )
    assert not Report.objects.exists()


# --- drafts stay with their school ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [("senco_b", 404), ("la_officer_x", 403), ("la_officer_y", 403), ("anonymous", 302)],
)
def test_a_draft_is_hidden_from_everyone_outside_its_school(request, world, senco_a_user, persona, status):
    strategy = fill_strategy(make_strategy(world.school_a, senco_a_user), senco_a_user)
    client = request.getfixturevalue(persona)
    pages = [
        reverse("publications:publication_detail", args=[strategy.public_id]),
        reverse("publications:publication_preview", args=[strategy.public_id]),
        reverse("publications:publication_docx", args=[strategy.public_id]),
        reverse("publications:barrier_list", args=[strategy.public_id]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == status, page
        assert b"Noisy corridors" not in response.content
    barrier = strategy.barriers.get()
    response = client.post(
        reverse("publications:barrier_remove", args=[strategy.public_id, barrier.public_id])
    )
    assert response.status_code == status
    assert strategy.barriers.filter(pk=barrier.pk).exists()
    assert Client().get(public_url(strategy)).status_code == 404  # and it is not public either


def test_another_schools_audit_action_cannot_become_an_activity(
    world, senco_a, senco_a_user, senco_b_user, known_audit
):
    theirs = fill_strategy(make_strategy(world.school_b, senco_b_user), senco_b_user)
    mine = make_strategy(world.school_a, senco_a_user)
    action = Action.objects.get(audit=known_audit)  # school A's action, into school B's strategy: no
    response = sign_in(senco_b_user).post(
        reverse("publications:activity_from_action", args=[theirs.public_id, action.public_id])
    )
    assert response.status_code == 404 and theirs.activities.count() == 1
    # and school A's SENCO cannot reach school B's strategy with it
    response = senco_a.post(
        reverse("publications:activity_from_action", args=[theirs.public_id, action.public_id])
    )
    assert response.status_code == 404 and not mine.activities.exists()


def test_the_school_list_shows_only_its_own_documents(world, senco_a, senco_a_user, senco_b_user):
    published_strategy(world.school_b, senco_b_user)
    make_strategy(world.school_a, senco_a_user)
    html = senco_a.get(reverse("publications:publication_list")).content.decode()
    assert html.count('class="govuk-table__row"') == 2  # the header, and school A's one strategy
    assert "School B" not in html


# --- query counts ---------------------------------------------------------------------------------------------


def test_pages_take_a_fixed_number_of_queries(
    world, senco_a, senco_a_user, la_officer_x, django_assert_max_num_queries
):
    strategy = published_strategy(world.school_a, senco_a_user)
    by = membership_of(senco_a_user)
    for _ in range(5):  # 6 barriers, activities and outcomes in all
        fill_strategy(strategy, senco_a_user)
    for n in range(20):
        services.barrier_add(publication=strategy, text=f"Barrier {n}", by=by)
    for n in range(10):
        published_strategy(world.school_a, senco_a_user, year=f"{2030 + n}/{(31 + n) % 100:02d}")
    services.publication_publish(publication=strategy, by=by)
    # Measured: 2, 10, 16, 17 and 8 queries; the page sizes above do not change them.
    with django_assert_max_num_queries(3):
        assert Client().get(public_url(strategy)).status_code == 200
    with django_assert_max_num_queries(11):
        assert senco_a.get(reverse("publications:publication_list")).status_code == 200
    with django_assert_max_num_queries(17):
        assert (
            senco_a.get(reverse("publications:publication_detail", args=[strategy.public_id])).status_code
            == 200
        )
    with django_assert_max_num_queries(18):
        assert (
            senco_a.get(reverse("publications:activity_list", args=[strategy.public_id])).status_code == 200
        )
    with django_assert_max_num_queries(9):
        assert la_officer_x.get(reverse("publications:la_list")).status_code == 200


# --- helpers --------------------------------------------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return re.sub(r"\s+", " ", result.stdout.decode())  # words wrapped in a table cell read as one line
