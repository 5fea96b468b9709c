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
from docx.table import _Cell


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
    writer = _Writer(document)
    writer.paragraph(outline.title, style="Title")
    if outline.subtitle:
        writer.paragraph(outline.subtitle)
    for block in outline.blocks:
        writer.add(block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Writer:
    """Add blocks to a document, looking each style up once.

    python-docx looks a style up by name, through every style in the document, each time it is named;
    a plan has hundreds of paragraphs and table cells, so the ids are looked up once and set directly.
    """

    def __init__(self, document) -> None:
        self.document = document
        self.style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def paragraph(self, text: str = "", *, style: str = "", bold: bool = False) -> None:
        paragraph = self.document.add_paragraph()
        if style:
            paragraph._p.style = self.style_id(style)
        if text:
            run = paragraph.add_run(text)
            if bold:
                run.bold = True

    def add(self, block) -> None:
        if isinstance(block, Heading):
            self.paragraph(block.text, style=f"Heading {max(1, min(block.level, 4))}")
        elif isinstance(block, Paragraph):
            self.paragraph(block.text, bold=block.bold)
        elif isinstance(block, Bullets):
            for item in block.items:
                self.paragraph(item, style="List Number" if block.numbered else "List Bullet")
        elif isinstance(block, Table):
            self.table(block)
        else:
            raise TypeError(f"Not a block: {block!r}")

    def table(self, block: Table) -> None:
        if block.caption:
            self.paragraph(block.caption, style="Caption")
        table = self.document.add_table(rows=1 + len(block.rows), cols=len(block.headers))
        table._tbl.tblPr.style = self.style_id("Table Grid")
        rows = table._tbl.tr_lst
        _repeat_as_header(rows[0])
        for tr, texts, header in zip(
            rows, [block.headers, *block.rows], [True] + [False] * len(block.rows), strict=True
        ):
            for i, (tc, text) in enumerate(zip(tr.tc_lst, texts, strict=True)):
                run = _Cell(tc, table).paragraphs[0].add_run("" if text is None else str(text))
                if header or (block.row_headers and i == 0):
                    run.bold = True


def _language(style, tag: str) -> None:
    properties = style.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), tag)
    properties.append(language)


def _repeat_as_header(tr) -> None:
    properties = tr.get_or_add_trPr()
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
