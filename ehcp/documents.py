"""The EHC plan and a pupil's packs as documents: the whole plan (a page, a PDF and a Word file), the EHC
needs assessment request pack and the subject access pack.

Each document is data gathered once (``*_data``: JSON, stored on the report row when someone asks for
the document, so later edits never change it) and a layout of that data (``*_layout``: pure, no
database), which the whole-plan page, the print layouts in templates/reports/ and the Word outline all
use. The kinds are offered through the report pipeline (sendplan/reports.py) when the app loads.
"""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from ehcp.census import AREAS_OF_NEED, NEED_CODES, SEN_PROVISION
from ehcp.models import PROVISION_SECTIONS, Plan, PlanEvent, PlanVersion, Provision, Pupil, YearGroup
from ehcp.selectors import (
    audit_evidence,
    pupil_areas_of_need,
    pupil_subject_access,
    version_as_dict,
    versions_visible,
)
from sendplan.errors import DomainError
from sendplan.models import AccessEvent, Membership, Report, Role
from sendplan.reports import DocumentKind, register_kind
from sendplan.word import Heading, Outline, Paragraph, Table

# Each section of a plan headed as the SEND Regulations 2014, reg 12(1), and the Code of Practice
# (9.62) name it: the headings a panel, a parent or a tribunal looks for.
SECTION_HEADINGS: dict[str, str] = {
    "A": "Section A: The views, interests and aspirations of the child and their parents, or of the "
    "young person",
    "B": "Section B: The special educational needs",
    "C": "Section C: The health needs which relate to the special educational needs",
    "D": "Section D: The social care needs which relate to the special educational needs or to a disability",
    "E": "Section E: The outcomes sought",
    "F": "Section F: The special educational provision required by each of the needs",
    "G": "Section G: Any health provision reasonably required by the learning difficulties or "
    "disabilities which result in the special educational needs",
    "H1": "Section H1: Any social care provision which must be made under section 2 of the Chronically "
    "Sick and Disabled Persons Act 1970",
    "H2": "Section H2: Any other social care provision reasonably required by the learning difficulties "
    "or disabilities which result in the special educational needs",
    "I": "Section I: The name and type of the school or other institution to be attended",
    "J": "Section J: The personal budget, including any direct payments",
    "K": "Section K: The advice and information gathered during the EHC needs assessment",
}
SECTION_ORDER = list(SECTION_HEADINGS)

# Section A's three parts: (key in the version's data, field on PlanVersion that names it).
A_PARTS = (
    ("views_interests_aspirations", "a_views"),
    ("history", "a_history"),
    ("communication", "a_communication"),
)
TEXT_FIELDS = {
    "C": "c_health_needs",
    "D": "d_social_care_needs",
    "I": "i_placement",
    "J": "j_personal_budget",
}
EMPTY = {
    "B": "No needs recorded.",
    "E": "No outcomes recorded.",
    "K": "No advice or information listed.",
} | {code: "No provision recorded in this section." for code in PROVISION_SECTIONS}
NOT_STATED = "Not stated"
AREA_LABELS = dict(AREAS_OF_NEED)
PROVISION_LABELS = {"who": "Who delivers it"} | {
    name: capfirst(Provision._meta.get_field(name).verbose_name) for name in Provision.DETAIL_FIELDS
}


# --- dates (snapshots hold ISO strings) ------------------------------------------------------------------


def _parse(value: str | None) -> date | datetime | None:
    if not value:
        return None
    if "T" in value:
        return timezone.localtime(datetime.fromisoformat(value))
    return date.fromisoformat(value)


def long_date(value: str | None, default: str = "") -> str:
    """Return "3 December 2026" for an ISO date or date-time (local time), or the default."""
    parsed = _parse(value)
    return f"{parsed.day} {parsed:%B %Y}" if parsed else default


def date_time(value: str | None) -> str:
    """Return "3 December 2026, 14:02" for an ISO date-time."""
    parsed = _parse(value)
    return f"{parsed.day} {parsed:%B %Y}, {parsed:%H:%M}" if parsed else ""


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


# --- the plan ------------------------------------------------------------------------------------------


def plan_data(version: PlanVersion) -> dict:
    """Return one version of a plan with the pupil, school and dates its document shows (JSON)."""
    plan = version.plan
    data = version_as_dict(version)
    data["pupil"]["year_group"] = plan.pupil.year_group
    data["school"]["local_authority"] = plan.school.local_authority.name
    data["dates"] = {
        name: getattr(plan, name).isoformat() if getattr(plan, name) else None for name in Plan.DATE_FIELDS
    }
    data["version_dates"] = {
        "created": _iso(version.created_at),
        "submitted": _iso(version.submitted_at),
        "finalised": _iso(version.finalised_at),
    }
    return data


def plan_gather(plan: Plan, *, by: Membership | None, version: int | str | None = None) -> dict:
    """Return the data of the version asked for (the latest this person may see if none is named).

    Without a membership (the operator's command) every version may be chosen.
    """
    versions = plan.versions.order_by("-number") if by is None else versions_visible(plan, by)
    versions = versions.select_related("plan__pupil", "plan__school__local_authority")
    chosen = versions.filter(number=version).first() if version not in (None, "") else versions.first()
    if chosen is None:
        raise DomainError("Select a version of the plan.")
    return plan_data(chosen)


def _ref(label: str, anchor: str) -> dict:
    return {"label": label, "anchor": anchor}


def provision_label(section: str, number: int) -> str:
    """Name a provision item by its section and place: F1, G2, H1.1, H2.3."""
    return f"{section}.{number}" if section in ("H1", "H2") else f"{section}{number}"


def plan_sections(version: dict, *, draft: bool) -> tuple[list[dict], list[dict]]:
    """Lay out sections A to K of a version's data, and the golden thread from each need (pure)."""
    sections = version["sections"]
    needs = sections["B"]["needs"]
    outcomes = sections["E"]["outcomes"]
    need_ref = {n["id"]: _ref(f"Need {i}", f"need-{i}") for i, n in enumerate(needs, start=1)}
    outcome_ref = {o["id"]: _ref(f"Outcome {i}", f"outcome-{i}") for i, o in enumerate(outcomes, start=1)}
    provision_ref: dict[str, dict] = {}
    for code in PROVISION_SECTIONS:
        for i, p in enumerate(sections[code]["provision"], start=1):
            label = provision_label(code, i)
            provision_ref[p["id"]] = _ref(label, f"provision-{label.lower().replace('.', '-')}")
    all_provision = [p for code in PROVISION_SECTIONS for p in sections[code]["provision"]]

    def refs(ids, table):
        return [table[i] for i in ids if i in table]

    need_rows = {
        n["id"]: {
            **need_ref[n["id"]],
            "text": n["text"],
            "area": AREA_LABELS.get(n["area_of_need"], n["area_of_need"]),
            "outcomes": [outcome_ref[o["id"]] for o in outcomes if n["id"] in o["needs"]],
            "provision": [provision_ref[p["id"]] for p in all_provision if n["id"] in p["needs"]],
        }
        for n in needs
    }
    laid_out = []
    for code in SECTION_ORDER:
        section: dict = {"code": code, "heading": SECTION_HEADINGS[code]}
        if code == "A":
            section["fields"] = [
                (PlanVersion._meta.get_field(field).verbose_name, sections["A"][key])
                for key, field in A_PARTS
            ]
        elif code in TEXT_FIELDS:
            section["fields"] = [
                (PlanVersion._meta.get_field(TEXT_FIELDS[code]).verbose_name, sections[code]["text"])
            ]
        elif code == "B":
            section["areas"] = [
                (label, [need_rows[n["id"]] for n in needs if n["area_of_need"] == area])
                for area, label in AREAS_OF_NEED
                if any(n["area_of_need"] == area for n in needs)
            ]
        elif code == "E":
            section["outcomes"] = [
                {
                    **outcome_ref[o["id"]],
                    "text": o["text"],
                    "timeframe": o["timeframe"] or NOT_STATED,
                    "steps": o["steps"] or NOT_STATED,
                    "needs": refs(o["needs"], need_ref),
                    "provision": [provision_ref[p["id"]] for p in all_provision if o["id"] in p["outcomes"]],
                }
                for o in outcomes
            ]
        elif code in PROVISION_SECTIONS:
            section["provision"] = [
                _provision_row(p, provision_ref, need_ref, outcome_ref) for p in sections[code]["provision"]
            ]
        else:
            section["advice"] = [
                {"source": a["source"], "author": a["author"], "date": long_date(a["date"])}
                for a in sections["K"]["advice"]
            ]
        if "fields" in section and not any(text.strip() for _, text in section["fields"]):
            del section["fields"]
            section["empty"] = (
                "Left blank in a draft: the local authority names the school or other institution in the "
                "final plan."
                if code == "I" and draft
                else "Nothing recorded in this section."
            )
        elif not any(section.get(key) for key in ("fields", "areas", "outcomes", "provision", "advice")):
            section["empty"] = EMPTY[code]
        laid_out.append(section)
    thread = [need_rows[n["id"]] for n in needs]
    return laid_out, thread


def _provision_row(p: dict, provision_ref: dict, need_ref: dict, outcome_ref: dict) -> dict:
    details = []
    for name in Provision.DETAIL_FIELDS[1:]:  # "what" is the item's own line
        value = p[name]
        if name in ("start_date", "review_date"):
            value = long_date(value)
        details.append((PROVISION_LABELS[name], value or NOT_STATED))
    return {
        **provision_ref[p["id"]],
        "what": p["what"],
        "details": details,
        "needs": [need_ref[i] for i in p["needs"] if i in need_ref],
        "outcomes": [outcome_ref[i] for i in p["outcomes"] if i in outcome_ref],
    }


def _labels(refs: list[dict]) -> str:
    return ", ".join(r["label"] for r in refs) or "None linked"


def version_heading(version: dict) -> str:
    """Return e.g. "Version 2: Draft plan (submitted to the LA)"."""
    kind = PlanVersion.Kind(version["kind"]).label
    status = PlanVersion.Status(version["status"]).label
    return f"Version {version['version']}: {kind} ({status[0].lower()}{status[1:]})"


def plan_layout(data: dict) -> dict:
    """Return what the whole plan shows, in order: the cover, the golden thread and sections A to K."""
    pupil, school = data["pupil"], data["school"]
    draft = data["status"] != PlanVersion.Status.FINAL
    name = f"{pupil['first_name']} {pupil['last_name']}"
    cover = [
        ("Child or young person", name),
        ("Date of birth", long_date(pupil["date_of_birth"])),
        ("Year group", YearGroup(pupil["year_group"]).label if pupil.get("year_group") else NOT_STATED),
        ("UPN", pupil["upn"] or NOT_STATED),
        ("School", f"{school['name']} (URN {school['urn']})"),
        ("Local authority", school.get("local_authority", "")),
        ("Version", f"{data['version']}: {PlanVersion.Kind(data['kind']).label}"),
        ("Status", PlanVersion.Status(data["status"]).label),
    ]
    for name_, label in (
        ("requested_on", "EHC needs assessment requested"),
        ("decided_on", "LA decided to assess"),
        ("draft_sent_on", "Draft plan sent to the family"),
        ("final_issued_on", "Final plan issued"),
        ("last_review_meeting_on", "Last annual review meeting"),
        ("phase_transfer_on", "Moves to the next phase"),
    ):
        if value := data.get("dates", {}).get(name_):
            cover.append((label, long_date(value)))
    for key, label in (
        ("created", "This version started"),
        ("submitted", "Submitted to the LA"),
        ("finalised", "Made final"),
    ):
        if value := data.get("version_dates", {}).get(key):
            cover.append((label, long_date(value)))
    sections, thread = plan_sections(data, draft=draft)
    return {
        "title": f"EHC plan for {name}",
        "draft": draft,
        "pupil_name": name,
        "cover": cover,
        "thread": thread,
        "sections": sections,
        "version_heading": version_heading(data),
    }


def plan_summary(data: dict) -> str:
    return f"Version {data['version']}, {PlanVersion.Status(data['status']).label.lower()}"


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(part.strip()) for part in text.split("\n") if part.strip()]


def plan_outline(context: dict, document: dict) -> Outline:
    """Return the whole plan as a Word outline: the same cover, golden thread and sections as the PDF."""
    outline = Outline(
        title=context["title"],
        organisation=document["school"],
        draft=document["draft"],
        subtitle=context["version_heading"],
    )
    if document["draft"]:
        outline.add(Paragraph("DRAFT", bold=True))
    outline.add(
        Table(["About this plan", "Details"], [list(row) for row in context["cover"]], row_headers=True)
    )
    outline.add(Heading("How needs, outcomes and provision join up", 1))
    if context["thread"]:
        outline.add(
            Table(
                ["Need", "Outcomes", "Provision"],
                [
                    [f"{n['label']}: {n['text']}", _labels(n["outcomes"]), _labels(n["provision"])]
                    for n in context["thread"]
                ],
            )
        )
    else:
        outline.add(Paragraph("No needs recorded yet."))
    for section in context["sections"]:
        outline.add(Heading(section["heading"], 1))
        if "empty" in section:
            outline.add(Paragraph(section["empty"]))
        for label, text in section.get("fields", []):
            outline.add(Heading(capfirst(label), 2), *(_paragraphs(text) or [Paragraph("Nothing recorded.")]))
        for area, needs in section.get("areas", []):
            outline.add(Heading(area, 2))
            for need in needs:
                outline.add(
                    Paragraph(f"{need['label']}: {need['text']}"),
                    Paragraph(
                        f"Outcomes: {_labels(need['outcomes'])}. Provision: {_labels(need['provision'])}."
                    ),
                )
        for outcome in section.get("outcomes", []):
            outline.add(Heading(outcome["label"], 2), *_paragraphs(outcome["text"]))
            outline.add(
                Table(
                    ["About this outcome", "Details"],
                    [
                        ["Timeframe", outcome["timeframe"]],
                        ["Steps towards it", outcome["steps"]],
                        ["For needs", _labels(outcome["needs"])],
                        ["Provision", _labels(outcome["provision"])],
                    ],
                    row_headers=True,
                )
            )
        for item in section.get("provision", []):
            outline.add(Heading(f"{item['label']}: {item['what'][:120]}", 2))
            rows = [["What", item["what"]], *[list(d) for d in item["details"]]]
            rows += [["Meets needs", _labels(item["needs"])], ["Towards outcomes", _labels(item["outcomes"])]]
            outline.add(Table(["About this provision", "What the plan says"], rows, row_headers=True))
        if section.get("advice"):
            outline.add(
                Table(
                    ["Advice or information", "From", "Date"],
                    [[a["source"], a["author"], a["date"]] for a in section["advice"]],
                )
            )
    return outline


# --- the EHC needs assessment request pack ---------------------------------------------------------------


def assessment_gather(pupil: Pupil, *, by: Membership | None) -> dict:
    """Return what an LA panel asks a school for when it requests an EHC needs assessment (JSON)."""
    areas = pupil_areas_of_need(pupil)
    ratings = audit_evidence(pupil.school, areas)
    plan = pupil.plans.first()
    version = plan.versions.order_by("-number").first() if plan else None
    audit = ratings[0]["audit"] if ratings else None
    return {
        "pupil": {
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "date_of_birth": pupil.date_of_birth.isoformat(),
            "year_group": pupil.year_group,
            "upn": pupil.upn,
            "sen_provision": pupil.sen_provision,
            "primary_need": pupil.primary_need,
            "secondary_need": pupil.secondary_need,
        },
        "school": {
            "name": pupil.school.name,
            "urn": pupil.school.urn,
            "local_authority": pupil.school.local_authority.name,
        },
        "areas": areas,
        "carers": [
            {"name": c.name, "relationship": c.relationship, "phone": c.phone, "email": c.email}
            for c in pupil.carers.all()
        ],
        "cycles": [
            {
                "started_on": c.started_on.isoformat(),
                "review_date": c.review_date.isoformat(),
                "assessed": c.assessed,
                "outcomes_sought": c.outcomes_sought,
                "provision_what": c.provision_what,
                "provision_frequency": c.provision_frequency,
                "provision_who": c.provision_who,
                "review_findings": c.review_findings,
                "parent_views": c.parent_views,
                "pupil_views": c.pupil_views,
            }
            for c in pupil.cycles.order_by("started_on", "pk")
        ],
        "oap": {
            "audit": str(audit) if audit else "",
            "submitted_at": _iso(audit.submitted_at) if audit else None,
            "ratings": [{"section": row["section"].title, "level": row["level_label"]} for row in ratings],
        },
        "plan_needs": [
            {"area": n.area_of_need, "text": n.text} for n in version.needs.order_by("position", "pk")
        ]
        if version
        else [],
        "advice": [
            {"source": a.source, "author": a.author, "date": a.date.isoformat()}
            for a in version.advice.order_by("position", "pk")
        ]
        if version
        else [],
        "plan_views": version.a_views if version else "",
    }


def _need(code: str) -> str:
    return f"{code}: {NEED_CODES[code]}" if code in NEED_CODES else "None"


def assessment_layout(data: dict) -> dict:
    """Return the request pack's sections: the pupil, support tried and its effect, OAP, advice, views."""
    pupil = data["pupil"]
    name = f"{pupil['first_name']} {pupil['last_name']}"
    cycles = [
        {
            "heading": f"Cycle {i}: {long_date(c['started_on'])} to {long_date(c['review_date'])}",
            "rows": [
                ("What was assessed", c["assessed"]),
                ("Outcomes sought", c["outcomes_sought"]),
                ("What was put in place", c["provision_what"]),
                ("How often", c["provision_frequency"]),
                ("Who delivered it", c["provision_who"]),
                ("Its effect: what the review found", c["review_findings"] or "Not yet reviewed"),
            ],
        }
        for i, c in enumerate(data["cycles"], start=1)
    ]
    reviewed = sum(1 for c in data["cycles"] if c["review_findings"].strip())
    if data["cycles"]:
        period = f"from {long_date(data['cycles'][0]['started_on'])} to {long_date(data['cycles'][-1]['review_date'])}"
        support = (
            f"{len(cycles)} assess, plan, do, review cycle{'s' if len(cycles) != 1 else ''} {period}; "
            f"{reviewed} reviewed with findings recorded."
        )
    else:
        support = "No assess, plan, do, review cycles recorded."
    views_parents = [
        (long_date(c["started_on"]), c["parent_views"]) for c in data["cycles"] if c["parent_views"].strip()
    ]
    views_pupil = [
        (long_date(c["started_on"]), c["pupil_views"]) for c in data["cycles"] if c["pupil_views"].strip()
    ]
    oap = data["oap"]
    return {
        "title": f"EHC needs assessment request – {name}",
        "pupil_rows": [
            ("Name", name),
            ("Date of birth", long_date(pupil["date_of_birth"])),
            ("Year group", YearGroup(pupil["year_group"]).label),
            ("UPN", pupil["upn"] or NOT_STATED),
            ("SEN provision", f"{pupil['sen_provision']}: {dict(SEN_PROVISION)[pupil['sen_provision']]}"),
            ("Primary need", _need(pupil["primary_need"])),
            ("Secondary need", _need(pupil["secondary_need"])),
            ("Broad areas of need", ", ".join(AREA_LABELS[a] for a in data["areas"]) or "None recorded"),
            ("School", f"{data['school']['name']} (URN {data['school']['urn']})"),
        ],
        "carers": data["carers"],
        "plan_needs": [(AREA_LABELS.get(n["area"], n["area"]), n["text"]) for n in data["plan_needs"]],
        "support": support,
        "cycles": cycles,
        "oap": {
            "areas": " and ".join(AREA_LABELS[a].lower() for a in data["areas"]),
            "audit": oap["audit"],
            "submitted": long_date(oap["submitted_at"]),
            "ratings": oap["ratings"],
        },
        "has_areas": bool(data["areas"]),
        "advice": [(a["source"], a["author"], long_date(a["date"])) for a in data["advice"]],
        "views_parents": views_parents,
        "views_pupil": views_pupil,
        "plan_views": data["plan_views"],
    }


# --- the subject access pack -----------------------------------------------------------------------------


def subject_access_gather(pupil: Pupil, *, by: Membership | None) -> dict:
    """Return everything held about the pupil: the same data as the JSON subject access export."""
    return pupil_subject_access(pupil)


def _label(choices, value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value or ""


def subject_access_layout(data: dict) -> dict:
    """Return the pack's sections: the record, carers, cycles, each plan with every version, the access log."""
    pupil = data["pupil"]
    name = f"{pupil['first_name']} {pupil['last_name']}"
    plans = []
    for number, plan in enumerate(data["plans"], start=1):
        versions = []
        for version in plan["versions"]:
            sections, thread = plan_sections(version, draft=version["status"] != PlanVersion.Status.FINAL)
            versions.append(
                {
                    "heading": version_heading(version),
                    "sections": sections,
                    "thread": thread,
                    "prefix": f"plan{number}-v{version['version']}-",  # ids stay unique across versions
                }
            )
        plans.append(
            {
                "heading": f"EHC plan {number}" if len(data["plans"]) > 1 else "EHC plan",
                "status": PlanVersion.Status(plan["status"]).label,
                "dates": [
                    (capfirst(Plan._meta.get_field(field).verbose_name), long_date(plan[field]))
                    for field in Plan.DATE_FIELDS
                    if plan.get(field)
                ],
                "versions": versions,
                "comments": [
                    (
                        date_time(c["at"]),
                        f"{c['by']} ({_label(Role, c['role'])})",
                        c["section"] or "Whole plan",
                        c["text"],
                    )
                    for c in plan["comments"]
                ],
                "events": [
                    (
                        date_time(e["at"]),
                        _label(PlanEvent.Action, e["action"]),
                        e["version"] or "",
                        _label(Role, e["role"]),
                        e["note"],
                    )
                    for e in plan["events"]
                ],
            }
        )
    return {
        "title": f"Subject access pack – {name}",
        "record": [
            ("Name", name),
            ("Date of birth", long_date(pupil["date_of_birth"])),
            ("Year group", _label(YearGroup, pupil["year_group"])),
            ("UPN", pupil["upn"] or NOT_STATED),
            ("SEN provision", f"{pupil['sen_provision']}: {dict(SEN_PROVISION)[pupil['sen_provision']]}"),
            ("Primary need", _need(pupil["primary_need"])),
            ("Secondary need", _need(pupil["secondary_need"])),
            ("School", f"{pupil['school']['name']} (URN {pupil['school']['urn']})"),
            ("Kept past the retention date (legal hold)", "Yes" if pupil["legal_hold"] else "No"),
        ],
        "carers": data["carers"],
        "cycles": [
            {
                "heading": f"Cycle started {long_date(c['started_on'])}",
                "rows": [
                    ("What was assessed", c["assessed"]),
                    ("Outcomes sought", c["outcomes_sought"]),
                    ("Provision", c["provision"]["what"]),
                    ("How often", c["provision"]["frequency"]),
                    ("Who delivers it", c["provision"]["who"]),
                    ("Review date", long_date(c["review_date"])),
                    ("What the review found", c["review_findings"] or "Not yet recorded"),
                    ("Parents' views", c["parent_views"] or "Not recorded"),
                    ("Pupil's views", c["pupil_views"] or "Not recorded"),
                ],
            }
            for c in data["graduated_approach"]
        ],
        "plans": plans,
        "access_log": [
            (
                date_time(e["at"]),
                e["by"] or "A person whose account was removed",
                f"{_label(Role, e['role'])}, {e['organisation']}",
                e["how_they_had_access"],
                _label(AccessEvent.Action, e["action"]),
                e["what"],
            )
            for e in data["access_log"]
        ],
    }


# --- offered through the report pipeline -----------------------------------------------------------------


def _page(name: str, report: Report) -> str:
    return reverse(name, args=[report.subject_id]) + f"#report-{report.public_id}"


register_kind(
    DocumentKind(
        kind=Report.Kind.EHC_PLAN,
        action="plan_document",
        subject=Plan,
        gather=plan_gather,
        template="reports/ehc_plan.html",
        layout=plan_layout,
        outline=plan_outline,
        summary=plan_summary,
        pupil=lambda plan: plan.pupil,
        page=lambda report: _page("ehcp:plan_documents", report),
    )
)
register_kind(
    DocumentKind(
        kind=Report.Kind.ASSESSMENT_REQUEST,
        action="pupil_document",
        subject=Pupil,
        gather=assessment_gather,
        template="reports/assessment_request.html",
        layout=assessment_layout,
        pupil=lambda pupil: pupil,
        page=lambda report: _page("ehcp:pupil_documents", report),
    )
)
register_kind(
    DocumentKind(
        kind=Report.Kind.SUBJECT_ACCESS,
        action="pupil_document",
        subject=Pupil,
        gather=subject_access_gather,
        template="reports/subject_access.html",
        layout=subject_access_layout,
        pupil=lambda pupil: pupil,
        page=lambda report: _page("ehcp:pupil_documents", report),
    )
)
