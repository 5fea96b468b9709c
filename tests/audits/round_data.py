"""A small audit round built by hand, with every figure the round page should show worked out below.

LA X, framework version V (four levels: Not yet in place, Emerging, Established, Embedded; a duty is met
at Established), year 2026/27. Sections S1 (S1-01 is a statutory duty, S1-02, S1-03) and S2 (S2-01..03).

- School A (primary): ACCEPTED. S1-01 Emerging, S1-02 Embedded, S1-03 Embedded, S2-01 Embedded,
  S2-02 not applicable, S2-03 Established. Mean (1+3+3+3+2)/5 = 2.4 -> Established, capped at Emerging
  by the duty below Established: "Emerging", 1 duty not met.
- Beech (secondary): submitted, RETURNED, redrafted with every criterion Embedded, SUBMITTED again:
  "Embedded", 0 duties not met (the resubmission counts, not the first submission).
- Cedar (primary): submitted (all Established) and RETURNED: status "Returned for changes", no level.
- Damson (primary): DRAFT with S1-01 and S2-01 rated: 2 of 6 in scope = 33% rated, no level.
- Elm (special): no audit: NOT STARTED.
- Fir (primary): an audit of 2025/26 only, submitted: for 2026/27, NOT STARTED.

Gorse (below) has no audit of V, so for V it is NOT STARTED too.

Coverage of V, 2026/27: 7 schools; 2 submitted (A accepted, Beech waiting); 3 not started (Elm, Fir,
Gorse); 1 in progress; 1 returned.

The same LA has Gorse (primary) with an audit of R, a Red / Amber / Green scale numbered from 1 with a
duty met at Green: S1-01 Amber, S1-02 Green, S1-03 Green, S2-01 Red, S2-02 Amber, S2-03 not applicable.
Mean (2+3+3+1+2)/5 = 2.2 -> Amber (the cap, Amber, allows it): "Amber", 1 duty not met. Coverage of
R, 2026/27: 1 of 7 submitted; 6 not started.

LA Y's School B has an accepted audit of V: it never appears in LA X's figures.
"""

from dataclasses import dataclass

from audits import services
from audits.models import Audit
from sendplan.models import Membership, Role, School
from standards.models import FrameworkVersion, RatingScale, ScaleLevel
from tests.audits.factories import make_version, rate_answers
from tests.conftest import make_member, membership_of
from tests.factories import SchoolFactory


@dataclass
class RoundData:
    version: FrameworkVersion
    rag: FrameworkVersion
    schools: dict[str, School]
    audits: dict[str, Audit]
    sencos: dict[str, Membership]


def every(level: int) -> dict[str, int]:
    return {f"S{s}-0{c}": level for s in (1, 2) for c in (1, 2, 3)}


A_ANSWERS = {"S1-01": 1, "S1-02": 3, "S1-03": 3, "S2-01": 3, "S2-02": None, "S2-03": 2}


def rag_version() -> FrameworkVersion:
    version = make_version(sections=2, per_section=3, statutory=("S1-01",), slug="rag-framework")
    rag = RatingScale.objects.create(allow_not_applicable=True, met_value=3)
    ScaleLevel.objects.bulk_create(
        [
            ScaleLevel(scale=rag, value=v, label=label, descriptor=label)
            for v, label in [(1, "Red"), (2, "Amber"), (3, "Green")]
        ]
    )
    FrameworkVersion.objects.filter(pk=version.pk).update(scale=rag)
    return FrameworkVersion.objects.get(pk=version.pk)


def build_round(world, senco_a_user, la_officer_x_user, la_officer_y_user=None) -> RoundData:
    version = make_version(sections=2, per_section=3, statutory=("S1-01",), slug="round-framework")
    la = membership_of(la_officer_x_user)
    schools = {"A": world.school_a}
    for name, phase, school_type in [
        ("Beech", School.Phase.SECONDARY, School.Type.ACADEMY),
        ("Cedar", School.Phase.PRIMARY, School.Type.COMMUNITY),
        ("Damson", School.Phase.PRIMARY, School.Type.VOLUNTARY_AIDED),
        ("Elm", School.Phase.SPECIAL, School.Type.COMMUNITY_SPECIAL),
        ("Fir", School.Phase.PRIMARY, School.Type.COMMUNITY),
        ("Gorse", School.Phase.PRIMARY, School.Type.ACADEMY),
    ]:
        schools[name] = SchoolFactory(
            local_authority=world.la_x, name=f"{name} School", phase=phase, school_type=school_type
        )
    sencos = {"A": membership_of(senco_a_user)}
    for name in ("Beech", "Cedar", "Damson", "Elm", "Fir", "Gorse"):
        user = make_member(Role.SENCO, school=schools[name], email=f"senco.{name.lower()}@example.org")
        sencos[name] = membership_of(user)

    def start(name, year="2026/27", of=version):
        return services.audit_start(
            school=schools[name], framework_version=of, academic_year=year, by=sencos[name]
        )

    audits = {}
    audits["A"] = start("A")
    rate_answers(audits["A"], sencos["A"], A_ANSWERS)
    services.audit_submit(audit=audits["A"], by=sencos["A"])
    services.audit_accept(audit=audits["A"], by=la)

    audits["Beech"] = start("Beech")
    rate_answers(audits["Beech"], sencos["Beech"], every(1))
    services.audit_submit(audit=audits["Beech"], by=sencos["Beech"])
    services.audit_return(audit=audits["Beech"], by=la, comment="Say more about S1-01.")
    rate_answers(audits["Beech"], sencos["Beech"], every(3))
    services.audit_submit(audit=audits["Beech"], by=sencos["Beech"])

    audits["Cedar"] = start("Cedar")
    rate_answers(audits["Cedar"], sencos["Cedar"], every(2))
    services.audit_submit(audit=audits["Cedar"], by=sencos["Cedar"])
    services.audit_return(audit=audits["Cedar"], by=la, comment="Add evidence.")

    audits["Damson"] = start("Damson")
    rate_answers(audits["Damson"], sencos["Damson"], {"S1-01": 2, "S2-01": 1})

    audits["Fir"] = start("Fir", year="2025/26")
    rate_answers(audits["Fir"], sencos["Fir"], every(2))
    services.audit_submit(audit=audits["Fir"], by=sencos["Fir"])

    rag = rag_version()
    audits["Gorse"] = start("Gorse", of=rag)
    rate_answers(
        audits["Gorse"],
        sencos["Gorse"],
        {"S1-01": 2, "S1-02": 3, "S1-03": 3, "S2-01": 1, "S2-02": 2, "S2-03": None},
    )
    services.audit_submit(audit=audits["Gorse"], by=sencos["Gorse"])

    if la_officer_y_user is not None:
        their_senco = membership_of(
            make_member(Role.SENCO, school=world.school_b, email="senco.b2@example.org")
        )
        audits["B"] = services.audit_start(
            school=world.school_b, framework_version=version, academic_year="2026/27", by=their_senco
        )
        rate_answers(audits["B"], their_senco, every(2))
        services.audit_submit(audit=audits["B"], by=their_senco)
        services.audit_accept(audit=audits["B"], by=membership_of(la_officer_y_user))
    return RoundData(version=version, rag=rag, schools=schools, audits=audits, sencos=sencos)
