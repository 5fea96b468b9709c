"""The words of an EHC plan: what counts as saying something, as an amount, a role, and vague wording.

Pure functions and the lexicon ``ehcp.quality.check_plan`` applies; the sources are in its docstring and on
each entry. Kept apart so the lexicon can grow without burying the checks.
"""

import re
from dataclasses import dataclass

COP_9_69 = "SEND Code of Practice 2015, 9.69"
CLARKE = "L v Clarke and Somerset CC [1998] ELR 129"
WORCS = "Worcestershire CC v SE [2020] UKUT 217 (AAC)"
S42 = "Children and Families Act 2014, s42; R (N) v North Tyneside BC [2010] EWCA Civ 135"


# --- what a field says -------------------------------------------------------------------------------------

# Placeholders that fill a field without saying anything.
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "", "-", "--", "x", "?", "n/a", "na", "none", "nil", "tbc", "tba", "tbd", "to be confirmed",
        "to be agreed", "to be determined", "to be decided", "ongoing", "on going", "various", "varies",
        "variable", "flexible", "as needed", "as required", "as appropriate", "as necessary", "when needed",
        "if needed", "see above", "see below", "see report", "see advice", "regular", "regularly", "staff",
        "school staff", "school", "the school", "setting", "setting staff", "adult", "an adult", "adults",
        "all staff", "appropriate staff", "relevant staff", "professionals", "relevant professionals",
        "appropriate", "suitable", "relevant", "as directed", "as advised", "other",
    }
)  # fmt: skip


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[.,;:!]+$", "", text.strip().lower()))


def says_something(text: str) -> bool:
    """Return True if a field says more than a placeholder such as "Ongoing", "TBC" or "School staff"."""
    return normal(text) not in PLACEHOLDERS


NUMBER_WORDS: frozenset[str] = frozenset(
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "ninety", "hundred", "once", "twice",
        "half", "quarter", "all", "every", "each", "both",
    }
)  # fmt: skip

_NUMBER_WORD_ONLY = NUMBER_WORDS - {"all", "every", "each", "both"}
_UNIT = (
    r"(?:minute|min|hour|hr|day|week|fortnight|month|term|half[- ]term|year|session|lesson|morning|"
    r"afternoon|evening|break|breaktime|lunchtime|lunch|playtime|period|school\s+day|school\s+week|"
    r"academic\s+year|school\s+year|key\s+stage|plan|(?:annual\s+)?review)s?"
)
_FIXED_UNIT = re.compile(
    r"\b(?:daily|weekly|fortnightly|monthly|termly|half[- ]termly|annually|yearly|hourly|full[- ]time|"
    r"throughout\s+the\s+(?:school\s+)?(?:day|week|year)|all\s+day)\b"
    rf"|\b(?:each|every|all|whole|per|a|an|the|this|one|(?:the\s+)?next)\s+(?:school\s+)?{_UNIT}\b",
    re.IGNORECASE,
)


def is_quantified(text: str) -> bool:
    """Return True if how often or for how long carries a number or a fixed unit ("daily", "each lesson")."""
    if not says_something(text):
        return False
    if re.search(r"\d", text):
        return True
    if any(word in _NUMBER_WORD_ONLY for word in re.findall(r"[a-z]+", text.lower())):
        return True
    return bool(_FIXED_UNIT.search(text))


HAS_NUMBER = re.compile(r"\d|\b(?:" + "|".join(sorted(_NUMBER_WORD_ONLY)) + r")\b", re.IGNORECASE)

# Words that make "who" generic rather than a role.
_GENERIC_WHO = frozenset(
    {
        "school", "staff", "adult", "adults", "member", "members", "of", "the", "a", "an", "all", "any",
        "appropriate", "relevant", "suitable", "trained", "setting", "professional", "professionals",
        "person", "people", "team", "and", "or", "other", "others", "various", "available", "support",
    }
)  # fmt: skip


def names_a_role(who: str) -> bool:
    """Return True if who delivers it names a role ("Teaching assistant"), not "School staff" or "An adult"."""
    if not says_something(who):
        return False
    words = re.findall(r"[a-z0-9]+", who.lower())
    return any(word not in _GENERIC_WHO for word in words)


_EXPERTISE_WORDS = re.compile(
    r"\b(?:trained|training|qualified|qualification|qualifications|registered|accredited|certified|"
    r"certificate|hcpc|rcslt|experienced|experience|specialist|supervised|supervision|degree|diploma|"
    r"level\s+\d|npq|nasenco|senco|chartered|licensed|elklan)\b",
    re.IGNORECASE,
)
_VAGUE_EXPERTISE = frozenset(
    {"appropriately trained", "suitably qualified", "suitably trained", "appropriate training",
     "appropriately qualified", "relevant training", "trained staff", "experienced staff"}
)  # fmt: skip


def states_expertise(who: str, expertise: str) -> bool:
    """Return True if the item says the level of expertise or training of whoever delivers it."""
    if says_something(expertise) and normal(expertise) not in _VAGUE_EXPERTISE:
        return True
    return bool(_EXPERTISE_WORDS.search(who)) and normal(who) not in _VAGUE_EXPERTISE


# --- vague wording -------------------------------------------------------------------------------------------

FIELDS: tuple[tuple[str, str], ...] = (
    ("what", "what"),
    ("who", "who"),
    ("expertise", "expertise"),
    ("frequency", "how often"),
    ("duration", "how long"),
    ("group_size", "group size"),
)


@dataclass(frozen=True)
class Vague:
    """A phrase tribunals strike out: how to find it, what to write instead, where that comes from."""

    phrase: str
    fix: str
    source: str = f"{COP_9_69}; {WORCS}"
    pattern: str = ""  # a regular expression, when the phrase alone is not the test
    not_in: tuple[str, ...] = ()  # fields where the wording is legitimate


def _words(phrase: str) -> str:
    return r"\b" + r"\s+".join(re.escape(word) for word in phrase.split()) + r"\b"


AMOUNT = "Give the amount: how many sessions, how long each lasts, and who decides if it changes."
WILL = "Write 'will' and say exactly what will be provided."
CONDITION = "Remove the condition: provision in the plan must be made."

# Each vague phrase with the fix to suggest; order is the order findings are reported in.
VAGUE: tuple[Vague, ...] = (
    Vague("access to", "Say what the child will receive, not what they can have access to."),
    Vague(
        "access",
        "Say what the child will be given or taught, not that they will 'access' it.",
        pattern=r"\baccess(?:es|ed|ing)?\b(?!\s+to\b)(?!\s+arrangements?\b)",
    ),
    Vague("opportunities", "Say what will be provided, not that there will be opportunities.",
          pattern=r"\bopportunit(?:y|ies)\s+(?:to|for)\b"),
    Vague("exposure to", "Say what will be taught or done, how often and by whom."),
    Vague("input", "Say what the professional will do: direct therapy, a programme for staff, training.",
          source=WORCS, pattern=r"\binputs?\b"),
    Vague("interventions", "Name the intervention or programme, and say how often and for how long.",
          source=WORCS, pattern=r"\b(?:an?|appropriate|suitable|relevant|targeted|specific|further|some|"
                               r"small[- ]group|individual)\s+(?:\w+\s+)?interventions?\b|^\s*interventions?\b"),
    Vague("regular", "Give the number of sessions, for example '3 times a week'.", pattern=r"\bregular(?:ly)?\b"),
    Vague("frequent", "Give the number of sessions, for example '3 times a week'.",
          pattern=r"\bfrequent(?:ly)?\b"),
    Vague("occasional", "Give the number of sessions, for example 'once a half term'.",
          pattern=r"\boccasional(?:ly)?\b"),
    Vague("periodic", "Give the number of sessions, for example 'once a half term'.",
          pattern=r"\bperiodic(?:ally)?\b"),
    Vague("ongoing", "Give the amount and how long it lasts, for example 'for the school year'.",
          pattern=r"\bon-?\s?going\b"),
    Vague("flexible", "Give the amount; if it must flex, give the minimum and who decides.",
          pattern=r"\bflexib(?:le|ly|ility)\b"),
    Vague("as required", AMOUNT), Vague("as needed", AMOUNT), Vague("as necessary", AMOUNT),
    Vague("as appropriate", AMOUNT), Vague("where appropriate", AMOUNT), Vague("if appropriate", AMOUNT),
    Vague("where necessary", AMOUNT), Vague("as and when", AMOUNT),
    Vague("if needed", AMOUNT, pattern=r"\b(?:if|when|where)\s+(?:needed|required)\b"),
    Vague("as directed", AMOUNT, pattern=r"\bas\s+(?:directed|advised|recommended)\b"),
    Vague("at the discretion of", "Say what will be provided; it is not left to someone's discretion.",
          pattern=r"\b(?:at\s+the\s+(?:\w+'?s?\s+)?discretion|discretionary)\b"),
    Vague("to be agreed", "Agree it now and write it in the plan.",
          pattern=r"\b(?:to\s+be\s+(?:agreed|determined|decided|confirmed|arranged)|tbc|tba|tbd)\b"),
    Vague("consider", "Say what will be provided, not that it will be considered.",
          pattern=r"\b(?:consider|considered|consideration)\b"),
    Vague("would benefit from", "Write the provision the child will receive, not what would help."),
    Vague("encouraged to", "Say what adults will do and how often, not what the child will be encouraged to do.",
          pattern=r"\bencouraged\s+to\b|\bencourage\s+\w+\s+to\b"),
    Vague("should", WILL), Vague("may", WILL), Vague("might", WILL), Vague("could", WILL),
    Vague("up to", "Give the amount the child will receive, not a maximum; 'at least' is allowed.",
          not_in=("group_size",)),
    Vague("where possible", CONDITION), Vague("if possible", CONDITION), Vague("when possible", CONDITION),
    Vague("a range of", "Say which: a range leaves room for doubt about what will be provided.",
          pattern=r"\b(?:a\s+(?:range|variety|number)\s+of|various)\b"),
    Vague("such as", "List what will be provided; examples leave room for doubt.",
          pattern=r"\b(?:strategies\s+such\s+as|such\s+as|for\s+example|e\.g\.)"),
    Vague("appropriate", "Say what it is: 'appropriate' leaves room for doubt.",
          pattern=r"(?<!\bas\s)(?<!\bwhere\s)(?<!\bif\s)\b(?:appropriate|appropriately|suitable|suitably)\b",
          not_in=("expertise",)),
    Vague("tailored to", "Describe the programme: 'tailored to need' says nothing of what it is.",
          pattern=r"\btailored\b"),
    Vague("differentiated", "Say how the work will be adapted, by whom and how often.",
          pattern=r"\bdifferentiat(?:ed|ion)\b"),
    Vague("quality first teaching", "Quality first teaching is what every pupil gets: write what is additional "
          "to it for this child.", pattern=r"\bquality[- ]first\b"),
    Vague("some", "Give the amount.", pattern=r"\bsome\s+(?:support|help|time|sessions?|adult|1:1|input)\b"),
)  # fmt: skip

_MONTH_MAY = re.compile(
    r"\bmay\s+(?:\d|half[- ]?term|bank\s+holiday|holiday|half\b)"
    r"|(?:\b(?:in|by|until|till|from|before|after|since|of|during|early|late|mid|the|next|last|end\s+of)"
    r"|\d(?:st|nd|rd|th)?)[\s-]+may\b",
    re.IGNORECASE,
)

_PATTERNS: dict[str, re.Pattern[str]] = {
    v.phrase: re.compile(v.pattern or _words(v.phrase), re.IGNORECASE) for v in VAGUE
}
VAGUE_PHRASES: dict[str, str] = {v.phrase: v.fix for v in VAGUE}


def vague_phrases(text: str, *, field_name: str = "what") -> list[str]:
    """Return the vague phrases found in one field's text, in VAGUE order."""
    found = []
    without_dates = _MONTH_MAY.sub(" ", text)
    for vague in VAGUE:
        if field_name in vague.not_in:
            continue
        source = without_dates if vague.phrase == "may" else text
        if _PATTERNS[vague.phrase].search(source):
            found.append(vague.phrase)
    if "interventions" in found and _NAMED_PROGRAMME.search(text):
        found.remove("interventions")  # "a Lexia intervention", "a phonics intervention (Read Write Inc.)"
    return found


# A programme named by a capitalised name before "intervention" or "programme", in brackets, or quoted.
_NAMED_PROGRAMME = re.compile(
    r"(?<=\s)(?!(?:Targeted|Appropriate|Suitable|Relevant|Specific|Further|Small|Individual|Some)\b)"
    r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s+(?:intervention|programme)s?\b|\([^)]*[A-Z][^)]*\)|[\"“‘'][^\"”’']{3,}[\"”’']"
)

_SUPPORT = re.compile(r"\bsupport(?:ed|s|ing)?\b", re.IGNORECASE)
_FILLER = frozenset(
    {
        "support", "supported", "supports", "supporting", "with", "from", "for", "and", "the", "will", "have",
        "their", "they", "this", "that", "into", "when", "where", "which", "additional", "extra", "general",
        "appropriate", "ongoing", "some", "given", "provide", "provided", "receive", "receives", "access",
        "adult", "adults", "staff", "school", "class", "classroom", "lessons", "lesson", "needed", "needs",
        "required", "help", "being", "also", "them", "within", "across", "during", "around", "other",
    }
)  # fmt: skip


def is_bare_support(what: str) -> bool:
    """Return True when provision is little more than the word "support" ("Support with literacy")."""
    if not _SUPPORT.search(what):
        return False
    content = [
        word
        for word in re.findall(r"[a-z0-9:]+", what.lower())
        if word not in _FILLER and (len(word) >= 4 or any(ch.isdigit() for ch in word))
    ]
    return len(content) < 3


_CONDITIONAL = re.compile(
    r"\bsubject\s+to\s+(?:the\s+)?(?:funding|resources?|availability|staffing|budget|capacity)"
    r"|\b(?:funding|resources?|staffing|budget|capacity|time)\s+(?:permitting|allowing)"
    r"|\b(?:if|when|where)\s+(?:the\s+)?(?:funding|resources?|staffing|budget|capacity|time)\s+"
    r"(?:allows?|permits?|is\s+available|are\s+available)"
    r"|\bwithin\s+(?:the\s+)?(?:available|existing|current)\s+(?:resources|funding|budget|staffing)"
    r"|\bin\s+line\s+with\s+(?:the\s+)?available\s+(?:resources|funding|budget)"
    r"|\b(?:depending|dependent|depends|dependant)\s+(?:on|upon)\s+(?:the\s+)?(?:funding|resources?|"
    r"availability|staffing|budget|capacity)"
    r"|\b(?:if|when|where)\s+(?:(?:a|an|the)\s+)?(?:\w+\s+)?(?:place|places|slot|slots|staff|therapist|"
    r"specialist|service)?\s*(?:is|are|becomes?)?\s*available\b"
    r"|\bwaiting\s+list\b",
    re.IGNORECASE,
)


def conditional_on_resources(text: str) -> str | None:
    """Return the wording that makes provision depend on resources, funding or availability, or None."""
    match = _CONDITIONAL.search(text)
    return re.sub(r"\s+", " ", match.group(0)).strip().lower() if match else None


SMALL_GROUP = re.compile(r"\bsmall[- ]groups?\b", re.IGNORECASE)
MONITORING = re.compile(
    r"\b(?:monitor(?:ed|ing|s)?|advice|advise[sd]?|advisory|consultation|consult(?:ed|s)?|liais(?:e|es|ed|ing|on)|"
    r"oversight|overseen|check-?ins?|keep\s+under\s+review)\b",
    re.IGNORECASE,
)

# Therapies that educate or train and so belong in F (CFA s21(5); CoP 9.74): name and how each is written.
THERAPIES: dict[str, re.Pattern[str]] = {
    "speech and language therapy": re.compile(
        r"\bspeech\s+(?:and|&)\s+language\s+therap|\bsalt\b|\bslt\b|\bspeech\s+therap", re.IGNORECASE
    ),
    "occupational therapy": re.compile(r"\boccupational\s+therap|\bot\b", re.IGNORECASE),
    "physiotherapy": re.compile(r"\bphysio(?:therap)?", re.IGNORECASE),
}

DIAGNOSES = re.compile(
    r"\b(?:[Aa]utism|[Aa]utistic|[Dd]yslexi[ac]|[Dd]yspraxi[ac]|[Dd]yscalculia|[Dd]ysgraphia|[Cc]erebral\s+palsy|"
    r"Down'?s?\s+syndrome|[Ee]pilepsy|[Gg]lobal\s+developmental\s+delay|Tourette'?s?|[Ff]oetal\s+alcohol|"
    r"[Ff]ragile\s+X|[Ss]pina\s+bifida|[Dd]iagnos(?:is|ed)|ASD|ASC|ADHD|ADD|DCD|GDD|PDA|OCD|ODD|FASD)\b"
)  # acronyms in capitals only: "learning to add numbers" is not ADD
DESCRIBES_A_NEED = re.compile(
    r"\b(?:finds?\s+it|hard|difficult|difficulty|difficulties|struggles?|struggling|cannot|can't|unable|"
    r"not\s+yet|does\s+not|doesn't|did\s+not|needs?\s+(?:help|support|adult)|below|delay(?:ed)?\s+in|"
    r"trouble|becomes?|avoids?|relies|reliant|limited|slow(?:er)?|anxious|anxiety|distress|dysregulat|"
    r"misunderstands?|has\s+(?:not|no)|reads?\s+at|working\s+at|lacks?|poor|weak|low)\b",
    re.IGNORECASE,
)

PREPARING_FOR_ADULTHOOD = re.compile(
    r"\b(?:adulthood|adult\s+life|independent\s+living|independen(?:t|ce)|employment|employability|"
    r"work\s+experience|job|jobs|careers?|college|further\s+education|higher\s+education|university|"
    r"post-16|post\s+16|sixth\s+form|apprenticeship|supported\s+internship|travel\s+training|travel|"
    r"money|budgeting|cooking|life\s+skills|living\s+skills|community|friendships?|relationships|"
    r"healthy|health\s+(?:care|appointments)|self-care)\b",
    re.IGNORECASE,
)
PFA_FROM_YEAR = 9


def year_number(year_group: str) -> int | None:
    if year_group.upper() == "R":
        return 0
    return int(year_group) if year_group.isdigit() else None


def is_diagnosis_only(text: str) -> bool:
    """Return True when a section B need names a diagnosis and says nothing of what the child finds hard."""
    return bool(DIAGNOSES.search(text)) and not DESCRIBES_A_NEED.search(text)


_ASPIRATION = re.compile(
    r"^\s*(?:[\w'’-]+\s+){0,2}?(to\s+be\s+happy|to\s+have\s+friends|wants\s+to|would\s+like\s+to|hopes\s+to"
    r"|dreams?)\b",
    re.IGNORECASE,
)

MEASURE_WORDS: tuple[str, ...] = (
    "per", "out of", "percent", "%", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "term", "terms", "times", "sessions", "words", "sentences", "paragraph", "paragraphs", "steps", "level",
    "score", "scores", "grade", "stage", "year", "years", "independently", "unaided", "without prompting",
    "without prompts", "without adult", "without support", "accurately", "at least", "measured", "assessed",
)  # fmt: skip

_MEASURE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(re.escape(word)) if word == "%" else re.compile(_words(word), re.IGNORECASE)
    for word in MEASURE_WORDS
)


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


def is_blank(value: str) -> bool:
    return not value.strip()
