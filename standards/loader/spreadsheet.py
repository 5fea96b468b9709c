"""Read a CSV or XLSX sheet of criteria into a framework version, checked like a YAML file."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from sendplan.spreadsheets import safe_row
from standards.loader.checks import build
from standards.loader.data import FrameworkFile, LevelData, LineDict, Problem, ScaleData
from standards.loader.schema import MAX_EVIDENCE
from standards.models import AreaOfNeed, Framework, FrameworkVersion, Section, Tier

# --- spreadsheets -----------------------------------------------------------------------------------------

SPREADSHEET_REQUIRED = ("section", "ref", "statement", "evidence", "statutory")
SPREADSHEET_OPTIONAL = (
    "guidance",
    "statutory_guidance",
    "statutory_source",
    "area_of_need",
    "tier",
    "continues",
)
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
    rated_by: str = "school_staff"
    previous: str = ""
    previous_statements: dict[str, str] = field(default_factory=dict)  # ref -> statement in `previous`
    scale: ScaleData | None = None


DEFAULT_SCALE = ScaleData(
    allow_not_applicable=True,
    met_value=2,  # Established
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
    records = [
        (
            number,
            {
                c: (str(cells[i]).strip() if i < len(cells) and cells[i] is not None else "")
                for i, c in enumerate(columns)
                if c
            },
        )
        for number, cells in rows[1:]
    ]
    return _build_version(records, header_row=header_row, source=source, meta=meta)


def _node(line: int, **values) -> LineDict:
    d = LineDict(values)
    d.line, d.key_lines = line, {k: line for k in values}
    return d


def _build_version(
    records: list[tuple[int, dict[str, str]]], *, header_row: int, source: str, meta: SpreadsheetMeta
) -> tuple[FrameworkFile | None, list[Problem]]:
    """Build and check a version from rows of named cells (the documented column names)."""
    out: list[Problem] = []
    node = _node

    sections: dict[str, LineDict] = {}
    section_areas: dict[str, set[str]] = {}
    used_continues: set[str] = set()
    continued_count: dict[str, int] = {}
    pending: list[tuple[LineDict, list[str]]] = []
    for number, cell in records:
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
        flag = cell.get("statutory_guidance", "").lower()
        guidance: object = True if flag in _TRUE else False if flag in _FALSE else flag
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
            statutory_guidance=guidance,
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
            rated_by=meta.rated_by,
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
            met_value=scale.met_value,
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


# --- an LA's own spreadsheet, matched column by column ----------------------------------------------------
#
# LAs write their OAP documents with their own headings ("Area of need", "What we expect to see"), in their
# own order, often writing the area only on the first row of its group. The officer says which column holds
# each field (guessed from the headings first); the rows are then read into the documented columns above and
# checked by the same builder, so the rules are the same as for any other upload.

MAPPED_FIELDS = {
    "section": "Area or section",
    "statement": "Criterion statement",
    "guidance": "Guidance",
    "evidence": "Evidence examples",
    "ref": "Reference",
    "statutory": "Statutory duty (yes or no)",
    "statutory_source": "Law it comes from",
    "statutory_guidance": "Statutory guidance (yes or no)",
    "tier": "Tier (universal, targeted or specialist)",
    "area_of_need": "Area of need, if not the section",
}
MAPPED_REQUIRED = ("section", "statement", "evidence")
IN_SENTENCE = {
    "section": "the area or section",
    "statement": "the criterion statement",
    "guidance": "the guidance",
    "evidence": "the evidence examples",
    "ref": "the reference",
    "statutory": "whether it is a statutory duty",
    "statutory_source": "the law it comes from",
    "statutory_guidance": "whether it rests on statutory guidance",
    "tier": "the tier",
    "area_of_need": "the area of need",
}
# Headings LAs use for each field, normalised (lower case, words joined by "_"). An exact match wins; then a
# heading that contains one of these (longest first), so "Examples of evidence (1-3)" finds the evidence.
HEADING_GUESSES = {
    "section": (
        "section", "area", "area_of_need", "areas_of_need", "broad_area_of_need", "theme", "strand", "domain",
        "heading", "category", "aspect", "standard_area", "area_of_provision",
    ),
    "statement": (
        "statement", "what_we_expect_to_see", "what_you_should_see", "criterion", "criteria", "standard",
        "expectation", "we_expect", "provision", "ordinarily_available_provision", "oap", "descriptor",
        "what_should_be_in_place", "description",
    ),
    "guidance": ("guidance", "further_guidance", "notes", "advice", "what_this_looks_like", "how", "support"),
    "evidence": (
        "evidence", "evidence_examples", "examples_of_evidence", "sources_of_evidence", "how_do_we_know",
        "how_will_we_know", "examples",
    ),
    "ref": ("ref", "reference", "id", "code", "no", "number", "item", "ref_no", "criterion_ref"),
    "statutory": (
        "statutory", "statutory_duty", "legal_duty", "duty", "is_statutory", "statutory_yes_no", "required_by_law",
    ),
    "statutory_source": (
        "statutory_source", "source", "legislation", "law", "legal_basis", "the_law", "law_it_comes_from",
        "statutory_reference", "source_in_law",
    ),
    "statutory_guidance": (
        "statutory_guidance", "is_statutory_guidance", "guidance_status", "have_regard_to", "code_of_practice",
    ),
    "tier": ("tier", "level_of_support", "tier_of_support", "wave", "provision_tier", "universal_targeted_specialist"),
    "area_of_need": ("area_of_need", "broad_area_of_need", "area_of_need_code", "sen_area", "need", "primary_need"),
}  # fmt: skip
MAX_CELL = 10_000  # characters in any cell read: more is not a criterion but a pasted document
MAX_ROWS = 2_000
MAX_COLUMNS = 100
MAX_HEADING = 200
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣*]|-(?=\s)|\d+[.)](?=\s))\s*")


class SheetUnreadable(Exception):
    """The file cannot be read as a sheet of rows; ``problem`` says why (and where, if known)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def cell_text(value) -> str:
    """Return a cell as text: whole numbers without ".0", nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(content: bytes, kind: str, source: str) -> list[tuple[int, list[str]]]:
    """Return (row number, cells as text) for each non-blank row, headings first; raise SheetUnreadable."""
    rows: list[tuple[int, list[str]]] = []

    def unreadable(message: str, line: int | None = None) -> SheetUnreadable:
        return SheetUnreadable(Problem(source, line, "", message, "row"))

    if kind == "csv":
        if b"\x00" in content:
            raise unreadable("the file is not CSV text: save it as 'CSV UTF-8'")
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise unreadable("the CSV file is not UTF-8 text: save it as 'CSV UTF-8'") from None
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    rows.append((reader.line_num, [c.strip() for c in cells[:MAX_COLUMNS]]))
                if len(rows) > MAX_ROWS + 1:
                    break
        except csv.Error:  # a cell over the csv module's limit (128 KB), or a quote never closed
            line = reader.line_num
            raise unreadable(
                f"a cell is too long to be part of a criterion, or a quote is never closed (near row {line})",
                line,
            ) from None
    else:
        from openpyxl import load_workbook

        try:
            # Read-only mode reads the sheet only as rows are asked for, so a damaged part fails in here.
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
                    texts = [cell_text(c) for c in cells]
                    while texts and not texts[-1]:  # read-only sheets pad each row to the widest one
                        texts.pop()
                    if texts:
                        rows.append((number, texts))
                    if len(rows) > MAX_ROWS + 1:
                        break
            finally:
                workbook.close()
        except Exception:  # openpyxl and zipfile raise many types for a damaged file; all mean the same
            raise unreadable(
                "the XLSX file cannot be opened; save it again from your spreadsheet program"
            ) from None
    if not rows:
        raise unreadable("the file is empty: put the column headings in the first row", 1)
    if len(rows) > MAX_ROWS + 1:
        raise unreadable(f"the file has more than {MAX_ROWS:,} rows of criteria", rows[-1][0])
    return rows


def sheet_headings(rows: list[tuple[int, list[str]]]) -> list[str]:
    """Return the first row's headings, each cut to a length a page can show."""
    return [heading[:MAX_HEADING] for heading in rows[0][1]]


def guess_columns(headings: list[str]) -> dict[str, int]:
    """Return the best guess of the column holding each field, from the headings (each column used once)."""
    normalised = [_normalise_header(h) for h in headings]
    found: dict[str, int] = {}
    used: set[int] = set()
    for field_name, words in HEADING_GUESSES.items():  # exact headings first, the likeliest word first
        for word in words:
            index = next((i for i, h in enumerate(normalised) if h == word and i not in used), None)
            if index is not None:
                found[field_name], _ = index, used.add(index)
                break
    candidates = sorted(
        ((len(word), field_name, word) for field_name, words in HEADING_GUESSES.items() for word in words),
        reverse=True,
    )
    for _, field_name, word in candidates:  # then headings that contain a known word, longest word first
        if field_name in found:
            continue
        for index, heading in enumerate(normalised):
            if index not in used and re.search(rf"(^|_){re.escape(word)}(_|$)", heading):
                found[field_name], _ = index, used.add(index)
                break
    return found


def mapped_columns_problems(headings: list[str], columns: dict[str, int]) -> dict[str, str]:
    """Return a message for each field matched wrongly: a required field left out, a column used twice."""
    errors: dict[str, str] = {}
    for name in MAPPED_REQUIRED:
        if name not in columns:
            errors[name] = f"Select the column that holds {IN_SENTENCE[name]}"
    seen: dict[int, str] = {}
    for name, index in columns.items():
        if name not in MAPPED_FIELDS:
            continue
        if not 0 <= index < len(headings):
            errors[name] = "Select a column of the file"
        elif index in seen:
            errors[name] = f"This column is already chosen for {IN_SENTENCE[seen[index]]}"
        else:
            seen[index] = name
    return errors


@dataclass
class MappedRow:
    """One criterion as read from a row of the LA's spreadsheet, through the matched columns."""

    line: int
    section: str
    statement: str
    guidance: str = ""
    evidence: list[str] = field(default_factory=list)
    ref: str = ""
    statutory: bool = False
    statutory_source: str = ""
    statutory_guidance: bool = False
    tier: str = ""  # a code of Tier, or ""
    section_filled_down: bool = False
    area_of_need: str = ""  # a code of AreaOfNeed: the row's own, else the section's if its title names one
    made_ref: str = ""  # the ref it will have: its own, or one made from its position (see made_refs)

    @property
    def tier_label(self) -> str:
        return Tier(self.tier).label if self.tier else ""

    @property
    def area_label(self) -> str:
        """Return the area of need's name, unless the section's title already says it."""
        label = AreaOfNeed(self.area_of_need).label if self.area_of_need else ""
        return "" if label.casefold() == self.section.casefold() else label


def split_evidence(text: str) -> list[str]:
    """Return the evidence examples of a cell: one per line or between "|", without bullets."""
    return [
        _BULLET.sub("", part).strip() for part in re.split(r"\||\r?\n", text) if _BULLET.sub("", part).strip()
    ]


def _collector(errors: list[tuple[str, str]]):
    return lambda name, message: errors.append((name, message))


def read_mapped(
    rows: list[tuple[int, list[str]]], columns: dict[str, int], headings: list[str], source: str
) -> tuple[list[MappedRow], list[Problem]]:
    """Read each row through the matched columns, filling the area down; return the rows and every problem."""

    def where(name: str) -> str:
        index = columns.get(name)
        return (
            headings[index]
            if index is not None and index < len(headings) and headings[index]
            else MAPPED_FIELDS[name]
        )

    out: list[MappedRow] = []
    problems: list[Problem] = []
    section = ""
    previous_area = ""
    for line, cells in rows[1:]:
        cell: dict[str, str] = {}
        for name, index in columns.items():
            cell[name] = cells[index] if index < len(cells) else ""
        errors: list[tuple[str, str]] = []  # (field, message) for this row
        problem = _collector(errors)
        for name, value in cell.items():
            if len(value) > MAX_CELL:
                problem(name, f"{IN_SENTENCE[name]} is longer than {MAX_CELL:,} characters".capitalize())
            elif "\x00" in value:
                problem(
                    name, f"{IN_SENTENCE[name]} contains a character that is not allowed (NUL)".capitalize()
                )
        if errors:
            problems += [Problem(source, line, where(name), message, "row") for name, message in errors]
            continue
        filled_down = not cell.get("section")
        section = cell.get("section") or section
        area_text = cell.get("area_of_need", "")
        area = _lookup_choice(area_text, AreaOfNeed.choices) if area_text else None
        if area_text and area is None:
            names = ", ".join(label for _, label in AreaOfNeed.choices)
            problem("area_of_need", f"The area of need must be one of: {names} (found '{area_text[:60]}')")
        if not area_text and filled_down:
            area = previous_area  # the rows of a group share the area written on its first row
        previous_area = area or ""
        if not section:
            problem("section", "The area or section is empty, and no row above names one")
        statement = cell.get("statement", "")
        if not statement:
            problem("statement", "The statement is empty")
        evidence = split_evidence(cell.get("evidence", ""))
        if not evidence:
            problem("evidence", f"The evidence is empty: give 1 to {MAX_EVIDENCE} examples")
        elif len(evidence) > MAX_EVIDENCE:
            problem(
                "evidence",
                f"Give 1 to {MAX_EVIDENCE} evidence examples, one per line (found {len(evidence)})",
            )
        flag = cell.get("statutory", "").lower()
        statutory = flag in _TRUE
        if flag not in _TRUE and flag not in _FALSE:
            problem("statutory", f"Write yes or no for whether it is a statutory duty (found '{flag[:40]}')")
        flag = cell.get("statutory_guidance", "").lower()
        guidance_flag = flag in _TRUE and not statutory  # a duty is the stronger: it wins
        if flag not in _TRUE and flag not in _FALSE:
            problem(
                "statutory_guidance",
                f"Write yes or no for whether it rests on statutory guidance (found '{flag[:40]}')",
            )
        source_text = cell.get("statutory_source", "")
        if (statutory or guidance_flag) and not source_text:
            what = (
                "A statutory duty needs the law it comes from"
                if statutory
                else ("Statutory guidance needs the guidance and paragraph it comes from")
            )
            problem(
                ("statutory" if statutory else "statutory_guidance")
                if "statutory_source" not in columns
                else "statutory_source",
                f"{what}: "
                + (
                    "write it in this column"
                    if "statutory_source" in columns
                    else "choose the column that names it, or write no in this column"
                ),
            )
        if len(source_text) > 300:
            problem("statutory_source", "The law it comes from must be 300 characters or fewer")
        tier_text = cell.get("tier", "")
        tier = _lookup_choice(tier_text, Tier.choices) if tier_text else ""
        if tier is None:
            names = ", ".join(label.lower() for _, label in Tier.choices)
            problem("tier", f"The tier must be one of: {names}, or left empty (found '{tier_text[:40]}')")
        problems += [Problem(source, line, where(name), message, "row") for name, message in errors]
        out.append(
            MappedRow(
                line=line,
                section=section,
                statement=statement,
                guidance=cell.get("guidance", ""),
                evidence=evidence,
                ref=cell.get("ref", ""),
                statutory=statutory,
                statutory_source=source_text if statutory or guidance_flag else "",
                statutory_guidance=guidance_flag,
                tier=tier or "",
                section_filled_down=filled_down and bool(section),
                area_of_need=area or _lookup_choice(section, AreaOfNeed.choices) or "",
            )
        )
    for row, ref in zip(out, made_refs(out), strict=True):
        row.made_ref = ref
    if not out and not problems:
        problems.append(Problem(source, rows[0][0], "", "the file has no criteria below its headings", "row"))
    return out, problems


def made_refs(mapped: list[MappedRow]) -> list[str]:
    """Return each row's ref: its own, or one made from its position (S01-02: section 1, its 2nd row).

    Sections are numbered in the order their titles first appear, as the builder numbers them.
    """
    section_refs: dict[str, str] = {}
    counts: dict[str, int] = {}
    refs = []
    for row in mapped:
        section_ref = section_refs.setdefault(row.section, f"S{len(section_refs) + 1:02d}")
        counts[section_ref] = counts.get(section_ref, 0) + 1
        refs.append(row.ref or f"{section_ref}-{counts[section_ref]:02d}")
    return refs


def mapped_to_records(mapped: list[MappedRow]) -> list[tuple[int, dict[str, str]]]:
    """Return the rows as named cells for the builder; refs are made from positions where none is given."""
    records = []
    for row, ref in zip(mapped, made_refs(mapped), strict=True):
        area = row.area_of_need
        records.append(
            (
                row.line,
                {
                    "section": row.section,
                    "ref": ref,
                    "statement": row.statement,
                    "guidance": row.guidance,
                    "evidence": "\n".join(row.evidence),
                    "statutory": "yes" if row.statutory else "no",
                    "statutory_guidance": "yes" if row.statutory_guidance else "no",
                    "statutory_source": row.statutory_source,
                    "tier": row.tier,
                    "area_of_need": area,
                },
            )
        )
    return records


def parse_mapped(
    rows: list[tuple[int, list[str]]],
    *,
    columns: dict[str, int],
    headings: list[str],
    source: str,
    meta: SpreadsheetMeta,
) -> tuple[FrameworkFile | None, list[Problem]]:
    """Turn an LA's spreadsheet, read through its matched columns, into a checked framework version."""
    mapped, problems = read_mapped(rows, columns, headings, source)
    if problems:
        return None, problems
    return _build_version(mapped_to_records(mapped), header_row=rows[0][0], source=source, meta=meta)


def parse_levels(text: str) -> tuple[list[LevelData], str]:
    """Read a scale typed one level per line, lowest first ("Name" or "Name: what it means").

    Return the levels (numbered from 0) and "" or the one thing wrong, worded for the person typing.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return [], "Enter at least 2 levels, one on each line, lowest first"
    if len(lines) > 7:
        return [], "Enter at most 7 levels"
    levels: list[LevelData] = []
    for value, line in enumerate(lines):
        label, _, descriptor = line.partition(":")
        label, descriptor = label.strip(), descriptor.strip()
        if not label:
            return [], f"Level {value + 1} has no name before its colon"
        if len(label) > 60:
            return (
                [],
                f"The name of level {value + 1} must be 60 characters or fewer (put more after a colon)",
            )
        if any(level.label.casefold() == label.casefold() for level in levels):
            return [], f"Each level needs its own name: '{label}' is used twice"
        levels.append(LevelData(value, label, descriptor or label))
    return levels, ""


def find_level(levels: list[LevelData], name: str) -> LevelData | None:
    """Return the level named ``name`` (in any case), or whose name starts with it ("Green" for "Green – in place")."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return None
    for level in levels:
        if level.label.casefold() == wanted:
            return level
    starting = [lv for lv in levels if re.split(r"\s+[–—-]\s+|\s*\(", lv.label.casefold())[0] == wanted]
    return starting[0] if len(starting) == 1 else None


TEMPLATE_HEADINGS = (
    "Area of need",
    "Ref",
    "What we expect to see",
    "Guidance",
    "Evidence",
    "Statutory duty",
    "Law it comes from",
)
TEMPLATE_ROWS = (
    (
        "Communication and interaction",
        "CI-01",
        "Staff use visual timetables and clear, short instructions in every lesson.",
        "Look for it in lessons, not only in policies.",
        "Lesson observation notes\nPhotos of classroom displays",
        "No",
        "",
    ),
    (
        "",  # the area is filled down from the row above
        "CI-02",
        "The school has a designated SENCO who is a qualified teacher.",
        "",
        "Governing board minute appointing the SENCO",
        "Yes",
        "SEND Regulations 2014, reg 49",
    ),
)


def template_xlsx() -> bytes:
    """Return the template spreadsheet: headings the column matching recognises, and two example rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Criteria"
    sheet.append(safe_row(TEMPLATE_HEADINGS))
    for row in TEMPLATE_ROWS:
        sheet.append(safe_row(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", (28, 10, 50, 40, 40, 12, 36), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
