"""The whole audit on one screen: every criterion as one compact row, saved as one form (or row by row with
htmx through rating_save); confirming carried-forward ratings in one action, and undoing it."""

import uuid
import zlib
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from audits import scoring, selectors, services
from audits.forms import NOT_APPLICABLE
from audits.lookups import audit_for
from audits.models import Audit, AuditEvent, Rating
from audits.views._shared import _base_context, _next_url, refuses_locked
from sendplan.policy import performs
from standards.models import ScaleLevel, Section

# From the lowest level to the highest; the words always go with the colour.
LEVEL_COLOURS = ("red", "orange", "yellow", "turquoise", "green")

# The filters of the view: (key, label). Each keeps the rows for which SHOWS[key] is true.
FILTERS = (
    ("", "All"),
    ("unrated", "Not rated"),
    ("rationale", "Rationale needed"),
    ("statutory", "Statutory"),
    ("confirm", "To confirm"),
    ("comments", "With LA comments"),
)
SHOWS = {
    "": lambda row: True,
    "unrated": lambda row: row["value"] == "",
    "rationale": lambda row: row["rationale_needed"],
    "statutory": lambda row: row["criterion__statutory"],
    "confirm": lambda row: row["to_confirm"],
    "comments": lambda row: row["comment_count"] > 0,
}
RATIONALE_MAX, NA_REASON_MAX = 5000, 2000  # as ResponseForm


def level_colours(levels: list[ScaleLevel]) -> dict[int, str]:
    """Give each level a colour from red (the lowest) to green (the highest), whatever the scale's length."""
    last = len(levels) - 1
    top = len(LEVEL_COLOURS) - 1
    return {lv.value: LEVEL_COLOURS[round(i * top / last) if last else top] for i, lv in enumerate(levels)}


def _text(value: str) -> str:
    """Return text as the service stores it: browsers send CRLF line ends; ends are stripped."""
    return value.replace("\r\n", "\n").strip()


def _digest(value: str, na_reason: str, rationale: str) -> str:
    """Return a short fingerprint of a row's answer, to tell rows the person changed from the rest."""
    return format(zlib.crc32(f"{value}\x1f{_text(na_reason)}\x1f{_text(rationale)}".encode()), "x")


def fingerprint(rating: Rating) -> str:
    """Return the fingerprint of a saved rating, as its row of the whole-audit view carries it."""
    value = NOT_APPLICABLE if rating.not_applicable else "" if rating.level is None else str(rating.level)
    return _digest(value, rating.na_reason, rating.rationale)


def _value(row: dict) -> str:
    if row["not_applicable"]:
        return NOT_APPLICABLE
    return "" if row["level"] is None else str(row["level"])


def _save_base(audit: Audit) -> str:
    """Return the start of every row's save address (reversed once, not once per row)."""
    return reverse("audits:rating_save", kwargs={"audit_id": audit.public_id, "criterion_ref": "X"})[:-2]


def _prepare(rows: list[dict], values: list[int], save_base: str, posted: QueryDict | None) -> None:
    """Add what the template shows to each row: the chosen value, the fingerprint, the flags, the URL."""
    for row in rows:
        ref = row["criterion__ref"]
        row["ref"] = ref
        row["value"] = _value(row)
        row["was"] = _digest(row["value"], row["na_reason"], row["rationale"])
        row["save_url"] = f"{save_base}{quote(ref)}/"
        # As text: the template would otherwise localise each number, slowly.
        row["counts"] = f"Evidence: {row['evidence_count']} · Actions: {row['action_count']}"
        row["version"] = str(row["version"])
        if posted is not None and f"{ref}-version" in posted:
            row["value"] = posted.get(f"{ref}-level", "")
            row["na_reason"] = posted.get(f"{ref}-na_reason", "")
            row["rationale"] = posted.get(f"{ref}-rationale", "")
            row["version"] = posted.get(f"{ref}-version", "")
            row["was"] = posted.get(f"{ref}-was", "")
        level = int(row["value"]) if row["value"].isdigit() else None
        row["rationale_needed"] = scoring.needs_rationale(
            value=level, rationale=row["rationale"], levels=values
        )


def _stamp_levels(rows: list[dict], choices: list[tuple[str, str, str]]) -> None:
    """Give each row its level radios: the template drawn once, stamped with the row's reference and answer.

    Every row's radios are the same but for these, so 150 rows cost one render of the markup, not 150.
    """
    with_na = render_to_string("audits/partials/_rate_levels.html", {"choices": choices})
    # A statutory duty can never be not applicable (scoring.may_be_not_applicable): its row offers no N/A.
    without_na = render_to_string(
        "audits/partials/_rate_levels.html", {"choices": [c for c in choices if c[0] != NOT_APPLICABLE]}
    )
    known = {value for value, _, _ in choices}
    labels = {value: (label, colour) for value, label, colour in choices}
    for row in rows:
        offers_na = scoring.may_be_not_applicable(statutory=row["criterion__statutory"], scale_allows=True)
        html = (with_na if offers_na else without_na).replace("__REF__", escape(row["ref"]))
        value = row["value"]
        if value in known:
            html = html.replace(f' value="{value}"', f' value="{value}" checked', 1)
        row["levels_html"] = mark_safe(html.replace("__NA_REASON__", escape(row["na_reason"])))  # noqa: S308 - the markup is our template; the reference and N/A reason are escaped, and a level is put in only if it is one of the scale's own values
        row["label"], row["colour"] = labels.get(value, ("Not rated", ""))


def _choices(audit: Audit, levels: list[ScaleLevel]) -> list[tuple[str, str, str]]:
    colours = level_colours(levels)
    choices = [(str(lv.value), lv.label, colours[lv.value]) for lv in levels]
    if audit.framework_version.scale.allow_not_applicable:
        choices.append((NOT_APPLICABLE, "Not applicable", ""))
    return choices


def _address(base: str, section_ref: str, show: str) -> str:
    """Return the whole-audit view's address for a section and a filter (either may be blank)."""
    query = urlencode({key: value for key, value in (("section", section_ref), ("show", show)) if value})
    return f"{base}?{query}" if query else base


def _confirmed_event(audit: Audit, raw: str) -> AuditEvent | None:
    try:
        public_id = uuid.UUID(raw)
    except ValueError:
        return None
    return AuditEvent.objects.filter(
        audit=audit, public_id=public_id, kind=AuditEvent.Kind.RATINGS_CONFIRMED
    ).first()


def _rate_page(
    request: HttpRequest,
    audit: Audit,
    *,
    section_ref: str,
    show: str,
    posted: QueryDict | None = None,
    errors: dict[str, str] | None = None,
    conflicts: dict[str, Rating] | None = None,
    status: int = 200,
) -> HttpResponse:
    levels = selectors.scale_levels(audit)
    values = [lv.value for lv in levels]
    labels = {str(lv.value): lv.label for lv in levels}
    rows = selectors.rate_rows(audit, request.membership)
    save_base = _save_base(audit)
    _prepare(rows, values, save_base, posted)
    errors, conflicts = errors or {}, conflicts or {}
    for row in rows:
        ref = row["ref"]
        row["error"] = errors.get(ref, "")
        row["conflict"] = None  # a missing key costs the template a slow failed lookup per row
        current = conflicts.get(ref)
        if current is not None:
            # Show what they saved; carry their version, so saving again is a deliberate choice.
            row["version"] = current.version
            row["conflict"] = {
                "by": current.updated_by,
                "at": current.updated_at,
                "label": "Not applicable"
                if current.not_applicable
                else labels.get(str(current.level), "Not rated"),
                "rationale": current.na_reason if current.not_applicable else current.rationale,
            }
    choices = _choices(audit, levels)
    _stamp_levels(rows, choices)
    sections = []
    for row in rows:
        if not sections or sections[-1]["ref"] != row["criterion__section__ref"]:
            sections.append(
                {"ref": row["criterion__section__ref"], "title": row["criterion__section__title"]}
            )
    if section_ref not in {s["ref"] for s in sections}:
        section_ref = ""
    scope = [row for row in rows if not section_ref or row["criterion__section__ref"] == section_ref]
    if show not in SHOWS:
        show = ""
    shown = [row for row in scope if SHOWS[show](row) or row["error"] or row.get("conflict")]
    levels_by_section = {s["ref"]: s for s in selectors.audit_summary(audit, levels).sections}
    groups = []
    for row in shown:
        ref = row["criterion__section__ref"]
        if not groups or groups[-1]["ref"] != ref:
            summary = levels_by_section.get(ref, {})
            groups.append(
                {
                    "ref": ref,
                    "title": row["criterion__section__title"],
                    "level": summary.get("level"),
                    "label": summary.get("label", ""),
                    "rows": [],
                }
            )
        groups[-1]["rows"].append(row)
    base = reverse("audits:audit_rate", kwargs={"audit_id": audit.public_id})
    filters = [
        {
            "key": key,
            "label": label,
            "count": sum(1 for row in scope if SHOWS[key](row)),
            "url": _address(base, section_ref, key),
            "current": key == show,
        }
        for key, label in FILTERS
    ]
    context = _base_context(request, audit)
    context.update(
        levels=levels,
        colours=level_colours(levels),
        choices=choices,
        groups=groups,
        sections=sections,
        section_ref=section_ref,
        section_title=next((s["title"] for s in sections if s["ref"] == section_ref), ""),
        show=show,
        filters=filters,
        shown=len(shown),
        to_confirm=sum(1 for row in scope if row["to_confirm"]),
        problems=[row for row in shown if row["error"] or row.get("conflict")],
        confirmed=_confirmed_event(audit, request.GET.get("confirmed", "")) if context["can_edit"] else None,
        here=_address(base, section_ref, show),
        user_key=f"{request.user.public_id}:{audit.public_id}",
    )
    return render(request, "audits/rate.html", context, status=status)


@performs("audit_view")
def audit_rate(request: HttpRequest, audit_id) -> HttpResponse:
    """Show every criterion of the audit (or one section) as a compact row: one click per level."""
    audit = audit_for(request.membership, audit_id)
    return _rate_page(
        request, audit, section_ref=request.GET.get("section", ""), show=request.GET.get("show", "")
    )


def _changed(data: QueryDict, ref: str) -> bool:
    """Return True if the person changed the row since the page was drawn (its fingerprint differs)."""
    posted = _digest(
        data.get(f"{ref}-level", ""), data.get(f"{ref}-na_reason", ""), data.get(f"{ref}-rationale", "")
    )
    return posted != data.get(f"{ref}-was")


def _answer(data: QueryDict, rating: Rating) -> services.Answer | str:
    """Return the posted answer for a rating, or what is wrong with it."""
    ref = rating.criterion.ref
    value = data.get(f"{ref}-level", "")
    na_reason, rationale = _text(data.get(f"{ref}-na_reason", "")), _text(data.get(f"{ref}-rationale", ""))
    try:
        version = int(data.get(f"{ref}-version", ""))
    except ValueError:
        return "This page was out of date: reload it and try again"
    if value not in ("", NOT_APPLICABLE) and not value.lstrip("-").isdigit():
        return "Select one of the levels shown"
    if len(rationale) > RATIONALE_MAX:
        return f"Enter a rationale of {RATIONALE_MAX:,} characters or fewer"
    if len(na_reason) > NA_REASON_MAX:
        return f"Enter a reason of {NA_REASON_MAX:,} characters or fewer"
    return services.Answer(
        rating=rating,
        level=int(value) if value not in ("", NOT_APPLICABLE) else None,
        not_applicable=value == NOT_APPLICABLE,
        na_reason=na_reason,
        rationale=rationale,
        expected_version=version,
    )


@require_POST
@performs("audit_edit")
@refuses_locked
def audit_rate_save(request: HttpRequest, audit_id) -> HttpResponse:
    """Save every changed row of the whole-audit view at once (its form without JavaScript)."""
    audit = audit_for(request.membership, audit_id, action="audit_edit", editable=True)
    data = request.POST
    section_ref, show = data.get("section", ""), data.get("show", "")
    back = _address(reverse("audits:audit_rate", kwargs={"audit_id": audit.public_id}), section_ref, show)
    posted_refs = [key.removesuffix("-version") for key in data if key.endswith("-version")]
    changed_refs = [ref for ref in posted_refs if _changed(data, ref)]
    if not changed_refs:
        messages.info(request, "There were no changes to save.")
        return redirect(back)
    ratings = Rating.objects.filter(audit=audit, criterion__ref__in=changed_refs).select_related(
        "criterion", "updated_by"
    )
    answers, errors = [], {}
    for rating in ratings:
        answer = _answer(data, rating)
        if isinstance(answer, str):
            errors[rating.criterion.ref] = answer
        else:
            answers.append(answer)
    levels = selectors.scale_levels(audit)
    try:
        if errors:
            raise services.RatingsNotSaved(errors=errors, conflicts={})
        saved = services.ratings_record(
            audit=audit, answers=answers, by=request.membership, scale={lv.value: lv.label for lv in levels}
        )
    except services.RatingsNotSaved as exc:
        return _rate_page(
            request,
            audit,
            section_ref=section_ref,
            show=show,
            posted=data,
            errors=exc.errors,
            conflicts=exc.conflicts,
            status=409 if exc.conflicts else 200,
        )
    count = len(saved)
    messages.success(request, f"{count} rating{'' if count == 1 else 's'} saved.")
    return redirect(back)


def conflict_row(
    request: HttpRequest, audit: Audit, levels: list[ScaleLevel], current: Rating, posted: QueryDict
) -> HttpResponse:
    """Redraw one row of the whole-audit view with someone else's newer save beside the person's own."""
    ref = current.criterion.ref
    rows = [row for row in selectors.rate_rows(audit, request.membership) if row["criterion__ref"] == ref]
    values = [lv.value for lv in levels]
    save_base = _save_base(audit)
    _prepare(rows, values, save_base, posted)
    labels = {lv.value: lv.label for lv in levels}
    row = rows[0]
    row["version"] = current.version
    row["error"] = ""
    row["conflict"] = {
        "by": current.updated_by,
        "at": current.updated_at,
        "label": "Not applicable" if current.not_applicable else labels.get(current.level, "Not rated"),
        "rationale": current.na_reason if current.not_applicable else current.rationale,
    }
    _stamp_levels(rows, _choices(audit, levels))
    context = {**_base_context(request, audit), "rows": rows}
    response = render(request, "audits/partials/_rate_rows.html", context, status=409)
    return reswap(retarget(response, f"#row-{ref}"), "outerHTML")


# --- confirming carried-forward ratings --------------------------------------------------------------


@require_POST
@performs("audit_edit")
@refuses_locked
def ratings_confirm(request: HttpRequest, audit_id) -> HttpResponse:
    """Confirm every carried-forward rating in a section (or the whole audit) in one action."""
    audit = audit_for(request.membership, audit_id, action="audit_edit", editable=True)
    section_ref = request.POST.get("section", "")
    section = None
    if section_ref:
        section = Section.objects.filter(version_id=audit.framework_version_id, ref=section_ref).first()
        if section is None:
            raise Http404
    default = reverse("audits:audit_rate", kwargs={"audit_id": audit.public_id})
    back = _next_url(request, audit, default)
    try:
        event = services.ratings_confirm(audit=audit, section=section, by=request.membership)
    except services.NothingToConfirm as exc:
        messages.info(request, str(exc))
        return redirect(back)
    path, _, fragment = back.partition("#")
    joiner = "&" if "?" in path else "?"
    return redirect(f"{path}{joiner}confirmed={event.public_id}" + (f"#{fragment}" if fragment else ""))


@require_POST
@performs("audit_edit")
@refuses_locked
def ratings_confirm_undo(request: HttpRequest, audit_id, event_id) -> HttpResponse:
    """Put "to confirm" back on exactly the ratings a confirmation changed."""
    audit = audit_for(request.membership, audit_id, action="audit_edit", editable=True)
    event = AuditEvent.objects.filter(
        audit=audit, public_id=event_id, kind=AuditEvent.Kind.RATINGS_CONFIRMED
    ).first()
    if event is None:
        raise Http404
    default = reverse("audits:audit_rate", kwargs={"audit_id": audit.public_id})
    try:
        undone = services.ratings_confirm_undo(audit=audit, event=event, by=request.membership)
    except services.NothingToConfirm as exc:
        messages.info(request, str(exc))
    else:
        count = len(undone.detail["ratings"])
        messages.success(
            request, f"Undone: {count} rating{'' if count == 1 else 's'} marked ‘to confirm’ again."
        )
    return redirect(_next_url(request, audit, default))
