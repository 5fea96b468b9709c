"""Builders for audit tests: a framework version with sections, criteria and a 4-level scale, and audits."""

import datetime
import itertools

from django.utils import timezone

from audits import services
from audits.models import Audit, Rating
from sendplan.models import Membership, Role
from standards.models import (
    Criterion,
    CriterionMapping,
    Framework,
    FrameworkVersion,
    RatingScale,
    ScaleLevel,
    Section,
)

LEVELS = [
    (0, "Not yet in place", "This does not happen, or only by chance."),
    (1, "Emerging", "Work has started but is patchy."),
    (2, "Established", "This is in place and works as intended in most cases."),
    (3, "Embedded", "This is consistently in place, checked and improved."),
]
_counter = itertools.count(1)


def make_scale(allow_na: bool = True) -> RatingScale:
    scale = RatingScale.objects.create(allow_not_applicable=allow_na, met_value=2)  # Established
    ScaleLevel.objects.bulk_create(
        [ScaleLevel(scale=scale, value=v, label=label, descriptor=d) for v, label, d in LEVELS]
    )
    return scale


def make_version(
    *,
    sections: int = 2,
    per_section: int = 3,
    statutory: tuple[str, ...] = ("S1-01",),
    allow_na: bool = True,
    framework: Framework | None = None,
    label: str = "2026",
    previous: FrameworkVersion | None = None,
    slug: str | None = None,
    refs: dict[str, list[str]] | None = None,
    rated_by: str = Framework.RatedBy.SCHOOL_STAFF,
) -> FrameworkVersion:
    """Build a published version: sections S1, S2… each with criteria S1-01, S1-02… (or the given refs)."""
    if framework is None:
        n = next(_counter)
        framework = Framework.objects.create(
            slug=slug or f"test-framework-{n}",
            title=f"Test framework {n}",
            publisher="sendplan",
            rated_by=rated_by,
        )
    version = FrameworkVersion.objects.create(
        framework=framework,
        label=label,
        status=FrameworkVersion.Status.PUBLISHED,
        published_on=datetime.date(2026, 9, 1),
        previous=previous,
        scale=make_scale(allow_na),
    )
    if refs is None:
        refs = {f"S{s}": [f"S{s}-{c:02d}" for c in range(1, per_section + 1)] for s in range(1, sections + 1)}
    position = 0
    areas = ["communication_interaction", "cognition_learning", "semh", "sensory_physical"]
    criteria = []
    for index, (section_ref, criterion_refs) in enumerate(refs.items()):
        area = areas[index % 4] if index % 2 else ""
        section = Section.objects.create(
            version=version,
            ref=section_ref,
            title=f"Section {section_ref}",
            kind="area_of_need" if area else "whole_school",
            area_of_need=area,
            position=index + 1,
        )
        for ref in criterion_refs:
            position += 1
            criteria.append(
                Criterion(
                    version=version,
                    section=section,
                    ref=ref,
                    statement=f"Statement for {ref}.",
                    guidance=f"Guidance for {ref}.",
                    evidence_examples=[f"Example evidence for {ref}"],
                    statutory=ref in statutory,
                    statutory_source="SEND Regulations 2014" if ref in statutory else "",
                    position=position,
                )
            )
    Criterion.objects.bulk_create(criteria)
    return version


def make_v2(v1: FrameworkVersion) -> FrameworkVersion:
    """Build the next version of ``v1`` (S1-01..S1-03, S2-01..S2-03) with every kind of mapping.

    S1-01 same; S1-02 reworded; S1-03 split into S1-03a and S1-03b; S2-01 + S2-02 merged into S2-12;
    S2-03 retired; S2-04 new.
    """
    v2 = make_version(
        framework=v1.framework,
        label="2027",
        previous=v1,
        statutory=("S1-01",),
        refs={"S1": ["S1-01", "S1-02", "S1-03a", "S1-03b"], "S2": ["S2-12", "S2-04"]},
    )
    pairs = [
        ("S1-01", "S1-01", "same"),
        ("S1-02", "S1-02", "reworded"),
        ("S1-03", "S1-03a", "split"),
        ("S1-03", "S1-03b", "split"),
        ("S2-01", "S2-12", "merged"),
        ("S2-02", "S2-12", "merged"),
        ("S2-03", "", "retired"),
        ("", "S2-04", "new"),
    ]
    CriterionMapping.objects.bulk_create(
        [CriterionMapping(version=v2, from_ref=f, to_ref=t, change=c) for f, t, c in pairs]
    )
    return v2


def acting(person, school=None) -> Membership:
    """Return the membership a test person acts through: a Membership as it is, or a user's one role.

    With ``school``, a user's membership at that school (made as its SENCO if they have none there).
    """
    if isinstance(person, Membership):
        return person
    memberships = person.memberships.all()
    if school is not None:
        membership = memberships.filter(school=school).first()
        return membership or Membership.objects.create(user=person, school=school, role=Role.SENCO)
    return memberships.get()


def make_audit(school, user, version: FrameworkVersion | None = None, year: str = "2026/27") -> Audit:
    return services.audit_start(
        school=school,
        framework_version=version or make_version(),
        academic_year=year,
        by=acting(user, school),
    )


def rate_all(audit: Audit, user, level: int = 2, rationale: str = "We see this in practice.") -> None:
    """Rate every criterion of the audit at ``level`` through the service."""
    for response in Rating.objects.filter(audit=audit).select_related("criterion"):
        services.rating_record(
            audit=audit,
            response=response,
            level=level,
            not_applicable=False,
            na_reason="",
            rationale=rationale,
            expected_version=response.version,
            by=acting(user, audit.school),
        )


def rate_answers(audit: Audit, by: Membership, answers: dict[str, int | None]) -> None:
    """Rate the named criteria through the service, one at a time (None: not applicable)."""
    for ref, level in answers.items():
        rating = Rating.objects.select_related("criterion").get(audit=audit, criterion__ref=ref)
        services.rating_record(
            audit=audit,
            response=rating,
            level=level,
            not_applicable=level is None,
            na_reason="We have no such provision." if level is None else "",
            rationale="Seen in practice.",
            expected_version=rating.version,
            by=by,
        )


def submitted_audit(school, user, version: FrameworkVersion | None = None, level: int = 2) -> Audit:
    audit = make_audit(school, user, version)
    rate_all(audit, user, level)
    services.audit_submit(audit=audit, by=acting(user, school))
    return audit


def force_status(audit: Audit, status: str) -> Audit:
    """Put an audit straight into a state (test set-up only; real changes go through services)."""
    Audit.objects.filter(pk=audit.pk).update(status=status, submitted_at=audit.submitted_at or timezone.now())
    audit.refresh_from_db()
    return audit


PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF"


def sample_submitted_audit(school, *, slug: str, rated_by: str = Framework.RatedBy.SCHOOL_STAFF) -> Audit:
    """Build a submitted audit of ``school`` with one PDF and one action (for URL walks).

    The PDF is shared with governors, except in an audit the board rates: governors see all of its evidence.
    """
    from sendplan.models import User
    from standards.models import Criterion, FrameworkVersion

    user, _ = User.objects.get_or_create(
        email="sample.author@example.org", defaults={"full_name": "Sam Author"}
    )
    author = acting(user, school)
    version = FrameworkVersion.objects.filter(framework__slug=slug).first() or make_version(
        slug=slug, rated_by=rated_by
    )
    audit = make_audit(school, author, version)
    rate_all(audit, author)
    criterion = Criterion.objects.get(version=version, ref="S1-01")
    services.evidence_add(
        audit=audit,
        title="SEN policy",
        criteria=[criterion],
        by=author,
        file_name="policy.pdf",
        data=PDF,
        shareable_with_governors=rated_by == Framework.RatedBy.SCHOOL_STAFF,
    )
    services.action_create(
        audit=audit,
        criterion=criterion,
        what="Train staff on the graduated approach",
        owner="SENCO",
        due=timezone.localdate() + datetime.timedelta(days=60),
        success_measure="All staff trained",
        by=author,
    )
    services.audit_submit(audit=audit, by=author)
    return audit
