"""Values YAML can hold but the database cannot: each is a problem on its line, and nothing is saved.

An impossible date or time, an integer of thousands of digits, a NUL character ("\\0") in any text and a
level value beyond the database's small integer: read, uploaded or loaded by command, each gives a clear
problem naming its line, never a server error.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from standards.loader import parse_yaml
from tests.standards.conftest import snapshot
from tests.standards.factories import SHIPPED

GOOD = SHIPPED["send-governance"].read_text()
LA_GOOD = GOOD.replace("slug: send-governance", "slug: la-governance-901").replace(
    "publisher: sendplan\n  la_code: null", 'publisher: local_authority\n  la_code: "901"'
)


def line_of(text: str, needle: str) -> int:
    return next(n for n, row in enumerate(text.splitlines(), start=1) if needle in row)


# (what, the change to the good file, the text on the line the problem must name, words of the message)
BAD_VALUES = [
    (
        "impossible date",
        ("published_on: 2026-09-01", "published_on: 2026-02-30"),
        "published_on:",
        "is not a real date",
    ),
    (
        "impossible timestamp",
        ("published_on: 2026-09-01", "published_on: 2026-09-01 25:61:00"),
        "published_on:",
        "is not a real date and time",
    ),
    (
        "5,000-digit integer",
        ("    - value: 2\n", "    - value: " + "9" * 5000 + "\n"),
        "- value: 999",
        "a number of 5000 digits",
    ),
    (
        "NUL in a title",
        ("  title: SEND governance health check", '  title: "SEND governance\\0 health check"'),
        'title: "SEND',
        "'title' contains a character that is not allowed (NUL)",
    ),
    (
        "NUL in a statement",
        ("ref: STRAT-01\n", 'ref: STRAT-01\n        statement: "Governors\\0 know."\n'),
        'statement: "Governors',
        "'statement' contains a character that is not allowed (NUL)",
    ),
    (
        "NUL in an evidence example",
        ("        evidence:\n", '        evidence:\n          - "Minutes\\0"\n'),
        "evidence:",
        "evidence examples must not contain a NUL character",
    ),
    (
        "NUL in a key",
        ("  title: SEND governance health check", '  "tit\\0le": SEND governance health check'),
        "tit\\0le",
        "unknown key",
    ),
    (
        "level beyond smallint",
        ("    - value: 3\n", "    - value: 40000\n"),
        "- value: 40000",
        "'value' must be a whole number from -32768 to 32767",
    ),
]


def bad_file(change: tuple[str, str], base: str = GOOD) -> str:
    old, new = change
    assert old in base
    text = base.replace(old, new, 1)
    if "statement:" in new:  # the criterion already has a statement: drop the original one
        start = text.index(new) + len(new)
        end = text.index("\n", text.index("statement:", start)) + 1
        while text[end : end + 10].startswith("          "):  # the folded lines that continue it
            end = text.index("\n", end) + 1
        text = text[:start] + text[end:]
    return text


@pytest.mark.parametrize("what,change,needle,message", BAD_VALUES, ids=[b[0] for b in BAD_VALUES])
def test_a_bad_value_is_a_problem_on_its_line(what, change, needle, message):
    text = bad_file(change)
    data, problems = parse_yaml(text, source="bad.yaml")
    assert data is None
    line = line_of(text, needle)
    assert any(p.line == line and message in p.message for p in problems), [str(p) for p in problems]


@pytest.mark.django_db
@pytest.mark.parametrize("what,change,needle,message", BAD_VALUES, ids=[b[0] for b in BAD_VALUES])
def test_load_framework_reports_a_bad_value_and_loads_nothing(
    tmp_path, capsys, what, change, needle, message
):
    text = bad_file(change)
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_framework", str(path))
    assert f"bad.yaml, line {line_of(text, needle)}" in capsys.readouterr().err
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("what,change,needle,message", BAD_VALUES, ids=[b[0] for b in BAD_VALUES])
def test_uploading_a_bad_value_gets_the_error_summary(world, la_admin_x, what, change, needle, message):
    text = bad_file(change, base=LA_GOOD)
    before = snapshot()
    response = la_admin_x.post(
        reverse("standards:framework_upload"),
        {"file": SimpleUploadedFile("framework.yaml", text.encode())},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page and "govuk-error-summary" in page
    assert "Nothing was saved" in page
    assert f'<td class="govuk-table__cell">{line_of(text, needle)}</td>' in page
    assert escape(message[1:]) in page  # the page gives each message a capital letter
    assert snapshot() == before


# Scalars YAML turns into values of other types: dates, times, numbers of any size, escapes.
odd_scalars = st.sampled_from(
    [
        "2026-02-30",
        "2026-13-01",
        "2026-09-01 25:00:00",
        "0000-01-01",
        "9" * 5000,
        "-" + "9" * 5000,
        "0x" + "f" * 5000,
        "1e400",
        '"\\0"',
        '"a\\x00b"',
        "40000",
        "-40000",
        ".nan",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=GOOD.count("\n") - 1), odd_scalars)
def test_an_odd_scalar_anywhere_gives_problems_not_exceptions(line_number, scalar):
    lines = GOOD.splitlines()
    line = lines[line_number]
    if ": " in line:
        lines[line_number] = line[: line.index(": ") + 2] + scalar
    elif line.lstrip().startswith("- "):
        lines[line_number] = line[: line.index("- ") + 2] + scalar
    parse_yaml("\n".join(lines) + "\n", source="fuzz.yaml")
