"""The framework file format: round trips, idempotent loads, and every kind of bad input."""

import copy
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from standards.loader import (
    DEFAULT_SCALE,
    LevelData,
    SpreadsheetMeta,
    dump_yaml,
    parse_spreadsheet,
    parse_yaml,
    version_to_data,
)
from standards.models import Criterion, CriterionMapping, Framework, FrameworkVersion
from standards.services import FrameworkInvalid, framework_version_load
from tests.standards.conftest import snapshot
from tests.standards.factories import SHIPPED, framework_data, load_version, oap_2027, shipped_data

pytestmark = pytest.mark.django_db


def load_text(text: str, source: str = "test.yaml", **kwargs):
    data, problems = parse_yaml(text, source=source)
    if problems:
        raise FrameworkInvalid(problems)
    return framework_version_load(by=None, data=data, **kwargs)


# --- round trips ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_shipped_file_loads_and_exports_to_the_same_data(slug):
    original = shipped_data(slug)
    result = framework_version_load(by=None, data=original)
    assert result.outcome == "created"
    version = result.version
    # The first OAP version was retired when 2026.1 corrected its statutory flags.
    assert version.status == ("retired" if slug == "sendplan-oap" else "published")
    assert version.published_on == date(2026, 9, 1)
    assert version.criteria.count() == len(original.criteria())

    exported = dump_yaml(version_to_data(version))
    again, problems = parse_yaml(exported, source="export.yaml")
    assert problems == []
    assert again == original  # export → parse gives exactly what the shipped file says

    before = snapshot()
    assert framework_version_load(by=None, data=again).outcome == "unchanged"  # export → load is an identity
    assert snapshot() == before


def test_shipped_content_is_as_promised():
    oap, governance = shipped_data("sendplan-oap"), shipped_data("send-governance")
    assert 80 <= len(oap.criteria()) <= 120
    assert 20 <= len(governance.criteria()) <= 30
    assert [lv.label for lv in oap.scale.levels] == [
        "Not yet in place",
        "Emerging",
        "Established",
        "Embedded",
    ]
    areas = {s.area_of_need for s in oap.sections if s.kind == "area_of_need"}
    assert areas == {"communication_interaction", "cognition_learning", "semh", "sensory_physical"}
    statutory = [c for c, _ in oap.criteria() if c.statutory]
    assert statutory and all(c.statutory_source for c in statutory)


def test_second_version_with_mappings_round_trips_and_records_each_change():
    v1 = shipped_data("sendplan-oap")
    framework_version_load(by=None, data=v1)
    v2_data = oap_2027(v1)
    v2 = framework_version_load(by=None, data=v2_data).version
    assert v2.previous.label == "2026"
    changes = {(m.from_ref, m.to_ref): m.change for m in v2.mappings.all()}
    assert changes[("LEAD-04", "LEAD-04")] == "reworded"
    assert changes[("LEAD-05", "LEAD-05A")] == changes[("LEAD-05", "LEAD-05B")] == "split"
    assert changes[("IDENT-01", "IDENT-12")] == changes[("IDENT-02", "IDENT-12")] == "merged"
    assert changes[("LEAD-09", "")] == "retired"
    assert changes[("", "LEAD-10")] == "new"
    assert changes[("LEAD-01", "LEAD-01")] == "same"
    again, problems = parse_yaml(dump_yaml(version_to_data(v2)), source="v2.yaml")
    assert problems == [] and again == v2_data


def test_load_command_dry_run_writes_nothing_then_loads_then_is_idempotent(tmp_path, capsys):
    path = str(SHIPPED["send-governance"])
    before = snapshot()
    call_command("load_framework", path, "--dry-run")
    assert "would create" in capsys.readouterr().out
    assert snapshot() == before
    call_command("load_framework", path)
    assert "created, 27 criteria" in capsys.readouterr().out
    loaded = snapshot()
    call_command("load_framework", path)
    assert "unchanged" in capsys.readouterr().out
    assert snapshot() == loaded

    out = tmp_path / "gov.yaml"
    call_command("export_framework", "send-governance", "2026", "-o", str(out))
    call_command("load_framework", str(out))
    assert "unchanged" in capsys.readouterr().out
    assert snapshot() == loaded


def test_export_command_to_stdout_and_unknown_version(capsys):
    load_version(shipped_data("send-governance"))
    call_command("export_framework", "send-governance", "2026")
    assert capsys.readouterr().out.startswith("framework:\n  slug: send-governance")
    with pytest.raises(CommandError, match="no version 2030"):
        call_command("export_framework", "send-governance", "2030")


def test_a_draft_can_be_updated_and_then_published_by_file():
    data = framework_data(criteria=5, status="draft", label="2027")
    first = framework_version_load(by=None, data=data).version
    data.sections[0].criteria[0].statement = "A better statement."
    result = framework_version_load(by=None, data=data)
    assert result.outcome == "updated" and result.version.pk == first.pk
    assert Criterion.objects.get(version=first, ref="C-001").statement == "A better statement."
    assert framework_version_load(by=None, data=data).outcome == "unchanged"
    data.version.status, data.version.published_on = "published", date(2027, 9, 1)
    assert framework_version_load(by=None, data=data).outcome == "updated"
    first.refresh_from_db()
    assert first.status == "published"


def test_reloading_a_file_after_the_version_was_retired_changes_nothing():
    data = shipped_data("send-governance")
    version = load_version(data)
    version.status = "retired"
    version.save()
    before = snapshot()
    assert framework_version_load(by=None, data=data).outcome == "unchanged"
    assert snapshot() == before


# --- bad input: a clear message with its line, and nothing written ------------------------------------------

GOOD = SHIPPED["send-governance"].read_text()


def line_of(text: str, needle: str) -> int:
    """Return the number of the first line containing ``needle``."""
    return next(n for n, row in enumerate(text.splitlines(), start=1) if needle in row)


def problems_of(text: str, **kwargs) -> list[str]:
    """Load the text through the command path and return the problems as the person would read them."""
    try:
        load_text(text, source="bad.yaml", **kwargs)
    except FrameworkInvalid as exc:
        return [str(p) for p in exc.problems]
    raise AssertionError("the file loaded, but it should not have")


def test_malformed_yaml(unchanged_db):
    text = GOOD.replace("  title: SEND governance health check", "  title: [SEND governance", 1)
    (problem,) = problems_of(text)
    assert problem.startswith("bad.yaml, line 4: the YAML is malformed")


def test_unknown_key(unchanged_db):
    text = GOOD.replace("        statutory: false\n", "        statutory: false\n        colour: red\n", 1)
    problems = problems_of(text)
    line = line_of(text, "colour: red")
    assert problems == [
        f"bad.yaml, line {line}: criterion STRAT-01: unknown key 'colour' (allowed: ref, statement, guidance, evidence, statutory, statutory_guidance, statutory_source, area_of_need, tier, continues)"
    ]


def test_duplicate_refs(unchanged_db):
    text = GOOD.replace("ref: STRAT-02", "ref: STRAT-01", 1)
    problems = problems_of(text)
    assert len(problems) == 1
    first, second = line_of(GOOD, "ref: STRAT-01"), line_of(GOOD, "ref: STRAT-02")
    assert (
        f"line {second}: criterion STRAT-01: the ref 'STRAT-01' is already used by the criterion on line {first}"
        in problems[0]
    )


def test_criterion_without_a_section(unchanged_db):
    text = GOOD + "criteria:\n  - ref: LOOSE-01\n    statement: Floating.\n"
    problems = problems_of(text)
    assert any(
        "unknown key 'criteria'" in p and "criteria must be listed under a section" in p for p in problems
    )
    assert any(p.startswith(f"bad.yaml, line {GOOD.count(chr(10)) + 1}") for p in problems)


@pytest.mark.parametrize(
    "replacement,expected",
    [
        ("scale:\n", "bad.yaml, line 20: scale: the rating scale is empty; give its levels"),
        (
            "scale:\n  allow_not_applicable: false\n  met_value: 2\n  levels: []\n",
            "bad.yaml, line 23: scale: 'levels' must not be empty",
        ),
        ("", "bad.yaml, line 1: file: 'scale' is missing"),
    ],
    ids=["empty", "no-levels", "missing"],
)
def test_missing_or_empty_scale(unchanged_db, replacement, expected):
    start, end = GOOD.index("scale:\n"), GOOD.index("sections:\n")
    assert expected in problems_of(GOOD[:start] + replacement + GOOD[end:])


def test_scale_values_must_ascend(unchanged_db):
    text = GOOD.replace("    - value: 2\n", "    - value: 1\n", 1)
    line = line_of(GOOD, "- value: 2")
    assert any(f"line {line}: scale level 3: level values must go up" in p for p in problems_of(text))


def test_every_problem_is_reported_at_once(unchanged_db):
    text = (
        GOOD.replace("ref: STRAT-02", "ref: STRAT-01", 1)
        .replace("        statutory: false\n", "        statutory: false\n        colour: red\n", 1)
        .replace("publisher: sendplan", "publisher: someone")
    )
    assert len(problems_of(text)) == 3


def test_mapping_to_a_ref_that_does_not_exist(db):
    v1 = shipped_data("sendplan-oap")
    load_version(v1)
    before = snapshot()
    v2 = oap_2027(v1)
    v2.sections[0].criteria[0].continues[0].ref = "LEAD-99"
    text = dump_yaml(v2)
    problems = problems_of(text)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.strip() == "- ref: LEAD-01")
    assert (
        f"bad.yaml, line {line}: criterion LEAD-01: continues 'LEAD-99', which is not a criterion of version 2026"
        in problems
    )
    assert any("neither continued nor retired: LEAD-01" in p for p in problems)
    assert snapshot() == before


def test_mapping_rules_inside_the_file(unchanged_db):
    v2 = oap_2027(shipped_data("sendplan-oap"))
    v2.sections[0].criteria[4].continues[0].change = "same"  # LEAD-05A, while LEAD-05B also continues LEAD-05
    v2.retired.append("LEAD-01")  # also continued by LEAD-01
    problems = problems_of(dump_yaml(v2))
    assert any(
        "'LEAD-05' is continued by several criteria (LEAD-05A, LEAD-05B); mark each change: split" in p
        for p in problems
    )
    assert any("'LEAD-01' is retired but also continued by LEAD-01" in p for p in problems)


def test_reusing_an_old_ref_needs_continues(db):
    v1 = shipped_data("sendplan-oap")
    load_version(v1)
    before = snapshot()
    v2 = oap_2027(v1)
    v2.sections[0].criteria[0].continues = []
    problems = problems_of(dump_yaml(v2))
    assert any("'LEAD-01' is a criterion of version 2026: add continues" in p for p in problems)
    assert snapshot() == before


def test_change_of_a_published_version_is_refused(db):
    data = shipped_data("send-governance")
    load_version(data)
    before = snapshot()
    text = GOOD.replace("Link governor role description", "Link governor role", 1)
    (problem,) = problems_of(text)
    assert problem == (
        "bad.yaml, line 12: version: version 2026 of send-governance is published and cannot change; "
        'publish a new version with a new label and previous: "2026"'
    )
    assert snapshot() == before


def test_la_framework_needs_a_known_la_code(unchanged_db):
    text = GOOD.replace("publisher: sendplan", "publisher: local_authority").replace(
        "la_code: null", "la_code: 999"
    )
    assert problems_of(text) == ["bad.yaml, line 2: framework: there is no local authority with the code 999"]


def test_statutory_source_only_with_statutory(unchanged_db):
    text = GOOD.replace(
        "        statutory: false\n", "        statutory: false\n        statutory_source: CFA 2014\n", 1
    )
    assert any(
        "'statutory_source' is only for statutory or statutory guidance criteria" in p
        for p in problems_of(text)
    )


def test_evidence_must_have_one_to_three_examples(unchanged_db):
    text = GOOD.replace(
        "          - Governor induction materials on SEND\n",
        "          - Governor induction materials on SEND\n          - A third\n          - A fourth\n",
        1,
    )
    line = line_of(GOOD, "evidence:")
    assert any(
        f"line {line}: criterion STRAT-01: give 1 to 3 evidence examples (found 4)" in p
        for p in problems_of(text)
    )


def test_yaml_aliases_are_refused(unchanged_db):
    text = GOOD.replace(
        "  title: SEND governance health check", "  title: &t SEND governance health check", 1
    )
    text = text.replace("    - value: 1\n      label: Emerging", "    - value: 1\n      label: *t", 1)
    assert "aliases (*name) are not allowed" in problems_of(text)[0]


def test_load_command_reports_every_problem_and_fails(tmp_path, capsys, unchanged_db):
    path = tmp_path / "bad.yaml"
    path.write_text(
        GOOD.replace("ref: STRAT-02", "ref: STRAT-01", 1).replace("publisher: sendplan", "publisher: x")
    )
    with pytest.raises(CommandError, match="2 problems; nothing was loaded"):
        call_command("load_framework", str(path))
    err = capsys.readouterr().err
    assert "line 4: framework: 'publisher' must be one of" in err
    assert (
        f"line {line_of(GOOD, 'ref: STRAT-02')}: criterion STRAT-01: the ref 'STRAT-01' is already used"
        in err
    )


# --- spreadsheets ---------------------------------------------------------------------------------------

CSV_HEADER = "Section,Ref,Statement,Guidance,Evidence,Statutory,Statutory source,Area of need,Tier\n"
CSV_ROWS = (
    'Leadership,LA-01,The SENCO is a qualified teacher.,Check the QTS record.,Board minute|Staff list,yes,"SEND Regulations 2014, reg 49",,\n'
    "Leadership,LA-02,SEND is in the improvement plan.,,Improvement plan,no,,,Universal\n"
    'Communication and interaction,LA-03,Visual timetables are used.,,"Photos of classrooms\nLesson plans",no,,Communication and interaction,\n'
)


def meta(**kwargs) -> SpreadsheetMeta:
    return SpreadsheetMeta(
        **{"slug": "our-oap-901", "title": "Our OAP", "la_code": "901", "label": "2027", **kwargs}
    )


def test_csv_reads_into_the_same_structure(world):
    data, problems = parse_spreadsheet(
        (CSV_HEADER + CSV_ROWS).encode(), kind="csv", source="oap.csv", meta=meta()
    )
    assert problems == []
    assert [s.title for s in data.sections] == ["Leadership", "Communication and interaction"]
    assert (
        data.sections[1].kind == "area_of_need"
        and data.sections[1].area_of_need == "communication_interaction"
    )
    first, second = data.sections[0].criteria
    assert first.evidence == ["Board minute", "Staff list"] and first.statutory
    assert second.tier == "universal"
    assert data.sections[1].criteria[0].evidence == ["Photos of classrooms", "Lesson plans"]
    version = framework_version_load(by=None, data=data).version
    assert version.status == "draft" and version.framework.local_authority == world.la_x


def test_xlsx_reads_like_csv(world):
    book = Workbook()
    sheet = book.active
    import csv

    for row in csv.reader(io.StringIO(CSV_HEADER + CSV_ROWS)):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    from_xlsx, problems = parse_spreadsheet(buffer.getvalue(), kind="xlsx", source="oap.xlsx", meta=meta())
    from_csv, _ = parse_spreadsheet(
        (CSV_HEADER + CSV_ROWS).encode(), kind="csv", source="oap.csv", meta=meta()
    )
    assert problems == [] and from_xlsx == from_csv


def test_spreadsheet_missing_columns(unchanged_db):
    data, problems = parse_spreadsheet(
        b"Section,Ref,Statement\nA,B,C\n", kind="csv", source="oap.csv", meta=meta()
    )
    assert data is None
    assert [str(p) for p in problems] == ["oap.csv, row 1: columns: missing columns: evidence, statutory"]


def test_spreadsheet_row_errors_name_their_rows(unchanged_db):
    rows = CSV_ROWS.replace("Leadership,LA-02", ",LA-02").replace(",yes,", ",perhaps,")
    rows += "Leadership,LA-01,Again.,,Evidence,no,,,\n"
    _, problems = parse_spreadsheet((CSV_HEADER + rows).encode(), kind="csv", source="oap.csv", meta=meta())
    text = [str(p) for p in problems]
    assert "oap.csv, row 3: criterion LA-02: 'section' is empty; every criterion belongs to a section" in text
    _, problems = parse_spreadsheet(
        (
            CSV_HEADER + CSV_ROWS.replace(",yes,", ",perhaps,") + "Leadership,LA-01,Again.,,Evidence,no,,,\n"
        ).encode(),
        kind="csv",
        source="oap.csv",
        meta=meta(),
    )
    text = [str(p) for p in problems]
    assert "oap.csv, row 2: criterion LA-01: 'statutory' must be true or false (found 'perhaps')" in text
    assert any(
        t.startswith(
            "oap.csv, row 5: criterion LA-01: the ref 'LA-01' is already used by the criterion on row 2"
        )
        for t in text
    )


def test_spreadsheet_new_version_maps_by_ref(world):
    first, _ = parse_spreadsheet((CSV_HEADER + CSV_ROWS).encode(), kind="csv", source="v1.csv", meta=meta())
    first.version.status, first.version.published_on = "published", date(2026, 9, 1)
    v1 = load_version(first)
    rows = CSV_ROWS.replace("SEND is in the improvement plan.", "SEND is a priority in the improvement plan.")
    rows = (
        "\n".join(r for r in rows.splitlines() if "LA-01" not in r)
        + "\nLeadership,LA-04,A new one.,,Evidence,no,,,\n"
    )
    data, problems = parse_spreadsheet(
        (CSV_HEADER + rows).encode(),
        kind="csv",
        source="v2.csv",
        meta=meta(
            label="2028",
            previous="2027",
            previous_statements=dict(v1.criteria.values_list("ref", "statement")),
        ),
    )
    assert problems == []
    v2 = load_version(data)
    changes = {(m.from_ref, m.to_ref): m.change for m in v2.mappings.all()}
    assert changes == {
        ("LA-02", "LA-02"): "reworded",
        ("LA-03", "LA-03"): "same",
        ("", "LA-04"): "new",
        ("LA-01", ""): "retired",
    }


def test_nothing_partial_is_left_when_a_write_fails(monkeypatch, unchanged_db):
    """A failure half-way through the write rolls the whole load back."""
    from standards import services

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.CriterionMapping.objects, "bulk_create", explode)
    v1 = framework_data(criteria=3)
    with pytest.raises(RuntimeError):
        framework_version_load(by=None, data=v1)
    assert not Framework.objects.filter(slug=v1.framework.slug).exists()
    assert FrameworkVersion.objects.count() == 0 and CriterionMapping.objects.count() == 0


# --- the "met" level, statutory guidance and who rates --------------------------------------------------


@pytest.mark.parametrize(
    "met,expected",
    [
        (
            None,
            "bad.yaml, line 21: scale: 'met_value' is missing: give the value of the level at which a "
            "statutory duty counts as met, like 2 for Established",
        ),
        ("5", "bad.yaml, line 22: scale: 'met_value' must be one of the level values (0, 1, 2, 3); found 5"),
        (
            "0",
            "bad.yaml, line 22: scale: 'met_value' cannot be the lowest level: a duty below it must be possible",
        ),
        (
            "Established",
            "bad.yaml, line 22: scale: 'met_value' must be a whole number: the value of the level at "
            "which a statutory duty counts as met, like 2 for Established (found 'Established')",
        ),
    ],
    ids=["missing", "not-a-level", "lowest", "a-label"],
)
def test_the_met_level_is_one_of_the_levels_above_the_lowest(unchanged_db, met, expected):
    line = "  met_value: 2        # Established: a statutory duty is met at this level and above\n"
    assert line in GOOD
    text = GOOD.replace(line, "" if met is None else f"  met_value: {met}\n")
    assert problems_of(text) == [expected]


def test_the_met_level_is_stored_and_exported(db):
    version = load_version(shipped_data("send-governance"))
    assert version.scale.met_value == 2  # Established
    assert version_to_data(version).scale.met_value == 2
    assert "  met_value: 2\n" in dump_yaml(version_to_data(version))


def test_statutory_guidance_needs_a_source_and_is_never_also_statutory(unchanged_db):
    line = line_of(GOOD, "statutory: false")
    both = GOOD.replace(
        "        statutory: false\n",
        "        statutory: true\n        statutory_guidance: true\n        statutory_source: CFA 2014\n",
        1,
    )
    assert problems_of(both) == [
        f"bad.yaml, line {line + 1}: criterion STRAT-01: a criterion is a statutory duty (law) or statutory "
        "guidance, not both: set one to false"
    ]
    no_source = GOOD.replace(
        "        statutory: false\n", "        statutory: false\n        statutory_guidance: true\n", 1
    )
    assert problems_of(no_source) == [
        f"bad.yaml, line {line + 1}: criterion STRAT-01: a statutory guidance criterion needs "
        "'statutory_source', the guidance and paragraph it comes from"
    ]


def test_statutory_guidance_is_stored_and_exported(db):
    text = GOOD.replace(
        "        statutory: false\n",
        '        statutory: false\n        statutory_guidance: true\n        statutory_source: "SEND Code of Practice 2015, 6.2"\n',
        1,
    )
    data, problems = parse_yaml(text.encode(), source="guidance.yaml")
    assert problems == []
    version = load_version(data)
    criterion = version.criteria.get(ref="STRAT-01")
    assert (criterion.statutory, criterion.statutory_guidance) == (False, True)
    assert criterion.statutory_source == "SEND Code of Practice 2015, 6.2"
    again, problems = parse_yaml(dump_yaml(version_to_data(version)), source="export.yaml")
    assert problems == [] and again == data


def test_who_rates_a_framework_is_read_and_defaults_to_school_staff(unchanged_db):
    assert shipped_data("send-governance").framework.rated_by == "governors"
    assert shipped_data("sendplan-oap").framework.rated_by == "school_staff"
    text = GOOD.replace("  rated_by: governors", "  rated_by: pupils")
    assert problems_of(text) == [
        "bad.yaml, line 10: framework: 'rated_by' must be one of: school_staff, governors (found 'pupils')"
    ]


def test_spreadsheet_reads_statutory_guidance_and_keeps_the_previous_met_level(unchanged_db):
    header = CSV_HEADER.replace("Statutory source", "Statutory guidance,Statutory source")
    rows = 'Leadership,LA-01,Parents meet the school three times a year.,,Meeting notes,no,yes,"SEND Code of Practice 2015, 6.65",,\n'
    scale = copy.deepcopy(DEFAULT_SCALE)
    scale.levels = [LevelData(lv.value + 1, lv.label, lv.descriptor) for lv in scale.levels]
    scale.met_value = 3  # Established on a scale numbered from 1
    data, problems = parse_spreadsheet(
        (header + rows).encode(), kind="csv", source="oap.csv", meta=meta(scale=scale)
    )
    assert problems == []
    (criterion,) = data.sections[0].criteria
    assert (criterion.statutory, criterion.statutory_guidance) == (False, True)
    assert data.scale.met_value == 3
    default, _ = parse_spreadsheet(
        (CSV_HEADER + CSV_ROWS).encode(), kind="csv", source="oap.csv", meta=meta()
    )
    assert default.scale.met_value == 2  # Established on the standard scale


def test_the_corrected_oap_version_continues_the_first_one(db):
    first = load_version(shipped_data("sendplan-oap"))
    path = SHIPPED["sendplan-oap"].with_name("2026.1.yaml")
    data, problems = parse_yaml(path.read_bytes(), source=path.name)
    assert problems == []
    corrected = load_version(data)
    assert corrected.previous == first and corrected.status == "published"
    changes = {(m.from_ref, m.to_ref): m.change for m in corrected.mappings.all()}
    assert len(changes) == 105
    assert changes[("STAT-02", "STAT-02")] == changes[("STAT-08", "STAT-08")] == "reworded"
    assert changes[("GRAD-01", "GRAD-01")] == "same"
    criteria = {c.ref: c for c in corrected.criteria.all()}
    # The practitioner's review: GRAD-01 rests on the Code; STAT-08 on s.28 and reg 6(1)(b).
    assert not criteria["GRAD-01"].statutory and criteria["GRAD-01"].statutory_guidance
    assert criteria["STAT-08"].statutory_source == (
        "Children and Families Act 2014, s.28; SEND Regulations 2014, reg 6(1)(b)"
    )
    assert "is expected to give it within six weeks" in criteria["STAT-08"].statement
    assert "generally made for others of the same age in mainstream schools in England" in (
        criteria["IDENT-07"].guidance
    )
    assert {ref for ref, c in criteria.items() if c.statutory_guidance} == {
        "GRAD-01",
        "GRAD-06",
        "PART-02",
        "LEAD-04",
        "IDENT-08",
    }
    assert sum(c.statutory for c in criteria.values()) == 16
    # No statutory criterion rests on the Code of Practice alone.
    assert not [c.ref for c in criteria.values() if c.statutory and "Code of Practice" in c.statutory_source]
