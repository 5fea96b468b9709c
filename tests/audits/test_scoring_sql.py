"""The SQL forms of the scoring rules (audits/selectors.py) agree with audits/scoring.py on every case.

Each rating below is one combination of statutory or not, level (none, below the met level, at it), not
applicable, and to confirm; the expected answer for each is written by hand in the table.
"""

import pytest

from audits import scoring, selectors
from audits.models import Rating
from tests.audits.factories import make_audit, make_version

pytestmark = pytest.mark.django_db

# ref: (statutory, level, not applicable, to confirm) -> (rated, answered, duty unmet, duty unrated)
CASES = {
    "A-01": ((True, None, False, False), (False, False, False, True)),
    "A-02": ((True, 1, False, False), (True, True, True, False)),  # Emerging: below Established
    "A-03": ((True, 2, False, False), (True, True, False, False)),  # Established: met
    "A-04": ((True, None, True, False), (False, False, False, True)),  # a duty cannot be n/a
    "A-05": ((True, 1, False, True), (False, False, False, True)),  # still to confirm
    "A-06": ((False, None, False, False), (False, False, False, False)),
    "A-07": ((False, 0, False, False), (True, True, False, False)),
    "A-08": ((False, None, True, False), (False, True, False, False)),  # rightly not applicable
    "A-09": ((False, 3, False, True), (False, False, False, False)),
    "A-10": ((False, None, True, True), (False, False, False, False)),  # n/a carried, not confirmed
}


@pytest.fixture
def audit(world, senco_a_user):
    statutory = tuple(ref for ref, ((stat, *_), _) in CASES.items() if stat)
    version = make_version(refs={"A": list(CASES)}, statutory=statutory)
    audit = make_audit(world.school_a, senco_a_user, version)
    for ref, ((_, level, na, confirm), _) in CASES.items():
        Rating.objects.filter(audit=audit, criterion__ref=ref).update(
            level=level, not_applicable=na, na_reason="x" if na else "", to_confirm=confirm
        )
    return audit


def test_each_rule_in_sql_and_in_python_gives_the_hand_written_answer(audit):
    ratings = Rating.objects.filter(audit=audit)
    met = "audit__framework_version__scale__met_value"
    in_sql = {
        "rated": set(ratings.filter(selectors.rated_q()).values_list("criterion__ref", flat=True)),
        "answered": set(ratings.filter(selectors.answered_q()).values_list("criterion__ref", flat=True)),
        "unmet": set(
            ratings.filter(selectors.duty_unmet_q("", met=met)).values_list("criterion__ref", flat=True)
        ),
        "unrated": set(ratings.filter(selectors.duty_unrated_q()).values_list("criterion__ref", flat=True)),
    }
    scale = selectors.scale_of(audit)
    in_python = {"rated": set(), "answered": set(), "unmet": set(), "unrated": set()}
    for row in selectors.rating_rows(audit):
        score = selectors._rating(row)
        ref = row["criterion__ref"]
        if scoring.is_rated(score):
            in_python["rated"].add(ref)
        if scoring.is_answered(score):
            in_python["answered"].add(ref)
        if scoring.duty_unmet(score, scale):
            in_python["unmet"].add(ref)
        if score.statutory and not scoring.is_rated(score):
            in_python["unrated"].add(ref)
    by_hand = {
        name: {ref for ref, (_, answers) in CASES.items() if answers[index]}
        for index, name in enumerate(("rated", "answered", "unmet", "unrated"))
    }
    assert in_sql == by_hand
    assert in_python == by_hand
    assert scoring.duties(
        [selectors._rating(r) for r in selectors.rating_rows(audit)], scale
    ) == scoring.Duties(total=5, met=1, unmet=1, unrated=3)
