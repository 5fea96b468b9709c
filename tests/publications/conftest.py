"""A known audit and a known SEN register for school A, for suggestions worked out by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audits import services as audit_services
from audits.models import Rating
from standards.models import Criterion, Section
from tests.audits.factories import acting, make_audit, make_version
from tests.ehcp.factories import PupilFactory

# Criterion → (level, rationale). S1-01 is statutory. Levels: 0 Not yet in place, 1 Emerging,
# 2 Established, 3 Embedded.
RATINGS = {
    "S1-01": (0, ""),
    "S1-02": (1, "Some staff screen new pupils."),
    "S1-03": (3, "Every new pupil has a reading and language screen within two weeks."),
    "S2-01": (3, "Tutors check in with every pupil on SEN support each morning."),
    "S2-02": (0, ""),
    "S2-03": (2, ""),
}

# Distinctive names: none of them may ever appear in a public document.
REGISTER = [
    ("Zebulon", "Quartermaine", "K", "SLCN"),
    ("Ottoline", "Featherstonehaugh", "K", "SLCN"),
    ("Peregrine", "Winterbottom", "K", "SLCN"),
    ("Araminta", "Fothergill", "E", "ASD"),  # communication and interaction: 4 pupils
    ("Bartholomew", "Quigley", "K", "SPLD"),
    ("Clementine", "Upjohn", "K", "MLD"),  # cognition and learning: 2 pupils, never shown
    ("Dashiell", "Ravenscroft", "K", "SEMH"),
    ("Evangeline", "Thistlewood", "K", "SEMH"),
    ("Florizel", "Abernathy", "E", "SEMH"),  # social, emotional and mental health: 3 pupils
    ("Gwendolyn", "Marchbanks", "K", "VI"),  # sensory and/or physical: 1 pupil, never shown
    ("Horatio", "Pennyfeather", "K", "OTH"),  # no broad area
    ("Imogen", "Scarborough", "N", ""),
    ("Jago", "Trelawney", "N", ""),
]
NAMES = [name for first, last, _, _ in REGISTER for name in (first, last)]


@pytest.fixture
def known_audit(world, senco_a_user):
    """School A's 2026/27 audit: S1 "Identifying needs" (whole school), S2 "Social, emotional and mental
    health" (an area of need), rated as RATINGS says, with one action on S1-01 costing £250."""
    version = make_version(sections=2, per_section=3, statutory=("S1-01",))
    Section.objects.filter(version=version, ref="S1").update(title="Identifying needs")
    Section.objects.filter(version=version, ref="S2").update(
        title="Social, emotional and mental health", kind="area_of_need", area_of_need="semh"
    )
    audit = make_audit(world.school_a, senco_a_user, version)
    by = acting(senco_a_user, world.school_a)
    for rating in Rating.objects.filter(audit=audit).select_related("criterion"):
        level, rationale = RATINGS[rating.criterion.ref]
        audit_services.rating_record(
            audit=audit, response=rating, level=level, not_applicable=False, na_reason="",
            rationale=rationale, expected_version=rating.version, by=by,
        )  # fmt: skip
    audit_services.action_create(
        audit=audit,
        criterion=Criterion.objects.get(version=version, ref="S1-01"),
        what="Designate a qualified SENCO and give them two days a week",
        owner="Headteacher",
        due=timezone.localdate() + timedelta(days=30),
        success_measure="SENCO in post",
        estimated_cost=Decimal("250.00"),
        by=by,
    )
    return audit


@pytest.fixture
def known_register(world):
    return [
        PupilFactory(
            school=world.school_a, first_name=first, last_name=last, sen_provision=code, primary_need=need
        )
        for first, last, code, need in REGISTER
    ]
