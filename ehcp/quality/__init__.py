"""Check the quality of an EHC plan's needs, outcomes and provision as a tribunal would. Report, never block.

The law the checks come from:

- SEND Regulations 2014 (Regs) reg 12 and SEND Code of Practice 2015 (CoP) 9.61 to 9.69: what each section
  holds. Section F "must be detailed and specific and should normally be quantified, for example, in terms
  of the type, hours and frequency of support and level of expertise" (CoP 9.69).
- L v Clarke and Somerset CC [1998] ELR 129: provision must be "so specific and so clear as to leave no
  room for doubt as to what has been decided is necessary"; applied under the Children and Families Act
  2014 (CFA) in JD v South Tyneside Council [2016] UKUT 9 (AAC).
- Worcestershire CC v SE [2020] UKUT 217 (AAC), para 74: vague words such as "support", "input",
  "interventions" and "opportunities" are unlikely to be enough; flexibility is no excuse for a lack of
  detail that could reasonably be given (East Sussex CC v TW [2016] UKUT 528 (AAC)); the same applies to a
  special school or unit (B-M v Oxfordshire CC [2018] UKUT 35 (AAC)). A minimum ("at least") may be
  specified where flexibility is needed (E v Newham LBC [2003] EWCA Civ 9).
- The LA's duty to secure section F provision is absolute (CFA s42(2); R v Harrow LBC ex p M [1997] ELR
  62; R (N) v North Tyneside BC [2010] EWCA Civ 135): provision may not depend on resources or availability.
- Health or social care provision that educates or trains is special educational provision (CFA s21(5));
  speech and language therapy "should normally be recorded as special educational provision" (CoP 9.74;
  London Borough of Bromley v SENT [1999] ELR 260 (CA)). Health provision (G) meets the health needs in C
  and social care provision (H1, H2) the social care needs in D (Regs 12(1)(c), (d), (g) and (h)).
- Section B records needs, not diagnoses (CoP 9.69, section B: "all of the child's identified special
  educational needs"): a label says nothing of what the child finds hard.
- From Year 9 the plan "must include ... provision to assist the child ... in preparation for adulthood
  and independent living" (Regs 12(3); CoP 8.9 to 8.12).
- Proposed amendments for a move to a new phase leave the new school for the family to ask for: they have
  the right to request a particular school (CFA s38(2)(b)(ii); Regs 22(2)(b) and (c)).

What counts as said: a field "says something" only if it is more than a placeholder ("Ongoing", "TBC",
"School staff", "As required"). How often and for how long count only with a number or a fixed unit
("3 times a week", "daily", "each lesson", "termly", "for the school year"). Who delivers section F
provision needs a role and, in the expertise field or the same line, the level of expertise or training.

False alarms are worse than silence here, so the wording checks are narrow: whole words only; "May" the
month ("before the May half-term", "by May 2027") is a date; "up to" in the group size is a legitimate
maximum ("a group of up to four pupils"); "access arrangements" (exam concessions) and "accessible" are
not "access". Findings come back in plan order: section B, section E, then provision in F, G, H1 and H2,
then whole-plan findings. Items are numbered from 1 within their section in the order given.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from ehcp.quality.wording import (
    CLARKE,
    COP_9_69,
    FIELDS,
    HAS_NUMBER,
    MONITORING,
    PFA_FROM_YEAR,
    PREPARING_FOR_ADULTHOOD,
    S42,
    SMALL_GROUP,
    THERAPIES,
    VAGUE,
    VAGUE_PHRASES,
    WORCS,
    conditional_on_resources,
    is_bare_support,
    is_blank,
    is_diagnosis_only,
    is_measurable,
    is_quantified,
    names_a_role,
    normal,
    reads_as_aspiration,
    says_something,
    states_expertise,
    vague_phrases,
    year_number,
)

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
    """The parts of a plan the checker reads, and the facts about the pupil and version it needs."""

    needs: Sequence[Need]
    outcomes: Sequence[Outcome]
    provisions: Sequence[Provision]
    aspirations_text: str = ""
    health_needs: str = ""  # section C
    social_care_needs: str = ""  # section D
    placement: str = ""  # section I
    placement_before: str = ""  # section I of the plan being amended
    year_group: str = ""  # "R", "1" ... "14"; "" when not known
    proposed_amendments: bool = False
    phase_transfer: bool = False  # the pupil moves to a new phase within 12 months


@dataclass(frozen=True)
class Finding:
    """One thing to improve: a stable code, where it is, what is wrong, how to fix it, and the source."""

    code: str
    section: str
    item_key: str | None
    message: str
    how_to_fix: str
    source: str = ""


__all__ = [
    "PROVISION_SECTIONS", "SPECIFY", "VAGUE", "VAGUE_PHRASES", "Need", "Outcome", "Provision", "PlanContent",
    "Finding", "check_plan", "conditional_on_resources", "is_bare_support", "is_diagnosis_only",
    "is_measurable", "is_quantified", "names_a_role", "reads_as_aspiration", "says_something",
    "states_expertise", "vague_phrases",
]  # fmt: skip


# --- the check ---------------------------------------------------------------------------------------------


@dataclass
class _Context:
    need_keys: set[str]
    outcome_keys: set[str]
    content: PlanContent
    findings: list[Finding] = field(default_factory=list)

    def add(self, *args: str | None) -> None:
        self.findings.append(Finding(*args))  # type: ignore[arg-type]


def check_plan(plan: PlanContent) -> list[Finding]:
    """Return the quality findings for a plan, in plan order; an empty list means nothing to improve."""
    ctx = _Context({n.key for n in plan.needs}, {o.key for o in plan.outcomes}, plan)
    needs_with_outcome = {key for outcome in plan.outcomes for key in outcome.need_keys}
    needs_with_f_provision = {
        key for provision in plan.provisions if provision.section == "F" for key in provision.need_keys
    }
    outcomes_with_provision = {key for provision in plan.provisions for key in provision.outcome_keys}

    for number, need in enumerate(plan.needs, start=1):
        where = f"Section B, need {number}"
        if need.key not in needs_with_outcome:
            ctx.add(
                "need_without_outcome", "B", need.key, f"{where} has no outcome in section E",
                "Add at least one outcome in section E for this need and link it to the need.", "Regs 12(1)(e)",
            )  # fmt: skip
        if need.key not in needs_with_f_provision:
            ctx.add(
                "need_without_provision", "B", need.key, f"{where} has no provision in section F",
                f"Add provision in section F that meets this need. {SPECIFY}",
                "Children and Families Act 2014, s37(2)(c); Regs 12(1)(f)",
            )  # fmt: skip
        if is_diagnosis_only(need.text):
            ctx.add(
                "need_is_a_diagnosis", "B", need.key, f"{where} names a diagnosis, not a need",
                "Describe what the child finds hard and what the assessment showed, for example 'finds it "
                "hard to follow spoken instructions of more than two steps'. Keep the diagnosis in the "
                "history in section A.", "SEND Code of Practice 2015, 9.69 (section B)",
            )  # fmt: skip

    for number, outcome in enumerate(plan.outcomes, start=1):
        _check_outcome(ctx, outcome, number, outcomes_with_provision)

    for section in PROVISION_SECTIONS:
        in_section = [provision for provision in plan.provisions if provision.section == section]
        for number, provision in enumerate(in_section, start=1):
            _check_provision(ctx, provision, number)

    _check_whole_plan(ctx)
    return ctx.findings


def _check_outcome(ctx: _Context, outcome: Outcome, number: int, outcomes_with_provision: set[str]) -> None:
    where = f"Section E, outcome {number}"
    ctx.findings.extend(_unknown_links(where, "E", outcome.key, outcome.need_keys, ctx.need_keys, "need"))
    if not outcome.need_keys:
        ctx.add(
            "outcome_without_need", "E", outcome.key, f"{where} is not linked to a need in section B",
            "Link the outcome to the need or needs in section B it addresses.", "Regs 12(1)(e)",
        )  # fmt: skip
    if outcome.key not in outcomes_with_provision:
        ctx.add(
            "outcome_without_provision", "E", outcome.key, f"{where} has no provision that helps achieve it",
            f"Link provision in section F to this outcome, or add some. {SPECIFY}", COP_9_69,
        )  # fmt: skip
    if not says_something(outcome.timeframe):
        ctx.add(
            "outcome_missing_timeframe", "E", outcome.key, f"{where} has no timeframe",
            "Say when the outcome should be achieved, for example 'by the end of Year 6'.",
            "SEND Code of Practice 2015, 9.66",
        )  # fmt: skip
    if not is_blank(outcome.text) and not is_measurable(outcome.text):
        ctx.add(
            "outcome_not_measurable", "E", outcome.key, f"{where} has nothing to measure progress by",
            "Say what the child will be able to do and how you will know, for example a number, an amount or "
            "'independently'.", "SEND Code of Practice 2015, 9.66",
        )  # fmt: skip
    aspiration = reads_as_aspiration(outcome.text)
    if aspiration is not None:
        ctx.add(
            "outcome_is_aspiration", "E", outcome.key,
            f"{where}: '{aspiration}' reads as an aspiration, not an outcome",
            "Move aspirations to section A. Write the outcome as what the child will achieve and by when.",
            "SEND Code of Practice 2015, 9.64 and 9.66",
        )  # fmt: skip


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


def _check_provision(ctx: _Context, provision: Provision, number: int) -> None:
    section, key = provision.section, provision.key
    where = f"Section {section}, provision {number}"
    ctx.findings.extend(_unknown_links(where, section, key, provision.need_keys, ctx.need_keys, "need"))
    ctx.findings.extend(
        _unknown_links(where, section, key, provision.outcome_keys, ctx.outcome_keys, "outcome")
    )
    if section == "F" and not provision.need_keys:
        ctx.add(
            "provision_without_need", section, key, f"{where} is not linked to a need",
            "Link the provision to the need or needs in section B it meets, or remove it.", "Regs 12(1)(f)",
        )  # fmt: skip
    frequency_reported = False
    if section == "F":
        frequency_reported = _check_f_details(ctx, provision, where)
    _check_wording(ctx, provision, where)
    condition = next(
        (found for name, _ in FIELDS if (found := conditional_on_resources(getattr(provision, name)))), None
    )
    if condition is not None:
        ctx.add(
            "provision_conditional_on_resources", section, key,
            f"{where}: '{condition}' makes the provision depend on resources",
            "Remove the condition. The LA must secure the provision in the plan whatever its resources, "
            "and the health body the health provision.", S42,
        )  # fmt: skip
    details = " ".join(getattr(provision, name) for name in ("what", "frequency", "duration"))
    if SMALL_GROUP.search(f"{provision.what} {provision.group_size}") and not HAS_NUMBER.search(
        provision.group_size
    ):
        ctx.add(
            "small_group_without_size", section, key, f"{where} says 'small group' without the group's size",
            "Give the largest the group will be, for example 'a group of up to 4 pupils'.", COP_9_69,
        )  # fmt: skip
    unquantified = not (HAS_NUMBER.search(details) or is_quantified(provision.frequency))
    if MONITORING.search(provision.what) and unquantified and not frequency_reported:
        ctx.add(
            "monitoring_without_amount", section, key,
            f"{where}: monitoring, advice or liaison with no amount",
            "Say how often and for how long, for example 'a 1-hour visit each half term, with a written "
            "report to the school and family'.", f"{COP_9_69}; {CLARKE}",
        )  # fmt: skip


def _check_f_details(ctx: _Context, provision: Provision, where: str) -> bool:
    """Check section F's who, expertise, how often, how long and group size; return True if how often failed."""
    key = provision.key
    frequency_reported = False
    if is_blank(provision.who):
        ctx.add("provision_missing_who", "F", key, f"{where} does not say who delivers it", SPECIFY, COP_9_69)
    elif not names_a_role(provision.who):
        ctx.add(
            "provision_who_not_a_role", "F", key, f"{where}: '{provision.who.strip()}' does not name a role",
            "Name the role, for example 'teaching assistant' or 'specialist teacher for hearing impairment'.",
            COP_9_69,
        )  # fmt: skip
    if not is_blank(provision.who) and not states_expertise(provision.who, provision.expertise):
        ctx.add(
            "provision_missing_expertise", "F", key, f"{where} does not say the level of expertise or training",
            "Say what qualification or training they have, for example 'trained in Precision Teaching and "
            "supervised by the SENCO each half term'.", COP_9_69,
        )  # fmt: skip
    for code, value, missing, unquantified in (
        ("frequency", provision.frequency, "how often it happens", "how often"),
        ("duration", provision.duration, "how long it lasts", "how long"),
    ):
        if is_blank(value):
            ctx.add(
                f"provision_missing_{code}", "F", key, f"{where} does not say {missing}", SPECIFY, COP_9_69
            )
            frequency_reported |= code == "frequency"
        elif not is_quantified(value):
            ctx.add(
                f"provision_{code}_not_quantified", "F", key,
                f"{where}: {unquantified} ('{value.strip()}') has no number or fixed unit",
                "Give a number or a fixed unit, for example '3 times a week', 'daily', 'each lesson', "
                "'30 minutes', 'for the school year'.", f"{COP_9_69}; {CLARKE}",
            )  # fmt: skip
            frequency_reported |= code == "frequency"
    if is_blank(provision.group_size):
        ctx.add(
            "provision_missing_group_size", "F", key, f"{where} does not say the group size or ratio",
            "Say the group size or adult-to-child ratio, for example '1:1', 'a group of up to 4' or "
            "'whole class'.", COP_9_69,
        )  # fmt: skip
    return frequency_reported


def _check_wording(ctx: _Context, provision: Provision, where: str) -> None:
    section, key = provision.section, provision.key
    fields_by_phrase: dict[str, list[str]] = {}
    for name, label in FIELDS:
        value = getattr(provision, name)
        if section == "F" and name in ("frequency", "duration") and not is_quantified(value):
            continue  # already reported as saying no amount ("As required", "Ongoing")
        for phrase in vague_phrases(value, field_name=name):
            fields_by_phrase.setdefault(phrase, []).append(label)
    for vague in VAGUE:
        labels = fields_by_phrase.get(vague.phrase)
        if labels:
            place = "" if labels == ["what"] else f" ({', '.join(labels)})"
            ctx.add(
                "vague_wording", section, key, f"{where}{place}: '{vague.phrase}' is vague",
                f"{vague.fix} {SPECIFY}", vague.source,
            )  # fmt: skip
    if is_bare_support(provision.what):
        ctx.add(
            "vague_wording", section, key, f"{where}: 'support' does not say what will be done",
            "Say what the adult will do, for example 'pre-teach the topic vocabulary' or 'break each task "
            f"into steps and check understanding'. {SPECIFY}", WORCS,
        )  # fmt: skip


def _check_whole_plan(ctx: _Context) -> None:
    plan = ctx.content
    f_text = " ".join(p.what for p in plan.provisions if p.section == "F")
    for name, pattern in THERAPIES.items():
        elsewhere = [p for p in plan.provisions if p.section != "F" and pattern.search(p.what)]
        if elsewhere and not pattern.search(f_text):
            sections = ", ".join(dict.fromkeys(p.section for p in elsewhere))
            ctx.add(
                "therapy_not_in_f", "F", elsewhere[0].key,
                f"{name.capitalize()} is only in section {sections}",
                f"{name.capitalize()} that educates or trains the child is special educational provision: "
                "record it in section F, so the LA must secure it.",
                "Children and Families Act 2014, s21(5); SEND Code of Practice 2015, 9.74",
            )  # fmt: skip
    if any(p.section == "G" for p in plan.provisions) and not says_something(plan.health_needs):
        ctx.add(
            "health_provision_without_health_need", "C", None,
            "Section G has health provision but section C records no health needs",
            "Record in section C the health needs the provision in section G meets.", "Regs 12(1)(c) and (g)",
        )  # fmt: skip
    if any(p.section in ("H1", "H2") for p in plan.provisions) and not says_something(plan.social_care_needs):
        ctx.add(
            "care_provision_without_care_need", "D", None,
            "Section H has social care provision but section D records no social care needs",
            "Record in section D the social care needs the provision in section H meets.",
            "Regs 12(1)(d) and (h)",
        )  # fmt: skip
    year = year_number(plan.year_group)
    preparing = any(PREPARING_FOR_ADULTHOOD.search(p.what) for p in plan.provisions)
    if year is not None and year >= PFA_FROM_YEAR and plan.provisions and not preparing:
        ctx.add(
            "no_preparation_for_adulthood", "F", None,
            f"The pupil is in Year {year} but no provision prepares them for adulthood",
            "From Year 9, include provision for preparing for adulthood and independent living: "
            "employment or further study, independent living, friends and community, and good health.",
            "Regs 12(3); SEND Code of Practice 2015, 8.9 to 8.12",
        )  # fmt: skip
    placement = plan.placement.strip()
    if (
        plan.proposed_amendments
        and plan.phase_transfer
        and placement
        and normal(placement) != normal(plan.placement_before)
    ):
        ctx.add(
            "placement_named_before_family_asked", "I", None,
            "Section I names a new school in the proposed amendments for a move to the next phase",
            "Leave section I as it is in the current plan. The family may ask for a particular school once "
            "the proposed amendments are served; the LA names the school in the final amended plan.",
            "Children and Families Act 2014, s38(2)(b)(ii); Regs 22(2)(b) and (c)",
        )  # fmt: skip
