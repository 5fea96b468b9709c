"""Demonstration audits on the shipped OAP framework (development only; does nothing without it).

Every demo school rates differently, in its own words: the first (the demo SENCO's) has this year's
audit in progress and last year's accepted; the others have this year's audit submitted, accepted,
returned, in progress or not started, and most have last year's too, so an LA officer sees a
believable round: different levels, a statutory duty not met, criteria not applicable to an infant
school, and the year before to compare with.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from audits import rounds, selectors, services
from audits.models import Audit, AuditEvent, LAComment, Rating
from sendplan.load_data import NA_REASONS, RATIONALE_EVIDENCE, RATIONALE_NEXT, RATIONALE_OPENINGS
from sendplan.models import Role
from standards.models import Criterion, FrameworkVersion

THIS_YEAR, LAST_YEAR = "2026/27", "2025/26"
# A believable spread of levels, as steps up the scale from its lowest level, cycled over the criteria:
# mostly Established, some gaps. Each school shifts it by its own amount (see SCHOOLS).
PATTERN = [2, 2, 1, 3, 2, 0, 2, 1, 3, 2, 1, 2]
NOISE = [0, 0, 0, 1, -1]  # a school's own judgement: now and then a level above or below the pattern

# By position in the demo's schools: this year's state (None: not started), the share of criteria rated,
# how much better or worse than the pattern the school is, whether it has last year's audit, whether it
# leaves a statutory duty unmet, and whether some criteria do not apply to it (an infant school).
SCHOOLS = [
    ("draft", 0.6, 0, True, False, False),
    ("submitted", 1.0, 0, True, False, False),
    ("accepted", 1.0, -1, True, False, True),
    ("returned", 1.0, -1, True, True, False),
    ("submitted", 1.0, 1, False, False, False),
    ("draft", 0.3, 0, True, False, False),
    (None, 0.0, 0, True, False, False),
    ("accepted", 1.0, 1, True, False, False),
]
RETURN_COMMENT = (
    "Please look again at the statutory duties rated Not yet in place and Emerging, and say what you "
    "will do about them in the action plan."
)


def _answer(rng, criterion, step: int, values: list[int], met: int, gap: bool, na: bool):
    """Return (level, not applicable, reason, rationale) for one criterion."""
    if na and not criterion.statutory and rng.random() < 0.06:
        return None, True, NA_REASONS[0], ""
    level = values[max(0, min(step, len(values) - 1))]
    if criterion.statutory and level < met and not gap:
        level = met  # the demo schools meet their statutory duties, but for one
    position = values.index(level)
    words = [
        rng.choice(RATIONALE_OPENINGS[min(position, 3)]),
        rng.choice(RATIONALE_EVIDENCE).format(
            month=rng.choice(["October", "November"]), n=rng.randint(3, 10)
        ),
        rng.choice(RATIONALE_NEXT),
    ]
    return level, False, "", " ".join(w for w in words if w)


def _rate(audit: Audit, by, share: float, shift: int = 0, gap: bool = False, na: bool = False) -> None:
    """Rate the first ``share`` of the criteria, as the school would, through the ratings service."""
    rng = random.Random(f"{audit.school.urn}{audit.academic_year}")  # noqa: S311 - demo data varies by school; nothing secret
    scale = selectors.scale_of(audit)
    values = list(scale.values)
    ratings = list(
        Rating.objects.filter(audit=audit).select_related("criterion").order_by("criterion__position")
    )
    answers, offset = [], rng.randrange(len(PATTERN))  # each school's strengths fall in different places
    for index, rating in enumerate(ratings[: int(len(ratings) * share)]):
        level, not_applicable, reason, rationale = _answer(
            rng, rating.criterion, PATTERN[(index + offset) % len(PATTERN)] + shift + rng.choice(NOISE), values,
            scale.met, gap, na,
        )  # fmt: skip
        answers.append(
            services.Answer(
                rating=rating, level=level, not_applicable=not_applicable, na_reason=reason,
                rationale=rationale, expected_version=rating.version,
            )
        )  # fmt: skip
    services.ratings_record(audit=audit, answers=answers, by=by)


def _last_year(school, version: FrameworkVersion, senco, officer, shift: int) -> None:
    """Write last year's accepted audit as it was then: its dates in 2025/26, its ratings a step lower."""
    rng = random.Random(f"{school.urn}{LAST_YEAR}")  # noqa: S311 - demo data varies by school; nothing secret
    tz = timezone.get_current_timezone()
    created = datetime.datetime(2025, 10, 6 + rng.randint(0, 20), 10, tzinfo=tz)
    submitted = datetime.datetime(2026, 3, 2 + rng.randint(0, 20), 15, tzinfo=tz)
    decided = submitted + datetime.timedelta(days=rng.randint(10, 30))
    audit = Audit.objects.create(
        school=school, framework_id=version.framework_id, framework_version=version, academic_year=LAST_YEAR,
        status=Audit.Status.ACCEPTED, created_by=senco.user, created_at=created, submitted_at=submitted,
        decided_at=decided,
    )  # fmt: skip
    values = list(selectors.scale_of(audit).values)
    met = version.scale.met_value
    rows = []
    for index, criterion in enumerate(Criterion.objects.filter(version=version).order_by("position")):
        level, not_applicable, reason, rationale = _answer(
            rng,
            criterion,
            PATTERN[index % len(PATTERN)] + shift + rng.choice(NOISE) - (index % 3 == 0),
            values,
            met,
            False,
            False,
        )
        rows.append(
            Rating(
                school=school, audit=audit, criterion=criterion, level=level, not_applicable=not_applicable,
                na_reason=reason, rationale=rationale, version=1, updated_by=senco.user, updated_at=created,
            )
        )  # fmt: skip
    Rating.objects.bulk_create(rows)
    events = [
        (created, senco.user, AuditEvent.Kind.CREATED, {"version": str(version), "academic_year": LAST_YEAR}),
        (submitted, senco.user, AuditEvent.Kind.SUBMITTED, {"status": {"old": "draft", "new": "submitted"}}),
        (
            decided,
            officer.user,
            AuditEvent.Kind.ACCEPTED,
            {"status": {"old": "submitted", "new": "accepted"}},
        ),
    ]
    AuditEvent.objects.bulk_create(
        [AuditEvent(school=school, audit=audit, at=at, actor=actor, kind=kind, detail=d) for at, actor, kind, d in events]
    )  # fmt: skip
    LAComment.objects.create(
        school=school, audit=audit, author=officer.user, at=decided,
        text="Accepted. A clear audit; we would like to see the graduated approach section developed next year.",
    )  # fmt: skip


@transaction.atomic
def seed(context) -> None:
    """Give each demo school its audits (see SCHOOLS), once: a school with an audit already is left alone."""
    version = (
        FrameworkVersion.objects.filter(
            framework__slug="sendplan-oap", status=FrameworkVersion.Status.PUBLISHED
        )
        .order_by("-published_on")
        .first()
    )
    senco = context.memberships.get(Role.SENCO)
    officer = context.memberships.get(Role.LA_OFFICER)
    if version is None or senco is None:
        return
    for school, (state, share, shift, last_year, gap, na) in zip(context.schools, SCHOOLS, strict=False):
        if Audit.objects.filter(school=school, framework_id=version.framework_id).exists():
            continue
        their_senco = context.senco_at(school)
        if last_year and officer is not None:
            _last_year(school, version, their_senco, officer, shift)
        if state is None:
            continue
        audit = services.audit_start(
            school=school, framework_version=version, academic_year=THIS_YEAR, by=their_senco
        )
        _rate(audit, their_senco, share, shift, gap, na)
        if school.pk == context.school.pk:
            first = Criterion.objects.filter(version=version).order_by("position").first()
            services.action_create(
                audit=audit,
                criterion=first,
                what="Agree the SENCO's protected leadership time with governors",
                owner="Headteacher",
                due=timezone.localdate() + datetime.timedelta(days=45),
                success_measure="Time is in the SENCO's timetable and the governors' minutes",
                estimated_cost=None,
                by=their_senco,
            )
        if state in ("submitted", "accepted", "returned"):
            services.audit_submit(audit=audit, by=their_senco)
        if officer is None:
            continue
        if state == "accepted":
            services.audit_accept(audit=audit, by=officer, comment="Thank you: accepted.")
        elif state == "returned":
            services.audit_return(audit=audit, by=officer, comment=RETURN_COMMENT)
    round_of = rounds.RoundQuery(version=version, year=THIS_YEAR)
    if officer is not None and rounds.round_closing_date(officer, round_of) is None:
        # The LA asks for this year's audits by a closing date six weeks away: the schools that have not
        # submitted see it on their home page.
        services.round_closing_date_set(
            query=round_of,
            closes_on=timezone.localdate() + datetime.timedelta(days=42),
            by=officer,
        )
