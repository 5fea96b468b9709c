"""Money in an inclusion strategy: pounds typed by people, pence stored, and the totals a strategy shows.

Costs are whole pence (integers), never floats, so totals are exact. Pure Python: no Django, no database.

How the totals work:

- The total is the sum of every activity's budgeted cost. An activity with no cost yet adds nothing and
  is counted as uncosted (the check lists it).
- Each activity has one funding source, so the totals per source add up to the total. An activity with no
  source yet counts under "" (no source).
- An activity may serve several principles. Its whole cost counts under each principle it serves, because
  the money supports each of them; so the totals per principle can add up to more than the total. An
  activity that serves no principle yet counts under "" (no principle).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MAX_PENCE = 100_000_000_00  # £100 million: far above any school's budget; anything larger is a typing slip

_POUNDS = re.compile(r"^(?P<whole>\d+)(?:\.(?P<pence>\d{1,2}))?$")


class NotAnAmount(ValueError):
    """The text is not an amount in pounds and pence; the message says what to type instead."""


def parse_pounds(text: str) -> int:
    """Return an amount typed in pounds ("1,250.50", "£99", "75.5") as whole pence (125050, 9900, 7550)."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    if cleaned.startswith("£"):
        cleaned = cleaned[1:]
    if cleaned.startswith("-"):
        raise NotAnAmount("Enter a cost of £0 or more")
    match = _POUNDS.match(cleaned)
    if not match:
        raise NotAnAmount("Enter the cost in pounds, like 1250 or 1,250.50")
    pence = int(match["whole"]) * 100 + int((match["pence"] or "0").ljust(2, "0"))
    if pence > MAX_PENCE:
        raise NotAnAmount("Enter a cost of less than £100,000,000")
    return pence


def pounds_to_pence(amount: Decimal) -> int:
    """Return a Decimal amount of pounds (an audit action's estimated cost) as whole pence."""
    try:
        pence = (Decimal(amount) * 100).to_integral_exact()
    except InvalidOperation as exc:
        raise NotAnAmount("Enter the cost in pounds and pence") from exc
    if pence != Decimal(amount) * 100:
        raise NotAnAmount("Enter the cost in pounds and pence")
    return int(pence)


def format_pence(pence: int | None) -> str:
    """Return pence as GOV.UK writes money: "£1,250", "£1,250.50", "£0.05"; "" for no amount."""
    if pence is None:
        return ""
    pounds, rest = divmod(int(pence), 100)
    return f"£{pounds:,}" if rest == 0 else f"£{pounds:,}.{rest:02d}"


def pence_as_pounds_text(pence: int | None) -> str:
    """Return pence as the text a cost field shows again ("1250.50"), without a £ sign or commas."""
    if pence is None:
        return ""
    pounds, rest = divmod(int(pence), 100)
    return str(pounds) if rest == 0 else f"{pounds}.{rest:02d}"


@dataclass(frozen=True)
class Costed:
    """What the totals need to know about one activity."""

    cost_pence: int | None
    source: str = ""  # a funding source key, or "" if none is chosen yet
    principles: tuple[str, ...] = ()  # the refs of the principles it serves


@dataclass
class Totals:
    total: int = 0
    by_source: dict[str, int] = field(default_factory=dict)  # every source asked for, then "" if used
    by_principle: dict[str, int] = field(default_factory=dict)  # every principle asked for, then ""
    uncosted: int = 0  # activities with no cost yet


def totals(activities: Iterable[Costed], *, sources: Sequence[str], principles: Sequence[str]) -> Totals:
    """Return the total budgeted cost, per funding source and per principle (see the module docstring)."""
    result = Totals(by_source=dict.fromkeys(sources, 0), by_principle=dict.fromkeys(principles, 0))
    for activity in activities:
        if activity.cost_pence is None:
            result.uncosted += 1
        cost = activity.cost_pence or 0
        result.total += cost
        source = activity.source if activity.source in result.by_source else ""
        result.by_source[source] = result.by_source.get(source, 0) + cost
        served = [ref for ref in dict.fromkeys(activity.principles) if ref in result.by_principle]
        for ref in served or [""]:
            result.by_principle[ref] = result.by_principle.get(ref, 0) + cost
    return result
