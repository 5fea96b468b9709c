"""The rules a school's public documents are checked against. Pure Python: no Django, no database.

Checks report; they never stop a school publishing. What they look for:

- the statement of intent is at most 500 words, counted as GOV.UK's character count component counts
  them (runs of characters between spaces or line breaks);
- a count of pupils below 3 is never shown, so that no pupil can be picked out;
- an inclusion strategy: principles that no activity serves, barriers that no activity addresses,
  activities with no budgeted cost (a cost of £0 is a cost), and activities with no funding source;
- an SEN information report: the items of Schedule 1 (and CFA s69(3)(b)) that are still empty.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# The small-number rule is the whole service's, kept in one place: sendplan/disclosure.py.
from sendplan.disclosure import SMALLEST_COUNT_SHOWN, shown_count  # noqa: F401

STATEMENT_MAX_WORDS = 500


def word_count(text: str) -> int:
    """Return the number of words in the text, as the GOV.UK character count component counts them."""
    return len((text or "").split())


@dataclass(frozen=True)
class ActivityFacts:
    number: int
    description: str
    principles: tuple[str, ...]  # refs
    barriers: tuple[int, ...]  # barrier numbers
    cost_pence: int | None
    source: str


@dataclass
class StrategyFindings:
    principles_without_activity: list[tuple[str, str]] = field(default_factory=list)  # (ref, statement)
    barriers_without_activity: list[tuple[int, str]] = field(default_factory=list)  # (number, text)
    activities_without_cost: list[tuple[int, str]] = field(default_factory=list)  # (number, description)
    activities_without_source: list[tuple[int, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.principles_without_activity)
            + len(self.barriers_without_activity)
            + len(self.activities_without_cost)
            + len(self.activities_without_source)
        )


def check_strategy(
    *,
    principles: Sequence[tuple[str, str]],
    barriers: Sequence[tuple[int, str]],
    activities: Iterable[ActivityFacts],
) -> StrategyFindings:
    """Return what a strategy lacks: unserved principles, unaddressed barriers, uncosted activities."""
    activities = list(activities)
    served = {ref for activity in activities for ref in activity.principles}
    addressed = {number for activity in activities for number in activity.barriers}
    return StrategyFindings(
        principles_without_activity=[(ref, text) for ref, text in principles if ref not in served],
        barriers_without_activity=[(n, text) for n, text in barriers if n not in addressed],
        activities_without_cost=[(a.number, a.description) for a in activities if a.cost_pence is None],
        activities_without_source=[(a.number, a.description) for a in activities if not a.source],
    )


def empty_items(keys: Sequence[str], texts: dict[str, str]) -> list[str]:
    """Return the report items (in order) with no text yet; text that is only spaces counts as empty."""
    return [key for key in keys if not (texts.get(key) or "").strip()]
