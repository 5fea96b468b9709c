"""Counts of pupils that may be shown without picking anyone out: the one rule for every page and document.

A count of 1 or 2 pupils can identify a child in a school, so it is never shown as a number: documents say
"fewer than 3". Where the counts of a table add up to a total that is also shown, one hidden count could be
worked out from the others, so the smallest count still shown is hidden too (secondary suppression).
Pure Python: no Django, no database.
"""

from collections.abc import Sequence

SMALLEST_COUNT_SHOWN = 3
FEWER_THAN = f"fewer than {SMALLEST_COUNT_SHOWN}"
LEFT_OUT = "not shown"  # hidden so that a smaller count cannot be worked out from the total


def shown_count(count: int) -> int | None:
    """Return the count if it may be shown, or None if it is too small to show without identifying pupils."""
    return count if count >= SMALLEST_COUNT_SHOWN else None


def count_text(count: int) -> str:
    """Return a count of pupils as a document shows it: "0", "fewer than 3", or the number."""
    if count == 0:
        return "0"  # no pupil, nobody to identify
    shown = shown_count(count)
    return FEWER_THAN if shown is None else str(shown)


def counts_text(counts: Sequence[int], *, total_shown: bool) -> list[str]:
    """Return each count of a table as ``count_text`` shows it, hiding one more where a total would give one away.

    With ``total_shown``, a single hidden count could be found by subtracting the others from the total,
    so the smallest count still shown is hidden as well ("not shown").
    """
    texts = [count_text(count) for count in counts]
    hidden = [i for i, count in enumerate(counts) if count > 0 and shown_count(count) is None]
    if total_shown and len(hidden) == 1:
        shown = [i for i, count in enumerate(counts) if shown_count(count) is not None]
        if shown:
            smallest = min(shown, key=lambda i: (counts[i], i))
            texts[smallest] = LEFT_OUT
    return texts
