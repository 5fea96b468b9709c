"""No input makes the readers raise: anything wrong comes back as problems (hypothesis)."""

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standards.loader import SpreadsheetMeta, build, parse_spreadsheet, parse_yaml
from tests.standards.factories import SHIPPED

GOOD = SHIPPED["send-governance"].read_text()
GOOD_TREE = yaml.safe_load(GOOD)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**20), max_value=2**20)  # around the small integer's range
    | st.text(max_size=20)
    | st.sampled_from(["\x00", "text with a NUL\x00", "S1"])
    | st.dates()
)


def assert_storable(data) -> None:
    """What the checks accept, PostgreSQL can store: no NUL in any text, levels within a small integer."""
    import dataclasses

    def walk(value):
        if dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            assert "\x00" not in value

    walk(data)
    assert all(-32768 <= level.value <= 32767 for level in data.scale.levels)


trees = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "framework",
                    "version",
                    "scale",
                    "sections",
                    "criteria",
                    "ref",
                    "levels",
                    "evidence",
                    "continues",
                    "retired",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_problems_not_exceptions(text):
    data, problems = parse_yaml(text, source="fuzz.yaml")
    assert data is None and problems


@settings(max_examples=300, deadline=None)
@given(trees)
def test_any_tree_gives_problems_not_exceptions(tree):
    data, problems = build(tree, source="fuzz.yaml")
    assert (data is None) == bool(problems)
    if data is not None:
        assert_storable(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(GOOD) - 1), st.text(max_size=12))
def test_a_damaged_good_file_gives_problems_not_exceptions(position, junk):
    parse_yaml(GOOD[:position] + junk + GOOD[position + len(junk) :], source="fuzz.yaml")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(max_size=15), max_size=10), max_size=6))
def test_any_csv_gives_problems_not_exceptions(rows):
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows([["section", "ref", "statement", "evidence", "statutory"], *rows])
    meta = SpreadsheetMeta(slug="fuzz-901", title="Fuzz", la_code="901", label="1")
    data, problems = parse_spreadsheet(buffer.getvalue().encode(), kind="csv", source="fuzz.csv", meta=meta)
    assert (data is None) == bool(problems)


def _leaves(tree, path=()):
    """Yield the path of every leaf (text, number, date) in a parsed file."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _leaves(value, (*path, index))
    else:
        yield path


GOOD_LEAVES = list(_leaves(GOOD_TREE))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(GOOD_LEAVES), scalars)
def test_a_good_file_with_one_value_changed_is_refused_or_storable(path, value):
    import copy

    tree = copy.deepcopy(GOOD_TREE)
    node = tree
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    data, problems = build(tree, source="fuzz.yaml")
    assert (data is None) == bool(problems)
    if data is not None:
        assert_storable(data)


cells = st.text(max_size=30) | st.sampled_from(
    ["", "yes", "Statutory", "a|b|c|d", "• one\n• two", "\x00", "SEMH", "Cognition and learning"]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(cells, max_size=8), min_size=1, max_size=8),
    st.dictionaries(
        st.sampled_from(
            [
                "section",
                "statement",
                "guidance",
                "evidence",
                "ref",
                "statutory",
                "statutory_source",
                "area_of_need",
            ]
        ),
        st.integers(min_value=0, max_value=7),
    ),
)
def test_any_la_sheet_through_any_columns_gives_problems_not_exceptions(rows, columns):
    """An LA's own sheet, read through any matching of its columns: problems or a storable version."""
    from standards.loader.spreadsheet import mapped_columns_problems, parse_mapped

    numbered = list(enumerate(rows, start=1))
    headings = [str(h) for h in rows[0]]
    if mapped_columns_problems(headings, columns):
        return  # the matching step refuses it before any row is read
    meta = SpreadsheetMeta(slug="fuzz-901", title="Fuzz", la_code="901", label="1")
    data, problems = parse_mapped(numbered, columns=columns, headings=headings, source="f.csv", meta=meta)
    assert (data is None) == bool(problems)
    assert all(p.line is None or isinstance(p.line, int) for p in problems)
    if data is not None:
        assert_storable(data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=40))
def test_any_typed_scale_is_read_or_refused_with_a_reason(text, met):
    from standards.loader.spreadsheet import find_level, parse_levels

    levels, error = parse_levels(text)
    assert bool(levels) != bool(error)
    if levels:
        assert 2 <= len(levels) <= 7 and all(0 < len(lv.label) <= 60 and lv.descriptor for lv in levels)
        assert len({lv.label.casefold() for lv in levels}) == len(levels)
        found = find_level(levels, met)
        assert found is None or found in levels
