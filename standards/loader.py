"""Read framework files (YAML, CSV, XLSX) into plain data, checking every rule; write them back as YAML.

Nothing here touches the database. ``parse_yaml`` and ``parse_spreadsheet`` return a ``FrameworkFile``
(or ``None``) and the list of every ``Problem`` found, each naming the file, the line or row, and the
field. ``standards.services.framework_version_load`` then checks the data against the database and
writes it. The format is documented in docs/framework-format.md.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import yaml

from standards.models import AreaOfNeed, CriterionMapping, Framework, FrameworkVersion, Section, Tier

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
LA_CODE_RE = re.compile(r"^\d{3}$")
CONTINUE_CHANGES = ("same", "reworded", "split", "merged")
MAX_EVIDENCE = 3


# --- the plain structure -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is and what to do about it."""

    source: str
    line: int | None
    where: str
    message: str
    unit: str = "line"  # "row" for spreadsheets

    def __str__(self) -> str:
        place = f"{self.source}, {self.unit} {self.line}" if self.line else self.source
        return f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"


@dataclass
class Continuation:
    ref: str
    change: str


@dataclass
class CriterionData:
    ref: str
    statement: str
    guidance: str = ""
    evidence: list[str] = field(default_factory=list)
    statutory: bool = False
    statutory_source: str = ""
    area_of_need: str = ""  # resolved: the criterion's own, else its section's
    tier: str = ""
    continues: list[Continuation] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)


@dataclass
class SectionData:
    ref: str
    title: str
    kind: str
    area_of_need: str = ""
    description: str = ""
    criteria: list[CriterionData] = field(default_factory=list)
    sections: list[SectionData] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)


@dataclass
class FrameworkData:
    slug: str
    title: str
    publisher: str
    la_code: str = ""
    description: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass
class VersionData:
    label: str
    status: str
    published_on: date | None = None
    previous: str = ""
    notes: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass
class LevelData:
    value: int
    label: str
    descriptor: str


@dataclass
class ScaleData:
    allow_not_applicable: bool
    levels: list[LevelData]


@dataclass
class FrameworkFile:
    """A whole framework version as plain data, checked against the schema."""

    framework: FrameworkData
    version: VersionData
    scale: ScaleData
    sections: list[SectionData]
    retired: list[str] = field(default_factory=list)
    source: str = field(default="", compare=False)
    unit: str = field(default="line", compare=False)
    retired_line: int | None = field(default=None, compare=False)

    def walk_sections(self) -> list[tuple[SectionData, SectionData | None]]:
        """Return (section, parent) pairs, depth first, in file order."""
        out: list[tuple[SectionData, SectionData | None]] = []

        def visit(sections: list[SectionData], parent: SectionData | None) -> None:
            for section in sections:
                out.append((section, parent))
                visit(section.sections, section)

        visit(self.sections, None)
        return out

    def criteria(self) -> list[tuple[CriterionData, SectionData]]:
        """Return (criterion, section) pairs in file order."""
        return [(c, s) for s, _ in self.walk_sections() for c in s.criteria]

    def problem(self, line: int | None, where: str, message: str) -> Problem:
        return Problem(self.source, line, where, message, self.unit)


class FrameworkFileInvalid(Exception):
    """The file breaks the rules; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- YAML with line numbers -----------------------------------------------------------------------------


class LineDict(dict):
    """A mapping that remembers the line it starts on and the line of each key."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings record line numbers and duplicate keys, and that refuses aliases."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in framework files", event.start_mark
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int | bool | float | date) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark
            )
        key = str(key)
        if key in mapping:
            loader.duplicates.append((line, key))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str | bytes, *, source: str) -> tuple[FrameworkFile | None, list[Problem]]:
    """Parse and check a framework YAML file; return the data (None if invalid) and every problem."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [Problem(source, None, "", "the file is not UTF-8 text")]
    loader = None
    try:
        loader = _LineLoader(text)
        tree = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        return None, [
            Problem(source, line, "", f"the file holds a character YAML does not allow ({exc.character!r})")
        ]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        what = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"the YAML is malformed: {what}" + (f" ({context})" if context else "")
        return None, [Problem(source, mark.line + 1 if mark else None, "", message)]
    except RecursionError:
        return None, [Problem(source, None, "", "the YAML is nested too deeply")]
    finally:
        if loader is not None:
            loader.dispose()
    problems = [
        Problem(source, line, "", f"the key '{key}' appears twice in the same block; keep one")
        for line, key in loader.duplicates
    ]
    data, more = build(tree, source=source, unit="line")
    problems = sorted(problems + more, key=lambda p: p.line or 0)
    return (data if not problems else None), problems


# --- the schema -------------------------------------------------------------------------------------------

TOP_KEYS = {"framework": True, "version": True, "scale": True, "sections": True, "retired": False}
FRAMEWORK_KEYS = {"slug": True, "title": True, "publisher": True, "la_code": False, "description": False}
VERSION_KEYS = {"label": True, "status": True, "published_on": False, "previous": False, "notes": False}
SCALE_KEYS = {"allow_not_applicable": False, "levels": True}
LEVEL_KEYS = {"value": True, "label": True, "descriptor": True}
SECTION_KEYS = {
    "ref": True,
    "title": True,
    "kind": True,
    "area_of_need": False,
    "description": False,
    "criteria": False,
    "sections": False,
}
CRITERION_KEYS = {
    "ref": True,
    "statement": True,
    "guidance": False,
    "evidence": True,
    "statutory": True,
    "statutory_source": False,
    "area_of_need": False,
    "tier": False,
    "continues": False,
}
CONTINUES_KEYS = {"ref": True, "change": True}

_MISSING = object()


class _Reader:
    """Read values out of the raw tree, recording a problem for each rule broken."""

    def __init__(self, source: str, unit: str):
        self.source, self.unit = source, unit
        self.problems: list[Problem] = []

    def add(self, line: int | None, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, line, where, message, self.unit))

    def mapping(self, value, where: str, keys: dict[str, bool], line: int | None) -> LineDict | None:
        if not isinstance(value, dict):
            self.add(line, where, f"expected a block of keys ({', '.join(keys)}), found {_kind(value)}")
            return None
        for key in value:
            if key not in keys:
                hint = " – criteria must be listed under a section" if key == "criteria" else ""
                self.add(
                    _line(value, key),
                    where,
                    f"unknown key '{key}' (allowed: {', '.join(keys)}){hint}",
                )
        for key, required in keys.items():
            if required and key not in value:
                self.add(getattr(value, "line", line), where, f"'{key}' is missing")
        return value

    def text(
        self,
        m: dict,
        key: str,
        where: str,
        *,
        required: bool = True,
        max_length: int | None = None,
        pattern: re.Pattern | None = None,
        pattern_hint: str = "",
        numbers_ok: bool = False,
    ) -> str:
        value = m.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required and value is None:
                self.add(_line(m, key), where, f"'{key}' must not be empty")
            return ""
        if numbers_ok and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.add(_line(m, key), where, f"'{key}' must be text, found {_kind(value)}")
            return ""
        value = value.strip()
        if required and not value:
            self.add(_line(m, key), where, f"'{key}' must not be empty")
        elif max_length and len(value) > max_length:
            self.add(_line(m, key), where, f"'{key}' is longer than {max_length} characters")
        elif value and pattern and not pattern.match(value):
            self.add(_line(m, key), where, f"'{key}' {pattern_hint}")
        return value

    def choice(self, m: dict, key: str, where: str, choices, *, required: bool = True) -> str:
        value = m.get(key)
        if value is None or value == "":
            if required and key in m:
                self.add(_line(m, key), where, f"'{key}' must be one of: {', '.join(choices)}")
            return ""
        if not isinstance(value, str) or value not in choices:
            self.add(_line(m, key), where, f"'{key}' must be one of: {', '.join(choices)} (found {value!r})")
            return ""
        return value

    def boolean(self, m: dict, key: str, where: str, *, default: bool | None = None) -> bool:
        value = m.get(key, default)
        if not isinstance(value, bool):
            if key in m:
                self.add(_line(m, key), where, f"'{key}' must be true or false (found {value!r})")
            return False
        return value

    def listing(self, m: dict, key: str, where: str, *, required: bool = True) -> list:
        value = m.get(key)
        if value is None:
            if required and key in m:
                self.add(_line(m, key), where, f"'{key}' must not be empty")
            return []
        if not isinstance(value, list):
            self.add(_line(m, key), where, f"'{key}' must be a list, found {_kind(value)}")
            return []
        if required and not value:
            self.add(_line(m, key), where, f"'{key}' must not be empty")
        return value


def _kind(value) -> str:
    if value is None:
        return "nothing"
    return {
        dict: "a block of keys",
        LineDict: "a block of keys",
        list: "a list",
        str: "text",
        bool: "true/false",
    }.get(type(value), f"a {type(value).__name__}")


def _line(m, key: str) -> int | None:
    return m.line_of(key) if isinstance(m, LineDict) else None


def build(tree, *, source: str, unit: str = "line") -> tuple[FrameworkFile | None, list[Problem]]:
    """Check a raw tree (from YAML or a spreadsheet) against the schema and return the plain data."""
    r = _Reader(source, unit)
    top = r.mapping(tree, "file", TOP_KEYS, 1)
    if top is None:
        return None, r.problems
    fw_raw = r.mapping(top.get("framework"), "framework", FRAMEWORK_KEYS, _line(top, "framework")) or {}
    framework = FrameworkData(
        slug=r.text(
            fw_raw,
            "slug",
            "framework",
            max_length=80,
            pattern=SLUG_RE,
            pattern_hint="must be lower-case letters, digits and hyphens, like my-la-oap",
        ),
        title=r.text(fw_raw, "title", "framework", max_length=200),
        publisher=r.choice(fw_raw, "publisher", "framework", Framework.Publisher.values),
        la_code=r.text(
            fw_raw,
            "la_code",
            "framework",
            required=False,
            numbers_ok=True,
            pattern=LA_CODE_RE,
            pattern_hint="must be the 3-digit LA code, like 951",
        ),
        description=r.text(fw_raw, "description", "framework", required=False),
        line=getattr(fw_raw, "line", None),
    )
    if framework.publisher == Framework.Publisher.LOCAL_AUTHORITY and not framework.la_code:
        r.add(
            _line(fw_raw, "publisher"),
            "framework",
            "'la_code' is required when the publisher is local_authority",
        )
    if (
        framework.publisher
        and framework.publisher != Framework.Publisher.LOCAL_AUTHORITY
        and framework.la_code
    ):
        r.add(
            _line(fw_raw, "la_code"),
            "framework",
            "'la_code' is only for frameworks published by a local authority; set it to null",
        )

    v_raw = r.mapping(top.get("version"), "version", VERSION_KEYS, _line(top, "version")) or {}
    version = VersionData(
        label=r.text(v_raw, "label", "version", max_length=40, numbers_ok=True),
        status=r.choice(v_raw, "status", "version", FrameworkVersion.Status.values),
        previous=r.text(v_raw, "previous", "version", required=False, max_length=40, numbers_ok=True),
        notes=r.text(v_raw, "notes", "version", required=False),
        line=getattr(v_raw, "line", None),
    )
    published_on = v_raw.get("published_on")
    if isinstance(published_on, str):
        try:
            published_on = date.fromisoformat(published_on.strip())
        except ValueError:
            r.add(_line(v_raw, "published_on"), "version", "'published_on' must be a date like 2026-09-01")
            published_on = None
    elif isinstance(published_on, datetime):
        published_on = published_on.date()
    elif published_on is not None and not isinstance(published_on, date):
        r.add(_line(v_raw, "published_on"), "version", "'published_on' must be a date like 2026-09-01")
        published_on = None
    version.published_on = published_on
    if version.status in ("published", "retired") and version.published_on is None:
        r.add(
            _line(v_raw, "status"),
            "version",
            f"a {version.status} version needs 'published_on', a date like 2026-09-01",
        )
    if version.status == "draft" and version.published_on is not None:
        r.add(
            _line(v_raw, "published_on"),
            "version",
            "a draft has no 'published_on'; remove it or set it to null",
        )
    if version.previous and version.previous == version.label:
        r.add(_line(v_raw, "previous"), "version", "'previous' must name an earlier version, not this one")

    scale = _build_scale(r, top)
    sections = _build_sections(r, top)

    retired_raw = r.listing(top, "retired", "retired", required=False)
    retired: list[str] = []
    for item in retired_raw:
        if isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str) or not item.strip():
            r.add(
                _line(top, "retired"),
                "retired",
                f"each retired entry must be a criterion ref, found {_kind(item)}",
            )
        elif item.strip() in retired:
            r.add(_line(top, "retired"), "retired", f"'{item.strip()}' is listed twice")
        else:
            retired.append(item.strip())

    data = FrameworkFile(
        framework=framework,
        version=version,
        scale=scale,
        sections=sections,
        retired=retired,
        source=source,
        unit=unit,
        retired_line=_line(top, "retired"),
    )
    _check_whole(r, data)
    return (data if not r.problems else None), r.problems


def _build_scale(r: _Reader, top: dict) -> ScaleData:
    if "scale" in top and top["scale"] is None:
        r.add(_line(top, "scale"), "scale", "the rating scale is empty; give its levels")
        return ScaleData(False, [])
    raw = r.mapping(top.get("scale"), "scale", SCALE_KEYS, _line(top, "scale")) if "scale" in top else None
    if raw is None:
        return ScaleData(False, [])
    levels: list[LevelData] = []
    items = r.listing(raw, "levels", "scale")
    if "levels" in raw and not items and isinstance(raw.get("levels"), list | type(None)):
        pass  # already reported as empty
    for index, item in enumerate(items, start=1):
        where = f"scale level {index}"
        m = r.mapping(item, where, LEVEL_KEYS, _line(raw, "levels"))
        if m is None:
            continue
        value = m.get("value")
        if not isinstance(value, int) or isinstance(value, bool):
            r.add(_line(m, "value"), where, f"'value' must be a whole number (found {value!r})")
            value = None
        label = r.text(m, "label", where, max_length=60)
        descriptor = r.text(m, "descriptor", where)
        if value is not None:
            if levels and value <= levels[-1].value:
                r.add(
                    _line(m, "value"), where, "level values must go up: each one larger than the one before"
                )
            if label and any(level.label == label for level in levels):
                r.add(_line(m, "label"), where, f"the label '{label}' is used twice")
            levels.append(LevelData(value=value, label=label, descriptor=descriptor))
    return ScaleData(
        allow_not_applicable=r.boolean(raw, "allow_not_applicable", "scale", default=False), levels=levels
    )


def _build_sections(r: _Reader, top: dict) -> list[SectionData]:
    def read(items: list, parent_area: str, key_line: int | None) -> list[SectionData]:
        out = []
        for index, item in enumerate(items, start=1):
            ref_hint = item.get("ref") if isinstance(item, dict) else None
            where = f"section {ref_hint}" if isinstance(ref_hint, str) and ref_hint else f"section {index}"
            m = r.mapping(item, where, SECTION_KEYS, key_line)
            if m is None:
                continue
            kind = r.choice(m, "kind", where, Section.Kind.values)
            area = r.choice(m, "area_of_need", where, AreaOfNeed.values, required=False)
            if kind == Section.Kind.AREA_OF_NEED and not area:
                r.add(_line(m, "kind"), where, "a section of kind area_of_need needs 'area_of_need'")
            if kind == Section.Kind.WHOLE_SCHOOL and area:
                r.add(
                    _line(m, "area_of_need"),
                    where,
                    "a whole_school section has no area_of_need; set it to null",
                )
            section = SectionData(
                ref=r.text(
                    m,
                    "ref",
                    where,
                    max_length=40,
                    pattern=REF_RE,
                    pattern_hint="must be letters, digits, dots, hyphens or underscores",
                ),
                title=r.text(m, "title", where, max_length=200),
                kind=kind,
                area_of_need=area,
                description=r.text(m, "description", where, required=False),
                line=getattr(m, "line", None),
            )
            effective_area = area or parent_area
            for c_index, c_item in enumerate(r.listing(m, "criteria", where, required=False), start=1):
                criterion = _build_criterion(r, c_item, f"{where}, criterion {c_index}", _line(m, "criteria"))
                if criterion is not None:
                    criterion.area_of_need = criterion.area_of_need or effective_area
                    section.criteria.append(criterion)
            section.sections = read(
                r.listing(m, "sections", where, required=False), effective_area, _line(m, "sections")
            )
            if not m.get("criteria") and not m.get("sections"):
                r.add(
                    getattr(m, "line", None),
                    where,
                    "the section has no criteria; add some or remove the section",
                )
            out.append(section)
        return out

    items = r.listing(top, "sections", "sections")
    return read(items, "", _line(top, "sections"))


def _build_criterion(r: _Reader, item, fallback_where: str, key_line: int | None) -> CriterionData | None:
    ref_hint = item.get("ref") if isinstance(item, dict) else None
    where = f"criterion {ref_hint}" if isinstance(ref_hint, str) and ref_hint else fallback_where
    m = r.mapping(item, where, CRITERION_KEYS, key_line)
    if m is None:
        return None
    evidence = []
    for example in r.listing(m, "evidence", where):
        if not isinstance(example, str) or not example.strip():
            r.add(_line(m, "evidence"), where, f"each evidence example must be text, found {_kind(example)}")
        else:
            evidence.append(example.strip())
    if isinstance(m.get("evidence"), list) and len(m["evidence"]) > MAX_EVIDENCE:
        r.add(
            _line(m, "evidence"),
            where,
            f"give 1 to {MAX_EVIDENCE} evidence examples (found {len(m['evidence'])})",
        )
    statutory = r.boolean(m, "statutory", where)
    source = r.text(m, "statutory_source", where, required=False, max_length=300)
    if statutory and not source:
        r.add(
            _line(m, "statutory"),
            where,
            "a statutory criterion needs 'statutory_source', the law it comes from",
        )
    if not statutory and source:
        r.add(
            _line(m, "statutory_source"),
            where,
            "'statutory_source' is only for statutory criteria; remove it or set statutory: true",
        )
    continues = []
    for entry in r.listing(m, "continues", where, required=False):
        e = r.mapping(entry, f"{where}, continues", CONTINUES_KEYS, _line(m, "continues"))
        if e is None:
            continue
        ref = r.text(e, "ref", f"{where}, continues", numbers_ok=True)
        change = r.choice(e, "change", f"{where}, continues", CONTINUE_CHANGES)
        if ref and change:
            continues.append(Continuation(ref=ref, change=change))
    return CriterionData(
        ref=r.text(
            m,
            "ref",
            where,
            max_length=40,
            pattern=REF_RE,
            pattern_hint="must be letters, digits, dots, hyphens or underscores",
        ),
        statement=r.text(m, "statement", where),
        guidance=r.text(m, "guidance", where, required=False),
        evidence=evidence,
        statutory=statutory,
        statutory_source=source if statutory else "",
        area_of_need=r.choice(m, "area_of_need", where, AreaOfNeed.values, required=False),
        tier=r.choice(m, "tier", where, Tier.values, required=False),
        continues=continues,
        line=getattr(m, "line", None),
    )


def _check_whole(r: _Reader, data: FrameworkFile) -> None:
    """Check the rules that span the file: unique refs, and a consistent mapping to the previous version."""
    seen_sections: dict[str, int | None] = {}
    for section, _ in data.walk_sections():
        if section.ref in seen_sections:
            r.add(
                section.line,
                f"section {section.ref}",
                f"the ref '{section.ref}' is already used by the section on {r.unit} {seen_sections[section.ref]}",
            )
        elif section.ref:
            seen_sections[section.ref] = section.line
    seen: dict[str, int | None] = {}
    for criterion, _ in data.criteria():
        if criterion.ref in seen:
            r.add(
                criterion.line,
                f"criterion {criterion.ref}",
                f"the ref '{criterion.ref}' is already used by the criterion on {r.unit} {seen[criterion.ref]}; refs must be unique in a version",
            )
        elif criterion.ref:
            seen[criterion.ref] = criterion.line
    if data.sections and not seen and not r.problems:
        r.add(None, "sections", "the version has no criteria")

    has_previous = bool(data.version.previous)
    continued_by: dict[str, list[tuple[CriterionData, Continuation]]] = {}
    for criterion, _ in data.criteria():
        if criterion.continues and not has_previous:
            r.add(
                criterion.line,
                f"criterion {criterion.ref}",
                "'continues' needs a previous version: set 'previous' under version",
            )
        refs = [c.ref for c in criterion.continues]
        if len(refs) != len(set(refs)):
            r.add(
                criterion.line, f"criterion {criterion.ref}", "'continues' names the same earlier ref twice"
            )
        for cont in criterion.continues:
            continued_by.setdefault(cont.ref, []).append((criterion, cont))
        if len(criterion.continues) > 1 and any(c.change != "merged" for c in criterion.continues):
            r.add(
                criterion.line,
                f"criterion {criterion.ref}",
                "a criterion that continues several earlier criteria merges them: set change: merged on each",
            )
        if len(criterion.continues) == 1 and criterion.continues[0].change == "merged":
            r.add(
                criterion.line,
                f"criterion {criterion.ref}",
                "change: merged needs two or more earlier criteria in 'continues'",
            )
    for old_ref, users in continued_by.items():
        if len(users) > 1 and any(cont.change != "split" for _, cont in users):
            lines = ", ".join(f"{u.ref}" for u, _ in users)
            r.add(
                users[0][0].line,
                f"criterion {users[0][0].ref}",
                f"'{old_ref}' is continued by several criteria ({lines}); mark each change: split",
            )
        if len(users) == 1 and users[0][1].change == "split":
            r.add(
                users[0][0].line,
                f"criterion {users[0][0].ref}",
                f"change: split means '{old_ref}' continues in two or more criteria; only this one continues it",
            )
    if data.retired and not has_previous:
        r.add(
            data.retired_line, "retired", "'retired' needs a previous version: set 'previous' under version"
        )
    for ref in data.retired:
        if ref in continued_by:
            r.add(
                data.retired_line,
                "retired",
                f"'{ref}' is retired but also continued by {continued_by[ref][0][0].ref}; choose one",
            )


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
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file; all mean the same to the user
        return [], [
            Problem(
                source,
                None,
                "",
                "the XLSX file cannot be opened; save it again from your spreadsheet program",
                "row",
            )
        ]
    sheet = workbook.worksheets[0]
    rows = [
        (n, ["" if v is None else v for v in row])
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    workbook.close()
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


# --- export -----------------------------------------------------------------------------------------------


def data_to_tree(data: FrameworkFile) -> dict:
    """Return the YAML-ready structure of a framework version, in the documented key order."""

    def section_tree(section: SectionData, inherited_area: str) -> dict:
        area = section.area_of_need or inherited_area
        out: dict = {
            "ref": section.ref,
            "title": section.title,
            "kind": section.kind,
            "area_of_need": section.area_of_need or None,
        }
        if section.description:
            out["description"] = section.description
        if section.criteria:
            out["criteria"] = [criterion_tree(c, area) for c in section.criteria]
        if section.sections:
            out["sections"] = [section_tree(s, area) for s in section.sections]
        return out

    def criterion_tree(c: CriterionData, section_area: str) -> dict:
        out: dict = {"ref": c.ref, "statement": c.statement}
        if c.guidance:
            out["guidance"] = c.guidance
        out["evidence"] = list(c.evidence)
        out["statutory"] = c.statutory
        if c.statutory:
            out["statutory_source"] = c.statutory_source
        if c.area_of_need != section_area:
            out["area_of_need"] = c.area_of_need or None
        out["tier"] = c.tier or None
        if c.continues:
            out["continues"] = [{"ref": x.ref, "change": x.change} for x in c.continues]
        return out

    tree: dict = {
        "framework": {
            "slug": data.framework.slug,
            "title": data.framework.title,
            "publisher": data.framework.publisher,
            "la_code": data.framework.la_code or None,
            "description": data.framework.description,
        },
        "version": {
            "label": data.version.label,
            "status": data.version.status,
            "published_on": data.version.published_on,
            "previous": data.version.previous or None,
            "notes": data.version.notes,
        },
        "scale": {
            "allow_not_applicable": data.scale.allow_not_applicable,
            "levels": [
                {"value": lv.value, "label": lv.label, "descriptor": lv.descriptor}
                for lv in data.scale.levels
            ],
        },
        "sections": [section_tree(s, "") for s in data.sections],
    }
    if data.retired:
        tree["retired"] = list(data.retired)
    return tree


class _Dumper(yaml.SafeDumper):
    """Write long text folded, as people write these files by hand."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = (
        ">"
        if len(value) > 70 and "\n" not in value and value == value.strip() and "  " not in value
        else None
    )
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: FrameworkFile) -> str:
    """Return the framework version as YAML text in the documented format."""
    return yaml.dump(data_to_tree(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def version_to_data(version: FrameworkVersion) -> FrameworkFile:
    """Read a stored version back into plain data (three queries beyond the version itself)."""
    framework = version.framework
    levels = [LevelData(lv.value, lv.label, lv.descriptor) for lv in version.scale.levels.order_by("value")]
    by_id: dict[int, SectionData] = {}
    roots: list[SectionData] = []
    for s in version.sections.order_by("position"):
        section = SectionData(
            ref=s.ref, title=s.title, kind=s.kind, area_of_need=s.area_of_need, description=s.description
        )
        by_id[s.pk] = section
        (by_id[s.parent_id].sections if s.parent_id else roots).append(section)
    continues: dict[str, list[Continuation]] = {}
    retired: list[str] = []
    for m in version.mappings.order_by("pk"):
        if m.change == CriterionMapping.Change.RETIRED:
            retired.append(m.from_ref)
        elif m.change != CriterionMapping.Change.NEW:
            continues.setdefault(m.to_ref, []).append(Continuation(m.from_ref, m.change))
    for c in version.criteria.order_by("position"):
        by_id[c.section_id].criteria.append(
            CriterionData(
                ref=c.ref,
                statement=c.statement,
                guidance=c.guidance,
                evidence=list(c.evidence_examples),
                statutory=c.statutory,
                statutory_source=c.statutory_source,
                area_of_need=c.area_of_need,
                tier=c.tier,
                continues=continues.get(c.ref, []),
            )
        )
    return FrameworkFile(
        framework=FrameworkData(
            slug=framework.slug,
            title=framework.title,
            publisher=framework.publisher,
            la_code=framework.local_authority.code if framework.local_authority_id else "",
            description=framework.description,
        ),
        version=VersionData(
            label=version.label,
            status=version.status,
            published_on=version.published_on,
            previous=version.previous.label if version.previous_id else "",
            notes=version.notes,
        ),
        scale=ScaleData(allow_not_applicable=version.scale.allow_not_applicable, levels=levels),
        sections=roots,
        retired=retired,
        source=f"{framework.slug}/{version.label}.yaml",
    )
