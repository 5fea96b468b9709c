"""Check the quality of an EHC plan's needs, outcomes and provision. Report, never block.

What is checked (SEND Regulations 2014, reg 12; SEND Code of Practice 2015, 9.61 to 9.69):

- The golden thread: every need in section B has at least one outcome in section E and at least one
  provision in section F; every outcome is linked to a need and met by some provision; every provision
  (F, G, H1, H2) serves a need; every link points at a need or outcome that exists.
- Section F provision is detailed, specific and normally quantified (CoP 9.69): it says who delivers it,
  how often and for how long.
- Wording that tribunals strike out because it does not specify or quantify ("access to", "regular", "as
  required", "may", "up to"...) in the what, how often and how long of any provision. Whole words only,
  any case; "May" as a month ("by May 2027", "in May") is not flagged.
- Outcomes (section E) have a timeframe and something to measure, and are not aspirations, which belong
  in section A.

The measurable check is deliberately conservative so that good outcomes are never flagged: an outcome is
flagged only when its text has no digit, no number word and none of the words in MEASURE_WORDS (units,
counts, "independently", "without prompting", "accurately"...). "Sam will improve his reading" is flagged;
"Sam will read 20 common words" and "Sam will write a paragraph independently" are not.

An outcome reads as an aspiration when it opens, after at most two words such as a name ("Sam", "He"),
with "to be happy", "to have friends", "wants to", "would like to", "hopes to" or "dream".

Findings come back in plan order: section B needs, section E outcomes, then provision in sections F, G, H1
and H2. Items are numbered from 1 within their section in the order given.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

PROVISION_SECTIONS: tuple[str, ...] = ("F", "G", "H1", "H2")

SPECIFY = "State what, how often, for how long and who delivers it."


@dataclass(frozen=True)
class Need:
    """A special educational need in section B, in one broad area of need."""

    key: str
    area: str
    text: str


@dataclass(frozen=True)
class Outcome:
    """An outcome in section E and the needs it addresses."""

    key: str
    text: str
    timeframe: str
    need_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provision:
    """One piece of provision in section F, G, H1 or H2, with the needs and outcomes it serves."""

    key: str
    section: str  # "F", "G", "H1" or "H2"
    what: str
    who: str = ""
    expertise: str = ""
    frequency: str = ""
    duration: str = ""
    group_size: str = ""
    need_keys: tuple[str, ...] = ()
    outcome_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanContent:
    """The parts of a plan the checker reads; aspirations (section A) are carried but not checked."""

    needs: Sequence[Need]
    outcomes: Sequence[Outcome]
    provisions: Sequence[Provision]
    aspirations_text: str = ""


@dataclass(frozen=True)
class Finding:
    """One thing to improve: a stable code, where it is, what is wrong and how to fix it."""

    code: str
    section: str
    item_key: str | None
    message: str
    how_to_fix: str


# Each vague phrase with the fix to suggest; order is the order findings are reported in.
VAGUE_PHRASES: dict[str, str] = {
    "access to": "Say what the child will receive, not what they can have access to.",
    "opportunities for": "Say what will be provided, not that there will be opportunities.",
    "opportunity to": "Say what will be provided, not that there will be an opportunity.",
    "regular": "Give the number of sessions, for example '3 times a week'.",
    "regularly": "Give the number of sessions, for example '3 times a week'.",
    "as required": "Give the amount that will be provided; if it changes, say who decides and the minimum.",
    "as needed": "Give the amount that will be provided; if it changes, say who decides and the minimum.",
    "would benefit from": "Write the provision the child will receive, not what would help.",
    "should": "Write 'will' and say exactly what will be provided.",
    "may": "Write 'will' and say exactly what will be provided.",
    "up to": "Give the amount the child will receive, not a maximum.",
    "where possible": "Remove the condition: provision in the plan must be made.",
    "if possible": "Remove the condition: provision in the plan must be made.",
    "support as appropriate": "Say what the support is and how much there will be.",
}

_MONTH_MAY = re.compile(r"\bmay\s+\d|(\b(in|by|until|from|before|after|since|of)|\d)\s+may\b", re.IGNORECASE)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = (re.escape(word) for word in phrase.split())
    return re.compile(r"\b" + r"\s+".join(words) + r"\b", re.IGNORECASE)


_VAGUE_PATTERNS: dict[str, re.Pattern[str]] = {phrase: _phrase_pattern(phrase) for phrase in VAGUE_PHRASES}

NUMBER_WORDS: frozenset[str] = frozenset(
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "fifteen", "twenty", "thirty", "fifty", "hundred", "once", "twice", "half", "quarter", "all", "every",
        "each", "both",
    }
)  # fmt: skip

MEASURE_WORDS: tuple[str, ...] = (
    "per", "out of", "percent", "%", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "term", "terms", "times", "sessions", "words", "sentences", "paragraph", "paragraphs", "steps", "level",
    "score", "scores", "grade", "stage", "year", "years", "independently", "unaided", "without prompting",
    "without prompts", "without adult", "without support", "accurately", "at least", "measured", "assessed",
)  # fmt: skip

_MEASURE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(re.escape(word)) if word == "%" else _phrase_pattern(word) for word in MEASURE_WORDS
)

_ASPIRATION = re.compile(
    r"^\s*(?:[\w'’-]+\s+){0,2}?(to\s+be\s+happy|to\s+have\s+friends|wants\s+to|would\s+like\s+to|hopes\s+to"
    r"|dreams?)\b",
    re.IGNORECASE,
)


def vague_phrases(text: str) -> list[str]:
    """Return the vague phrases found in text, in VAGUE_PHRASES order."""
    found = []
    for phrase, pattern in _VAGUE_PATTERNS.items():
        if phrase == "may":
            # "May" the month is not vague: remove dates such as "in May" or "May 2027" before looking.
            if pattern.search(_MONTH_MAY.sub(" ", text)):
                found.append(phrase)
        elif pattern.search(text):
            found.append(phrase)
    return found


def is_measurable(text: str) -> bool:
    """Return False only when an outcome has no number and no measure word at all."""
    if re.search(r"\d", text):
        return True
    if any(word in NUMBER_WORDS for word in re.findall(r"[a-z]+", text.lower())):
        return True
    return any(pattern.search(text) for pattern in _MEASURE_PATTERNS)


def reads_as_aspiration(text: str) -> str | None:
    """Return the aspiration wording an outcome opens with, or None."""
    match = _ASPIRATION.match(text)
    return re.sub(r"\s+", " ", match.group(1)).lower() if match else None


def _blank(value: str) -> bool:
    return not value.strip()


def check_plan(plan: PlanContent) -> list[Finding]:
    """Return the quality findings for a plan, in plan order; an empty list means nothing to improve."""
    need_keys = {need.key for need in plan.needs}
    outcome_keys = {outcome.key for outcome in plan.outcomes}
    needs_with_outcome = {key for outcome in plan.outcomes for key in outcome.need_keys}
    needs_with_f_provision = {
        key for provision in plan.provisions if provision.section == "F" for key in provision.need_keys
    }
    outcomes_with_provision = {key for provision in plan.provisions for key in provision.outcome_keys}
    findings: list[Finding] = []

    for number, need in enumerate(plan.needs, start=1):
        where = f"Section B, need {number}"
        if need.key not in needs_with_outcome:
            findings.append(
                Finding(
                    "need_without_outcome",
                    "B",
                    need.key,
                    f"{where} has no outcome in section E",
                    "Add at least one outcome in section E for this need and link it to the need.",
                )
            )
        if need.key not in needs_with_f_provision:
            findings.append(
                Finding(
                    "need_without_provision",
                    "B",
                    need.key,
                    f"{where} has no provision in section F",
                    f"Add provision in section F that meets this need. {SPECIFY}",
                )
            )

    for number, outcome in enumerate(plan.outcomes, start=1):
        where = f"Section E, outcome {number}"
        findings.extend(_unknown_links(where, "E", outcome.key, outcome.need_keys, need_keys, "need"))
        if not outcome.need_keys:
            findings.append(
                Finding(
                    "outcome_without_need",
                    "E",
                    outcome.key,
                    f"{where} is not linked to a need in section B",
                    "Link the outcome to the need or needs in section B it addresses.",
                )
            )
        if outcome.key not in outcomes_with_provision:
            findings.append(
                Finding(
                    "outcome_without_provision",
                    "E",
                    outcome.key,
                    f"{where} has no provision that helps achieve it",
                    f"Link provision in section F to this outcome, or add some. {SPECIFY}",
                )
            )
        if _blank(outcome.timeframe):
            findings.append(
                Finding(
                    "outcome_missing_timeframe",
                    "E",
                    outcome.key,
                    f"{where} has no timeframe",
                    "Say when the outcome should be achieved, for example 'by the end of Year 6'.",
                )
            )
        if not _blank(outcome.text) and not is_measurable(outcome.text):
            findings.append(
                Finding(
                    "outcome_not_measurable",
                    "E",
                    outcome.key,
                    f"{where} has nothing to measure progress by",
                    "Say what the child will be able to do and how you will know, for example a number, "
                    "an amount or 'independently'.",
                )
            )
        aspiration = reads_as_aspiration(outcome.text)
        if aspiration is not None:
            findings.append(
                Finding(
                    "outcome_is_aspiration",
                    "E",
                    outcome.key,
                    f"{where}: '{aspiration}' reads as an aspiration, not an outcome",
                    "Move aspirations to section A. Write the outcome as what the child will achieve and by "
                    "when.",
                )
            )

    for section in PROVISION_SECTIONS:
        in_section = [provision for provision in plan.provisions if provision.section == section]
        for number, provision in enumerate(in_section, start=1):
            findings.extend(_check_provision(provision, number, need_keys, outcome_keys))

    return findings


def _unknown_links(
    where: str, section: str, item_key: str, keys: Sequence[str], known: set[str], kind: str
) -> list[Finding]:
    article = "an" if kind[0] in "aeiou" else "a"
    return [
        Finding(
            f"unknown_{kind}_link",
            section,
            item_key,
            f"{where} is linked to {article} {kind} that is not in the plan ('{key}')",
            f"Remove the link or link to {article} {kind} that is in the plan.",
        )
        for key in keys
        if key not in known
    ]


def _check_provision(
    provision: Provision, number: int, need_keys: set[str], outcome_keys: set[str]
) -> list[Finding]:
    section = provision.section
    where = f"Section {section}, provision {number}"
    findings = _unknown_links(where, section, provision.key, provision.need_keys, need_keys, "need")
    findings += _unknown_links(where, section, provision.key, provision.outcome_keys, outcome_keys, "outcome")
    if not provision.need_keys:
        findings.append(
            Finding(
                "provision_without_need",
                section,
                provision.key,
                f"{where} is not linked to a need",
                "Link the provision to the need or needs in section B it meets, or remove it.",
            )
        )
    if section == "F":
        # CoP 9.69: section F must be detailed and specific, and normally quantified.
        for code, value, missing in (
            ("provision_missing_who", provision.who, "who delivers it"),
            ("provision_missing_frequency", provision.frequency, "how often it happens"),
            ("provision_missing_duration", provision.duration, "how long it lasts"),
        ):
            if _blank(value):
                findings.append(
                    Finding(code, section, provision.key, f"{where} does not say {missing}", SPECIFY)
                )
    found = set(vague_phrases(" | ".join((provision.what, provision.frequency, provision.duration))))
    for phrase in VAGUE_PHRASES:
        if phrase in found:
            findings.append(
                Finding(
                    "vague_wording",
                    section,
                    provision.key,
                    f"{where}: '{phrase}' is vague",
                    f"{VAGUE_PHRASES[phrase]} {SPECIFY}",
                )
            )
    return findings
