"""Read a CSV or XLSX sheet of criteria into a framework version, checked like a YAML file."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from standards.loader.checks import build
from standards.loader.data import FrameworkFile, LevelData, LineDict, Problem, ScaleData
from standards.models import AreaOfNeed, Framework, FrameworkVersion, Section, Tier

# --- spreadsheets -----------------------------------------------------------------------------------------

SPREADSHEET_REQUIRED = ("section", "ref", "statement", "evidence", "statutory")
SPREADSHEET_OPTIONAL = ("guidance", "statutory_source", "area_of_need", "tier", "continues")
_TRUE = {"yes", "y", "true", "1", "statutory"}
_FALSE = {"no", "n", "false", "0", ""}


@dataclass
class SpreadsheetMeta:
    """What a spreadsheet cannot say for itself: the framework, the version and the scale."""

    slug: str
    title: str
    la_code: str
    label: str
    description: str = ""
    previous: str = ""
    previous_statements: dict[str, str] = field(default_factory=dict)  # ref -> statement in `previous`
    scale: ScaleData | None = None


DEFAULT_SCALE = ScaleData(
    allow_not_applicable=True,
    levels=[
        LevelData(
            0,
            "Not yet in place",
            "This does not happen, or happens only by chance. There is no agreed approach and no evidence of it.",
        ),
        LevelData(
            1,
            "Emerging",
            "Work has started but is patchy. It depends on particular people, covers only part of what is needed, or is too new to judge.",
        ),
        LevelData(
            2,
            "Established",
            "This is in place and works as intended in most cases. There is evidence that it happens, but checks on its impact are recent or light.",
        ),
        LevelData(
            3,
            "Embedded",
            "This is consistently in place, checked regularly and improved in response. There is evidence of its impact on pupils, and it has lasted through changes of staff or governors.",
        ),
    ],
)


def _normalise_header(value) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(value or "").strip().lower()).strip("_")


def _read_rows(content: bytes, kind: str, source: str) -> tuple[list[tuple[int, list]], list[Problem]]:
    """Return (row number, cells) for every row, header first."""
    if kind == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [
                Problem(source, None, "", "the CSV file is not UTF-8 text; save it as 'CSV UTF-8'", "row")
            ]
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            return [], [Problem(source, None, "", f"the CSV file cannot be read: {exc}", "row")]
        return list(enumerate(rows, start=1)), []
    from openpyxl import load_workbook

    try:
        # Every read of the archive is in here: in read-only mode openpyxl reads the sheet's part only as
        # the rows are asked for, so a damaged part (bad CRC, unknown compression, encryption) fails then.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = [
                (n, ["" if v is None else v for v in row])
                for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
        finally:
            workbook.close()
    except Exception:  # openpyxl and zipfile raise many types for a damaged file; all mean the same
        return [], [
            Problem(
                source,
                None,
                "",
                "the XLSX file cannot be opened; save it again from your spreadsheet program",
                "row",
            )
        ]
    return rows, []


def _lookup_choice(value: str, choices) -> str | None:
    """Accept a choice by its code or its label, in any case."""
    wanted = value.strip().lower()
    for code, label in choices:
        if wanted in (code.lower(), label.lower()):
            return code
    return None


def parse_spreadsheet(
    content: bytes, *, kind: str, source: str, meta: SpreadsheetMeta
) -> tuple[FrameworkFile | None, list[Problem]]:
    """Turn a CSV or XLSX sheet of criteria into a framework version, checked like a YAML file."""
    rows, problems = _read_rows(content, kind, source)
    if problems:
        return None, problems
    rows = [(n, cells) for n, cells in rows if any(str(c).strip() for c in cells)]
    if not rows:
        return None, [
            Problem(source, 1, "", "the spreadsheet is empty; put the column names in row 1", "row")
        ]
    header_row, header = rows[0]
    columns = [_normalise_header(h) for h in header]
    missing = [c for c in SPREADSHEET_REQUIRED if c not in columns]
    unknown = [
        header[i] for i, c in enumerate(columns) if c and c not in SPREADSHEET_REQUIRED + SPREADSHEET_OPTIONAL
    ]
    out: list[Problem] = []
    if missing:
        out.append(
            Problem(
                source,
                header_row,
                "columns",
                f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
                "row",
            )
        )
    if unknown:
        out.append(
            Problem(
                source,
                header_row,
                "columns",
                f"unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(map(str, unknown))} (allowed: {', '.join(SPREADSHEET_REQUIRED + SPREADSHEET_OPTIONAL)})",
                "row",
            )
        )
    if out:
        return None, out

    def node(line: int, **values) -> LineDict:
        d = LineDict(values)
        d.line, d.key_lines = line, {k: line for k in values}
        return d

    sections: dict[str, LineDict] = {}
    section_areas: dict[str, set[str]] = {}
    used_continues: set[str] = set()
    continued_count: dict[str, int] = {}
    pending: list[tuple[LineDict, list[str]]] = []
    for number, cells in rows[1:]:
        cell = {
            c: (str(cells[i]).strip() if i < len(cells) and cells[i] is not None else "")
            for i, c in enumerate(columns)
            if c
        }
        title = cell.get("section", "")
        if not title:
            out.append(
                Problem(
                    source,
                    number,
                    f"criterion {cell.get('ref') or '?'}",
                    "'section' is empty; every criterion belongs to a section",
                    "row",
                )
            )
            continue
        flag = cell.get("statutory", "").lower()
        statutory: object = True if flag in _TRUE else False if flag in _FALSE else flag
        area = cell.get("area_of_need", "")
        area_code = _lookup_choice(area, AreaOfNeed.choices) if area else ""
        if area and area_code is None:
            out.append(
                Problem(
                    source,
                    number,
                    f"criterion {cell.get('ref') or '?'}",
                    f"'area_of_need' must be one of: {', '.join(label for _, label in AreaOfNeed.choices)} (found {area!r})",
                    "row",
                )
            )
        tier = cell.get("tier", "")
        tier_code = _lookup_choice(tier, Tier.choices) if tier else ""
        if tier and tier_code is None:
            out.append(
                Problem(
                    source,
                    number,
                    f"criterion {cell.get('ref') or '?'}",
                    f"'tier' must be one of: {', '.join(label for _, label in Tier.choices)} (found {tier!r})",
                    "row",
                )
            )
        evidence = [e.strip() for e in re.split(r"\||\r?\n", cell.get("evidence", "")) if e.strip()]
        criterion = node(
            number,
            ref=cell.get("ref", ""),
            statement=cell.get("statement", ""),
            guidance=cell.get("guidance", ""),
            evidence=evidence,
            statutory=statutory,
            statutory_source=cell.get("statutory_source", ""),
            area_of_need=area_code or None,
            tier=tier_code or None,
        )
        if title not in sections:
            sections[title] = node(number, ref=f"S{len(sections) + 1:02d}", title=title, criteria=[])
            section_areas[title] = set()
        sections[title]["criteria"].append(criterion)
        section_areas[title].add(area_code or "")
        named = [e.strip() for e in re.split(r"\||\r?\n|,", cell.get("continues", "")) if e.strip()]
        if not named and meta.previous and criterion["ref"] in meta.previous_statements:
            named = [criterion["ref"]]  # the same ref in the previous version: it continues it
        for ref in named:
            continued_count[ref] = continued_count.get(ref, 0) + 1
        used_continues.update(named)
        pending.append((criterion, named))
    if out:
        return None, out

    # Work out each continuation's change from how the refs are shared (see docs/framework-format.md).
    for criterion, named in pending:
        entries = []
        for ref in named:
            if len(named) > 1:
                change = "merged"
            elif continued_count[ref] > 1:
                change = "split"
            elif meta.previous_statements.get(ref, "").strip() == criterion["statement"]:
                change = "same"
            else:
                change = "reworded"
            entries.append(node(criterion.line, ref=ref, change=change))
        if entries:
            criterion["continues"] = entries
            criterion.key_lines["continues"] = criterion.line

    for title, section in sections.items():
        areas = section_areas[title]
        if len(areas) == 1 and "" not in areas:
            section["kind"], section["area_of_need"] = Section.Kind.AREA_OF_NEED.value, areas.pop()
        else:
            section["kind"], section["area_of_need"] = Section.Kind.WHOLE_SCHOOL.value, None
        section.key_lines.update(kind=section.line, area_of_need=section.line)
        for criterion in section["criteria"]:  # the section carries the area; criteria inherit it
            if section["area_of_need"]:
                criterion["area_of_need"] = None

    scale = meta.scale or DEFAULT_SCALE
    tree = node(
        header_row,
        framework=node(
            header_row,
            slug=meta.slug,
            title=meta.title,
            publisher=Framework.Publisher.LOCAL_AUTHORITY.value,
            la_code=meta.la_code,
            description=meta.description,
        ),
        version=node(
            header_row,
            label=meta.label,
            status=FrameworkVersion.Status.DRAFT.value,
            previous=meta.previous or None,
        ),
        scale=node(
            header_row,
            allow_not_applicable=scale.allow_not_applicable,
            levels=[
                node(header_row, value=lv.value, label=lv.label, descriptor=lv.descriptor)
                for lv in scale.levels
            ],
        ),
        sections=list(sections.values()),
    )
    if meta.previous:
        retired = [ref for ref in meta.previous_statements if ref not in used_continues]
        if retired:
            tree["retired"] = retired
            tree.key_lines["retired"] = header_row
    return build(tree, source=source, unit="row")
