"""manage.py render_report: any kind of document to a file, without the web, through the same renderers."""

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from sendplan.models import AccessEvent, Report
from tests.ehcp.known_plan import SECTION_HEADINGS, known_plan, known_pupil
from tests.pdf_checks import in_order, pdf_info, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    return known_plan(known_pupil(world.school_a))


def run(*args) -> str:
    out = io.StringIO()
    call_command("render_report", *args, stdout=out)
    return out.getvalue()


def test_the_plan_renders_to_a_pdf_and_the_access_log_records_it(plan, tmp_path):
    output = tmp_path / "plan.pdf"
    message = run("ehc_plan", "--school", "900001", "--plan", str(plan.public_id), "-o", str(output))
    assert message.startswith(f"Wrote {output} (") and message.rstrip().endswith(" s.")
    pdf = output.read_bytes()
    assert pdf_info(pdf, tmp_path)["Tagged"] == "yes"
    assert in_order(pdf_text(pdf, tmp_path), ["School A", "EHC plan for Sam Okoro", *SECTION_HEADINGS])
    event = AccessEvent.objects.get()
    assert (event.pupil_id, event.action, event.actor) == (plan.pupil.public_id, "export", None)
    assert event.actor_organisation == "The service's operator, on the command line"
    assert not Report.objects.exists()  # nothing queued: rendered here and now


def test_the_plan_renders_to_word_by_the_files_extension(plan, tmp_path):
    output = tmp_path / "plan.docx"
    run("ehc_plan", "--school", "900001", "--plan", str(plan.public_id), "-o", str(output))
    headings = [p.text for p in Document(str(output)).paragraphs if p.style.name == "Heading 1"]
    assert [h for h in headings if h.startswith("Section ")] == SECTION_HEADINGS


def test_a_pupil_pack_and_a_school_report_render_too(plan, tmp_path):
    run(
        "subject_access",
        "--school",
        "900001",
        "--pupil",
        str(plan.pupil.public_id),
        "-o",
        str(tmp_path / "s.pdf"),
    )
    assert "Subject access pack – Sam Okoro" in pdf_text((tmp_path / "s.pdf").read_bytes(), tmp_path)
    run("school_overview", "--school", "900001", "-o", str(tmp_path / "o.pdf"))
    assert "School SEND overview – School A" in pdf_text((tmp_path / "o.pdf").read_bytes(), tmp_path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["everything", "--school", "900001"], "There is no document called 'everything'."),
        (["ehc_plan", "--school", "900001"], "ehc_plan is about a plan: give --plan ID."),
        (["ehc_plan", "--school", "999999", "--plan", "x"], "No school has the URN 999999."),
        (["ehc_plan", "--school", "900002", "--plan", "PLAN"], "School B has no plan with the id"),
        (
            ["ehc_plan", "--school", "900001", "--plan", "not-a-uuid"],
            "School A has no plan with the id not-a-uuid",
        ),
        (
            ["subject_access", "--school", "900001", "--pupil", "PUPIL", "--word"],
            "subject_access is written as .pdf, not .docx",
        ),
    ],
)
def test_mistakes_are_reported_plainly(plan, tmp_path, args, message):
    args = [a.replace("PLAN", str(plan.public_id)).replace("PUPIL", str(plan.pupil.public_id)) for a in args]
    output = tmp_path / ("out.docx" if "--word" in args else "out.pdf")
    args = [a for a in args if a != "--word"]
    with pytest.raises(CommandError, match=message.replace(".", r"\.").replace("(", r"\(")):
        run(*args, "-o", str(output))
    assert not output.exists()
