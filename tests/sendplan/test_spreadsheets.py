"""Cells of downloaded spreadsheets cannot run as formulas (OWASP, CSV injection)."""

import datetime

import pytest

from sendplan.spreadsheets import safe_cell, safe_row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # OWASP: a cell starting with =, +, -, @, tab (0x09) or carriage return (0x0D) may be read as a
        # formula; prefix a single quote so it is shown as text.
        ('=HYPERLINK("http://evil.example","Open")', '\'=HYPERLINK("http://evil.example","Open")'),
        ("+44 1632 960000", "'+44 1632 960000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        # Anything else is left as it is.
        ("Reading intervention = 3 times a week", "Reading intervention = 3 times a week"),
        ("", ""),
        (" =not first", " =not first"),
        (-2, -2),
        (1.5, 1.5),
        (None, None),
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 2)),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_safe_row_makes_every_cell_safe():
    assert safe_row(["S1", "=1+1", 3, "@me"]) == ["S1", "'=1+1", 3, "'@me"]
