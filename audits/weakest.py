"""Where provision is weakest across an LA, and in which schools: reads for the LA's page and its exports.

What counts: for one framework version and academic year, each school's latest audit the LA holds as its
own content (submitted or accepted, ``Audit.LA_CONTENT``). Drafts never count, and neither does an audit
returned to the school until it is submitted again.

A level is its name and its position on its own scale (the lowest, "Not yet in place", is the first),
never its number: an LA may audit with a 0–3 scale one year and a 1–4 or a three-point RAG scale the next.
Each rating is sorted into a level, "not applicable" or "not rated" by one SQL ``CASE`` built from the
scale's levels (``_kind``), and the counts and the named schools at each level come from one grouped,
windowed query whatever the number of schools. A statutory duty marked not applicable counts as not
rated (audits/scoring.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from audits.models import Audit, Rating
from audits.selectors import rated_q
from sendplan.models import Membership, School
from sendplan.policy import restrict
from standards.models import Criterion, FrameworkVersion, ScaleLevel, Section

PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


class Links:
    """Build the pages' many links from one reversed address each (reversing thousands is slow)."""

    def __init__(self) -> None:
        from django.urls import reverse

        self.school = reverse("sendplan:school_detail", args=[PLACEHOLDER])
        self.summary = reverse("audits:audit_summary", args=[PLACEHOLDER])
        self.section = reverse("audits:section", args=[PLACEHOLDER, "REF"])
        # the section address in three parts around the audit and the (quoted) section ref, and each
        # ref quoted once: the heatmap asks for thousands of these
        before, after = self.section.split(PLACEHOLDER, 1)
        self._section_parts = (before, *after.split("REF", 1))
        self._quoted: dict[str, str] = {}

    def school_of(self, school_id: str) -> str:
        return self.school.replace(PLACEHOLDER, school_id)

    # The audit's pages offer the way back here, filters kept (audits.views._shared.weakest_back).
    def summary_of(self, audit_id: str) -> str:
        return self.summary.replace(PLACEHOLDER, audit_id) + "?from=weakest"

    def section_of(self, audit_id: str, section_ref: str, criterion_ref: str = "") -> str:
        quoted = self._quoted.get(section_ref)
        if quoted is None:
            from urllib.parse import quote

            quoted = self._quoted[section_ref] = quote(section_ref)
        start, middle, end = self._section_parts
        url = f"{start}{audit_id}{middle}{quoted}{end}?from=weakest"
        return f"{url}#criterion-{criterion_ref}" if criterion_ref else url


# What a rating is when it is not at a level (kinds at a level are the level's position, from 0).
NOT_APPLICABLE = -1
NOT_RATED = -2
NAMES_SHOWN = 5  # schools named in each cell of the page; the criterion's own page names them all


@dataclass(frozen=True)
class Level:
    """One level of a scale: its name and its position (0 is the lowest), out of ``of`` levels."""

    label: str
    position: int
    of: int

    @property
    def band(self) -> int:
        """Return the heatmap's colour band, 1 (lowest) to 4 (highest), whatever the scale's size."""
        return 1 + round(3 * self.position / (self.of - 1)) if self.of > 1 else 4

    @property
    def place(self) -> str:
        """Return where the level stands on its scale, in words: "1 of 4"."""
        return f"{self.position + 1} of {self.of}"


@dataclass(frozen=True)
class Choice:
    """The version, year and filters the LA chose, with what it could have chosen."""

    versions: list[FrameworkVersion]
    version: FrameworkVersion | None
    years: list[str]
    year: str
    phase: str = ""
    sections: list[Section] = field(default_factory=list)
    section: Section | None = None
    compare: bool = False
    cache: dict = field(default_factory=dict, compare=False, repr=False)  # the audits chosen, once a request

    @property
    def phase_label(self) -> str:
        return dict(School.Phase.choices).get(self.phase, "")

    @property
    def previous_year(self) -> str:
        """Return the academic year before the chosen one ("2025/26" before "2026/27")."""
        if not self.year:
            return ""
        start = int(self.year[:4]) - 1
        return f"{start}/{(start + 1) % 100:02d}"


def handed_audits(membership: Membership) -> QuerySet[Audit]:
    """Return the LA's audits whose content is the LA's: submitted or accepted, never drafts or returned."""
    return restrict(Audit.objects.all(), membership, "audit_view").filter(status__in=Audit.LA_CONTENT)


def versions_handed(membership: Membership) -> list[FrameworkVersion]:
    """Return the framework versions the LA's schools have handed audits of, newest first (one query)."""
    return list(
        FrameworkVersion.objects.filter(pk__in=handed_audits(membership).values("framework_version_id"))
        .select_related("framework")
        .order_by("framework__title", "-created_at")
    )


def years_handed(membership: Membership, version: FrameworkVersion) -> list[str]:
    """Return the academic years with audits of the version handed to the LA, latest first (one query)."""
    return list(
        handed_audits(membership)
        .filter(framework_version=version)
        .order_by("-academic_year")
        .values_list("academic_year", flat=True)
        .distinct()
    )


def _latest_per_school(audits: QuerySet[Audit]) -> dict[int, int]:
    """Return {audit id: school id} keeping each school's audit submitted last (one query).

    A school can hold more than one handed audit of a version in a year (accepted, then started again and
    submitted): the one submitted last speaks for the school. Picked here rather than by a correlated
    subquery, which PostgreSQL misjudges and joins slowly at 600 schools.
    """
    latest: dict[int, int] = {}
    seen: set[int] = set()
    for pk, school_id in audits.order_by("school_id", "-submitted_at", "-pk").values_list("pk", "school_id"):
        if school_id not in seen:
            seen.add(school_id)
            latest[pk] = school_id
    return latest


def chosen_audits(membership: Membership, choice: Choice) -> dict[int, int]:
    """Return each school's latest handed audit of the chosen version and year: {audit id: school id}."""
    if "now" not in choice.cache:
        audits = handed_audits(membership).filter(framework_version=choice.version, academic_year=choice.year)
        if choice.phase:
            audits = audits.filter(school__phase=choice.phase)
        choice.cache["now"] = _latest_per_school(audits)
    return choice.cache["now"]


def previous_audits(membership: Membership, choice: Choice) -> dict[int, int]:
    """Return each school's latest handed audit of any version of the framework the year before."""
    if "before" not in choice.cache:
        audits = handed_audits(membership).filter(
            framework_id=choice.version.framework_id, academic_year=choice.previous_year
        )
        if choice.phase:
            audits = audits.filter(school__phase=choice.phase)
        choice.cache["before"] = _latest_per_school(audits)
    return choice.cache["before"]


def scales_of(version: FrameworkVersion) -> dict[int, list[Level]]:
    """Return the levels of every scale of the framework's versions, by scale id, lowest first (one query)."""
    rows = (
        ScaleLevel.objects.filter(scale__version__framework_id=version.framework_id)
        .order_by("scale_id", "value")
        .values_list("scale_id", "value", "label")
    )
    grouped: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for scale_id, value, label in rows:
        grouped[scale_id].append((value, label))
    return {
        scale_id: [Level(label=label, position=i, of=len(levels)) for i, (_, label) in enumerate(levels)]
        for scale_id, levels in grouped.items()
    }


def _values_of(version: FrameworkVersion) -> dict[int, list[int]]:
    rows = (
        ScaleLevel.objects.filter(scale__version__framework_id=version.framework_id)
        .order_by("scale_id", "value")
        .values_list("scale_id", "value")
    )
    grouped: dict[int, list[int]] = defaultdict(list)
    for scale_id, value in rows:
        grouped[scale_id].append(value)
    return grouped


@dataclass(frozen=True)
class Scales:
    """The scales of a framework's versions: each level's name and position, and the SQL that finds them."""

    levels: dict[int, list[Level]]  # by scale id
    values: dict[int, list[int]]  # the stored value of each level, in the same order

    def of(self, version: FrameworkVersion) -> list[Level]:
        return self.levels.get(version.scale_id, [])

    def comparable(self, old: Level, now: list[Level]) -> Level | None:
        """Return the level of ``now``'s scale that ``old`` (of another scale, perhaps) stands for.

        The same name is the same level; failing that, the same position on a scale with as many
        levels; otherwise the two cannot be compared.
        """
        for level in now:
            if level.label.casefold() == old.label.casefold():
                return level
        if now and old.of == len(now):
            return now[old.position]
        return None

    def kind(self, prefix: str = "", *, into: list[Level] | None = None) -> Case:
        """Return, in SQL, what a rating is: its level's position, NOT_APPLICABLE or NOT_RATED.

        With ``into``, a level of another scale becomes the position of the level it stands for on that
        scale (``comparable``), or NOT_RATED when it stands for none.
        """
        whens = []
        for scale_id, levels in self.levels.items():
            for value, level in zip(self.values[scale_id], levels, strict=True):
                position = level.position
                if into is not None:
                    same = self.comparable(level, into)
                    position = same.position if same is not None else NOT_RATED
                whens.append(
                    When(
                        rated_q(prefix)
                        & Q(
                            **{
                                f"{prefix}audit__framework_version__scale_id": scale_id,
                                f"{prefix}level": value,
                            }
                        ),
                        then=Value(position),
                    )
                )
        rightly_na = Q(
            **{
                f"{prefix}not_applicable": True,
                f"{prefix}to_confirm": False,
                f"{prefix}criterion__statutory": False,
            }
        )
        whens.append(When(rightly_na, then=Value(NOT_APPLICABLE)))
        return Case(*whens, default=Value(NOT_RATED), output_field=IntegerField())


def scales_for(version: FrameworkVersion) -> Scales:
    """Return the scales of every version of the version's framework (two small queries)."""
    return Scales(levels=scales_of(version), values=_values_of(version))


def criteria_in(version: FrameworkVersion, section: Section | None = None) -> QuerySet[Criterion]:
    """Return the version's criteria, or those of one section and the sections within it, in order."""
    criteria = Criterion.objects.filter(version=version)
    if section is not None:
        criteria = criteria.filter(Q(section=section) | Q(section__parent=section))
    return criteria.select_related("section").order_by("position")


@dataclass
class Named:
    """A school at a level of a criterion, with the addresses of its profile and of its rating."""

    school_name: str
    school_url: str
    rating_url: str


@dataclass
class Cell:
    """How many schools a criterion has at one level (or not applicable, or not rated), and who."""

    count: int = 0
    named: list[Named] = field(default_factory=list)

    @property
    def more(self) -> int:
        """Return how many schools are counted here but not named on the page."""
        return self.count - len(self.named)


@dataclass
class Spread:
    """One criterion's spread of levels across the LA's schools."""

    criterion: Criterion
    levels: list[Cell]  # one per level of the scale, lowest first
    not_applicable: Cell
    not_rated: Cell
    lowest_last_year: int | None = None  # schools at the lowest level a year before (with compare)

    @property
    def cells(self) -> list[Cell]:
        """Return the cells in the order of the table's columns: each level, not applicable, not rated."""
        return [*self.levels, self.not_applicable, self.not_rated]

    def sort_key(self) -> tuple:
        """Most schools at the lowest level first, then at the next level up, then framework order."""
        return (*(-cell.count for cell in self.levels), self.criterion.position)


def spread_cells_html(item: Spread, criterion_url: str) -> str:
    """Return the markup of a spread row's cells (each level, not applicable, not rated), exactly as the
    template wrote it: built here because a template loop over some 1,000 cells and 4,000 named schools
    took most of the page's time. ``criterion_url`` is the criterion's page, filters kept, not escaped."""
    from html import escape  # as django.utils.html.escape does, without its lazy-string wrapper

    url = escape(criterion_url)
    ref = escape(item.criterion.ref)
    parts = []
    for cell in item.cells:
        if not cell.count:
            parts.append('<td class="govuk-table__cell">0</td>')
            continue
        plural = "" if cell.count == 1 else "s"
        parts.append(
            f'<td class="govuk-table__cell"><a class="govuk-link govuk-!-font-weight-bold" href="{url}">'
            f'{cell.count}<span class="govuk-visually-hidden"> school{plural}: see every school on {ref}</span>'
            '</a><ul class="govuk-list govuk-!-margin-bottom-0">'
        )
        for named in cell.named:
            name = escape(named.school_name)
            parts.append(
                f'<li><a class="govuk-link" href="{escape(named.school_url)}">{name}</a> '
                f'<a class="govuk-link" href="{escape(named.rating_url)}">(rating<span class="govuk-visually-hidden">'
                f" of {ref} by {name}</span>)</a></li>"
            )
        if cell.more > 0:
            parts.append(
                f'<li><a class="govuk-link" href="{url}">and {cell.more} more'
                f'<span class="govuk-visually-hidden"> on {ref}</span></a></li>'
            )
        parts.append("</ul></td>")
    return "".join(parts)


def spread(
    membership: Membership,
    choice: Choice,
    scales: Scales,
    *,
    names: int | None = NAMES_SHOWN,
) -> list[Spread]:
    """Return each criterion's spread of levels, most schools at the lowest level first.

    Two queries (the criteria, and the ratings counted and ranked by one window query) besides the chosen
    audits (read once a request). Each cell names the first ``names`` schools by name (all with
    ``names=None``). With ``compare``, two more count the schools at the lowest level a year before,
    matching criteria by ref.
    """
    version = choice.version
    levels = scales.of(version)
    criteria = list(criteria_in(version, choice.section))
    audits = list(chosen_audits(membership, choice))
    links = Links()
    kind = scales.kind()
    ratings = Rating.objects.filter(audit__in=audits, criterion__in=[c.pk for c in criteria]).annotate(
        kind=kind
    )
    cells: dict[tuple[int, int], Cell] = defaultdict(Cell)
    if names is None:  # every school named (the exports): no links, no window, counted as read
        for criterion_id, kind_of, name in ratings.values_list(
            "criterion_id", "kind", "audit__school__name"
        ).order_by("criterion_id", "kind", "audit__school__name", "pk"):
            cell = cells[(criterion_id, kind_of)]
            cell.count += 1
            cell.named.append(Named(school_name=name, school_url="", rating_url=""))
    else:
        for row in _first_named(ratings, kind, names):
            cell = cells[(row["criterion_id"], row["kind"])]
            cell.count = row["n"]
            cell.named.append(
                Named(
                    school_name=row["audit__school__name"],
                    school_url=links.school_of(str(row["audit__school__public_id"])),
                    rating_url=links.section_of(
                        str(row["audit__public_id"]), row["criterion__section__ref"], row["criterion__ref"]
                    ),
                )
            )
    result = [
        Spread(
            criterion=criterion,
            levels=[cells.get((criterion.pk, level.position), Cell()) for level in levels],
            not_applicable=cells.get((criterion.pk, NOT_APPLICABLE), Cell()),
            not_rated=cells.get((criterion.pk, NOT_RATED), Cell()),
        )
        for criterion in criteria
    ]
    if choice.compare and levels:
        lowest = lowest_last_year(membership, choice, scales, refs=[c.ref for c in criteria])
        for item in result:
            item.lowest_last_year = lowest.get(item.criterion.ref, 0)
    return sorted(result, key=Spread.sort_key)


def _first_named(ratings: QuerySet[Rating], kind: Case, names: int):
    """Return the first ``names`` ratings of each criterion and kind by school name, each with its count."""
    partition = [F("criterion_id"), kind]
    return (
        ratings.annotate(
            n=Window(Count("pk"), partition_by=partition),
            rank=Window(
                RowNumber(), partition_by=partition, order_by=[F("audit__school__name").asc(), F("pk").asc()]
            ),
        )
        .filter(rank__lte=names)
        .values(
            "criterion_id",
            "kind",
            "n",
            "audit__school__name",
            "audit__school__public_id",
            "audit__public_id",
            "criterion__section__ref",
            "criterion__ref",
        )
        .order_by("criterion_id", "kind", "rank")
    )


def lowest_last_year(
    membership: Membership, choice: Choice, scales: Scales, *, refs: list[str]
) -> dict[str, int]:
    """Return, by criterion ref, how many schools were at the lowest level the year before (one query).

    A level of last year's scale counts as the lowest when it stands for this year's lowest level (the
    same name, or the same position on a scale as long).
    """
    now = scales.of(choice.version)
    audits = list(previous_audits(membership, choice))
    return dict(
        Rating.objects.filter(audit__in=audits, criterion__ref__in=refs)
        .annotate(kind=scales.kind(into=now))
        .filter(kind=0)
        .values("criterion__ref")
        .annotate(n=Count("pk"))
        .values_list("criterion__ref", "n")
        .order_by()
    )


@dataclass
class SchoolRow:
    """One school on a criterion's page: its level (or why none), last year's, and the change."""

    school: School
    audit_id: str | None
    section_ref: str
    kind: int | None  # a level's position, NOT_APPLICABLE, NOT_RATED; None: no audit handed to the LA
    level: Level | None
    last_year: Level | None = None  # last year's level as it stands on this year's scale
    last_year_label: str = ""  # last year's level as it was named then

    @property
    def group(self) -> str:
        """Return the heading the school is listed under on the criterion's page."""
        if self.kind is None:
            return "No audit handed to the local authority"
        if self.level is not None:
            return self.level.label
        return "Not applicable" if self.kind == NOT_APPLICABLE else "Not rated"

    @property
    def change(self) -> str:
        """Return the change from last year by position on this year's scale ("Up 1 level"), or ""."""
        return change_text(self.level, self.last_year)


def change_text(now: Level | None, then: Level | None) -> str:
    """Return the change between two levels of one scale by position: "Up 1 level", "No change", or ""."""
    if now is None or then is None:
        return ""
    steps = now.position - then.position
    if steps == 0:
        return "No change"
    plural = "s" if abs(steps) > 1 else ""
    return f"{'Up' if steps > 0 else 'Down'} {abs(steps)} level{plural}"


def criterion_schools(
    membership: Membership, choice: Choice, scales: Scales, criterion: Criterion
) -> list[SchoolRow]:
    """Return every school of the LA (of the phase) with its level on one criterion (two or four queries).

    Schools with no audit handed to the LA are listed last, as such; with ``compare``, last year's level
    of the same school on the criterion with the same ref.
    """
    levels = scales.of(choice.version)
    schools = restrict(School.objects.all(), membership, "school_view")
    if choice.phase:
        schools = schools.filter(phase=choice.phase)
    audits = chosen_audits(membership, choice)
    ratings = {
        row["audit__school_id"]: row
        for row in Rating.objects.filter(audit__in=list(audits), criterion=criterion)
        .annotate(kind=scales.kind())
        .values("audit__school_id", "audit__public_id", "kind")
    }
    last: dict[int, tuple[int, int, str]] = {}
    if choice.compare:
        old = list(previous_audits(membership, choice))
        for row in (
            Rating.objects.filter(audit__in=old, criterion__ref=criterion.ref)
            .annotate(kind=scales.kind(), into=scales.kind(into=levels))
            .values("audit__school_id", "kind", "into", "audit__framework_version__scale_id")
        ):
            last[row["audit__school_id"]] = (
                row["kind"],
                row["into"],
                row["audit__framework_version__scale_id"],
            )
    result = []
    for school in schools.order_by("name"):
        row = ratings.get(school.pk)
        kind = row["kind"] if row else None
        item = SchoolRow(
            school=school,
            audit_id=str(row["audit__public_id"]) if row else None,
            section_ref=criterion.section.ref,
            kind=kind,
            level=levels[kind] if kind is not None and kind >= 0 else None,
        )
        if school.pk in last:
            then, into, scale_id = last[school.pk]
            if then >= 0:
                item.last_year_label = scales.levels[scale_id][then].label
                item.last_year = levels[into] if into >= 0 else None
            else:
                item.last_year_label = "Not applicable" if then == NOT_APPLICABLE else "Not rated"
        result.append(item)
    return sorted(result, key=lambda r: (_order(r.kind), r.school.name))


def _order(kind: int | None) -> int:
    """Return where a school's answer is listed: the levels lowest first, then n/a, not rated, no audit."""
    if kind is None:
        return 1002
    return kind if kind >= 0 else {NOT_APPLICABLE: 1000, NOT_RATED: 1001}[kind]


def coverage(membership: Membership, choice: Choice) -> dict[str, int]:
    """Return how many of the LA's schools (of the phase) there are, and how many handed an audit (one query)."""
    schools = restrict(School.objects.all(), membership, "school_view")
    if choice.phase:
        schools = schools.filter(phase=choice.phase)
    audits = chosen_audits(membership, choice)
    counts = schools.aggregate(
        schools=Count("pk"),
        handed=Count("pk", filter=Q(pk__in=list(audits.values()))),
    )
    counts["not_handed"] = counts["schools"] - counts["handed"]
    return counts


PHASES = School.Phase.choices


def choose(membership: Membership, params) -> Choice:
    """Return the version, year and filters asked for in ``params`` (the query string), or the defaults.

    The default version is the one most recently handed to the LA; the default year, its latest. A value
    that is not among the choices is ignored (three queries).
    """
    versions = versions_handed(membership)
    if not versions:
        return Choice(versions=[], version=None, years=[], year="")
    wanted = params.get("version", "")
    version = next((v for v in versions if str(v.public_id) == wanted), None)
    if version is None:
        latest = (
            handed_audits(membership).order_by("-submitted_at").values_list("framework_version_id", flat=True)
        )
        latest_id = latest.first()
        version = next((v for v in versions if v.pk == latest_id), versions[0])
    years = years_handed(membership, version)
    year = params.get("year", "")
    if year not in years:
        year = years[0] if years else ""
    phase = params.get("phase", "")
    if phase not in dict(PHASES):
        phase = ""
    sections = list(Section.objects.filter(version=version, parent__isnull=True).order_by("position"))
    section = next((s for s in sections if s.ref == params.get("area", "")), None)
    return Choice(
        versions=versions,
        version=version,
        years=years,
        year=year,
        phase=phase,
        sections=sections,
        section=section,
        compare=params.get("compare", "") == "yes",
    )


def query_of(choice: Choice, **extra) -> str:
    """Return the query string that asks for this choice again (for links that keep the filters)."""
    from urllib.parse import urlencode

    params = {"version": str(choice.version.public_id) if choice.version else "", "year": choice.year}
    if choice.phase:
        params["phase"] = choice.phase
    if choice.section is not None:
        params["area"] = choice.section.ref
    if choice.compare:
        params["compare"] = "yes"
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params)


# --- the heatmap: schools × sections by section level (from the AuditLevel summary table) -------------


@dataclass
class HeatCell:
    """One school's level for one section (or overall), as the summary table holds it."""

    label: str  # the level's name, or "" when there is none
    level: Level | None
    provisional: bool = False
    capped: bool = False
    withheld: bool = False
    section_ref: str = ""
    href: str = ""  # the school's audit: its summary (overall) or the section
    last_year: str = ""  # last year's level, by name ("" when no audit or no level)
    change: str = ""  # by position on this year's scale: "Up 1 level", "No change", "Not comparable"

    @property
    def text(self) -> str:
        return self.label or "No level yet"

    @property
    def band(self) -> int | None:
        return self.level.band if self.level is not None else None


@dataclass
class HeatRow:
    """One school of the LA with its audit's level for each section, and overall."""

    school_name: str
    school_url: str
    urn: str
    phase: str
    audit_id: str | None  # None: no audit handed to the LA
    overall: HeatCell | None
    cells: list[HeatCell | None]  # one per section column; None: the audit has no level for it

    @property
    def columns(self) -> list[HeatCell | None]:
        """Return the cells in the order of the table's columns: overall, then each section."""
        return [self.overall, *self.cells]


def heat_cells_html(row: HeatRow, choice: Choice) -> str:
    """Return the markup of a heatmap row's cells (overall, then each section), exactly as the template
    wrote it: built here because a template loop over 900 cells a page took most of the page's time."""
    from html import escape  # as django.utils.html.escape does, without its lazy-string wrapper

    name = escape(row.school_name)
    previous = escape(choice.previous_year) if choice.compare else ""
    parts = []
    for cell in row.columns:
        if cell is None:
            parts.append('<td class="govuk-table__cell">Not in this audit</td>')
            continue
        band = cell.band
        parts.append(
            f'<td class="govuk-table__cell app-heat app-heat--{band if band else "none"}">'
            f'<a class="govuk-link" href="{escape(cell.href)}">{escape(cell.text)}'
            f'<span class="govuk-visually-hidden"> – {name}</span></a>'
        )
        if cell.withheld:
            parts.append('<span class="app-block govuk-body-s govuk-!-margin-bottom-0">a statutory duty is not rated</span>')  # fmt: skip
        elif cell.capped:
            parts.append('<span class="app-block govuk-body-s govuk-!-margin-bottom-0">held down by a duty not met</span>')  # fmt: skip
        elif cell.provisional:
            parts.append('<span class="app-block govuk-body-s govuk-!-margin-bottom-0">provisional</span>')
        if choice.compare:
            change = f". {escape(cell.change)}" if cell.change else ""
            parts.append(
                f'<span class="app-block govuk-body-s govuk-!-margin-bottom-0">{previous}: '
                f"{escape(cell.last_year or 'no audit')}{change}</span>"
            )
        parts.append("</td>")
    return "".join(parts)


def heat_sections(choice: Choice) -> list[Section]:
    """Return the sections that are heatmap columns: those holding criteria, within the chosen area."""
    sections = Section.objects.filter(version=choice.version, criteria__isnull=False).distinct()
    if choice.section is not None:
        sections = sections.filter(Q(pk=choice.section.pk) | Q(parent=choice.section))
    return list(sections.order_by("position"))


def _change(now: Level | None, then: Level | None, scale: list[Level], scales: Scales) -> str:
    if now is None or then is None:
        return ""
    same = scales.comparable(then, scale)
    if same is None:
        return "Not comparable"
    return change_text(now, same)


def heatmap(membership: Membership, choice: Choice, scales: Scales, sections: list[Section]) -> list[HeatRow]:
    """Return every school of the LA (of the phase) with its section levels, lowest overall first.

    Reads the AuditLevel summary table only (levels are never worked out here): one query for the
    schools, one for this year's levels, and with ``compare`` one for last year's (matched by section ref).
    """
    from audits.models import AuditLevel

    scale = scales.of(choice.version)
    columns = {section.pk: i for i, section in enumerate(sections)}
    refs = {section.ref: i for i, section in enumerate(sections)}
    audits = chosen_audits(membership, choice)
    fields = (
        "audit__school_id",
        "audit__public_id",
        "section_id",
        "section__ref",
        "level_label",
        "level_position",
        "scale_size",
        "provisional",
        "capped",
        "withheld",
    )
    rows: dict[int, HeatRow] = {}
    links = Links()
    schools = restrict(School.objects.all(), membership, "school_view")
    if choice.phase:
        schools = schools.filter(phase=choice.phase)
    phases = dict(School.Phase.choices)
    for school in schools.order_by("name").values("pk", "name", "public_id", "urn", "phase"):
        rows[school["pk"]] = HeatRow(
            school_name=school["name"],
            school_url=links.school_of(str(school["public_id"])),
            urn=school["urn"],
            phase=phases.get(school["phase"], ""),
            audit_id=None,
            overall=None,
            cells=[None] * len(sections),
        )
    levels = AuditLevel.objects.filter(audit__in=list(audits)).filter(
        Q(section__isnull=True) | Q(section_id__in=list(columns))
    )
    for item in levels.values(*fields):
        row = rows.get(item["audit__school_id"])
        if row is None:
            continue
        row.audit_id = str(item["audit__public_id"])
        cell = _cell(item)
        if item["section_id"] is None:
            cell.href = links.summary_of(row.audit_id)
            row.overall = cell
        else:
            cell.href = links.section_of(row.audit_id, cell.section_ref)
            row.cells[columns[item["section_id"]]] = cell
    if choice.compare:
        old = list(previous_audits(membership, choice))
        previous = AuditLevel.objects.filter(audit__in=old).filter(
            Q(section__isnull=True) | Q(section__ref__in=list(refs))
        )
        for item in previous.values(*fields):
            row = rows.get(item["audit__school_id"])
            if row is None or row.audit_id is None:
                continue
            then = _cell(item)
            cell = row.overall if item["section_id"] is None else row.cells[refs[item["section__ref"]]]
            if cell is None:
                continue
            cell.last_year = then.text
            cell.change = _change(cell.level, then.level, scale, scales)
    handed = [row for row in rows.values() if row.audit_id is not None]
    missing = [row for row in rows.values() if row.audit_id is None]
    handed.sort(
        key=lambda r: (r.overall.level.position if r.overall and r.overall.level else -1, r.school_name)
    )
    return handed + missing


def _cell(item: dict) -> HeatCell:
    position = item["level_position"]
    level = (
        Level(label=item["level_label"], position=position - 1, of=item["scale_size"])
        if position is not None
        else None
    )
    return HeatCell(
        label=item["level_label"],
        level=level,
        provisional=item["provisional"],
        capped=item["capped"],
        withheld=item["withheld"],
        section_ref=item["section__ref"] or "",
    )
