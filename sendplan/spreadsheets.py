"""Cells for the spreadsheets people download (CSV and Excel), made safe to open (pure functions).

A spreadsheet program reads a cell that starts with =, +, -, @, a tab or a carriage return as a formula,
so text someone typed (a school's name, a rationale, an evidence title) could run as one on another
person's computer: "formula injection" (OWASP, CSV injection). Every text cell of every export goes
through ``safe_cell``, which puts a single quote in front of such text, as OWASP recommends, so it shows
as the text it is.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return the value to write in a cell: text that could start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Return a row with every cell made safe."""
    return [safe_cell(value) for value in values]
