"""How a level is worked out for each section of an audit and for the audit as a whole.

Each criterion is rated on the framework's scale, lowest level first ("Not yet in place"). A scale may
number its levels from 0 or from 1: the rules below speak of levels, never of numbers. The scale names
the level at which a statutory duty counts as met (``Scale.met``; "Established" on the shipped scale).

- A criterion counts as rated when a level was given in this audit. A rating carried forward from last
  year and not yet confirmed ("to confirm") does not count, and neither does an unrated criterion.
- Criteria marked "not applicable" are left out. A statutory criterion is a duty in law and cannot be
  "not applicable": if one is marked so, it counts as not rated.
- The level is the average (mean) of the rated criteria, rounded to the nearest level. An average exactly
  halfway between two levels is rounded down: an average of 1.5 on a 0–3 scale gives level 1.
- A statutory duty is met when its criterion is rated at the met level or above. While any statutory
  criterion in scope is rated below the met level, the level cannot be above the level just below the
  met level ("Emerging" on the shipped scale): it is capped, and says why.
- While any statutory criterion in scope is not rated, there is no level: it is withheld, and says why.
- A level is provisional while any criterion in scope is not rated (or still to confirm).
- Until at least one criterion is rated there is no level.
- A section's scope is its criteria; the overall level applies the same rules to every criterion.
- Priorities: statutory criteria below the met level first, in the framework's order; then the other
  rated criteria below the top level, lowest first.

Criteria that rest on statutory guidance (the SEND Code of Practice) are shown as such, but score like any
other criterion: only a duty in law caps or withholds a level.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scale:
    """A framework version's rating scale as the rules need it: its level values, lowest first."""

    values: tuple[int, ...]
    met: int  # the level at which a statutory duty counts as met
    labels: tuple[str, ...] = ()  # one per value, or none

    def __post_init__(self) -> None:
        values = tuple(self.values)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "labels", tuple(self.labels))
        if len(values) < 2 or any(low >= high for low, high in zip(values, values[1:], strict=False)):
            raise ValueError(f"levels must be at least two values, lowest first, without repeats: {values!r}")
        if self.met not in values or self.met == values[0]:
            raise ValueError(f"the met level must be one of the levels above the lowest: {self.met!r}")
        if self.labels and len(self.labels) != len(values):
            raise ValueError("labels must have one label for each level")

    @property
    def lowest(self) -> int:
        return self.values[0]

    @property
    def cap(self) -> int:
        """Return the highest level a section may reach while a statutory duty in it is not met."""
        return self.values[self.values.index(self.met) - 1]

    def label(self, value: int | None) -> str:
        """Return the label of a level (its number if the scale has no labels)."""
        if value is None:
            return ""
        return self.labels[self.values.index(value)] if self.labels else str(value)


@dataclass(frozen=True)
class Score:
    """A school's rating of one criterion."""

    criterion_ref: str
    section_ref: str
    value: int | None  # None = not rated yet
    not_applicable: bool = False
    statutory: bool = False
    to_confirm: bool = False  # carried forward from an earlier audit and not yet confirmed


def lowest_level(levels: Sequence[int]) -> int:
    """Return the scale's lowest level ("Not yet in place"), whatever number the scale starts at."""
    levels = tuple(levels)
    if len(levels) < 2 or any(low >= high for low, high in zip(levels, levels[1:], strict=False)):
        raise ValueError(f"levels must be at least two values, lowest first, without repeats: {levels!r}")
    return levels[0]


def needs_rationale(*, value: int | None, rationale: str, levels: Sequence[int]) -> bool:
    """Return True if a rating above the lowest level has no rationale yet ("Rationale needed").

    A rating saves without one, so nothing is lost, but the audit cannot be submitted until every
    rating above the lowest level says what shows it.
    """
    return value is not None and value > lowest_level(levels) and not rationale.strip()


def may_be_not_applicable(*, statutory: bool, scale_allows: bool) -> bool:
    """Return True if a criterion may be marked not applicable: never a statutory duty."""
    return scale_allows and not statutory


def applies(score: Score) -> bool:
    """Return True if the criterion is in scope: not marked not applicable (a statutory one always is)."""
    return score.statutory or not score.not_applicable


def is_rated(score: Score) -> bool:
    """Return True if a level was given in this audit (not carried forward and still to confirm)."""
    return applies(score) and not score.not_applicable and score.value is not None and not score.to_confirm


def is_answered(score: Score) -> bool:
    """Return True if nothing is left to do on the criterion: rated, or rightly marked not applicable."""
    return is_rated(score) or (not applies(score) and not score.to_confirm)


def duty_unmet(score: Score, scale: Scale) -> bool:
    """Return True if a statutory criterion is rated below the scale's met level."""
    return score.statutory and is_rated(score) and score.value < scale.met


@dataclass(frozen=True)
class Duties:
    """The statutory criteria in scope: how many, how many met, not met and not rated."""

    total: int = 0
    met: int = 0
    unmet: int = 0
    unrated: int = 0

    def __str__(self) -> str:
        """Return "n of m met, k unrated" (", k unrated" only when some are)."""
        text = f"{self.met} of {self.total} met"
        return f"{text}, {self.unrated} unrated" if self.unrated else text


def duties(ratings: Sequence[Score], scale: Scale) -> Duties:
    """Count the statutory duties among the ratings: met, not met and not rated."""
    statutory = [rating for rating in ratings if rating.statutory]
    unrated = sum(1 for rating in statutory if not is_rated(rating))
    unmet = sum(1 for rating in statutory if duty_unmet(rating, scale))
    return Duties(total=len(statutory), met=len(statutory) - unrated - unmet, unmet=unmet, unrated=unrated)


@dataclass(frozen=True)
class LevelResult:
    """The level of a section or audit, with the numbers behind it."""

    value: int | None  # None: nothing rated yet, or withheld
    mean: float | None
    rated: int
    total: int  # criteria in scope: not-applicable ones are left out
    capped: bool = False
    cap_reason: str | None = None
    withheld_reason: str | None = None
    to_confirm: int = 0
    duties: Duties = field(default_factory=Duties)

    @property
    def withheld(self) -> bool:
        return self.withheld_reason is not None

    @property
    def provisional(self) -> bool:
        """Return True if there is a level but some criteria in scope are not rated yet."""
        return self.value is not None and self.rated < self.total


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


def _duties_phrase(count: int, what: str) -> str:
    return f"1 statutory duty is {what}" if count == 1 else f"{count} statutory duties are {what}"


def _checked(scale: Scale) -> Scale:
    # Earlier callers passed the level values and labels; the met level now comes with the scale.
    if not isinstance(scale, Scale):
        raise TypeError("pass a scoring.Scale, with its met level (audits.selectors.scale_of(audit))")
    return scale


def _level(ratings: Sequence[Score], scale: Scale) -> LevelResult:
    scale = _checked(scale)
    in_scope = [rating for rating in ratings if applies(rating)]
    rated = [rating for rating in in_scope if is_rated(rating)]
    for rating in rated:
        if rating.value not in scale.values:
            raise ValueError(
                f"{rating.criterion_ref} is rated {rating.value}, which is not a level of the scale"
            )
    counts = duties(in_scope, scale)
    common = {
        "rated": len(rated),
        "total": len(in_scope),
        "to_confirm": sum(1 for rating in in_scope if rating.to_confirm),
        "duties": counts,
    }
    values = [rating.value for rating in rated if rating.value is not None]
    mean = sum(values) / len(values) if values else None
    if counts.unrated:
        reason = _duties_phrase(counts.unrated, "not rated yet")
        return LevelResult(value=None, mean=mean, withheld_reason=reason, **common)
    if not values:
        return LevelResult(value=None, mean=None, **common)
    value = _nearest_level(sum(values), len(values), scale.values)
    capped = counts.unmet > 0 and value > scale.cap
    cap_reason = None
    if capped:
        below = f"below ‘{scale.label(scale.met)}’"
        cap_reason = (
            f"{_duties_phrase(counts.unmet, below)}, so the level cannot be above ‘{scale.label(scale.cap)}’"
        )
        value = scale.cap
    return LevelResult(value=value, mean=mean, capped=capped, cap_reason=cap_reason, **common)


def section_level(ratings: Sequence[Score], scale: Scale) -> LevelResult:
    """Return the level of one section from the ratings of its criteria."""
    sections = {rating.section_ref for rating in ratings}
    if len(sections) > 1:
        raise ValueError(f"ratings come from more than one section: {sorted(sections)}")
    return _level(ratings, scale)


def overall_level(ratings: Sequence[Score], scale: Scale) -> LevelResult:
    """Return the level of the whole audit from the ratings of every criterion."""
    return _level(ratings, scale)


def section_levels(ratings: Sequence[Score], scale: Scale) -> dict[str, LevelResult]:
    """Return the level of each section, in the order the sections first appear."""
    by_section: dict[str, list[Score]] = {}
    for rating in ratings:
        by_section.setdefault(rating.section_ref, []).append(rating)
    return {ref: _level(section, scale) for ref, section in by_section.items()}


def priorities(ratings: Sequence[Score], scale: Scale, limit: int = 10) -> list[Score]:
    """Return what to work on first: statutory duties below the met level, then the lowest-rated."""
    scale = _checked(scale)
    rated = [rating for rating in ratings if is_rated(rating)]
    unmet = [rating for rating in rated if duty_unmet(rating, scale)]
    others = [
        rating for rating in rated if not duty_unmet(rating, scale) and rating.value != scale.values[-1]
    ]
    # sorted() is stable: criteria with the same value stay in the order given (the framework's order).
    others = sorted(others, key=lambda rating: rating.value)
    return (unmet + others)[:limit]


def strengths(ratings: Sequence[Score], scale: Scale, limit: int = 10) -> list[Score]:
    """Return the criteria at the top level, then those at the level below it."""
    scale = _checked(scale)
    rated = [rating for rating in ratings if is_rated(rating)]
    top = [rating for rating in rated if rating.value == scale.values[-1]]
    # On a two-level scale the level below the top is the lowest, which is never a strength.
    next_down = [rating for rating in rated if len(scale.values) > 2 and rating.value == scale.values[-2]]
    return (top + next_down)[:limit]


def section_progress(ratings: Sequence[Score]) -> str:
    """Return "not_started", "in_progress" or "completed" for a section's criteria."""
    done = [rating for rating in ratings if is_answered(rating)]
    # A section with no criteria has nothing left to do, so it counts as completed rather than blocking.
    if len(done) == len(ratings):
        return "completed"
    if not done and not any(rating.to_confirm for rating in ratings):
        return "not_started"
    return "in_progress"
