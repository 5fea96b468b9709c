"""An audit as documents: the governors' SEND health check and the full audit report (PDF, and Word).

As in ehcp/documents.py, each document is data gathered once (``*_gather``: JSON, stored on the report
row when someone asks for it, so later edits never change it) and a layout of that data (``*_layout``:
pure, no database) that the print layouts in templates/reports/ and the Word outline use. Every level,
duty, priority and strength comes from ``selectors.audit_summary``, never worked out again here; evidence
titles only through ``selectors.visible_evidence`` (a governor sees only what is shared with them); counts
of pupils only through sendplan/disclosure.py.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from audits import selectors
from audits.models import Action, Audit, Evidence, GovernorReview, LAComment, Rating
from ehcp.documents import long_date
from ehcp.selectors import school_sen_counts, sen_provision_counts_on
from sendplan.disclosure import FEWER_THAN, LEFT_OUT, count_text, counts_text
from sendplan.models import Membership, Report
from sendplan.reports import DocumentKind, register_kind
from sendplan.word import Bullets, Heading, Outline, Paragraph, Table
from standards.models import Framework

TOP_PRIORITIES = 5
STRENGTHS_SHOWN = 5
ACTIONS_SHOWN = 15  # overdue first, then the soonest due: keeps the health check within 6 pages
NO_AREA = "Other, or type of need not yet assessed"


# --- what both documents gather --------------------------------------------------------------------------


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _loaded(audit: Audit) -> Audit:
    """Return the audit with what every document names of it (school, LA, framework, scale) in one query."""
    return Audit.objects.select_related(
        "school__local_authority", "framework_version__framework", "framework_version__scale", "carried_from"
    ).get(pk=audit.pk)


def _visible_evidence(audit: Audit, by: Membership | None):
    # The operator's command (no membership) is the service's own staff: it sees all the school's evidence.
    if by is None:
        return Evidence.objects.filter(school_id=audit.school_id)
    return selectors.visible_evidence(by)


def evidence_titles(audit: Audit, by: Membership | None) -> dict[str, list[str]]:
    """Return, by criterion ref, the titles of the evidence the person may see (one query)."""
    links = (
        Rating.evidence.through.objects.filter(
            rating__audit=audit, evidence__in=_visible_evidence(audit, by).filter(school_id=audit.school_id)
        )
        .order_by("evidence__title")
        .values_list("rating__criterion__ref", "evidence__title")
    )
    titles: dict[str, list[str]] = {}
    for ref, title in links:
        titles.setdefault(ref, []).append(title)
    return titles


def _level(result, label: str) -> dict:
    return {
        "value": result.value,
        "label": label,
        "provisional": result.provisional,
        "withheld": result.withheld_reason or "",
        "capped": result.cap_reason or "",
        "rated": result.rated,
        "total": result.total,
        "duties": str(result.duties) if result.duties.total else "None",
    }


def _row(row: dict) -> dict:
    return {
        "ref": row["criterion__ref"],
        "statement": row["criterion__statement"],
        "section": row["criterion__section__title"],
        "level": row["level_label"],
        "duty_unmet": row["duty_unmet"],
        "statutory": row["criterion__statutory"],
    }


def _levels(summary: selectors.Summary) -> dict:
    return {
        "scale": [lv.label for lv in summary.levels],
        "values": [lv.value for lv in summary.levels],
        "met": summary.met_label,
        "cap": summary.cap_label,
        "overall": _level(summary.overall, summary.overall_label),
        "sections": [
            {"ref": s["ref"], "title": s["title"], **_level(s["level"], s["label"])} for s in summary.sections
        ],
        "duties": {
            "total": summary.duties.total,
            "met": summary.duties.met,
            "unmet": summary.duties.unmet,
            "unrated": summary.duties.unrated,
            "unmet_rows": [_row(r) for r in summary.duties_unmet],
            "unrated_rows": [_row(r) for r in summary.duties_unrated],
        },
        "answered": summary.answered,
        "total": summary.total,
        "outstanding": summary.outstanding,
    }


def action_state(action: Action, today) -> str:
    """Return "done", "overdue" or "on_track" for an action of the plan (Action.is_overdue is the rule)."""
    if action.status == Action.Status.DONE:
        return "done"
    return "overdue" if action.is_overdue(today) else "on_track"


def _actions(audit: Audit) -> list[dict]:
    today = timezone.localdate()
    return [
        {
            "ref": a.criterion.ref if a.criterion else "",
            "what": a.what,
            "owner": a.owner,
            "due": a.due.isoformat(),
            "status": a.get_status_display(),
            "state": action_state(a, today),
        }
        for a in selectors.audit_actions(audit)
    ]


def _audit_facts(audit: Audit) -> dict:
    framework = audit.framework_version.framework
    return {
        "framework": framework.title,
        "version": audit.framework_version.label,
        "academic_year": audit.academic_year,
        "status": audit.status,
        "status_label": audit.get_status_display(),
        "submitted_at": _iso(audit.submitted_at),
        "decided_at": _iso(audit.decided_at),
        "board_rates": framework.rated_by == Framework.RatedBy.GOVERNORS,
        "local_authority": audit.school.local_authority.name,
    }


def previous_audit(audit: Audit) -> Audit | None:
    """Return the audit this one follows: the one it was carried from, else the school's last one handed
    to the LA of the same framework before it."""
    if audit.carried_from_id:
        return audit.carried_from
    return (
        Audit.objects.filter(
            school_id=audit.school_id,
            framework_id=audit.framework_id,
            status__in=Audit.LA_VISIBLE,
            created_at__lt=audit.created_at,
        )
        .exclude(pk=audit.pk)
        .select_related("framework_version__scale")
        .order_by("-created_at")
        .first()
    )


# --- the governors' SEND health check ----------------------------------------------------------------------


def _change(audit: Audit) -> dict | None:
    previous = previous_audit(audit)
    if previous is None:
        return None
    compared = selectors.compare_audits(previous, audit)
    old, new, old_labels, new_labels = compared["overall"]
    return {
        "previous": f"{previous.academic_year} audit ({previous.get_status_display().lower()})",
        "overall": {
            "old": old_labels.get(old.value, "No level yet") if old.value is not None else "No level yet",
            "new": new_labels.get(new.value, "No level yet") if new.value is not None else "No level yet",
            "change": new.value - old.value if old.value is not None and new.value is not None else None,
        },
        "sections": [
            {"title": s["title"], "old": s["old"], "new": s["new"], "change": s["change"]}
            for s in compared["sections"]
        ],
    }


def _board_review(audit: Audit) -> dict | None:
    review = (
        GovernorReview.objects.filter(school_id=audit.school_id, audit__framework_id=audit.framework_id)
        .select_related("audit")
        .order_by("-reviewed_on", "-recorded_at")
        .first()
    )
    if review is None:
        return None
    return {
        "reviewed_on": review.reviewed_on.isoformat(),
        "minute": review.minute_reference,
        "audit": f"{review.audit.academic_year} audit",
        "this_audit": review.audit_id == audit.pk,
    }


def _register(audit: Audit) -> dict:
    today = timezone.localdate()
    year_ago = today - timedelta(days=365)
    now = school_sen_counts(audit.school)
    then = sen_provision_counts_on(audit.school, year_ago)
    return {
        "on": today.isoformat(),
        "year_ago": year_ago.isoformat(),
        "now": {"E": now["E"], "K": now["K"]},
        "then": then,
        "areas": [[label, count] for label, count in now["areas"]] + [[NO_AREA, now["other"]]],
    }


def health_check_gather(audit: Audit, *, by: Membership | None) -> dict:
    """Return what the governors' SEND health check shows (JSON)."""
    audit = _loaded(audit)
    summary = selectors.audit_summary(audit)
    titles = evidence_titles(audit, by)
    priorities = [{**_row(r), "evidence": titles.get(r["criterion__ref"], [])} for r in summary.priorities]
    strengths = [{**_row(r), "evidence": titles.get(r["criterion__ref"], [])} for r in summary.strengths]
    return {
        "audit": _audit_facts(audit),
        "levels": _levels(summary),
        "change": _change(audit),
        "priorities": priorities[:TOP_PRIORITIES],
        "strengths": strengths[:STRENGTHS_SHOWN],
        "actions": _actions(audit),
        "la_comments": [{"at": _iso(c.at), "text": c.text} for c in selectors.outcome_comments(audit)],
        "board_review": _board_review(audit),
        "register": _register(audit),
    }


def _change_words(change: int | None) -> str:
    if change is None:
        return "Cannot compare"
    if change == 0:
        return "No change"
    steps = abs(change)
    return f"{'Up' if change > 0 else 'Down'} {steps} level{'s' if steps != 1 else ''}"


def _level_note(level: dict, outstanding: int | None = None) -> str:
    if level["withheld"]:
        return f"No level until every statutory duty is rated: {level['withheld']}."
    if level["capped"]:
        return f"Capped: {level['capped']}."
    if level["provisional"]:
        left = level["total"] - level["rated"]
        return f"Provisional: {left} criteri{'on' if left == 1 else 'a'} not rated yet."
    return ""


# The chart: one bar per section and one for the whole audit, as long as the level is high. Its geometry
# is worked out here so the template holds only the SVG markup. Drawn across the page (500 units to about
# 175 mm, so its 8-unit text prints at about 8 pt), with room for a section's whole name on the left.
CHART_WIDTH = 500
CHART_LABEL = 290  # room for the row labels on the left
LABEL_CHARACTERS = 62  # about what fits in CHART_LABEL at 8 units; longer names are shortened with "…"
ROW_HEIGHT = 18
BAR_HEIGHT = 12
CHART_TOP = 34


def chart(levels: dict) -> dict:
    """Return the bar chart of the levels: rows with their bar widths, the scale's gridlines, and its alt text."""
    scale, values = levels["scale"], levels["values"]
    steps = len(scale)
    plot = CHART_WIDTH - CHART_LABEL - 10
    rows = []
    for i, item in enumerate([*levels["sections"], {**levels["overall"], "title": "Overall"}]):
        position = values.index(item["value"]) + 1 if item["value"] is not None else 0
        y = CHART_TOP + i * ROW_HEIGHT
        rows.append(
            {
                "name": item["title"]
                if len(item["title"]) <= LABEL_CHARACTERS
                else item["title"][: LABEL_CHARACTERS - 1] + "…",
                "label": item["label"] + (" (provisional)" if item["provisional"] else ""),
                "width": round(plot * position / steps, 1),
                "y": y,
                "text_y": y + 9,
                "provisional": item["provisional"],
                "none": position == 0,
                "overall": i == len(levels["sections"]),
            }
        )
    grid = [
        {"x": round(CHART_LABEL + plot * (n + 1) / steps, 1), "label": str(n + 1), "name": name}
        for n, name in enumerate(scale)
    ]
    alt = "Bar chart of the level of each section and overall. " + "; ".join(
        f"{row['name'] if not row['overall'] else 'Overall'}: {row['label']}" for row in rows
    )
    return {
        "width": CHART_WIDTH,
        "height": CHART_TOP + len(rows) * ROW_HEIGHT + 6,
        "left": CHART_LABEL,
        "bar": BAR_HEIGHT,
        "rows": rows,
        "grid": grid,
        "key": "; ".join(f"{n + 1} = {name}" for n, name in enumerate(scale)),
        "alt": alt,
    }


def _questions(data: dict, progress: dict, change: dict | None) -> list[str]:
    """Return the questions the board may want to ask, from what the figures show."""
    levels, audit = data["levels"], data["audit"]
    duties = levels["duties"]
    questions = []
    for row in duties["unmet_rows"][:3]:
        questions.append(
            f"What will it take to meet the statutory duty “{row['statement'].rstrip('.')}” ({row['ref']}), "
            "who is responsible, and by when?"
        )
    if duties["unrated"]:
        questions.append(
            f"When will the {duties['unrated']} statutory dut{'y' if duties['unrated'] == 1 else 'ies'} not "
            "rated yet be rated?"
        )
    if progress["overdue"]:
        questions.append(
            f"Why {'is' if progress['overdue'] == 1 else 'are'} {progress['overdue']} "
            f"action{'' if progress['overdue'] == 1 else 's'} overdue, and what help is needed to finish "
            f"{'it' if progress['overdue'] == 1 else 'them'}?"
        )
    if change:
        fallen = [s["title"] for s in change["sections"] if s["change"] is not None and s["change"] < 0]
        if fallen:
            questions.append(f"Why is the level lower than last time for: {', '.join(fallen)}?")
    if levels["outstanding"]:
        questions.append(
            f"{levels['outstanding']} of {levels['total']} criteria are not rated yet. When will the "
            "audit be complete?"
        )
    if audit["status"] == Audit.Status.RETURNED:
        questions.append("What did the local authority ask to change, and when will the audit go back?")
    if audit["board_rates"]:
        questions += [
            "How does the board check that what it is told about SEND is accurate?",
            "When did the board last hear directly from parents and pupils with SEND?",
        ]
    else:
        questions += [
            "How do we know the support for pupils with SEND makes a difference to how well they do?",
            "How are the views of pupils with SEND and their parents gathered, and what changed because "
            "of them?",
        ]
    return questions


def _left_out(actions: list[dict], words: dict[str, str]) -> str:
    """Return e.g. "The other 4 actions (1 overdue, 3 on track) are in the full audit report.", or ""."""
    if not actions:
        return ""
    counts = [
        f"{n} {words[state].lower()}"
        for state in ("overdue", "on_track", "done")
        if (n := sum(1 for a in actions if a["state"] == state))
    ]
    other = f"The other {len(actions)} action{'s' if len(actions) != 1 else ''}"
    return f"{other} ({', '.join(counts)}) {'are' if len(actions) != 1 else 'is'} in the full audit report."


def health_check_title(audit: dict) -> str:
    name = "SEND governance health check" if audit["board_rates"] else "Governors' SEND health check"
    return f"{name} {audit['academic_year']}"


def health_check_layout(data: dict) -> dict:
    """Return what the health check shows, in order, for a board that is not expert."""
    audit, levels = data["audit"], data["levels"]
    actions = data["actions"]
    progress = {
        "total": len(actions),
        "done": sum(1 for a in actions if a["state"] == "done"),
        "on_track": sum(1 for a in actions if a["state"] == "on_track"),
        "overdue": sum(1 for a in actions if a["state"] == "overdue"),
    }
    state_words = {"done": "Done", "on_track": "On track", "overdue": "Overdue"}
    order = {"overdue": 0, "on_track": 1, "done": 2}
    in_order = sorted(actions, key=lambda a: (order[a["state"]], a["due"]))
    change = data["change"]
    register = data["register"]
    area_counts = [count for _, count in register["areas"]]
    area_texts = counts_text(area_counts, total_shown=True)
    status = audit["status"]
    if status == Audit.Status.ACCEPTED:
        decision = f"Accepted by {audit['local_authority']} on {long_date(audit['decided_at'])}."
    elif status == Audit.Status.RETURNED:
        decision = (
            f"Returned for changes by {audit['local_authority']} on {long_date(audit['decided_at'])}. "
            "The school is changing the audit before it goes back."
        )
    elif status == Audit.Status.SUBMITTED:
        decision = (
            f"Submitted to {audit['local_authority']} on {long_date(audit['submitted_at'])}. "
            "The local authority has not decided yet."
        )
    else:
        decision = "Not submitted to the local authority yet, so there is no decision."
    review = data["board_review"]
    if review:
        review_text = (
            f"The board last recorded a review on {long_date(review['reviewed_on'])} "
            f"(minute {review['minute']}), of the {review['audit']}"
            + (" – this audit." if review["this_audit"] else ".")
        )
    else:
        review_text = "The board has not recorded a review of this framework's audits yet."
    overall = levels["overall"]
    return {
        "title": health_check_title(audit),
        "audit": audit,
        "about": [
            ("Framework", f"{audit['framework']} ({audit['version']})"),
            ("Academic year", audit["academic_year"]),
            ("Status", audit["status_label"]),
            ("Criteria rated", f"{levels['answered']} of {levels['total']}"),
        ],
        "levels": levels,
        "overall_note": _level_note(overall),
        "sections": levels["sections"],
        "notes": [(s["title"], _level_note(s)) for s in levels["sections"] if _level_note(s)],
        "chart": chart(levels),
        "change": change
        and {
            **change,
            "overall_words": _change_words(change["overall"]["change"]),
            "sections": [{**s, "words": _change_words(s["change"])} for s in change["sections"]],
        },
        "duties": levels["duties"],
        "priorities": data["priorities"],
        "strengths": data["strengths"],
        "progress": progress,
        "actions": [
            {**a, "due": long_date(a["due"]), "state_words": state_words[a["state"]]}
            for a in in_order[:ACTIONS_SHOWN]
        ],
        "actions_left_out": _left_out(in_order[ACTIONS_SHOWN:], state_words),
        "decision": decision,
        "la_comments": [(long_date(c["at"]), c["text"]) for c in data["la_comments"]],
        "review": review_text,
        "questions": _questions(data, progress, change),
        "texts": _health_check_texts(audit, levels, register),
        "register": {
            "on": long_date(register["on"]),
            "year_ago": long_date(register["year_ago"]),
            "rows": [
                ("SEN support (K)", count_text(register["now"]["K"]), count_text(register["then"]["K"])),
                ("EHC plan (E)", count_text(register["now"]["E"]), count_text(register["then"]["E"])),
            ],
            "areas": [
                (label, text)
                for (label, count), text in zip(register["areas"], area_texts, strict=True)
                if label != NO_AREA or count
            ],
            "left_out": LEFT_OUT in area_texts,
        },
    }


def _health_check_texts(audit: dict, levels: dict, register: dict) -> dict[str, str]:
    """The health check's explanations, written once for its PDF (the template) and its Word version."""
    rates = (
        "its own governance of SEND"
        if audit["board_rates"]
        else "its provision for pupils with special educational needs and disabilities (SEND)"
    )
    who = "the governing board" if audit["board_rates"] else "the school"
    return {
        "caption": f"For the governing board. What {who} found when it rated {rates}, and what the board may "
        "want to ask.",
        "duties": "Statutory duties are what the law requires. A duty is met when it is rated "
        f"‘{levels['met']}’ or above.",
        "register": f"Counts only, from the school’s SEN register on {long_date(register['on'])}, compared with "
        f"the pupils on it on {long_date(register['year_ago'])} (the register keeps no history of codes, so "
        "last year’s pupils are counted under today’s code). So that no pupil can be picked out, a count of 1 "
        f"or 2 is shown as “{FEWER_THAN}”.",
        "left_out": "“Not shown”: left out so that a smaller count cannot be worked out from the totals.",
        "how_levels": f"Each criterion is rated on the framework’s scale: {', '.join(levels['scale'])}. A "
        "section’s level is the average of its criteria’s ratings, rounded to the nearest level. While a "
        f"statutory duty in a section is below ‘{levels['met']}’, the section cannot be above "
        f"‘{levels['cap']}’. Until every statutory duty is rated there is no level, and a level is "
        "provisional until every criterion is rated.",
    }


def health_check_outline(context: dict, document: dict) -> Outline:
    """Return the health check as a Word outline, for a board's papers: the PDF's text and tables, in its order.

    The chart is left out: its figures are the table of section levels, which comes first in the PDF too.
    """
    levels, audit, duties = context["levels"], context["audit"], context["duties"]
    overall = levels["overall"]
    provisional = " (provisional)" if overall["provisional"] else ""
    outline = Outline(title=context["title"], organisation=document["school"])
    texts = context["texts"]
    outline.add(
        Paragraph(texts["caption"]),
        Table(["About this audit", "Details"], [list(row) for row in context["about"]], row_headers=True),
        Heading(f"Where {'the board' if audit['board_rates'] else 'the school'} stands", 1),
        Paragraph(f"Overall level: {overall['label']}{provisional}.", bold=True),
    )
    if context["overall_note"]:
        outline.add(Paragraph(context["overall_note"]))
    outline.add(
        Table(
            ["Section", "Level", "Statutory duties"],
            [
                [s["title"], s["label"] + (" (provisional)" if s["provisional"] else ""), s["duties"]]
                for s in context["sections"]
            ]
            + [["Overall", overall["label"] + provisional, overall["duties"]]],
            caption="Level of each section",
            row_headers=True,
        )
    )
    if context["notes"]:
        outline.add(Bullets([f"{title}: {note}" for title, note in context["notes"]]))
    outline.add(Heading("Change since the last audit", 1))
    change = context["change"]
    if change:
        outline.add(
            Paragraph(
                f"Compared with the {change['previous']}. Overall: {change['overall']['old']} then, "
                f"{change['overall']['new']} now ({change['overall_words'].lower()})."
            ),
            Table(
                ["Section", "Last audit", "This audit", "Change"],
                [[s["title"], s["old"], s["new"], s["words"]] for s in change["sections"]],
                row_headers=True,
            ),
        )
    else:
        outline.add(
            Paragraph(
                "This is the first audit of this framework, so there is nothing to compare it with yet."
            )
        )
    outline.add(
        Heading("Statutory duties", 1),
        Paragraph(texts["duties"]),
        Table(
            ["Statutory duties", "Number"],
            [
                ["Met", duties["met"]],
                ["Not met", duties["unmet"]],
                ["Not rated yet", duties["unrated"]],
                ["All statutory duties", duties["total"]],
            ],
            row_headers=True,
        ),
    )
    if duties["unmet_rows"]:
        outline.add(
            Heading("Duties not met", 2),
            Bullets(
                [
                    f"{d['ref']} {d['statement']} (rated ‘{d['level']}’; {d['section']})"
                    for d in duties["unmet_rows"]
                ]
            ),
        )
    if duties["unrated_rows"]:
        outline.add(
            Heading("Duties not rated yet", 2),
            Bullets([f"{d['ref']} {d['statement']} ({d['section']})" for d in duties["unrated_rows"]]),
        )

    def with_evidence(item: dict) -> str:
        return f"; evidence: {'; '.join(item['evidence'])}" if item.get("evidence") else ""

    outline.add(Heading("Strengths", 1))
    if context["strengths"]:
        outline.add(
            Bullets(
                [
                    f"{s['ref']} {s['statement']} (‘{s['level']}’{with_evidence(s)})"
                    for s in context["strengths"]
                ]
            )
        )
    else:
        outline.add(Paragraph("No criteria are rated at the top two levels yet."))
    outline.add(Heading("The top five priorities", 1))
    if context["priorities"]:
        outline.add(
            Paragraph("Statutory duties not met come first, then the lowest-rated criteria."),
            Bullets(
                [
                    f"{'Duty not met: ' if p['duty_unmet'] else ''}{p['ref']} {p['statement']} "
                    f"(‘{p['level']}’; {p['section']}{with_evidence(p)})"
                    for p in context["priorities"]
                ],
                numbered=True,
            ),
        )
    else:
        outline.add(Paragraph("No priorities yet: the criteria are not rated, or all are at the top level."))
    progress = context["progress"]
    outline.add(
        Heading("Action plan progress", 1),
        Paragraph(
            f"{progress['total']} action{'s' if progress['total'] != 1 else ''}: {progress['done']} done, "
            f"{progress['on_track']} on track, {progress['overdue']} overdue."
        ),
    )
    if context["actions"]:
        outline.add(
            Table(
                ["Action", "Who", "Due", "Progress"],
                [
                    [
                        f"{a['ref']}: {a['what']}" if a.get("ref") else a["what"],
                        a["owner"],
                        a["due"],
                        a["state_words"],
                    ]
                    for a in context["actions"]
                ],
            )
        )
        if context["actions_left_out"]:
            outline.add(Paragraph(context["actions_left_out"]))
    outline.add(Heading("The local authority’s decision", 1), Paragraph(context["decision"]))
    if context["la_comments"]:
        outline.add(
            Heading("The local authority’s comments", 2),
            Bullets([f"{at}: {text}" for at, text in context["la_comments"]]),
        )
    register = context["register"]
    outline.add(
        Heading("The board’s previous review", 1),
        Paragraph(context["review"]),
        Heading("Questions the board may want to ask", 1),
        Bullets(context["questions"], numbered=True),
        Heading("Pupils on the SEN register", 1),
        Paragraph(texts["register"]),
        Table(["Pupils", "Now", "A year ago"], [list(row) for row in register["rows"]], row_headers=True),
        Table(
            ["Area of need", "Pupils"],
            [list(row) for row in register["areas"]],
            caption="Pupils on SEN support or with an EHC plan, by the broad area of their main need",
            row_headers=True,
        ),
    )
    if register["left_out"]:
        outline.add(Paragraph(texts["left_out"]))
    outline.add(Heading("How the levels are worked out", 1), Paragraph(texts["how_levels"]))
    return outline


def audit_summary_line(data: dict) -> str:
    """Name the audit a document is about, for lists and file names: both audit documents use it."""
    audit = data["audit"]
    return f"{audit['framework']}, {audit['academic_year']}"


# --- the full audit report -------------------------------------------------------------------------------


def audit_report_gather(audit: Audit, *, by: Membership | None) -> dict:
    """Return every criterion with its level, rationale, evidence, actions and LA comments (JSON)."""
    audit = _loaded(audit)
    summary = selectors.audit_summary(audit)
    titles = evidence_titles(audit, by)
    texts = {
        ref: (rationale, na_reason)
        for ref, rationale, na_reason in Rating.objects.filter(audit=audit).values_list(
            "criterion__ref", "rationale", "na_reason"
        )
    }
    actions: dict[str, list[dict]] = {}
    for action in _actions(audit):
        actions.setdefault(action["ref"], []).append(action)
    comments: dict[str, list[dict]] = {}
    for comment in LAComment.objects.filter(audit=audit).select_related("criterion").order_by("at", "pk"):
        ref = comment.criterion.ref if comment.criterion_id else ""
        comments.setdefault(ref, []).append({"at": _iso(comment.at), "text": comment.text})
    criteria = []
    for row in summary.rows:
        ref = row["criterion__ref"]
        rationale, na_reason = texts.get(ref, ("", ""))
        if row["not_applicable"] and not row["criterion__statutory"]:
            level = "Not applicable"
        elif row["to_confirm"]:
            level = "Carried forward, still to confirm"
        else:
            level = row["level_label"] or "Not rated"
        criteria.append(
            {
                **_row(row),
                "section_ref": row["criterion__section__ref"],
                "level": level,
                "guidance": row["criterion__statutory_guidance"],
                "rationale": rationale,
                "na_reason": na_reason if row["not_applicable"] else "",
                "evidence": titles.get(ref, []),
                "actions": actions.get(ref, []),
                "comments": comments.get(ref, []),
            }
        )
    return {
        "audit": _audit_facts(audit),
        "levels": _levels(summary),
        "criteria": criteria,
        "other_actions": actions.get("", []),
        "la_comments": comments.get("", []),
    }


def _duty_state(criterion: dict) -> str:
    if criterion["duty_unmet"]:
        return "Not met"
    if criterion["level"] in ("Not rated", "Carried forward, still to confirm", "Not applicable"):
        return "Not rated"
    return "Met"


def audit_report_layout(data: dict) -> dict:
    """Return the full report: cover, contents, statutory summary, levels, then every criterion by section."""
    audit, levels = data["audit"], data["levels"]

    def actions(items: list[dict]) -> list[dict]:
        return [
            {
                **a,
                "due": long_date(a["due"]),
                "status": a["status"] + (", overdue" if a["state"] == "overdue" else ""),
            }
            for a in items
        ]

    sections = []
    for number, section in enumerate(levels["sections"], start=1):
        criteria = [
            {
                **c,
                "actions": actions(c["actions"]),
                "comments": [(long_date(x["at"]), x["text"]) for x in c["comments"]],
                "duty": _duty_state(c) if c["statutory"] else "",
            }
            for c in data["criteria"]
            if c["section_ref"] == section["ref"]
        ]
        sections.append(
            {**section, "anchor": f"section-{number}", "note": _level_note(section), "criteria": criteria}
        )
    statutory = [
        {"ref": c["ref"], "statement": c["statement"], "level": c["level"], "duty": _duty_state(c)}
        for c in data["criteria"]
        if c["statutory"]
    ]
    cover = [
        ("Framework", f"{audit['framework']} ({audit['version']})"),
        ("Academic year", audit["academic_year"]),
        ("Status", audit["status_label"]),
        ("Rated by", "The governing board" if audit["board_rates"] else "The school"),
        ("Criteria answered", f"{levels['answered']} of {levels['total']}"),
        (
            "Overall level",
            levels["overall"]["label"] + (" (provisional)" if levels["overall"]["provisional"] else ""),
        ),
    ]
    if audit["submitted_at"]:
        cover.append(("Submitted to the local authority", long_date(audit["submitted_at"])))
    if audit["decided_at"]:
        cover.append(("Decided by the local authority", long_date(audit["decided_at"])))
    return {
        "title": f"Audit report {audit['academic_year']}: {audit['framework']}",
        "audit": audit,
        "cover": cover,
        "levels": levels,
        "overall_note": _level_note(levels["overall"]),
        "statutory": statutory,
        "duties": levels["duties"],
        "sections": sections,
        "other_actions": actions(data["other_actions"]),
        "la_comments": [(long_date(c["at"]), c["text"]) for c in data["la_comments"]],
    }


def audit_report_outline(context: dict, document: dict) -> Outline:
    """Return the full audit report as a Word outline: the same cover, summary and criteria as the PDF."""
    outline = Outline(title=context["title"], organisation=document["school"])
    outline.add(
        Table(["About this audit", "Details"], [list(row) for row in context["cover"]], row_headers=True)
    )
    duties = context["duties"]
    outline.add(
        Heading("Statutory duties", 1),
        Paragraph(
            f"{duties['met']} met, {duties['unmet']} not met, {duties['unrated']} not rated, of {duties['total']}."
        ),
    )
    if context["statutory"]:
        outline.add(
            Table(
                ["Duty", "Level", "Met"],
                [[f"{d['ref']} {d['statement']}", d["level"], d["duty"]] for d in context["statutory"]],
            )
        )
    outline.add(Heading("Level of each section", 1))
    outline.add(
        Table(
            ["Section", "Level", "Statutory duties", "Rated"],
            [
                [
                    s["title"],
                    s["label"] + (f". {s['note']}" if s["note"] else ""),
                    s["duties"],
                    f"{s['rated']} of {s['total']}",
                ]
                for s in context["sections"]
            ]  # fmt: skip
            + [
                ["Overall", context["levels"]["overall"]["label"], context["levels"]["overall"]["duties"], ""]
            ],
        )
    )
    for section in context["sections"]:
        outline.add(Heading(section["title"], 1))
        for c in section["criteria"]:
            outline.add(Heading(f"{c['ref']} {c['statement']}", 2))
            facts = [["Level", c["level"]]]
            if c["duty"]:
                facts.append(["Statutory duty", c["duty"]])
            if c["na_reason"]:
                facts.append(["Why not applicable", c["na_reason"]])
            facts.append(["Rationale", c["rationale"] or "None given"])
            facts.append(["Evidence", "; ".join(c["evidence"]) or "None listed"])
            outline.add(Table(["About this criterion", "Details"], facts, row_headers=True))
            if c["actions"]:
                outline.add(
                    Bullets(
                        [f"{a['what']} – {a['owner']}, due {a['due']} ({a['status']})" for a in c["actions"]]
                    )
                )
            for at, text in c["comments"]:
                outline.add(Paragraph(f"Local authority comment, {at}: {text}"))
    if context["other_actions"]:
        outline.add(Heading("Other actions", 1))
        outline.add(
            Bullets(
                [
                    f"{a['what']} – {a['owner']}, due {a['due']} ({a['status']})"
                    for a in context["other_actions"]
                ]
            )
        )
    if context["la_comments"]:
        outline.add(Heading("Local authority comments on the whole audit", 1))
        for at, text in context["la_comments"]:
            outline.add(Paragraph(f"{at}: {text}"))
    return outline


# --- offered through the report pipeline -----------------------------------------------------------------

register_kind(
    DocumentKind(
        kind=Report.Kind.HEALTH_CHECK,
        action="report_request",
        subject=Audit,
        gather=health_check_gather,
        template="reports/health_check.html",
        layout=health_check_layout,
        outline=health_check_outline,
        summary=audit_summary_line,
        on_reports_page=True,
    )
)
register_kind(
    DocumentKind(
        kind=Report.Kind.AUDIT_REPORT,
        action="report_request",
        subject=Audit,
        gather=audit_report_gather,
        template="reports/audit_report.html",
        layout=audit_report_layout,
        outline=audit_report_outline,
        summary=audit_summary_line,
        on_reports_page=True,
    )
)
