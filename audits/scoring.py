"""How a level is worked out for each section of an audit and for the audit as a whole.

Each criterion is rated on the framework's scale, from the lowest level ("Not yet in place") upwards. The
lowest level is the scale's smallest value, whatever it is: a framework may number its scale from 0 or 1.

- Criteria marked "not applicable" are left out.
- The level is the average (mean) of the rated criteria, rounded to the nearest level. An average exactly
  halfway between two levels is rounded down: an average of 1.5 gives level 1.
- A section cannot be above the second-lowest level ("Emerging") while any statutory criterion in it is at
  the lowest level ("Not yet in place"). The result then shows that it has been capped, and why.
- The overall level uses the same rules across every criterion in the audit.
- Until at least one criterion is rated there is no level.
"""

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_LOWEST_LABEL = "Not yet in place"
DEFAULT_CAP_LABEL = "Emerging"


@dataclass(frozen=True)
class Score:
    """A school's rating of one criterion."""

    criterion_ref: str
    section_ref: str
    value: int | None  # None = not rated yet
    not_applicable: bool = False
    statutory: bool = False


@dataclass(frozen=True)
class LevelResult:
    """The level of a section or audit, with the numbers behind it."""

    value: int | None
    mean: float | None
    rated: int
    total: int  # criteria that apply: not-applicable ones are left out
    capped: bool
    cap_reason: str | None


def _checked_levels(levels: Sequence[int]) -> tuple[int, ...]:
    levels = tuple(levels)
    if len(levels) < 2 or any(low >= high for low, high in zip(levels, levels[1:], strict=False)):
        raise ValueError(f"levels must be at least two values, lowest first, without repeats: {levels!r}")
    return levels


def lowest_level(levels: Sequence[int]) -> int:
    """Return the scale's lowest level ("Not yet in place"), whatever number the scale starts at."""
    return _checked_levels(levels)[0]


def cap_level(levels: Sequence[int]) -> int:
    """Return the highest level a section may reach while a statutory criterion is at the lowest."""
    return _checked_levels(levels)[1]


def is_statutory_gap(*, statutory: bool, value: int | None, levels: Sequence[int]) -> bool:
    """Return True if a statutory criterion is rated at the scale's lowest level."""
    return statutory and value is not None and value == lowest_level(levels)


def needs_rationale(*, value: int | None, rationale: str, levels: Sequence[int]) -> bool:
    """Return True if a rating above the lowest level has no rationale yet ("Rationale needed").

    A rating saves without one, so nothing is lost, but the audit cannot be submitted until every
    rating above the lowest level says what shows it.
    """
    return value is not None and value > lowest_level(levels) and not rationale.strip()


def _rated(ratings: Sequence[Score], levels: tuple[int, ...]) -> list[Score]:
    rated = [rating for rating in ratings if not rating.not_applicable and rating.value is not None]
    for rating in rated:
        if rating.value not in levels:
            raise ValueError(
                f"{rating.criterion_ref} is rated {rating.value}, which is not a level of the scale"
            )
    return rated


def _nearest_level(value_sum: int, count: int, levels: tuple[int, ...]) -> int:
    # Compare |level - sum/count| as |level * count - sum| so halfway ties are exact, not float noise;
    # levels run lowest first and only a strictly nearer level wins, so a tie goes to the lower level.
    best = levels[0]
    best_gap = abs(best * count - value_sum)
    for level in levels[1:]:
        gap = abs(level * count - value_sum)
        if gap < best_gap:
            best, best_gap = level, gap
    return best


def _is_gap(rating: Score, levels: Sequence[int]) -> bool:
    return is_statutory_gap(statutory=rating.statutory, value=rating.value, levels=levels)


def _criteria(count: int) -> str:
    return "1 statutory criterion is" if count == 1 else f"{count} statutory criteria are"


def _level(ratings: Sequence[Score], levels: Sequence[int], labels: Sequence[str] | None) -> LevelResult:
    levels = _checked_levels(levels)
    if labels is not None and len(labels) != len(levels):
        raise ValueError("labels must have one label for each level")
    applicable = [rating for rating in ratings if not rating.not_applicable]
    rated = _rated(ratings, levels)
    if not rated:
        return LevelResult(
            value=None, mean=None, rated=0, total=len(applicable), capped=False, cap_reason=None
        )

    values = [rating.value for rating in rated if rating.value is not None]
    value = _nearest_level(sum(values), len(values), levels)
    cap = cap_level(levels)
    statutory_gaps = sum(1 for rating in rated if _is_gap(rating, levels))
    capped = statutory_gaps > 0 and value > cap
    cap_reason = None
    if capped:
        lowest_label = labels[0] if labels else DEFAULT_LOWEST_LABEL
        cap_label = labels[1] if labels else DEFAULT_CAP_LABEL
        cap_reason = (
            f"{_criteria(statutory_gaps)} '{lowest_label}', so the level cannot be above '{cap_label}'"
        )
        value = cap
    return LevelResult(
        value=value,
        mean=sum(values) / len(values),
        rated=len(values),
        total=len(applicable),
        capped=capped,
        cap_reason=cap_reason,
    )


def section_level(
    ratings: Sequence[Score], levels: Sequence[int], *, labels: Sequence[str] | None = None
) -> LevelResult:
    """Return the level of one section from the ratings of its criteria."""
    sections = {rating.section_ref for rating in ratings}
    if len(sections) > 1:
        raise ValueError(f"ratings come from more than one section: {sorted(sections)}")
    return _level(ratings, levels, labels)


def overall_level(
    ratings: Sequence[Score], levels: Sequence[int], *, labels: Sequence[str] | None = None
) -> LevelResult:
    """Return the level of the whole audit from the ratings of every criterion."""
    return _level(ratings, levels, labels)


def section_levels(
    ratings: Sequence[Score], levels: Sequence[int], *, labels: Sequence[str] | None = None
) -> dict[str, LevelResult]:
    """Return the level of each section, in the order the sections first appear."""
    by_section: dict[str, list[Score]] = {}
    for rating in ratings:
        by_section.setdefault(rating.section_ref, []).append(rating)
    return {ref: _level(section, levels, labels) for ref, section in by_section.items()}


def priorities(ratings: Sequence[Score], levels: Sequence[int], limit: int = 10) -> list[Score]:
    """Return what to work on first: statutory criteria not yet in place, then the lowest-rated."""
    levels = _checked_levels(levels)
    below_top = [rating for rating in _rated(ratings, levels) if rating.value != levels[-1]]
    statutory_gaps = [rating for rating in below_top if _is_gap(rating, levels)]
    others = [rating for rating in below_top if not _is_gap(rating, levels)]
    # sorted() is stable: criteria with the same value stay in the order given (the framework's order).
    others = sorted(others, key=lambda rating: rating.value or 0)
    return (statutory_gaps + others)[:limit]


def strengths(ratings: Sequence[Score], levels: Sequence[int], limit: int = 10) -> list[Score]:
    """Return the criteria at the top level, then those at the level below it."""
    levels = _checked_levels(levels)
    rated = _rated(ratings, levels)
    top = [rating for rating in rated if rating.value == levels[-1]]
    # On a two-level scale the level below the top is the lowest, which is never a strength.
    next_down = [rating for rating in rated if len(levels) > 2 and rating.value == levels[-2]]
    return (top + next_down)[:limit]


def section_progress(ratings: Sequence[Score]) -> str:
    """Return "not_started", "in_progress" or "completed" for a section's criteria."""
    done = [rating for rating in ratings if rating.not_applicable or rating.value is not None]
    # A section with no criteria has nothing left to do, so it counts as completed rather than blocking.
    if len(done) == len(ratings):
        return "completed"
    if not done:
        return "not_started"
    return "in_progress"
