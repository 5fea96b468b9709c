"""The audit round for LA staff: every school and where it stands, exports, and reminding those not done."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from audits import rounds, services
from audits.forms import RoundClosingDateForm, RoundFilterForm
from audits.views.school import _download
from audits.weakest import PLACEHOLDER
from sendplan.confirmation import Confirmation
from sendplan.policy import performs
from sendplan.services import DomainError

PAGE_SIZE = 50
SESSION_KEY = "audit_round_query"  # the round's last choices, for back links from a school's pages
FIELDS = ("version", "year", "search", "phase", "school_type", "status", "sort", "order")


def _choices(request: HttpRequest) -> tuple[rounds.RoundQuery | None, RoundFilterForm, dict]:
    """Return the round and narrowing the request asks for (defaults where it asks for none or nonsense)."""
    membership = request.membership
    versions = rounds.round_versions(membership)
    years = rounds.round_years(membership)
    by_id = {v.pk: v for v in versions}
    default_year = next((year for year, version_id in years if version_id in by_id), years[0][0])
    default_version = by_id.get(dict(years).get(default_year)) or (versions[0] if versions else None)
    data = {name: request.GET.get(name, "") for name in FIELDS}
    data["version"] = data["version"] or (str(default_version.public_id) if default_version else "")
    data["year"] = data["year"] or default_year
    form = RoundFilterForm(data, versions=versions, years=[year for year, _ in years])
    form.is_valid()
    chosen = {name: form.cleaned_data.get(name) or "" for name in FIELDS}
    if "version" in form.errors and default_version:
        chosen["version"] = str(default_version.public_id)
    if "year" in form.errors:
        chosen["year"] = default_year
    version = form.versions.get(chosen["version"])
    if version is None:
        return None, form, chosen
    query = rounds.RoundQuery(
        version=version,
        year=chosen["year"],
        phase=chosen["phase"],
        school_type=chosen["school_type"],
        status=chosen["status"],
        search=chosen["search"],
        sort=chosen["sort"] or "school",
        descending=chosen["order"] == "desc",
    )
    return query, form, chosen


def _query_string(chosen: dict, **changes) -> str:
    values = {**chosen, **changes}
    return urlencode({name: values[name] for name in FIELDS if values.get(name)})


def round_url(request: HttpRequest) -> str:
    """Return the round's address with the choices last made on it in this session (for back links)."""
    query = request.session.get(SESSION_KEY, "")
    return reverse("audits:la_round") + (f"?{query}" if query else "")


def _title(query: rounds.RoundQuery) -> str:
    return f"{query.version} audits, {query.year}"


@performs("audit_round_view")
def la_round(request: HttpRequest) -> HttpResponse:
    """Show every school of the LA and where it stands in the round: status, level, duties, coverage."""
    query, form, chosen = _choices(request)
    context = {"form": form, "query": query}
    if query is None:
        return render(request, "audits/la_round.html", context)
    here = _query_string(chosen)
    if request.session.get(SESSION_KEY) != here:
        request.session[SESSION_KEY] = here
    schools = rounds.round_schools(request.membership, query)
    coverage = rounds.round_coverage(schools)
    closing = rounds.round_closing_date(request.membership, query)
    page = Paginator(rounds.round_filtered(schools, query), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # each address reversed once a page, not twice a row
    school_url = reverse("sendplan:school_detail", args=[PLACEHOLDER])
    audit_url = reverse("audits:audit_detail", args=[PLACEHOLDER])
    for school in rows:
        school.detail_url = school_url.replace(PLACEHOLDER, str(school.public_id))
        if school.round_audit_public_id:
            school.audit_url = audit_url.replace(PLACEHOLDER, str(school.round_audit_public_id))
        school.level = rounds.level_text(school)
        school.status_label = rounds.STATUSES[school.round_status]
        school.status_colour = rounds.STATUS_COLOURS[school.round_status]
    headers = []
    for key, label in rounds.SORT_LABELS.items():
        current = query.sort == key
        order = "asc" if current and query.descending else "desc" if current else "asc"
        headers.append(
            {
                "key": key,
                "label": label,
                "url": "?" + _query_string(chosen, sort=key, order=order),
                "aria_sort": ("descending" if query.descending else "ascending") if current else "none",
                "numeric": key in ("duties", "rated"),
            }
        )
    narrowed = any(chosen[name] for name in ("search", "phase", "school_type", "status"))
    context.update(
        {
            "title": _title(query),
            "rows": rows,
            "page_obj": page,
            "query_prefix": (here + "&") if here else "",
            "here": here,
            "coverage": coverage,
            "closing": closing and rounds.days_left_text(closing.closes_on),
            "headers": headers,
            "narrowed": narrowed,
            "clear_url": "?" + _query_string({"version": chosen["version"], "year": chosen["year"]}),
        }
    )
    return render(request, "audits/la_round.html", context)


def _all_rows(request: HttpRequest, *, not_submitted: bool = False, action: str = "audit_round_view"):
    query, _, chosen = _choices(request)
    if query is None:
        return None, [], chosen
    schools = rounds.round_filtered(rounds.round_schools(request.membership, query, action=action), query)
    if not_submitted:
        schools = [school for school in schools if school.round_status in rounds.NOT_SUBMITTED]
    return query, schools, chosen


def _file_name(query: rounds.RoundQuery | None, suffix: str) -> str:
    if query is None:
        return f"audit-round.{suffix}"
    slug = f"{query.version.framework.slug}-{query.version.label}-{query.year.replace('/', '-')}"
    return f"audit-round-{slug}.{suffix}"


@performs("audit_round_view")
def la_round_export_csv(request: HttpRequest) -> HttpResponse:
    """Download the round's schools, as filtered and sorted on the page, as CSV."""
    query, schools, _ = _all_rows(request)
    return _download(rounds.round_csv(schools), "text/csv; charset=utf-8", _file_name(query, "csv"))


@performs("audit_round_view")
def la_round_export_xlsx(request: HttpRequest) -> HttpResponse:
    """Download the round's schools, as filtered and sorted on the page, as an Excel workbook."""
    query, schools, _ = _all_rows(request)
    title = _title(query) if query else "Audit round"
    return _download(
        rounds.round_xlsx(schools, title=title),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _file_name(query, "xlsx"),
    )


@performs("audit_round_remind")
def la_round_contacts(request: HttpRequest) -> HttpResponse:
    """Download the SENCO and headteacher of each school in the round that has not submitted, as CSV."""
    import csv
    import io

    from sendplan.spreadsheets import safe_row

    query, schools, _ = _all_rows(request, not_submitted=True, action="audit_round_remind")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(rounds.CONTACT_HEADINGS)
    for row in rounds.contact_rows(schools):
        writer.writerow(safe_row(row))
    return _download(out.getvalue(), "text/csv; charset=utf-8", _file_name(query, "contacts.csv"))


def _round_addresses(request: HttpRequest) -> tuple[rounds.RoundQuery | None, str, str]:
    """Return the round asked for, its choices as a query string (any status), and the round page's address."""
    query, _, chosen = _choices(request)
    return query, _query_string(chosen, status=""), reverse("audits:la_round") + "?" + _query_string(chosen)


@performs("audit_round_remind")
def la_round_remind(request: HttpRequest) -> HttpResponse:
    """Ask to confirm, then remind each school in the round that has not submitted (its SENCO and head)."""
    query, here, back = _round_addresses(request)
    if query is None:
        return redirect(back)
    if request.method == "POST":
        result = services.round_remind(query=query, by=request.membership)
        text = (
            f"Reminder sent to {result.people} "
            f"{'person' if result.people == 1 else 'people'} at {result.schools} "
            f"school{'s' if result.schools != 1 else ''}."
        )
        if result.nobody_to_tell:
            names = ", ".join(school.name for school in result.nobody_to_tell[:5])
            more = len(result.nobody_to_tell) - 5
            text += (
                f" {len(result.nobody_to_tell)} school{'s have' if len(result.nobody_to_tell) != 1 else ' has'}"
                f" no SENCO or headteacher to remind: {names}{f' and {more} more' if more > 0 else ''}."
            )
        messages.success(request, text)
        return redirect(back)
    _, schools, _ = _all_rows(request, not_submitted=True, action="audit_round_remind")
    by_status = {label: 0 for label in (rounds.STATUSES[s] for s in rounds.NOT_SUBMITTED)}
    for school in schools:
        by_status[rounds.STATUSES[school.round_status]] += 1
    count = len(schools)
    reminded = [school.round_reminded_at for school in schools if school.round_reminded_at]
    before = (
        [
            f"{len(reminded)} of them {'was' if len(reminded) == 1 else 'were'} reminded before for this "
            f"round, most recently on {timezone.localtime(max(reminded)):%-d %B %Y}."
        ]
        if reminded
        else []
    )
    confirm = Confirmation(
        caption=_title(query),
        heading=(
            f"Remind the {count} school{'s' if count != 1 else ''} that {'have' if count != 1 else 'has'} "
            "not submitted?"
            if count
            else "Every school shown has submitted"
        ),
        button="Send reminders",
        action_url=reverse("audits:la_round_remind") + "?" + here,
        cancel_url=back,
        paragraphs=[
            "Each school's SENCO and headteacher get a notification in the service, and an email unless they "
            "turned email off. It asks them to start or finish the audit and submit it.",
            "Schools that submitted, or whose audit you accepted, are not reminded.",
            *before,
        ],
        details=[(label, str(n)) for label, n in by_status.items()],
    )
    contacts = reverse("audits:la_round_contacts") + "?" + here
    return render(
        request,
        "audits/la_round_remind.html",
        {"confirm": confirm, "contacts_url": contacts, "count": count},
    )


@performs("audit_round_schedule")
def la_round_closing_date(request: HttpRequest) -> HttpResponse:
    """Set, change or take away the date the LA asks its schools to submit the round's audits by."""
    query, here, back = _round_addresses(request)
    if query is None:
        return redirect(back)
    current = rounds.round_closing_date(request.membership, query, action="audit_round_schedule")
    if request.method == "POST" and "remove" in request.POST:
        services.round_closing_date_set(query=query, closes_on=None, by=request.membership)
        messages.success(request, f"The closing date of the {_title(query)} has been taken away.")
        return redirect(back)
    form = RoundClosingDateForm(request.POST or None, initial={"closes_on": current and current.closes_on})
    if request.method == "POST" and form.is_valid():
        try:
            closing = services.round_closing_date_set(
                query=query, closes_on=form.cleaned_data["closes_on"], by=request.membership
            )
        except DomainError as exc:
            form.add_error("closes_on", str(exc))
        else:
            messages.success(
                request,
                f"The closing date is {closing.closes_on.day} {closing.closes_on:%B %Y}. Schools that have not "
                "submitted see it on their home page until they do.",
            )
            return redirect(back)
    context = {
        "form": form,
        "title": _title(query),
        "current": current,
        "back": back,
        "action_url": reverse("audits:la_round_closing_date") + "?" + here,
    }
    return render(request, "audits/la_round_closing_date.html", context)
