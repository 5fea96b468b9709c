"""Word documents from an outline: real headings in order, tables with repeating headers, DRAFT, page X of Y."""

import io

from docx import Document

from sendplan.word import Bullets, Heading, Outline, Paragraph, Table, docx_bytes


def test_an_outline_becomes_a_word_document_with_its_structure():
    outline = Outline(title="EHC plan for A. B.", organisation="Northmere Primary School", draft=True)
    outline.add(
        Heading("Section A: views, interests and aspirations"),
        Paragraph("Amara enjoys music."),
        Heading("Section F: special educational provision"),
        Bullets(["Speech and language therapy, once a week"]),
        Table(["What", "How often"], [["Speech and language therapy", "Once a week"]]),
    )
    document = Document(io.BytesIO(docx_bytes(outline)))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings == [
        ("Title", "EHC plan for A. B."),
        ("Heading 1", "Section A: views, interests and aspirations"),
        ("Heading 1", "Section F: special educational provision"),
    ]
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["Speech and language therapy", "Once a week"]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # repeats on every page
    header = document.sections[0].header.paragraphs[0].text
    assert header == "DRAFT · Northmere Primary School · EHC plan for A. B."
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert (
        document.core_properties.title == "EHC plan for A. B."
        and document.core_properties.language == "en-GB"
    )
