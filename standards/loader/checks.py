"""Check a raw tree (from YAML or a spreadsheet) against the schema and the rules that span the file."""

from __future__ import annotations

from datetime import date, datetime

from standards.loader.data import (
    Continuation,
    CriterionData,
    FrameworkData,
    FrameworkFile,
    LevelData,
    Problem,
    ScaleData,
    SectionData,
    VersionData,
)
from standards.loader.schema import (
    CONTINUE_CHANGES,
    CONTINUES_KEYS,
    CRITERION_KEYS,
    FRAMEWORK_KEYS,
    LA_CODE_RE,
    LEVEL_KEYS,
    LEVEL_VALUE_RANGE,
    MAX_EVIDENCE,
    NUL,
    REF_RE,
    SCALE_KEYS,
    SECTION_KEYS,
    SLUG_RE,
    TOP_KEYS,
    VERSION_KEYS,
    _kind,
    _line,
    _Reader,
)
from standards.models import AreaOfNeed, Framework, FrameworkVersion, Section, Tier


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
        low, high = LEVEL_VALUE_RANGE
        if not isinstance(value, int) or isinstance(value, bool):
            r.add(_line(m, "value"), where, f"'value' must be a whole number (found {value!r})")
            value = None
        elif not low <= value <= high:
            r.add(_line(m, "value"), where, f"'value' must be a whole number from {low} to {high}")
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
        elif NUL in example:
            r.add(_line(m, "evidence"), where, "evidence examples must not contain a NUL character")
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
