"""Generated data at the size of England's largest LA, for benchmarks, `make load` and trying the LA pages.

`manage.py generate_load_data --schools 600 --criteria 150 --years 3` writes, with bulk_create:

- LA 960 (Fenwick County Council) with ``--schools`` schools of every phase and type, and LA 961
  (Eastbrook Borough Council) with five schools, so isolation can be tried at size;
- at each school a SENCO, a headteacher and a governor; at each LA officers and an admin. Every account
  has the password ``LOAD_PASSWORD``; the roles that need MFA have the TOTP secret ``LOAD_TOTP_SECRET``
  (`manage.py demo_code --secret load` prints its current code). Never on a real installation;
- a published framework (``load-oap``) of ``--criteria`` criteria in sections, some statutory, on the
  four-level scale, with not applicable allowed;
- audits for ``--years`` academic years ending with the current one: earlier years accepted (a few
  schools skipped a year), the current year in every state (not started, in progress, submitted,
  returned, accepted), with levels that vary by school, section and criterion, rationales in the words
  SENCOs use, some statutory duties not met and some criteria not applicable;
- pupils on the SEN register (E, K and N) and EHC plans at every stage (request, decision, advice,
  draft, final), some overdue, some issued within 20 weeks, some late with an exception.

Rows are written directly (not through the services) so 600 schools take a minute or two: every value
obeys the models' constraints and the services' rules (a submitted audit is complete with rationales; a
statutory duty is never not applicable; a plan's dates come in order and none is in the future).
"""

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from audits.models import Action, Audit, AuditEvent, Evidence, LAComment, Rating
from ehcp.census import AREA_OF_NEED, PHASE_YEAR_GROUPS
from ehcp.models import Carer, Need, Plan, PlanEvent, PlanVersion, Pupil, VersionStatus
from sendplan.history import erasure_allowed
from sendplan.models import LocalAuthority, Membership, Role, School, User
from standards.models import (
    AreaOfNeed,
    Criterion,
    Framework,
    FrameworkVersion,
    RatingScale,
    ScaleLevel,
    Section,
    Tier,
)

LOAD_PASSWORD = "load-password-2026"  # noqa: S105 - published on purpose: generated data only, DEBUG only
# The TOTP secret of every generated account that needs MFA, so a load script can sign in properly.
# Published here on purpose: generated data is for benchmarks and trials, never a real installation.
LOAD_TOTP_SECRET = "KRUGS4ZANRXWCZBAORSXG5BAONSWG4TF"  # noqa: S105 - published on purpose, as above
EMAIL_DOMAIN = "load.example"
LA_CODE, LA_NAME = "960", "Fenwick County Council"
SMALL_LA_CODE, SMALL_LA_NAME = "961", "Eastbrook Borough Council"
SMALL_LA_SCHOOLS = 5
FRAMEWORK_SLUG = "load-oap"
LA_OFFICERS = 10
BATCH = 5000

LEVELS = [
    (0, "Not yet in place", "This does not happen, or happens only by chance."),
    (1, "Emerging", "Work has started but is patchy."),
    (2, "Established", "This is in place and works as intended in most cases."),
    (3, "Embedded", "This is consistently in place, checked regularly and improved."),
]
MET = 2

# The state of each school's audit this year, and how often (they add to 1).
CURRENT_STATES = [
    ("not_started", 0.12),
    (Audit.Status.DRAFT, 0.25),
    (Audit.Status.SUBMITTED, 0.33),
    (Audit.Status.RETURNED, 0.08),
    (Audit.Status.ACCEPTED, 0.22),
]
# An LA's mix of schools: phase, how often, and the types a school of that phase may be.
PHASES = [
    (School.Phase.PRIMARY, 0.68, ["community", "voluntary_aided", "voluntary_controlled", "academy", "foundation"]),
    (School.Phase.SECONDARY, 0.16, ["academy", "community", "foundation", "free_school", "voluntary_aided"]),
    (School.Phase.SPECIAL, 0.05, ["community_special", "academy_special"]),
    (School.Phase.ALL_THROUGH, 0.03, ["academy", "free_school"]),
    (School.Phase.NURSERY, 0.03, ["community"]),
    (School.Phase.ALTERNATIVE_PROVISION, 0.02, ["pupil_referral_unit", "academy"]),
    (School.Phase.POST_16, 0.03, ["academy", "free_school"]),
]  # fmt: skip
PHASE_SUFFIX = {
    "primary": ["Primary School", "Church of England Primary School", "Infant School", "Junior School",
                "Primary Academy", "Catholic Primary School"],
    "secondary": ["High School", "Academy", "School", "Community College", "Catholic High School"],
    "special": ["Special School", "School", "Specialist Academy"],
    "all_through": ["Through School", "All-through Academy"],
    "nursery": ["Nursery School"],
    "alternative_provision": ["Learning Centre", "Pupil Referral Unit"],
    "post_16": ["Sixth Form College", "Sixth Form Centre"],
}  # fmt: skip
PLACES = [
    "Ashby",
    "Barrow",
    "Bramley",
    "Brook",
    "Castleford",
    "Chapel",
    "Clayton",
    "Cold",
    "Ash",
    "Denby",
    "Eastwood",
    "Elm",
    "Ferry",
    "Fieldhouse",
    "Fenwick",
    "Foxhill",
    "Glebe",
    "Greenside",
    "Hartley",
    "Hawthorn",
    "Heath",
    "Hollins",
    "Kingsway",
    "Lark",
    "Rise",
    "Leys",
    "Longmoor",
    "Marsh",
    "Meadow",
    "Mill",
    "Newlands",
    "Northgate",
    "Oakfield",
    "Orchard",
    "Park",
    "Priory",
    "Redhill",
    "Riverside",
    "Rowan",
    "St",
    "Anne's",
    "St",
    "Mark's",
    "St",
    "Peter's",
    "Saxon",
    "Shaw",
    "Southfield",
    "Spring",
    "Bank",
    "Stanley",
    "Thornbury",
    "Tollgate",
    "Upton",
    "Vale",
    "Westbury",
    "Whitecross",
    "Willow",
    "Windmill",
    "Woodside",
    "Yew",
    "Tree",
]
DISTRICTS = ["", "North", "South", "East", "West", "Upper", "Lower", "Great", "Little", "Old"]

FIRST_NAMES = [
    "Aaliyah",
    "Adam",
    "Aisha",
    "Alfie",
    "Amelia",
    "Archie",
    "Ava",
    "Ayaan",
    "Bella",
    "Ben",
    "Bobby",
    "Charlie",
    "Chloe",
    "Daisy",
    "Dylan",
    "Eden",
    "Eli",
    "Ella",
    "Emily",
    "Ethan",
    "Evie",
    "Finley",
    "Florence",
    "Freddie",
    "Grace",
    "Hannah",
    "Harper",
    "Harry",
    "Hugo",
    "Ibrahim",
    "Isaac",
    "Isla",
    "Ivy",
    "Jack",
    "Jacob",
    "Jasmine",
    "Jayden",
    "Joshua",
    "Kai",
    "Lily",
    "Logan",
    "Lucas",
    "Luna",
    "Maisie",
    "Mason",
    "Max",
    "Mia",
    "Millie",
    "Mohammed",
    "Muhammad",
    "Nancy",
    "Noah",
    "Olivia",
    "Oscar",
    "Poppy",
    "Reuben",
    "Riley",
    "Rosie",
    "Ruby",
    "Sienna",
    "Sofia",
    "Theo",
    "Thomas",
    "Toby",
    "Willow",
    "Yusuf",
    "Zara",
]
LAST_NAMES = [
    "Ahmed",
    "Ali",
    "Allen",
    "Atkinson",
    "Bailey",
    "Baker",
    "Begum",
    "Bell",
    "Brown",
    "Campbell",
    "Carter",
    "Clarke",
    "Cooper",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hall",
    "Harris",
    "Hill",
    "Holmes",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Jones",
    "Kaur",
    "Khan",
    "King",
    "Lee",
    "Lewis",
    "Marshall",
    "Martin",
    "Mitchell",
    "Moore",
    "Morris",
    "Murphy",
    "Nowak",
    "Owen",
    "Palmer",
    "Patel",
    "Phillips",
    "Price",
    "Roberts",
    "Robinson",
    "Scott",
    "Shaw",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]

SECTION_TITLES = [
    ("LEAD", "Leadership and the SENCO role", ""),
    ("IDENT", "Identifying needs early", ""),
    ("TEACH", "High-quality teaching and adaptation", ""),
    ("GRAD", "The graduated approach", ""),
    ("PART", "Working with children, young people and families", ""),
    ("CI", "Communication and interaction", AreaOfNeed.COMMUNICATION_INTERACTION),
    ("CL", "Cognition and learning", AreaOfNeed.COGNITION_LEARNING),
    ("SEMH", "Social, emotional and mental health", AreaOfNeed.SEMH),
    ("SP", "Sensory and physical needs", AreaOfNeed.SENSORY_PHYSICAL),
    ("TRANS", "Transitions and preparing for adulthood", ""),
    ("STAFF", "Staff development and expertise", ""),
    ("ACCESS", "Accessibility and reasonable adjustments", ""),
    ("STAT", "Statutory duties and publication", ""),
    ("HEALTH", "Medical conditions and health", ""),
    ("MONITOR", "Monitoring, evaluation and impact", ""),
]
STATEMENT_VERBS = [
    "Staff know how to", "The school makes sure that it can", "Leaders check how well staff",
    "Pupils with SEND are helped to", "The SENCO works with teachers to", "Families are asked how well we",
]  # fmt: skip
STATEMENT_OBJECTS = [
    "adapt lessons for pupils with {area}",
    "identify {area} early and record what they see",
    "plan, do and review support for {area} with the pupil and family",
    "use visual supports and clear routines for pupils with {area}",
    "give time and space to pupils with {area} at unstructured times",
    "track the progress of pupils with {area} and act on what it shows",
    "train teaching assistants to support {area}",
    "seek specialist advice about {area} when progress stalls",
]
STATUTES = [
    "Children and Families Act 2014, s.66",
    "Children and Families Act 2014, s.69",
    "Equality Act 2010, s.20",
    "Special Educational Needs and Disability Regulations 2014, reg 51",
    "Children and Families Act 2014, s.100",
    "Equality Act 2010, Schedule 10",
]

# Rationales as SENCOs write them: an opening that fits the level, what shows it, and what comes next.
RATIONALE_OPENINGS = {
    0: ["Not in place yet.", "We have not started this.", "This does not happen consistently at all.",
        "Nothing agreed so far.", "Only happens when one teacher remembers."],
    1: ["Started this term but patchy.", "In some classes, not yet in others.", "Early days:",
        "Some staff do this well; many do not yet.", "Piloted in one year group."],
    2: ["In place in most classes.", "Agreed approach that staff follow.", "Works well for most pupils.",
        "Seen in nearly every lesson visit.", "Established since last year."],
    3: ["Consistent across the school and checked each term.", "Embedded: it survived two changes of staff.",
        "Strong, and we can show its impact on pupils.", "Part of how the school works; reviewed annually.",
        "Every class, every day, and pupils can tell you about it."],
}  # fmt: skip
RATIONALE_EVIDENCE = [
    "Lesson visits in {month} found it in {n} of 10 lessons.",
    "The provision map and pupil passports show it.",
    "Book looks and pupil voice this term back this up.",
    "Parents said so in the SEND coffee morning survey.",
    "Governors' SEND link visit in {month} saw it.",
    "The EP's visit notes confirm this.",
    "Staff questionnaire: {n} of 10 feel confident.",
    "Learning walk with the headteacher in {month}.",
]
RATIONALE_NEXT = [
    "Next: twilight training for support staff.", "Action plan item for the spring term.",
    "Review again after the summer data drop.", "", "", "Link governor to follow up.",
    "Needs protected SENCO time to keep going.", "Trust SEND lead to moderate.",
]  # fmt: skip
NA_REASONS = [
    "We are an infant school: this applies from Key Stage 2.",
    "No pupils currently need this; we will rate it when they do.",
    "The school has no sixth form.",
    "Covered by the trust's central team, not the school.",
]
RETURN_REASONS = [
    "Please add evidence for the statutory duties rated Established: the rationales say what you do, "
    "not how you know it works.",
    "Several ratings of Embedded have no evidence of impact. Please review sections CL and SEMH.",
    "The SEN information report duty is rated Established but the report on your website is from 2023.",
]
# Plans the first pupils of the LA always have: each stage on time and overdue, and final plans issued in time, late,
# and late with an exception (as (stage, variant)).
FORCED_PLANS = [
    *[
        (stage, variant)
        for stage in ("request", "decision", "advice", "draft")
        for variant in ("on_time", "overdue")
    ],
    ("final", "timely"),
    ("final", "late"),
    ("final", "exception"),
]
MONTHS = ["September", "October", "November", "January", "February", "March"]


@dataclass
class Counts:
    """What was written, for the command's summary and the tests."""

    schools: int = 0
    users: int = 0
    criteria: int = 0
    audits: dict[str, int] = field(default_factory=dict)  # by status, plus "not_started"
    ratings: int = 0
    pupils: int = 0
    plans: dict[str, int] = field(default_factory=dict)  # by stage
    summary_refreshed: str = ""


class LoadDataExists(Exception):
    """Generated data is already in the database (use --reset to replace it)."""


def academic_years(count: int, today: datetime.date) -> list[str]:
    """Return ``count`` academic years ending with the one ``today`` falls in, oldest first (2026/27 …)."""
    start = today.year if today.month >= 9 else today.year - 1
    return [f"{y}/{(y + 1) % 100:02d}" for y in range(start - count + 1, start + 1)]


def exists() -> bool:
    return LocalAuthority.objects.filter(code__in=[LA_CODE, SMALL_LA_CODE]).exists()


def reset() -> None:
    """Delete everything generated: the two LAs, their schools and everything of theirs, the accounts.

    Generated histories are no one's record, so they go through the controlled erasure path
    (``sendplan.history.erasure_allowed``) like records past retention.
    """
    schools = list(
        School.objects.filter(local_authority__code__in=[LA_CODE, SMALL_LA_CODE]).values_list("pk", flat=True)
    )
    with transaction.atomic(), erasure_allowed():
        if schools and connection.vendor == "postgresql":
            # The largest tables go in plain SQL: Django's collector would load every rating into memory.
            through = Rating.evidence.through._meta.db_table
            with connection.cursor() as cursor:
                # Table names come from our models' metadata, never from input; the ids are parameters.
                sql = f"DELETE FROM {through} WHERE rating_id IN (SELECT id FROM {Rating._meta.db_table} WHERE school_id = ANY(%s))"  # noqa: S608, E501
                cursor.execute(sql, [schools])
                for model in (Rating, AuditEvent):
                    sql = f"DELETE FROM {model._meta.db_table} WHERE school_id = ANY(%s)"  # noqa: S608
                    cursor.execute(sql, [schools])
        Audit.objects.filter(school_id__in=schools).delete()
        School.objects.filter(pk__in=schools).delete()
        LocalAuthority.objects.filter(code__in=[LA_CODE, SMALL_LA_CODE]).delete()
        User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
        for version in FrameworkVersion.objects.filter(framework__slug=FRAMEWORK_SLUG):
            scale = version.scale
            version.delete()
            scale.delete()
        Framework.objects.filter(slug=FRAMEWORK_SLUG).delete()


def generate(
    *, schools: int, criteria: int, years: int, seed: int = 2026, today: datetime.date | None = None, out=None
) -> Counts:
    """Write the generated data (see the module's docstring); raise LoadDataExists if it is there already."""
    if exists():
        raise LoadDataExists(
            f"Generated data is already here (LA {LA_CODE} or {SMALL_LA_CODE} exists). "
            "Use it as it is, or run again with --reset to replace it."
        )
    return _Generator(schools=schools, criteria=criteria, years=years, seed=seed, today=today, out=out).run()


def _batches(rows: list, model) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


class _Generator:
    def __init__(self, *, schools, criteria, years, seed, today, out):
        self.n_schools, self.n_criteria, self.n_years = schools, criteria, years
        self.rng = random.Random(seed)  # noqa: S311 - generated trial data, repeatable by seed; nothing secret
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.out = out
        self.counts = Counts()
        self.years = academic_years(years, self.today)

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text)

    def at(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        hour = self.rng.randint(8, 17) if hour is None else hour
        moment = datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59)))
        return min(timezone.make_aware(moment), self.now)

    def run(self) -> Counts:
        with transaction.atomic():
            self.organisations()
            self.people()
            self.framework()
            self.audits()
            self.register()
        self.counts.summary_refreshed = refresh_summaries()
        return self.counts

    # --- organisations and people --------------------------------------------------------------------

    def organisations(self) -> None:
        self.la = LocalAuthority.objects.create(code=LA_CODE, name=LA_NAME)
        self.small_la = LocalAuthority.objects.create(code=SMALL_LA_CODE, name=SMALL_LA_NAME)
        rows, names = [], set()
        for index in range(self.n_schools + SMALL_LA_SCHOOLS):
            la = self.la if index < self.n_schools else self.small_la
            phase, types = self._phase()
            name = self._school_name(phase, names)
            rows.append(
                School(
                    local_authority=la, urn=f"{700001 + index:06d}", establishment_number=f"{2000 + index % 8000:04d}",
                    name=name, phase=phase, school_type=self.rng.choice(types),
                )
            )  # fmt: skip
        self.schools = _batches(rows, School)
        self.counts.schools = len(self.schools)
        self.say(f"  {len(self.schools)} schools in 2 LAs")

    def _phase(self):
        roll, total = self.rng.random(), 0.0
        for phase, share, types in PHASES:
            total += share
            if roll < total:
                return phase, types
        return PHASES[0][0], PHASES[0][2]

    def _school_name(self, phase: str, taken: set) -> str:
        while True:
            district = self.rng.choice(DISTRICTS)
            place = " ".join(p for p in (district, self.rng.choice(PLACES)) if p)
            name = f"{place} {self.rng.choice(PHASE_SUFFIX[phase])}"
            if name not in taken:
                taken.add(name)
                return name

    def people(self) -> None:
        password = make_password(LOAD_PASSWORD)  # hashed once: every account shares it
        users, memberships = [], []
        for school in self.schools:
            for role, prefix in (
                (Role.SENCO, "senco"),
                (Role.HEADTEACHER, "head"),
                (Role.GOVERNOR, "governor"),
            ):
                user = User(
                    email=f"{prefix}.{school.urn}@{EMAIL_DOMAIN}", password=password,
                    full_name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
                )  # fmt: skip
                users.append(user)
                memberships.append((user, role, school, None))
        for la, officers in ((self.la, LA_OFFICERS), (self.small_la, 1)):
            for n in range(1, officers + 1):
                user = User(email=f"officer{n}.{la.code}@{EMAIL_DOMAIN}", password=password,
                            full_name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}")  # fmt: skip
                users.append(user)
                memberships.append((user, Role.LA_OFFICER, None, la))
            user = User(email=f"admin.{la.code}@{EMAIL_DOMAIN}", password=password, full_name="LA admin")
            users.append(user)
            memberships.append((user, Role.LA_ADMIN, None, la))
        _batches(users, User)
        rows = [
            Membership(user=user, role=role, school=school, local_authority=la, created_at=self.at(datetime.date(2024, 9, 2)))
            for user, role, school, la in memberships
        ]  # fmt: skip
        _batches(rows, Membership)
        secret = encrypt(LOAD_TOTP_SECRET)
        _batches(
            [
                Authenticator(user=user, type=Authenticator.Type.TOTP, data={"secret": secret})
                for user, role, _, _ in memberships
                if role in {Role.SENCO, Role.HEADTEACHER, Role.LA_OFFICER, Role.LA_ADMIN}
            ],
            Authenticator,
        )
        self.senco = {school.pk: user for user, role, school, _ in memberships if role == Role.SENCO}
        self.officer = {la.pk: user for user, role, _, la in memberships if role == Role.LA_OFFICER}
        self.counts.users = len(users)
        self.say(f"  {len(users)} accounts (password {LOAD_PASSWORD})")

    # --- the framework -------------------------------------------------------------------------------

    def framework(self) -> None:
        framework = Framework.objects.create(
            slug=FRAMEWORK_SLUG, title="Ordinarily available provision (Fenwick)", publisher=Framework.Publisher.SENDPLAN,
            description="A framework generated for benchmarks and load tests.",
        )  # fmt: skip
        scale = RatingScale.objects.create(allow_not_applicable=True, met_value=MET)
        ScaleLevel.objects.bulk_create(
            [ScaleLevel(scale=scale, value=v, label=lb, descriptor=d) for v, lb, d in LEVELS]
        )
        first_year = int(self.years[0][:4])
        self.version = FrameworkVersion.objects.create(
            framework=framework, label=str(first_year), status=FrameworkVersion.Status.PUBLISHED,
            published_on=datetime.date(first_year, 9, 1), scale=scale,
        )  # fmt: skip
        n_sections = max(min(3, self.n_criteria), min(len(SECTION_TITLES), round(self.n_criteria / 10)))
        sections = Section.objects.bulk_create(
            [
                Section(
                    version=self.version, ref=ref, title=title, position=i + 1,
                    kind=Section.Kind.AREA_OF_NEED if area else Section.Kind.WHOLE_SCHOOL, area_of_need=area,
                )
                for i, (ref, title, area) in enumerate(SECTION_TITLES[:n_sections])
            ]
        )  # fmt: skip
        rows = []
        areas = [a for a, _ in AreaOfNeed.choices]
        for n in range(self.n_criteria):
            section = sections[n * n_sections // self.n_criteria]
            number = sum(1 for c in rows if c.section is section) + 1
            area = section.area_of_need or (areas[n % 4] if n % 3 == 0 else "")
            area_words = dict(AreaOfNeed.choices).get(area, "SEND").lower()
            statutory = section.ref == "STAT" or n % 11 == 0  # about one in ten is a legal duty
            guidance = not statutory and n % 7 == 3
            statement = f"{self.rng.choice(STATEMENT_VERBS)} {self.rng.choice(STATEMENT_OBJECTS).format(area=area_words)}."
            rows.append(
                Criterion(
                    version=self.version, section=section, ref=f"{section.ref}-{number:02d}", statement=statement,
                    guidance=f"Look for this in lessons, plans and what pupils and families say ({section.title.lower()}).",
                    evidence_examples=["Lesson visit notes", "Provision map", "Pupil voice"][: 1 + n % 3],
                    statutory=statutory, statutory_guidance=guidance,
                    statutory_source=self.rng.choice(STATUTES) if statutory else ("SEND Code of Practice 2015, 6.44" if guidance else ""),
                    area_of_need=area, tier=[Tier.UNIVERSAL, Tier.TARGETED, Tier.SPECIALIST][n % 3], position=n + 1,
                )
            )  # fmt: skip
        self.criteria = Criterion.objects.bulk_create(rows)
        self.sections = sections
        self.counts.criteria = len(self.criteria)
        self.say(f"  framework {FRAMEWORK_SLUG}: {len(self.criteria)} criteria in {n_sections} sections")

    # --- audits --------------------------------------------------------------------------------------

    def audits(self) -> None:
        rng = self.rng
        # Some sections are weak across the whole LA (its training priorities), some strong.
        section_bias = {s.pk: rng.choice([-0.9, -0.5, -0.2, 0.0, 0.0, 0.2, 0.4]) for s in self.sections}
        criterion_bias = {c.pk: rng.gauss(0, 0.35) for c in self.criteria}
        audits, plans = [], []  # plans: (audit, status, share rated, quality, year index)
        counts = {s: 0 for s, _ in CURRENT_STATES}
        current = len(self.years) - 1
        for number, school in enumerate(self.schools):
            quality = rng.gauss(0, 0.7)
            gaps = rng.random() < 0.15  # this school has statutory duties not met
            # The first schools take each state in turn, so even a small run has every state.
            state = CURRENT_STATES[number][0] if number < len(CURRENT_STATES) else self._pick(CURRENT_STATES)
            for index, year in enumerate(self.years):
                start = int(year[:4])
                if index < current:
                    if rng.random() < 0.12:
                        continue  # a school that did not audit that year
                    status = Audit.Status.ACCEPTED
                elif state == "not_started":
                    counts[state] += 1
                    continue
                else:
                    status = state
                created = self._date(datetime.date(start, 9, 8), datetime.date(start, 11, 20))
                audit = Audit(
                    school=school, framework_id=self.version.framework_id, framework_version=self.version,
                    academic_year=year, status=status, created_by=self.senco[school.pk], created_at=self.at(created),
                )  # fmt: skip
                if status != Audit.Status.DRAFT:
                    latest = datetime.date(start + 1, 6, 30) if index < current else self.today
                    submitted = self._date(created + datetime.timedelta(days=14), latest)
                    audit.submitted_at = self.at(submitted)
                    if status in (Audit.Status.RETURNED, Audit.Status.ACCEPTED):
                        decided = self._date(
                            submitted + datetime.timedelta(days=3),
                            min(submitted + datetime.timedelta(days=45), self.today),
                        )
                        audit.decided_at = max(self.at(decided), audit.submitted_at)
                audits.append(audit)
                share = 1.0 if status != Audit.Status.DRAFT else rng.choice([0.05, 0.2, 0.4, 0.6, 0.8, 0.95])
                plans.append((audit, status, share, quality + 0.25 * index, gaps, index == current))
                if index == current:
                    counts[status] += 1
        _batches(audits, Audit)
        self.counts.audits = counts
        self.say(f"  {len(audits)} audits; this year: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

        ratings, events, comments, evidence_rows, actions = [], [], [], [], []
        labels = {v: lb for v, lb, _ in LEVELS}
        for audit, status, share, quality, gaps, _ in plans:
            user = audit.created_by
            rated = int(len(self.criteria) * share)
            audit_ratings = []
            for n, criterion in enumerate(self.criteria):
                rating = Rating(school_id=audit.school_id, audit=audit, criterion=criterion)
                if n < rated:
                    self._rate(
                        rating,
                        criterion,
                        quality + section_bias[criterion.section_id] + criterion_bias[criterion.pk],
                        gaps,
                        status,
                    )
                    rating.version, rating.updated_by, rating.updated_at = 1, user, audit.created_at
                audit_ratings.append(rating)
            ratings.extend(audit_ratings)
            events.append(AuditEvent(school_id=audit.school_id, audit=audit, at=audit.created_at, actor=user,
                                     kind=AuditEvent.Kind.CREATED, detail={"version": str(self.version), "academic_year": audit.academic_year}))  # fmt: skip
            if audit.submitted_at:
                events.append(AuditEvent(school_id=audit.school_id, audit=audit, at=audit.submitted_at, actor=user,
                                         kind=AuditEvent.Kind.SUBMITTED, detail={"status": {"old": "draft", "new": "submitted"}}))  # fmt: skip
            if audit.decided_at:
                officer = self.officer[audit.school.local_authority_id]
                kind = (
                    AuditEvent.Kind.RETURNED if status == Audit.Status.RETURNED else AuditEvent.Kind.ACCEPTED
                )
                comment = rng.choice(RETURN_REASONS) if status == Audit.Status.RETURNED else (
                    "Thank you: a thorough audit. Accepted." if rng.random() < 0.4 else "")  # fmt: skip
                events.append(AuditEvent(school_id=audit.school_id, audit=audit, at=audit.decided_at, actor=officer, kind=kind,
                                         detail={"status": {"old": "submitted", "new": status}, "comment": comment}))  # fmt: skip
                if comment:
                    comments.append(
                        LAComment(
                            school_id=audit.school_id,
                            audit=audit,
                            author=officer,
                            text=comment,
                            at=audit.decided_at,
                        )
                    )
                if status == Audit.Status.RETURNED:
                    audit.returned_snapshot = self._snapshot(audit, audit_ratings, labels)
            if share > 0.3:
                evidence_rows.append(Evidence(
                    school_id=audit.school_id, audit=audit, title="SEND provision map", url="https://example.org/provision-map",
                    uploaded_by=user, uploaded_at=audit.created_at, shareable_with_governors=rng.random() < 0.5,
                ))  # fmt: skip
            lowest = [r for r in audit_ratings if r.level == 0][:3]
            for r in lowest:
                actions.append(Action(
                    school_id=audit.school_id, audit=audit, criterion=r.criterion, owner="SENCO",
                    what=f"Put {r.criterion.ref} in place: agree an approach with staff and check it each half-term",
                    due=self._date(self.today - datetime.timedelta(days=60), self.today + datetime.timedelta(days=200)),
                    status=rng.choice(list(Action.Status.values)), created_by=user, created_at=audit.created_at,
                ))  # fmt: skip
        _batches(ratings, Rating)
        _batches(events, AuditEvent)
        _batches(comments, LAComment)
        _batches(actions, Action)
        evidence = _batches(evidence_rows, Evidence)
        Audit.objects.bulk_update(
            [p[0] for p in plans if p[1] == Audit.Status.RETURNED], ["returned_snapshot"], batch_size=500
        )
        # The provision map supports the first criterion of each section it was added in.
        firsts = {c.pk for c in self.criteria if c.ref.endswith("-01")}
        by_audit = {e.audit_id: e for e in evidence}
        through = Rating.evidence.through
        _batches(
            [through(rating_id=r.pk, evidence_id=by_audit[r.audit_id].pk) for r in ratings
             if r.criterion_id in firsts and r.audit_id in by_audit and r.level is not None],
            through,
        )  # fmt: skip
        self.counts.ratings = len(ratings)
        self.say(f"  {len(ratings)} ratings, {len(evidence)} evidence, {len(actions)} actions")

    def _rate(self, rating: Rating, criterion: Criterion, score: float, gaps: bool, status: str) -> None:
        rng = self.rng
        if not criterion.statutory and rng.random() < 0.03:
            rating.not_applicable, rating.na_reason = True, rng.choice(NA_REASONS)
            return
        level = round(1.6 + score + rng.gauss(0, 0.6))
        level = max(0, min(3, level))
        if criterion.statutory and level < MET and not (gaps and rng.random() < 0.5):
            level = MET  # most schools meet their duties; a few (gaps) do not
        rating.level = level
        # A rationale for every rating above the lowest level; an audit in progress may lack a few.
        if level > 0 and status == Audit.Status.DRAFT and rng.random() < 0.1:
            return
        if level == 0 and rng.random() < 0.4:
            rating.rationale = ""
            return
        parts = [
            rng.choice(RATIONALE_OPENINGS[level]),
            rng.choice(RATIONALE_EVIDENCE).format(month=rng.choice(MONTHS), n=rng.randint(3, 10)),
            rng.choice(RATIONALE_NEXT),
        ]
        rating.rationale = " ".join(p for p in parts if p)

    def _snapshot(self, audit: Audit, ratings: list[Rating], labels: dict) -> dict:
        """Return the ratings as submitted, in the shape audits.services.audits._as_submitted keeps them."""
        sections = {s.pk: s for s in self.sections}
        return {
            "submitted_at": audit.submitted_at.isoformat(),
            "ratings": [
                {
                    "section": f"{sections[r.criterion.section_id].ref} {sections[r.criterion.section_id].title}",
                    "ref": r.criterion.ref, "statement": r.criterion.statement,
                    "level": "Not applicable" if r.not_applicable else labels.get(r.level, "Not rated"),
                    "reason": r.na_reason if r.not_applicable else r.rationale,
                    "evidence": ["SEND provision map"] if r.criterion.ref.endswith("-01") and r.level is not None else [],
                }
                for r in ratings
            ],
        }  # fmt: skip

    def _pick(self, choices):
        roll, total = self.rng.random(), 0.0
        for value, share in choices:
            total += share
            if roll < total:
                return value
        return choices[-1][0]

    def _date(self, first: datetime.date, last: datetime.date) -> datetime.date:
        last = min(last, self.today)
        first = min(first, last)
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    # --- pupils and EHC plans ------------------------------------------------------------------------

    def register(self) -> None:
        rng = self.rng
        start = int(self.years[-1][:4])
        pupils, pending = [], []  # pending: (pupil, (plan stage, variant))
        forced = list(FORCED_PLANS)
        for school in self.schools:
            years = PHASE_YEAR_GROUPS[school.phase]
            special = school.phase == School.Phase.SPECIAL
            size = {
                "primary": (12, 40),
                "secondary": (40, 110),
                "special": (40, 90),
                "all_through": (60, 130),
            }.get(school.phase, (8, 30))
            for _ in range(rng.randint(*size)):
                year = rng.choice(years)
                provision = (
                    "E"
                    if special and rng.random() < 0.9
                    else self._pick([("E", 0.12), ("K", 0.78), ("N", 0.10)])
                )
                primary = secondary = ""
                if provision != "N":
                    primary = rng.choice(["ASD", "SLCN", "SEMH", "SPLD", "MLD", "SLD", "PMLD", "HI", "VI", "PD", "OTH"]
                                         + (["NSA"] if provision == "K" else []))  # fmt: skip
                    if primary != "NSA" and rng.random() < 0.3:
                        secondary = rng.choice(
                            [c for c in ("SLCN", "SEMH", "SPLD", "ASD", "MLD") if c != primary]
                        )
                born = self._birthday(year, start)
                pupil = Pupil(
                    school=school, first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                    date_of_birth=born, year_group=year, upn="", sen_provision=provision, primary_need=primary,
                    secondary_need=secondary, free_school_meals=rng.random() < 0.35, pupil_premium=rng.random() < 0.3,
                    eal=rng.random() < 0.2, added_to_register_on=self._date(max(born, datetime.date(start - 4, 9, 1)), self.today),
                    left_on=self._date(self.today - datetime.timedelta(days=120), self.today) if rng.random() < 0.03 else None,
                )  # fmt: skip
                pupils.append(pupil)
                if pupil.left_on is not None or provision == "N":
                    continue
                if forced:  # the first pupils take every stage in turn, so even a small run has each
                    spec = forced.pop(0)
                    pupil.sen_provision = "E" if spec[0] == "final" else "K"
                    if pupil.primary_need == "NSA":
                        pupil.primary_need = "SLCN"
                    pending.append((pupil, spec))
                elif provision == "E":
                    pending.append((pupil, ("final", None)))
                elif provision == "K" and rng.random() < 0.06:
                    stage = self._pick(
                        [("request", 0.3), ("decision", 0.2), ("advice", 0.25), ("draft", 0.25)]
                    )
                    pending.append((pupil, (stage, None)))
        _batches(pupils, Pupil)
        self.counts.pupils = len(pupils)
        self.say(f"  {len(pupils)} pupils on the register")
        self.plans(pending)

    def _birthday(self, year: str, start: int) -> datetime.date:
        offset = {"N1": -2, "N2": -1, "R": 0}.get(year)
        age = offset if offset is not None else int(year)
        born_by = datetime.date(start - age - 5, 8, 31)
        return born_by - datetime.timedelta(days=self.rng.randint(0, 364))

    def plans(self, pending: Iterable[tuple[Pupil, str]]) -> None:
        rng, today = self.rng, self.today
        plans, counts = [], {}
        for pupil, (stage, variant) in pending:
            senco = self.senco[pupil.school_id]
            plan = Plan(school_id=pupil.school_id, pupil=pupil, created_at=self.at(today))
            if stage == "final":
                requested = self._date(max(pupil.date_of_birth + datetime.timedelta(days=700), today - datetime.timedelta(days=8 * 365)),
                                       today - datetime.timedelta(weeks=22))  # fmt: skip
                timely = rng.random() < 0.55 if variant is None else variant == "timely"
                weeks = rng.randint(14, 20) if timely else rng.randint(21, 40)
                plan.requested_on = requested
                plan.decided_on = requested + datetime.timedelta(weeks=rng.randint(4, 8))
                plan.advice_requested_on = plan.decided_on + datetime.timedelta(days=rng.randint(1, 10))
                plan.final_issued_on = min(requested + datetime.timedelta(weeks=weeks), today)
                plan.draft_sent_on = plan.final_issued_on - datetime.timedelta(weeks=rng.randint(2, 4))
                plan.draft_sent_by = rng.choice(["email", "first_class", "second_class", "by_hand"])
                plan.draft_served_on = plan.draft_sent_on + datetime.timedelta(days=rng.randint(0, 3))
                if not timely and (rng.random() < 0.3 if variant is None else variant == "exception"):
                    plan.time_limit_exception = rng.choice(list(Plan.TimeLimitException.values))
                if plan.final_issued_on < today - datetime.timedelta(days=365) and rng.random() < 0.75:
                    plan.last_review_meeting_on = self._date(
                        today - datetime.timedelta(days=330), today - datetime.timedelta(days=7)
                    )
                    plan.last_review_concluded_on = min(
                        plan.last_review_meeting_on + datetime.timedelta(weeks=rng.randint(2, 6)), today
                    )
                plan.status = VersionStatus.FINAL
                key = (
                    "final, within 20 weeks"
                    if weeks <= 20
                    else ("final, late with an exception" if plan.time_limit_exception else "final, late")
                )
            else:
                # Under way: overdue when the step expected by now has not come.
                overdue = rng.random() < 0.35 if variant is None else variant == "overdue"
                age = {"request": (1, 5), "decision": (7, 12), "advice": (10, 16), "draft": (14, 19)}[stage]
                if overdue:
                    age = {"request": (7, 14), "decision": (17, 26), "advice": (21, 30), "draft": (21, 32)}[
                        stage
                    ]
                plan.requested_on = today - datetime.timedelta(
                    weeks=rng.randint(*age), days=rng.randint(0, 6)
                )
                if stage != "request":
                    plan.decided_on = plan.requested_on + datetime.timedelta(weeks=rng.randint(4, 6))
                if stage in ("advice", "draft"):
                    plan.advice_requested_on = min(
                        plan.decided_on + datetime.timedelta(days=rng.randint(1, 14)), today
                    )
                if stage == "draft":
                    plan.draft_sent_on = min(
                        plan.advice_requested_on + datetime.timedelta(weeks=rng.randint(5, 8)), today
                    )
                    plan.draft_sent_by = "email"
                plan.status = VersionStatus.SUBMITTED if variant else rng.choice([VersionStatus.SUBMITTED, VersionStatus.SUBMITTED, VersionStatus.SUBMITTED,
                                          VersionStatus.RETURNED, VersionStatus.DRAFT])  # fmt: skip
                key = f"{stage}{', overdue' if overdue else ''}"
            plan.created_at = self.at(plan.requested_on)
            counts[key] = counts.get(key, 0) + 1
            plans.append((plan, senco))
        _batches([p for p, _ in plans], Plan)
        versions, events, needs = [], [], []
        for plan, senco in plans:
            submitted_at = self.at(plan.requested_on + datetime.timedelta(days=rng.randint(0, 3)))
            common = dict(school_id=plan.school_id, plan=plan, created_at=plan.created_at,
                          a_views=f"{plan.pupil.first_name} enjoys {rng.choice(['music', 'football', 'drawing', 'trains', 'Lego', 'swimming'])}.")  # fmt: skip
            events.append(PlanEvent(school_id=plan.school_id, plan=plan, version_number=1, at=plan.created_at, actor=senco,
                                    actor_role=Role.SENCO, action=PlanEvent.Action.CREATED))  # fmt: skip
            if plan.status == VersionStatus.FINAL:
                finalised = self.at(plan.final_issued_on)
                versions.append(PlanVersion(number=1, kind=PlanVersion.Kind.FINAL, status=VersionStatus.FINAL,
                                            submitted_at=submitted_at, finalised_at=finalised, **common))  # fmt: skip
                events.append(PlanEvent(school_id=plan.school_id, plan=plan, version_number=1, at=submitted_at, actor=senco,
                                        actor_role=Role.SENCO, action=PlanEvent.Action.SUBMITTED))  # fmt: skip
                events.append(PlanEvent(school_id=plan.school_id, plan=plan, version_number=1, at=finalised,
                                        actor=self.officer[self.la.pk if plan.school_id in self._big_ids else self.small_la.pk],
                                        actor_role=Role.LA_OFFICER, action=PlanEvent.Action.FINALISED))  # fmt: skip
            elif plan.status == VersionStatus.SUBMITTED:
                versions.append(
                    PlanVersion(number=1, status=VersionStatus.SUBMITTED, submitted_at=submitted_at, **common)
                )
                events.append(PlanEvent(school_id=plan.school_id, plan=plan, version_number=1, at=submitted_at, actor=senco,
                                        actor_role=Role.SENCO, action=PlanEvent.Action.SUBMITTED))  # fmt: skip
            elif plan.status == VersionStatus.RETURNED:
                # As plan_return leaves it: the returned version, and a new draft made from it.
                versions.append(
                    PlanVersion(number=1, status=VersionStatus.RETURNED, submitted_at=submitted_at, **common)
                )
                versions.append(PlanVersion(number=2, status=VersionStatus.DRAFT, **common))
                events.append(PlanEvent(school_id=plan.school_id, plan=plan, version_number=1, at=submitted_at, actor=senco,
                                        actor_role=Role.SENCO, action=PlanEvent.Action.SUBMITTED))  # fmt: skip
                events.append(PlanEvent(school_id=plan.school_id, plan=plan, version_number=1, at=max(submitted_at, self.at(today)),
                                        actor_role=Role.LA_OFFICER, action=PlanEvent.Action.RETURNED,
                                        note="Section F needs to say how often and for how long."))  # fmt: skip
            else:
                versions.append(PlanVersion(number=1, **common))
        versions = _batches(versions, PlanVersion)
        for version in versions:
            area = AREA_OF_NEED.get(version.plan.pupil.primary_need) or "cognition_learning"
            needs.append(Need(school_id=version.school_id, version=version, area_of_need=area, position=1,
                              text=f"{version.plan.pupil.first_name} needs help with {dict(AreaOfNeed.choices)[area].lower()}."))  # fmt: skip
        _batches(needs, Need)
        _batches(events, PlanEvent)
        _batches(
            [Carer(school_id=plan.school_id, pupil=plan.pupil, name=f"Parent of {plan.pupil.full_name}",
                   relationship="Parent", phone="01632 960000") for plan, _ in plans],
            Carer,
        )  # fmt: skip
        self.counts.plans = dict(sorted(counts.items()))
        self.say(f"  {len(plans)} EHC plans: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    @property
    def _big_ids(self) -> set[int]:
        if not hasattr(self, "_big"):
            self._big = {s.pk for s in self.schools if s.local_authority_id == self.la.pk}
        return self._big


def refresh_summaries(*, missing_only: bool = False) -> str:
    """Work out the generated audits' levels into the LA summary table (audits.AuditLevel); say what was done.

    The rows above are written without the services, which keep that table current, so it is filled
    here with the same rules (audits.levels.audit_levels_rebuild). ``missing_only``: only audits with no
    levels yet (data generated before the table existed).
    """
    try:
        from audits.levels import audit_levels_rebuild
    except ImportError:  # a checkout without the summary table has nothing to refresh
        return "no summary table to refresh"
    audits = Audit.objects.filter(school__local_authority__code__in=[LA_CODE, SMALL_LA_CODE])
    if missing_only:
        audits = audits.filter(levels__isnull=True).distinct()
    return f"levels worked out for {audit_levels_rebuild(audits)} audits"
