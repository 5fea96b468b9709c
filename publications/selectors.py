"""Reads for the public documents: lists, suggestions with their sources, totals, checks and the content.

Suggestions come from what sendplan already holds: the school's audit (through audits.selectors, which
owns the scoring rules) and counts from its SEN register (never a pupil, and never a count below 3).
Every suggestion says where it came from; nothing is copied into a document until a person keeps it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import dateformat, timezone

from audits import selectors as audit_selectors
from audits.models import Action, Audit, Rating
from ehcp.census import AREAS_OF_NEED
from ehcp.selectors import school_sen_counts
from publications import checks, money, schedule1
from publications.models import Activity, Barrier, Outcome, Publication, PublishedVersion, ReportSection
from sendplan.lookups import as_public_id
from sendplan.models import Membership, Report, Role, School
from sendplan.policy import restrict
from standards.models import Criterion, FrameworkVersion, Section

PRINCIPLES_SLUG = "inclusion-principles"


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """Return a date as GOV.UK writes it ("31 July 2027"), or "" for none."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return dateformat.format(value, "j F Y")


# --- lists -------------------------------------------------------------------------------------------------


def school_publications(membership: Membership) -> list[Publication]:
    """Return the school's publications, newest first, with what they have published (one query)."""
    return list(
        restrict(Publication.objects.all(), membership, "publication_view")
        .select_related("current_version")
        .order_by("-first_year", "kind")
    )


def la_publications(membership: Membership) -> list[Publication]:
    """Return what the LA's schools have published, by school (one query); drafts never appear."""
    return list(
        restrict(Publication.objects.all(), membership, "publication_la_list")
        .select_related("school", "current_version")
        .order_by("school__name", "kind", "-first_year")
    )


def carry_forward_candidates(membership: Membership, kind: str) -> list[Publication]:
    """Return the school's earlier publications of a kind that a new one may start from."""
    return [p for p in school_publications(membership) if p.kind == kind][:5]


def publications_due_for_review(
    school: School, *, today: datetime.date | None = None, within_days: int | None = 60
) -> list[ReviewDue]:
    """Return the school's published documents whose yearly review is due within ``within_days`` or overdue.

    Soonest first. ``within_days=None`` returns every published document with a review date.
    """
    today = today or timezone.localdate()
    rows = Publication.objects.filter(
        school=school, current_version__isnull=False, review_date__isnull=False
    ).order_by("review_date", "kind")
    if within_days is not None:
        rows = rows.filter(review_date__lte=today + datetime.timedelta(days=within_days))
    return [
        ReviewDue(publication=p, review_date=p.review_date, days_left=(p.review_date - today).days)
        for p in rows
    ]


@dataclass(frozen=True)
class ReviewDue:
    publication: Publication
    review_date: datetime.date
    days_left: int  # negative once the review date has passed

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def title(self) -> str:
        return self.publication.title


# --- the seven principles ------------------------------------------------------------------------------------


def latest_principles_version() -> FrameworkVersion | None:
    """Return the newest published version of the seven principles, or None if none is loaded."""
    return (
        FrameworkVersion.objects.filter(
            framework__slug=PRINCIPLES_SLUG, status=FrameworkVersion.Status.PUBLISHED
        )
        .select_related("framework")
        .order_by("-published_on", "-created_at")
        .first()
    )


def principles(publication: Publication) -> list[Criterion]:
    """Return the principles the strategy is written against, in order, each numbered from 1."""
    if publication.principles_version_id is None:
        return []
    found = list(Criterion.objects.filter(version_id=publication.principles_version_id).order_by("position"))
    for number, principle in enumerate(found, start=1):
        principle.number = number
    return found


# --- barriers, activities, outcomes ------------------------------------------------------------------------


def barriers(publication: Publication) -> list[Barrier]:
    """Return the strategy's barriers in order, each numbered from 1 as the document numbers them."""
    found = list(publication.barriers.order_by("position", "pk"))
    for number, barrier in enumerate(found, start=1):
        barrier.number = number
    return found


def activities(publication: Publication, barrier_list: list[Barrier] | None = None) -> list[Activity]:
    """Return the activities in order with their principles and barriers (three queries), numbered from 1."""
    barrier_list = barrier_list if barrier_list is not None else barriers(publication)
    numbers = {barrier.pk: barrier.number for barrier in barrier_list}
    found = list(
        publication.activities.prefetch_related(
            Prefetch("principles", queryset=Criterion.objects.order_by("position")), "barriers"
        ).order_by("position", "pk")
    )
    principle_numbers = {p.pk: p.number for p in principles(publication)}
    for number, activity in enumerate(found, start=1):
        activity.number = number
        activity.principle_list = [(principle_numbers.get(p.pk, 0), p) for p in activity.principles.all()]
        activity.barrier_numbers = sorted(numbers[b.pk] for b in activity.barriers.all() if b.pk in numbers)
        activity.cost = money.format_pence(activity.cost_pence)
    return found


def outcomes(publication: Publication) -> list[Outcome]:
    return list(publication.outcomes.order_by("from_previous", "position", "pk"))


@dataclass
class StrategyFigures:
    principles: list[Criterion]
    barriers: list[Barrier]
    activities: list[Activity]
    totals: money.Totals
    findings: checks.StrategyFindings

    @property
    def by_source(self) -> list[dict]:
        labels = dict(Activity.FundingSource.choices)
        return [
            {
                "label": labels.get(key, "No funding source chosen"),
                "pence": pence,
                "amount": money.format_pence(pence),
            }
            for key, pence in self.totals.by_source.items()
        ]

    @property
    def by_principle(self) -> list[dict]:
        by_ref = {p.ref: p for p in self.principles}
        rows = []
        for ref, pence in self.totals.by_principle.items():
            principle = by_ref.get(ref)
            rows.append(
                {
                    "number": principle.number if principle else None,
                    "label": principle.statement if principle else "Not linked to a principle yet",
                    "pence": pence,
                    "amount": money.format_pence(pence),
                }
            )
        return rows

    @property
    def totals_content(self) -> dict:
        """Return the totals as the document shows them: formatted amounts, per source and per principle."""
        return {
            "total": money.format_pence(self.totals.total),
            "total_pence": self.totals.total,
            "uncosted": self.totals.uncosted,
            "by_source": [{"label": r["label"], "amount": r["amount"]} for r in self.by_source],
            "by_principle": [
                {"number": r["number"], "label": r["label"], "amount": r["amount"]} for r in self.by_principle
            ],
        }


def strategy_figures(publication: Publication) -> StrategyFigures:
    """Return the strategy's principles, barriers and activities with its totals and its check (five queries)."""
    principle_list = principles(publication)
    barrier_list = barriers(publication)
    activity_list = activities(publication, barrier_list)
    refs_by_pk = {p.pk: p.ref for p in principle_list}
    totals = money.totals(
        [
            money.Costed(
                cost_pence=a.cost_pence,
                source=a.funding_source,
                principles=tuple(refs_by_pk[p.pk] for _, p in a.principle_list if p.pk in refs_by_pk),
            )
            for a in activity_list
        ],
        sources=Activity.FundingSource.values,
        principles=[p.ref for p in principle_list],
    )
    findings = checks.check_strategy(
        principles=[(p.ref, f"{p.number}. {p.statement}") for p in principle_list],
        barriers=[(b.number, b.text) for b in barrier_list],
        activities=[
            checks.ActivityFacts(
                number=a.number,
                description=a.description,
                principles=tuple(refs_by_pk.get(p.pk, "") for _, p in a.principle_list),
                barriers=tuple(a.barrier_numbers),
                cost_pence=a.cost_pence,
                source=a.funding_source,
            )
            for a in activity_list
        ],
    )
    return StrategyFigures(principle_list, barrier_list, activity_list, totals, findings)


# --- suggestions -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """Something sendplan can propose for a document, and where it came from (never without a source)."""

    key: str
    text: str
    source: str

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ValueError(f"Suggestion {self.key} has no source")


def suggestion_audits(membership: Membership) -> list[Audit]:
    """Return the school's audits a person may draw suggestions from, newest first."""
    return list(audit_selectors.school_audits(membership)[:20])


def suggestion_audit(membership: Membership, audit_id: str | None) -> Audit | None:
    """Return the audit the person chose, or the school's current one (audits.selectors.current_audit)."""
    audit_id = as_public_id(audit_id) if audit_id else None  # any text can arrive in ?audit=
    if audit_id:
        audit = (
            restrict(Audit.objects.all(), membership, "audit_view")
            .filter(public_id=audit_id)
            .select_related("framework_version__framework")
            .first()
        )
        if audit is not None:
            return audit
    audit = audit_selectors.current_audit(membership)
    if audit is None:
        return None
    return Audit.objects.select_related("framework_version__framework").get(pk=audit.pk)


def _audit_name(audit: Audit) -> str:
    return f"your {audit.academic_year} audit against {audit.framework_version}"


def audit_barrier_suggestions(audit: Audit) -> list[Suggestion]:
    """Return a barrier for each statutory gap and each priority of the audit (audits.selectors.audit_summary)."""
    summary = audit_selectors.audit_summary(audit)
    gaps = {row["criterion__ref"] for row in summary.duties_unmet}
    found: list[Suggestion] = []
    seen: set[str] = set()
    for row in summary.duties_unmet + summary.priorities:
        ref = row["criterion__ref"]
        if ref in seen:
            continue
        seen.add(ref)
        label = summary.labels.get(row["level"], "not rated")
        why = "a statutory duty rated" if ref in gaps else "one of its priorities, rated"
        found.append(
            Suggestion(
                key=f"audit:{audit.public_id}:{ref}",
                text=f"{row['criterion__statement'].rstrip('. ')} (our audit rates this ‘{label}’).",
                source=f"From {_audit_name(audit)}: {ref} ({row['criterion__section__title']}) is {why} ‘{label}’.",
            )
        )
    return found


def register_area_counts(school: School) -> list[tuple[str, str, int]]:
    """Return (area code, label, pupils) for each broad area of need with at least 3 pupils on E or K."""
    counts = school_sen_counts(school)["areas"]  # [(label, count)] in the order of AREAS_OF_NEED
    return [
        (code, label, count)
        for (code, label), (_, count) in zip(AREAS_OF_NEED, counts, strict=True)
        if checks.shown_count(count) is not None
    ]


def register_barrier_suggestions(school: School) -> list[Suggestion]:
    """Return a barrier for each broad area of need on the register (counts only, never below 3)."""
    today = long_date(timezone.localdate())
    return [
        Suggestion(
            key=f"register:{code}",
            text=f"{label}: {count} pupils on our SEN register have their main need in this area.",
            source=(
                f"From your SEN register on {today}: pupils on SEN support or with an EHC plan whose "
                f"primary need is in this area. Areas with fewer than {checks.SMALLEST_COUNT_SHOWN} "
                "pupils are never suggested, so that no pupil can be identified."
            ),
        )
        for code, label, count in register_area_counts(school)
    ]


def barrier_suggestions(publication: Publication, audit: Audit | None) -> list[Suggestion]:
    """Return the barriers sendplan suggests that the school has neither kept nor dropped."""
    found = (audit_barrier_suggestions(audit) if audit else []) + register_barrier_suggestions(
        publication.school
    )
    kept = set(publication.barriers.exclude(suggestion_key="").values_list("suggestion_key", flat=True))
    done = set(publication.suggestions_dealt_with) | kept
    return [s for s in found if s.key not in done]


def suggestion_by_key(suggestions: list[Suggestion], key: str) -> Suggestion | None:
    return next((s for s in suggestions if s.key == key), None)


def audit_actions(audit: Audit | None) -> list[Action]:
    """Return the audit's action plan, which the strategy can turn into activities one by one."""
    return audit_selectors.audit_actions(audit) if audit else []


# --- SEN information report ----------------------------------------------------------------------------------


def _practice_rows(audit: Audit) -> list[dict]:
    """Return the audit's criteria rated at or above the scale's "met" level, with their rationales."""
    summary = audit_selectors.audit_summary(audit)
    in_place_from = summary.scale.cap  # the level below "met" ("Emerging" on the shipped scale)
    rationales = dict(Rating.objects.filter(audit=audit).values_list("criterion__ref", "rationale"))
    rows = []
    for row in summary.rows:
        if row["not_applicable"] or row["level"] is None or row["level"] <= in_place_from:
            continue
        rows.append({**row, "rationale": (rationales.get(row["criterion__ref"]) or "").strip(),
                     "label": summary.labels.get(row["level"], "")})  # fmt: skip
    return rows


def section_suggestions(publication: Publication, audit: Audit | None) -> dict[str, list[Suggestion]]:
    """Return suggestions for each item of the SEN information report, leaving out those dealt with."""
    school = publication.school
    found: dict[str, list[Suggestion]] = {item.key: [] for item in schedule1.ITEMS}
    areas = register_area_counts(school)
    if areas:
        listed = "; ".join(f"{label.lower()} ({count} pupils)" for _, label, count in areas)
        found["1"].append(
            Suggestion(
                key="1:register",
                text=f"Pupils at our school have special educational needs in these broad areas: {listed}.",
                source=(
                    f"From your SEN register on {long_date(timezone.localdate())}: pupils on SEN support or "
                    "with an EHC plan, by the area of their primary need. Areas with fewer than "
                    f"{checks.SMALLEST_COUNT_SHOWN} pupils are left out, so that no pupil can be identified."
                ),
            )
        )
    if audit is not None:
        area_sections = list(
            Section.objects.filter(
                version_id=audit.framework_version_id, kind=Section.Kind.AREA_OF_NEED
            ).order_by("position")
        )
        if area_sections:
            titles = "; ".join(section.title.lower() for section in area_sections)
            found["1"].append(
                Suggestion(
                    key=f"1:areas:{audit.framework_version.public_id}",
                    text=(
                        "We make provision for pupils with needs in each of the broad areas of need in "
                        f"the SEND Code of Practice: {titles}."
                    ),
                    source=f"From the areas of need in {audit.framework_version}, the framework of {_audit_name(audit)}.",
                )
            )
        for row in _practice_rows(audit):
            for item in schedule1.ITEMS:
                if not item.matches(row["criterion__section__title"]):
                    continue
                text = row["criterion__statement"]
                if row["rationale"]:
                    text = f"{text} {row['rationale']}"
                found[item.key].append(
                    Suggestion(
                        key=f"{item.key}:audit:{audit.public_id}:{row['criterion__ref']}",
                        text=text,
                        source=(
                            f"From {_audit_name(audit)}: {row['criterion__ref']} "
                            f"({row['criterion__section__title']}), rated ‘{row['label']}’, with your rationale."
                        ),
                    )
                )
    for membership in (
        school.memberships.active().filter(role=Role.SENCO).select_related("user").order_by("pk")
    ):
        user = membership.user
        found["4"].append(
            Suggestion(
                key=f"4:senco:{membership.public_id}",
                text=f"Our SENCO is {user.get_full_name()}. You can contact them at {user.email}.",
                source="From the SENCO's account in sendplan: their name and the email address they sign in with.",
            )
        )
    found["13"].append(
        Suggestion(
            key="13:la",
            text=(
                f"Our local authority is {school.local_authority.name}. Its local offer, which describes "
                "the support available for children and young people with SEND in the area, is published "
                "at [add the web address of the local offer]."
            ),
            source="From your school's local authority in sendplan. Add the web address of its local offer.",
        )
    )
    done = set(publication.suggestions_dealt_with)
    return {key: [s for s in items if s.key not in done] for key, items in found.items()}


def report_sections(publication: Publication) -> list[dict]:
    """Return each Schedule 1 item with the school's text for it (one query), in the order of the law."""
    texts = {s.item: s for s in publication.sections.all()}
    return [
        {
            "item": item,
            "section": texts.get(item.key),
            "text": texts[item.key].text if item.key in texts else "",
        }
        for item in schedule1.ITEMS
    ]


def report_empty_items(publication: Publication) -> list[schedule1.Item]:
    """Return the items of Schedule 1 (and CFA s69(3)(b)) the report has no text for yet."""
    texts = dict(publication.sections.values_list("item", "text"))
    return [schedule1.BY_KEY[key] for key in checks.empty_items([i.key for i in schedule1.ITEMS], texts)]


# --- the document ------------------------------------------------------------------------------------------


def latest_approval(publication: Publication):
    return publication.approvals.order_by("-approved_on", "-recorded_at").first()


def document_content(publication: Publication) -> dict:
    """Return the whole document as plain data: what the public page, the PDF and the Word file show.

    Publishing stores exactly this. It holds the school's own words and counts, never a pupil.
    """
    school = publication.school
    approval = latest_approval(publication)
    content = {
        "kind": publication.kind,
        "kind_label": publication.get_kind_display(),
        "school": school.name,
        "title": f"{publication.get_kind_display()} {publication.years_label}",
        "years_label": publication.years_label,
        "first_year": publication.first_year,
        "last_year": publication.last_year,
        "years": publication.years,
        "multi_year": publication.is_multi_year,
        "review_date": long_date(publication.review_date),
        "authorised_by": publication.get_authorised_by_display() if publication.authorised_by else "",
        "authorised_by_name": publication.authorised_by_name,
        "approval": (
            {"approved_on": long_date(approval.approved_on), "minute_reference": approval.minute_reference}
            if approval
            else None
        ),
        "published_on": "",
    }
    if publication.is_strategy:
        content.update(_strategy_content(publication))
    else:
        content["sections"] = [
            {
                "key": row["item"].key,
                "heading": row["item"].heading,
                "citation": row["item"].citation,
                "text": row["text"].strip(),
            }  # fmt: skip
            for row in report_sections(publication)
        ]
    return content


def _strategy_content(publication: Publication) -> dict:
    figures = strategy_figures(publication)
    version = publication.principles_version
    outcome_list = outcomes(publication)
    return {
        "statement_of_intent": publication.statement_of_intent.strip(),
        "principles_version": str(version) if version else "",
        "principles": [
            {"number": p.number, "ref": p.ref, "statement": p.statement} for p in figures.principles
        ],
        "barriers": [{"number": b.number, "text": b.text} for b in figures.barriers],
        "activities": [
            {
                "number": a.number,
                "description": a.description,
                "reach": a.get_reach_display() if a.reach else "",
                "principles": [number for number, _ in a.principle_list],
                "barriers": a.barrier_numbers,
                "source": a.get_funding_source_display() if a.funding_source else "",
                "cost_pence": a.cost_pence,
                "cost": a.cost,
            }
            for a in figures.activities
        ],
        "totals": figures.totals_content,
        "outcomes": [
            {
                "text": o.text,
                "success_criteria": o.success_criteria,
                "what_happened": o.what_happened,
                "evidence": o.evidence,
            }  # fmt: skip
            for o in outcome_list
            if not o.from_previous
        ],
        "reviews": [
            {
                "text": o.text,
                "success_criteria": o.success_criteria,
                "what_happened": o.what_happened,
                "evidence": o.evidence,
            }  # fmt: skip
            for o in outcome_list
            if o.from_previous
        ],
    }


# --- the public page ---------------------------------------------------------------------------------------


def published_by_token(token: str) -> Publication | None:
    """Return the publication whose public link this is, if it is published now; None otherwise."""
    if not token or len(token) > 64:
        return None
    return (
        Publication.objects.filter(public_token=token, current_version__isnull=False)
        .select_related("school", "current_version")
        .first()
    )


REPORT_KINDS = {
    Publication.Kind.STRATEGY: Report.Kind.INCLUSION_STRATEGY,
    Publication.Kind.SEN_REPORT: Report.Kind.SEN_INFORMATION_REPORT,
}


def version_pdf(version: PublishedVersion) -> Report | None:
    """Return the ready PDF of a published version, rendered by the report pipeline, if there is one."""
    return (
        Report.objects.filter(
            school_id=version.school_id, subject_id=version.public_id, status=Report.Status.READY
        )
        .order_by("-finished_at")
        .first()
    )


def section_for(publication: Publication, item: str) -> ReportSection | None:
    return publication.sections.filter(item=item).first()
