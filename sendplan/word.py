"""Word (.docx) documents from a plain outline: headings, paragraphs, lists and tables (python-docx).

Every document the service offers as Word (the EHC plan, the inclusion strategy, the SEN information
report) is built from the same few blocks, so headings are real Word headings (a screen reader and the
navigation pane see them), table header rows repeat on every page, and the header and footer carry the
title, the organisation and "Page X of Y".
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 to 4; the document title is level 0


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Bullets:
    items: list[str]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""
    row_headers: bool = False  # the first cell of each row names the row (a key and its value), in bold


@dataclass
class Outline:
    """A document: its title, who it is for, and its blocks in reading order."""

    title: str
    organisation: str
    blocks: list = field(default_factory=list)
    draft: bool = False  # "DRAFT" in the header of every page
    subtitle: str = ""  # under the title, e.g. the version and its dates

    def add(self, *blocks) -> Outline:
        self.blocks.extend(blocks)
        return self


def docx_bytes(outline: Outline) -> bytes:
    """Return the outline as a Word document."""
    document = Document()
    document.core_properties.title = outline.title
    document.core_properties.language = "en-GB"
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    _language(document.styles["Normal"], "en-GB")  # spelling and screen readers follow the text's language
    _header_and_footer(document, outline)
    document.add_heading(outline.title, level=0)
    if outline.subtitle:
        document.add_paragraph(outline.subtitle)
    for block in outline.blocks:
        _add(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add(document, block) -> None:
    if isinstance(block, Heading):
        document.add_heading(block.text, level=max(1, min(block.level, 4)))
    elif isinstance(block, Paragraph):
        run = document.add_paragraph().add_run(block.text)
        run.bold = block.bold
    elif isinstance(block, Bullets):
        style = "List Number" if block.numbered else "List Bullet"
        for item in block.items:
            document.add_paragraph(item, style=style)
    elif isinstance(block, Table):
        _table(document, block)
    else:
        raise TypeError(f"Not a block: {block!r}")


def _table(document, block: Table) -> None:
    if block.caption:
        document.add_paragraph(block.caption, style="Caption")
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text in zip(header.cells, block.headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in block.rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = ""
            cell.paragraphs[0].add_run("" if text is None else str(text)).bold = block.row_headers and i == 0


def _language(style, tag: str) -> None:
    properties = style.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), tag)
    properties.append(language)


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _header_and_footer(document, outline: Outline) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{'DRAFT · ' if outline.draft else ''}{outline.organisation} · {outline.title}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph, code: str) -> None:
    """Add a Word field (PAGE, NUMPAGES) that Word fills in when it lays the document out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
