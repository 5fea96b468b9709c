"""The plan checker against the law and the tribunal cases, on realistic provision.

Every rule has a case named after its source. The "no false alarm" tables hold wording from well-written
plans that a tribunal would uphold: the checker must stay silent on them. The vague tables hold wording
of the kind struck out in L v Clarke and Somerset CC [1998] ELR 129 and Worcestershire CC v SE [2020]
UKUT 217 (AAC); each must be caught.
"""

from dataclasses import replace

import pytest

from ehcp.quality import (
    Finding,
    Need,
    Outcome,
    PlanContent,
    Provision,
    check_plan,
    conditional_on_resources,
    is_bare_support,
    is_diagnosis_only,
    is_measurable,
    is_quantified,
    names_a_role,
    reads_as_aspiration,
    says_something,
    states_expertise,
    vague_phrases,
)

SPECIFY = "State what, how often, for how long and who delivers it."

N1 = Need("N1", "communication_interaction", "Sam finds it hard to understand spoken instructions.")
N2 = Need("N2", "semh", "Sam becomes anxious when moving between activities.")
O1 = Outcome(
    "O1",
    "Sam will follow three-step classroom instructions without prompting in 4 out of 5 observed lessons.",
    "By the end of Year 6 (July 2027)",
    ("N1",),
)
O2 = Outcome(
    "O2",
    "Sam will use his calm plan to return to class within 10 minutes after break on 4 days out of 5.",
    "By the end of the spring term 2027",
    ("N2",),
)
P1 = Provision(
    key="P1",
    section="F",
    what="Individual speech and language therapy to develop understanding of spoken language",
    who="Speech and language therapist",
    expertise="HCPC-registered speech and language therapist",
    frequency="Once a week",
    duration="30 minutes a session, for the length of the plan",
    group_size="1:1",
    need_keys=("N1",),
    outcome_keys=("O1",),
)
P2 = Provision(
    key="P2",
    section="F",
    what="Teaching assistant delivers the therapist's language programme",
    who="Teaching assistant trained by the speech and language therapist",
    expertise="Trained and supervised by the therapist each half term",
    frequency="3 times a week",
    duration="20 minutes a session",
    group_size="1:1",
    need_keys=("N1",),
    outcome_keys=("O1",),
)
P3 = Provision(
    key="P3",
    section="F",
    what="Key adult meets Sam at the classroom door after each break and goes through his calm plan",
    who="Named key adult",
    expertise="Trained in emotion coaching",
    frequency="Twice a day, after morning break and after lunch",
    duration="5 minutes",
    group_size="1:1",
    need_keys=("N2",),
    outcome_keys=("O2",),
)
P4 = Provision(
    key="P4",
    section="G",
    what="Review of anxiety by the children and young people's mental health service",
    who="Mental health clinician",
    frequency="Once a term",
    duration="1 hour",
    need_keys=("N2",),
    outcome_keys=("O2",),
)
CLEAN = PlanContent(
    needs=(N1, N2),
    outcomes=(O1, O2),
    provisions=(P1, P2, P3, P4),
    aspirations_text="Sam wants to be a vet and to have friends to play football with.",
    health_needs="Anxiety, assessed by the mental health service in January 2026.",
    social_care_needs="Short breaks for the family, assessed by children's social care.",
    year_group="5",
)


def plan(**changes) -> PlanContent:
    return replace(CLEAN, **changes)


def found(content: PlanContent) -> list[tuple[str, str, str | None, str]]:
    return [(f.code, f.section, f.item_key, f.message) for f in check_plan(content)]


def codes(content: PlanContent) -> list[str]:
    return [f.code for f in check_plan(content)]


def test_a_clean_plan_has_no_findings():
    assert check_plan(CLEAN) == []


def test_an_empty_plan_has_no_findings():
    assert check_plan(PlanContent(needs=(), outcomes=(), provisions=())) == []


# --- the golden thread (Regs 12(1)(e) and (f); CoP 9.69) -----------------------------------------------------


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        pytest.param(
            plan(needs=(N1, N2, Need("N3", "cognition_learning", "Sam reads well below his age."))),
            [
                ("need_without_outcome", "B", "N3", "Section B, need 3 has no outcome in section E"),
                ("need_without_provision", "B", "N3", "Section B, need 3 has no provision in section F"),
            ],
            id="reg_12_1_e_f_need_with_neither_outcome_nor_provision",
        ),
        pytest.param(
            plan(provisions=(P1, P2, P4)),
            [("need_without_provision", "B", "N2", "Section B, need 2 has no provision in section F")],
            id="reg_12_1_f_need_met_only_by_health_provision",
        ),
        pytest.param(
            plan(provisions=(P1, replace(P2, need_keys=()), P3, P4)),
            [("provision_without_need", "F", "P2", "Section F, provision 2 is not linked to a need")],
            id="reg_12_1_f_provision_serves_no_need",
        ),
        pytest.param(
            plan(provisions=(P1, P2, replace(P3, outcome_keys=()), replace(P4, outcome_keys=()))),
            [
                (
                    "outcome_without_provision",
                    "E",
                    "O2",
                    "Section E, outcome 2 has no provision that helps achieve it",
                )
            ],
            id="cop_9_69_outcome_without_provision",
        ),
        pytest.param(
            plan(outcomes=(O1, replace(O2, need_keys=()))),
            [
                ("need_without_outcome", "B", "N2", "Section B, need 2 has no outcome in section E"),
                (
                    "outcome_without_need",
                    "E",
                    "O2",
                    "Section E, outcome 2 is not linked to a need in section B",
                ),
            ],
            id="reg_12_1_e_outcome_not_linked_to_a_need",
        ),
        pytest.param(
            plan(outcomes=(replace(O1, need_keys=("N1", "N5")), O2)),
            [
                (
                    "unknown_need_link",
                    "E",
                    "O1",
                    "Section E, outcome 1 is linked to a need that is not in the plan ('N5')",
                )
            ],
            id="outcome_linked_to_a_missing_need",
        ),
        pytest.param(
            plan(provisions=(P1, P2, P3, replace(P4, outcome_keys=("O2", "O7")))),
            [
                (
                    "unknown_outcome_link",
                    "G",
                    "P4",
                    "Section G, provision 1 is linked to an outcome that is not in the plan ('O7')",
                )
            ],
            id="provision_linked_to_a_missing_outcome",
        ),
        pytest.param(
            # Health provision answers needs in C: it need not be linked to a need in B.
            plan(provisions=(P1, P2, P3, replace(P4, need_keys=()))),
            [],
            id="reg_12_1_g_health_provision_needs_no_link_to_b",
        ),
    ],
)
def test_golden_thread_gaps(changed, expected):
    assert found(changed) == expected


def test_findings_say_how_to_fix_and_cite_their_source():
    assert check_plan(plan(provisions=(P1, P2, P4))) == [
        Finding(
            "need_without_provision",
            "B",
            "N2",
            "Section B, need 2 has no provision in section F",
            f"Add provision in section F that meets this need. {SPECIFY}",
            "Children and Families Act 2014, s37(2)(c); Regs 12(1)(f)",
        )
    ]


# --- section F: who, expertise, how often, how long, group size (CoP 9.69; L v Clarke) -----------------------


def test_cop_9_69_section_f_must_say_who_how_often_how_long_and_the_group():
    bare = replace(P1, who="", frequency="  ", duration="", group_size="")
    assert found(plan(provisions=(bare, P2, P3, P4))) == [
        ("provision_missing_who", "F", "P1", "Section F, provision 1 does not say who delivers it"),
        (
            "provision_missing_frequency",
            "F",
            "P1",
            "Section F, provision 1 does not say how often it happens",
        ),
        ("provision_missing_duration", "F", "P1", "Section F, provision 1 does not say how long it lasts"),
        (
            "provision_missing_group_size",
            "F",
            "P1",
            "Section F, provision 1 does not say the group size or ratio",
        ),
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"frequency": "Ongoing"},
            ["Section F, provision 1: how often ('Ongoing') has no number or fixed unit"],
            id="clarke_1998_ongoing_is_not_an_amount",
        ),
        pytest.param(
            {"frequency": "As required", "duration": "Until no longer needed"},
            [
                "Section F, provision 1: how often ('As required') has no number or fixed unit",
                "Section F, provision 1: how long ('Until no longer needed') has no number or fixed unit",
            ],
            id="clarke_1998_as_required_and_until_no_longer_needed",
        ),
        pytest.param(
            {"who": "School staff"},
            [
                "Section F, provision 1: 'School staff' does not name a role",
            ],
            id="cop_9_69_school_staff_is_not_a_role",
        ),
        pytest.param(
            {"who": "An adult", "expertise": ""},
            [
                "Section F, provision 1: 'An adult' does not name a role",
                "Section F, provision 1 does not say the level of expertise or training",
            ],
            id="cop_9_69_an_adult_with_no_expertise",
        ),
        pytest.param(
            {"who": "Teaching assistant", "expertise": ""},
            ["Section F, provision 1 does not say the level of expertise or training"],
            id="cop_9_69_a_role_without_the_level_of_expertise",
        ),
        pytest.param(
            {"who": "Teaching assistant", "expertise": "Appropriately trained"},
            ["Section F, provision 1 does not say the level of expertise or training"],
            id="cop_9_69_appropriately_trained_says_no_level",
        ),
    ],
)
def test_a_field_counts_only_if_it_says_something(changes, expected):
    assert [f.message for f in check_plan(plan(provisions=(replace(P1, **changes), P2, P3, P4)))] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Daily",
        "each lesson",
        "Termly",
        "Half-termly",
        "Once a week",
        "3 times a week",
        "Twice a day, after morning break and after lunch",
        "Every morning at registration",
        "Throughout the school day",
        "30 minutes",
        "For the school year",
        "For the length of the plan",
        "Until the next annual review",
        "A minimum of 2 hours a week",
    ],
)
def test_cop_9_69_a_number_or_a_fixed_unit_quantifies(text):
    assert is_quantified(text)


@pytest.mark.parametrize(
    "text",
    ["", "Ongoing", "As required", "Regularly", "When needed", "Flexible", "TBC", "Until targets are met"],
)
def test_clarke_1998_placeholders_do_not_quantify(text):
    assert not is_quantified(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Ongoing", False),
        ("School staff", False),
        ("TBC", False),
        ("n/a", False),
        ("  as required. ", False),
        ("Class teacher", True),
        ("By the end of Year 6", True),
    ],
)
def test_says_something(text, says):
    assert says_something(text) is says


@pytest.mark.parametrize(
    ("who", "role"),
    [
        ("Teaching assistant", True),
        ("Class teacher", True),
        ("Specialist teacher for hearing impairment", True),
        ("Named key adult", True),
        ("SENCO", True),
        ("School staff", False),
        ("An adult", False),
        ("Trained staff", False),
        ("Appropriate staff", False),
        ("", False),
    ],
)
def test_who_delivers_names_a_role(who, role):
    assert names_a_role(who) is role


@pytest.mark.parametrize(
    ("who", "expertise", "stated"),
    [
        ("Teaching assistant", "Level 3 qualified, trained in Precision Teaching", True),
        ("Teaching assistant trained by the speech and language therapist", "", True),
        ("Speech and language therapist", "HCPC-registered", True),
        ("Specialist teacher", "", True),
        ("Teaching assistant", "", False),
        ("Teaching assistant", "Suitably qualified", False),
        ("Teaching assistant", "TBC", False),
    ],
)
def test_cop_9_69_level_of_expertise(who, expertise, stated):
    assert states_expertise(who, expertise) is stated


def test_only_section_f_must_be_quantified():
    for section, need_text in (
        ("G", "health_needs"),
        ("H1", "social_care_needs"),
        ("H2", "social_care_needs"),
    ):
        other = replace(P4, section=section, who="", frequency="", duration="")
        assert check_plan(plan(provisions=(P1, P2, P3, other))) == [], section
        assert need_text  # the section's needs are recorded in CLEAN


# --- vague wording (Worcestershire CC v SE [2020] UKUT 217 (AAC) and the cases it summarises) --------------

# Realistic section F wording a tribunal would strike out, each with the phrase that must be reported.
VAGUE_PROVISION = [
    ("Access to speech and language therapy as appropriate", ["access to", "as appropriate"]),
    ("Opportunities for small group work to develop social skills", ["opportunities"]),
    ("Speech and language therapy input", ["input"]),
    ("Targeted interventions to develop reading", ["interventions"]),
    ("A literacy intervention", ["interventions"]),
    ("Regular check-ins with a familiar adult", ["regular"]),
    ("Support from a teaching assistant when needed", ["if needed"]),
    ("Sensory breaks if required", ["if needed"]),
    ("Movement breaks as and when Sam needs them", ["as and when"]),
    ("Consideration will be given to a reduced timetable", ["consider"]),
    ("Extra time at the teacher's discretion", ["at the discretion of"]),
    ("Speech therapy programme to be agreed with the therapist", ["to be agreed"]),
    ("A range of visual supports", ["a range of"]),
    ("Strategies such as a visual timetable and now-and-next board", ["such as"]),
    ("Sam will access the curriculum with adult help", ["access"]),
    ("Sam would benefit from a quiet space at lunchtime", ["would benefit from"]),
    ("Staff should use Sam's communication book", ["should"]),
    ("Sam may have a laptop for longer pieces of writing", ["may"]),
    ("Up to 3 sessions of phonics teaching", ["up to"]),
    ("Outreach visits from the specialist teacher where possible", ["where possible"]),
    ("Flexible adult help across the day", ["flexible"]),
    ("Periodic review of his sensory diet", ["periodic"]),
    ("Ongoing social skills teaching", ["ongoing"]),
    ("Sam will be encouraged to use his now-and-next board", ["encouraged to"]),
    ("A differentiated curriculum", ["differentiated"]),
    ("Quality first teaching in all lessons", ["quality first teaching"]),
    ("A programme tailored to his needs", ["tailored to"]),
    ("Appropriate resources in class", ["appropriate"]),
    ("Some 1:1 time with a trusted adult", ["some"]),
    ("Exposure to a language-rich environment", ["exposure to"]),
]


@pytest.mark.parametrize(("what", "phrases"), VAGUE_PROVISION, ids=[w for w, _ in VAGUE_PROVISION])
def test_worcestershire_2020_vague_wording_is_caught(what, phrases):
    assert vague_phrases(what) == phrases


# Realistic, well-specified wording: the checker must stay silent.
GOOD_WORDING = [
    "Individual speech and language therapy to develop understanding of spoken language",
    "Before the May half-term, the SENCO will assess Sam's reading with the York Assessment of Reading",
    "Reviewed in May and by May 2027, and on 3 May",
    "Pre-teaching of the topic vocabulary before each science and history lesson",
    "A phonics intervention (Read Write Inc. Fresh Start) delivered by a trained teaching assistant",
    "A Lexia intervention on the laptop, supervised by the class teacher",
    "Precision Teaching intervention for spelling",
    "Exam access arrangements: 25% extra time and a reader, as agreed with the exams officer",
    "An accessible toilet on the ground floor",
    "The teaching assistant breaks each task into steps and checks Sam has understood the instruction",
    "Sam uses his visual timetable, which the class teacher goes through with him at registration",
    "Shoulder exercises from the physiotherapist's programme",
    "A minimum of 2 hours a week of direct teaching from the specialist teacher for vision impairment",
]


@pytest.mark.parametrize("text", GOOD_WORDING)
def test_no_false_alarm_on_good_wording(text):
    assert vague_phrases(text) == []
    assert conditional_on_resources(text) is None
    assert not is_bare_support(text)


def test_no_false_alarm_up_to_in_group_size_is_a_legitimate_maximum():
    grouped = replace(
        P2,
        what="Social communication group run by the speech and language therapist",
        group_size="A group of up to four pupils",
    )
    assert check_plan(plan(provisions=(P1, grouped, P3, P4))) == []
    assert vague_phrases("A group of up to four pupils", field_name="group_size") == []
    assert vague_phrases("Up to four sessions", field_name="frequency") == ["up to"]


def test_no_false_alarm_may_half_term_is_a_date():
    dated = replace(P1, duration="30 minutes a session, until the May half-term, then reviewed")
    assert check_plan(plan(provisions=(dated, P2, P3, P4))) == []


@pytest.mark.parametrize(
    ("field_name", "value", "message"),
    [
        pytest.param(
            "who",
            "Appropriate staff as directed",
            "Section F, provision 2 (who): 'as directed' is vague",
            id="who",
        ),
        pytest.param(
            "expertise", "TBC", "Section F, provision 2 (expertise): 'to be agreed' is vague", id="expertise"
        ),
        pytest.param(
            "frequency",
            "Up to 3 times a week",
            "Section F, provision 2 (how often): 'up to' is vague",
            id="frequency",
        ),
        pytest.param(
            "duration",
            "20 minutes, or longer where appropriate",
            "Section F, provision 2 (how long): 'where appropriate' is vague",
            id="duration",
        ),
        pytest.param(
            "group_size",
            "1:1 or a small group as appropriate",
            "Section F, provision 2 (group size): 'as appropriate' is vague",
            id="group_size",
        ),
    ],
)
def test_worcestershire_2020_every_field_of_an_item_is_scanned(field_name, value, message):
    messages = [
        f.message for f in check_plan(plan(provisions=(P1, replace(P2, **{field_name: value}), P3, P4)))
    ]
    assert message in messages


def test_vague_wording_is_reported_once_per_phrase_naming_each_field():
    vague = replace(
        P1, what="Speech therapy, as required", frequency="Weekly, as required", duration="Up to 30 minutes"
    )
    assert [f.message for f in check_plan(plan(provisions=(vague, P2, P3, P4)))] == [
        "Section F, provision 1 (what, how often): 'as required' is vague",
        "Section F, provision 1 (how long): 'up to' is vague",
    ]


def test_vague_phrase_is_not_found_across_two_fields():
    split = replace(P1, what="Speech therapy, set up", frequency="to once a week")
    assert check_plan(plan(provisions=(split, P2, P3, P4))) == []


@pytest.mark.parametrize(
    ("what", "bare"),
    [
        ("Support with literacy", True),
        ("Adult support in class", True),
        ("Emotional support", True),
        ("Support as needed", True),
        ("1:1 support from a teaching assistant", False),
        ("Support to develop reading comprehension using the Reciprocal Reading approach", False),
        ("Speech and language therapy to support understanding of spoken language", False),
    ],
)
def test_worcestershire_2020_support_without_saying_what(what, bare):
    assert is_bare_support(what) is bare


def test_worcestershire_2020_bare_support_is_reported():
    vague = replace(P2, what="Support with literacy")
    assert found(plan(provisions=(P1, vague, P3, P4))) == [
        ("vague_wording", "F", "P2", "Section F, provision 2: 'support' does not say what will be done")
    ]


def test_provision_is_numbered_within_its_section_and_reported_in_section_order():
    h2 = replace(P4, key="P6", section="H2", what="Help with travel where possible")
    h1 = replace(P4, key="P5", section="H1", what="Short breaks, may be offered")
    g = replace(P4, what="Review by the community paediatrician, if possible")
    f = replace(P2, what="Regular reading practice with the teaching assistant")
    assert [
        (x.section, x.item_key, x.message) for x in check_plan(plan(provisions=(h2, h1, P1, g, f, P3)))
    ] == [
        ("F", "P2", "Section F, provision 2: 'regular' is vague"),
        ("G", "P4", "Section G, provision 1: 'if possible' is vague"),
        ("H1", "P5", "Section H1, provision 1: 'may' is vague"),
        ("H2", "P6", "Section H2, provision 1: 'where possible' is vague"),
    ]


# --- conditional on resources (CFA s42) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        pytest.param(
            "Subject to funding, a teaching assistant for 15 hours",
            "subject to funding",
            id="subject_to_funding",
        ),
        pytest.param(
            "Speech therapy, subject to availability", "subject to availability", id="subject_to_availability"
        ),
        pytest.param(
            "Outreach visits, resources permitting", "resources permitting", id="resources_permitting"
        ),
        pytest.param(
            "In line with available resources, a reading programme",
            "in line with available resources",
            id="in_line_with_available_resources",
        ),
        pytest.param(
            "Within existing resources the school will run a group",
            "within existing resources",
            id="within_existing_resources",
        ),
        pytest.param(
            "If a place is available, the nurture group",
            "if a place is available",
            id="if_a_place_is_available",
        ),
        pytest.param(
            "When the therapist is available, direct therapy",
            "when the therapist is available",
            id="when_the_therapist_is_available",
        ),
        pytest.param(
            "Dependent on funding from the high needs block",
            "dependent on funding",
            id="dependent_on_funding",
        ),
        pytest.param(
            "CAMHS assessment once he reaches the top of the waiting list", "waiting list", id="waiting_list"
        ),
    ],
)
def test_cfa_s42_provision_conditional_on_resources(text, wording):
    assert conditional_on_resources(text) == wording


def test_cfa_s42_conditional_provision_is_reported_with_its_source():
    conditional = replace(P1, what="Individual speech and language therapy, subject to funding")
    [finding] = check_plan(plan(provisions=(conditional, P2, P3, P4)))
    assert finding.code == "provision_conditional_on_resources"
    assert (
        finding.message
        == "Section F, provision 1: 'subject to funding' makes the provision depend on resources"
    )
    assert "s42" in finding.source


# --- small groups, monitoring and advice with no amount ------------------------------------------------


def test_cop_9_69_small_group_without_a_size():
    small = replace(P2, what="Small group phonics teaching", group_size="Small group")
    assert codes(plan(provisions=(P1, small, P3, P4))) == ["small_group_without_size"]
    sized = replace(small, group_size="Up to 4 pupils")
    assert codes(plan(provisions=(P1, sized, P3, P4))) == []


def test_clarke_1998_monitoring_or_advice_with_no_amount():
    monitoring = replace(P4, what="Monitoring by the school nurse", frequency="", duration="")
    assert codes(plan(provisions=(P1, P2, P3, monitoring))) == ["monitoring_without_amount"]
    counted = replace(monitoring, frequency="Once a half term")
    assert codes(plan(provisions=(P1, P2, P3, counted))) == []


# --- therapy in F, health in C and G, care in D and H (CFA s21(5); CoP 9.74) ------------------------------


@pytest.mark.parametrize(
    ("what", "therapy"),
    [
        pytest.param(
            "Speech and language therapy: direct sessions with the therapist",
            "Speech and language therapy",
            id="cfa_s21_5_salt_only_in_g",
        ),
        pytest.param("OT programme for handwriting", "Occupational therapy", id="cfa_s21_5_ot_only_in_g"),
        pytest.param(
            "Physiotherapy programme delivered in school", "Physiotherapy", id="cfa_s21_5_physio_only_in_g"
        ),
    ],
)
def test_cfa_s21_5_therapy_that_educates_belongs_in_f(what, therapy):
    only_in_g = replace(P4, what=what)
    without_therapy_in_f = replace(
        P1, what="Individual teaching of spoken language from a specialist teacher"
    )
    findings = check_plan(plan(provisions=(without_therapy_in_f, P2, P3, only_in_g)))
    assert [(f.code, f.section, f.item_key, f.message) for f in findings] == [
        ("therapy_not_in_f", "F", "P4", f"{therapy} is only in section G")
    ]
    assert findings[0].source == "Children and Families Act 2014, s21(5); SEND Code of Practice 2015, 9.74"


def test_cfa_s21_5_therapy_in_f_as_well_is_not_reported():
    g = replace(P4, what="Speech and language therapy review by the NHS service")
    assert "therapy_not_in_f" not in codes(plan(provisions=(P1, P2, P3, g)))


def test_reg_12_1_g_health_provision_answers_needs_in_c():
    assert found(plan(health_needs="")) == [
        (
            "health_provision_without_health_need",
            "C",
            None,
            "Section G has health provision but section C records no health needs",
        )
    ]


def test_reg_12_1_h_social_care_provision_answers_needs_in_d():
    care = replace(P4, key="P5", section="H2", what="Short breaks: one overnight stay a month")
    assert codes(plan(provisions=(P1, P2, P3, P4, care), social_care_needs="None")) == [
        "care_provision_without_care_need"
    ]


@pytest.mark.parametrize(
    ("text", "diagnosis_only"),
    [
        pytest.param("Autism", True, id="a_label"),
        pytest.param("Sam has a diagnosis of ADHD (2023).", True, id="a_diagnosis_sentence"),
        pytest.param("Dyslexia", True, id="dyslexia"),
        pytest.param(
            "Sam has autism and finds changes of routine very hard.", False, id="diagnosis_and_need"
        ),
        pytest.param("Sam reads at the level expected of a 6-year-old (dyslexia).", False, id="reads_at"),
        pytest.param(
            "Sam is learning to add numbers to 20 and struggles with place value.", False, id="add_is_a_verb"
        ),
        pytest.param("Sam finds it hard to understand spoken instructions.", False, id="a_need"),
    ],
)
def test_cop_9_69_a_diagnosis_is_not_a_need(text, diagnosis_only):
    assert is_diagnosis_only(text) is diagnosis_only


def test_cop_9_69_a_diagnosis_in_section_b_is_reported():
    label = replace(N2, text="Autism spectrum disorder")
    assert codes(plan(needs=(N1, label))) == ["need_is_a_diagnosis"]


# --- preparing for adulthood from Year 9 (Regs 12(3)) -----------------------------------------------------


@pytest.mark.parametrize(
    ("year", "reported"), [("R", False), ("8", False), ("9", True), ("11", True), ("14", True), ("", False)]
)
def test_reg_12_3_preparing_for_adulthood_from_year_9(year, reported):
    assert ("no_preparation_for_adulthood" in codes(plan(year_group=year))) is reported


def test_reg_12_3_provision_for_adulthood_satisfies_the_check():
    travel = replace(
        P3, what="Travel training with the key adult: walking to the bus stop and catching the bus to college"
    )
    assert codes(plan(year_group="10", provisions=(P1, P2, travel, P4))) == []


# --- section I in proposed amendments for a phase transfer (CFA s38(2)(b)(ii); Regs 22(2)) ----------------


@pytest.mark.parametrize(
    ("changes", "reported"),
    [
        pytest.param(
            {"placement": "Hill Top Academy (secondary)"}, True, id="reg_22_2_new_school_named_early"
        ),
        pytest.param({"placement": "Northmere Primary School"}, False, id="reg_22_2_current_school_kept"),
        pytest.param({"placement": ""}, False, id="reg_22_2_left_blank"),
        pytest.param(
            {"placement": "Hill Top Academy", "phase_transfer": False}, False, id="no_phase_transfer"
        ),
        pytest.param(
            {"placement": "Hill Top Academy", "proposed_amendments": False},
            False,
            id="not_proposed_amendments",
        ),
    ],
)
def test_reg_22_2_section_i_named_before_the_family_may_ask(changes, reported):
    content = plan(proposed_amendments=True, phase_transfer=True, placement_before="Northmere Primary School")
    assert ("placement_named_before_family_asked" in codes(replace(content, **changes))) is reported


# --- outcomes (CoP 9.64 to 9.66) -----------------------------------------------------------------------------


def test_cop_9_66_outcome_without_a_timeframe():
    assert check_plan(plan(outcomes=(O1, replace(O2, timeframe=" ")))) == [
        Finding(
            "outcome_missing_timeframe",
            "E",
            "O2",
            "Section E, outcome 2 has no timeframe",
            "Say when the outcome should be achieved, for example 'by the end of Year 6'.",
            "SEND Code of Practice 2015, 9.66",
        )
    ]
    assert codes(plan(outcomes=(O1, replace(O2, timeframe="Ongoing")))) == ["outcome_missing_timeframe"]


@pytest.mark.parametrize(
    ("text", "measurable"),
    [
        ("Sam will improve his reading", False),
        ("Sam will develop better social skills", False),
        ("Sam will be more confident in class", False),
        ("Sam will read 20 common words", True),
        ("Sam will write a paragraph independently", True),
        ("Sam will ask an adult for help without prompting", True),
        ("Sam will take part in every lesson", True),
        ("Sam will travel to college by bus unaided", True),
        ("Sam will spell three-syllable words accurately", True),
        ("Sam will reach the expected standard in 80% of spelling tests", True),
        ("Sam will stay in class for the whole of each lesson", True),
    ],
)
def test_measurable_heuristic_is_conservative(text, measurable):
    assert is_measurable(text) is measurable


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("To be happy at school", "to be happy"),
        ("to have friends in his class", "to have friends"),
        ("Sam wants to be a vet", "wants to"),
        ("Sam Jones wants to be a vet", "wants to"),
        ("He would like to go to college", "would like to"),
        ("Amira hopes to live on her own", "hopes to"),
        ("My dream is to work with animals", "dream"),
        ("Dreams of playing for a football team", "dreams"),
        ("Sam will tell an adult when he wants to stop an activity", None),
        ("By July 2027 Sam will be happy to read aloud to a partner", None),
        ("Sam will make and keep 2 friends, to have friends at break", None),
        ("Sam will learn to have friends over at home", None),
    ],
)
def test_cop_9_64_aspiration_wording(text, wording):
    assert reads_as_aspiration(text) == wording


def test_findings_come_in_plan_order_b_then_e_then_provision_then_the_whole_plan():
    messy = PlanContent(
        needs=(N1, N2),
        outcomes=(replace(O1, timeframe=""), O2),
        provisions=(replace(P1, what="Access to therapy"), P4),
        health_needs="",
        year_group="10",
    )
    assert [(f.section, f.code, f.item_key) for f in check_plan(messy)] == [
        ("B", "need_without_provision", "N2"),
        ("E", "outcome_missing_timeframe", "O1"),
        ("F", "vague_wording", "P1"),
        ("C", "health_provision_without_health_need", None),
        ("F", "no_preparation_for_adulthood", None),
    ]


# --- a realistic vague plan, as LAs issue them ----------------------------------------------------------------


def test_a_realistic_vague_plan_is_caught_item_by_item():
    vague = (
        Provision(
            "V1", "F", "Access to speech and language therapy input as required",
            who="SALT service", frequency="As required", duration="Ongoing", group_size="1:1",
            need_keys=("N1",), outcome_keys=("O1",),
        ),
        Provision(
            "V2", "F", "Small group interventions to support literacy, subject to availability",
            who="School staff", frequency="Regularly", duration="Termly review", group_size="Small group",
            need_keys=("N1",), outcome_keys=("O1",),
        ),
        Provision(
            "V3", "F", "Emotional support as needed", who="Adult", frequency="Daily", duration="5 minutes",
            group_size="1:1", need_keys=("N2",), outcome_keys=("O2",),
        ),
    )  # fmt: skip
    by_item: dict[str, set[str]] = {}
    for finding in check_plan(plan(provisions=(*vague, P4))):
        by_item.setdefault(finding.item_key, set()).add(finding.code)
    assert by_item["V1"] == {
        "provision_missing_expertise",
        "provision_frequency_not_quantified",
        "provision_duration_not_quantified",
        "vague_wording",
    }
    assert by_item["V2"] == {
        "provision_who_not_a_role",
        "provision_missing_expertise",
        "provision_frequency_not_quantified",
        "vague_wording",
        "provision_conditional_on_resources",
        "small_group_without_size",
    }
    assert by_item["V3"] == {"provision_who_not_a_role", "provision_missing_expertise", "vague_wording"}
    v1 = [
        f.message
        for f in check_plan(plan(provisions=(*vague, P4)))
        if f.item_key == "V1" and f.code == "vague_wording"
    ]
    assert v1 == [
        "Section F, provision 1: 'access to' is vague",
        "Section F, provision 1: 'input' is vague",
        "Section F, provision 1: 'as required' is vague",
    ]
