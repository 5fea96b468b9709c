"""Views for browsing frameworks, comparing versions, and LA admins' upload, publish and retire."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from sendplan.confirmation import Confirmation, confirmation_page
from sendplan.policy import allows, performs
from standards import selectors, services
from standards.forms import (
    CriteriaFilterForm,
    FrameworkUploadForm,
    SpreadsheetColumnsForm,
    SpreadsheetImportForm,
    SpreadsheetUploadForm,
    scale_as_text,
)
from standards.loader import (
    DEFAULT_SCALE,
    LevelData,
    ScaleData,
    SpreadsheetMeta,
    dump_yaml,
    parse_spreadsheet,
    parse_yaml,
    version_to_data,
)
from standards.loader.spreadsheet import (
    MAPPED_FIELDS,
    MAPPED_REQUIRED,
    mapped_columns_problems,
    read_mapped,
    template_xlsx,
)
from standards.lookups import criterion_for, framework_for, upload_for, version_for
from standards.models import AreaOfNeed, Framework, FrameworkUpload, FrameworkVersion

MAX_PROBLEMS_SHOWN = 100


@require_GET
@performs("framework_view")
def framework_list(request: HttpRequest) -> HttpResponse:
    """List the frameworks the person may see, with their versions."""
    frameworks = selectors.framework_list(request.membership)
    return render(
        request,
        "standards/framework_list.html",
        {"frameworks": frameworks, "can_upload": allows(request.membership, "framework_upload")},
    )


@require_GET
@performs("framework_view")
def framework_detail(request: HttpRequest, framework_id) -> HttpResponse:
    """Show a framework and its versions, with a form to compare two of them."""
    framework = framework_for(request.membership, framework_id)
    versions = selectors.framework_versions(request.membership, framework)
    counts = selectors.version_counts(versions)
    for version in versions:
        version.criteria_count = counts.get(version.pk, 0)
    return render(
        request,
        "standards/framework_detail.html",
        {
            "framework": framework,
            "versions": versions,
            "can_manage": selectors.can_manage(request.membership, framework),
        },
    )


def _criteria_filter(request: HttpRequest) -> tuple[CriteriaFilterForm, selectors.CriteriaFilter]:
    form = CriteriaFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, selectors.CriteriaFilter(words=data["q"], area=data["area"], statutory=data["statutory"])
    return form, selectors.CriteriaFilter()


@require_GET
@performs("framework_view")
def version_detail(request: HttpRequest, version_id) -> HttpResponse:
    """Show a version's sections and criteria, searchable by words and filtered by area or statutory flag."""
    version = version_for(request.membership, version_id)
    form, criteria_filter = _criteria_filter(request)
    blocks, shown = selectors.version_contents(version, criteria_filter)
    return render(
        request,
        "standards/version_detail.html",
        {
            "version": version,
            "framework": version.framework,
            "levels": list(version.scale.levels.all()),
            "blocks": blocks,
            "shown": shown,
            "filter": criteria_filter,
            "filter_form": form,
            "area_choices": [("", "All areas"), ("whole_school", "Whole school")] + AreaOfNeed.choices,
            "can_manage": selectors.can_manage(request.membership, version.framework),
        },
    )


@require_GET
@performs("framework_view")
def version_export(request: HttpRequest, version_id) -> HttpResponse:
    """Download a version as YAML, in the format the loader reads."""
    version = version_for(request.membership, version_id)
    response = HttpResponse(
        dump_yaml(version_to_data(version)), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{version.framework.slug}-{slugify(version.label)}.yaml"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@performs("framework_view")
def criterion_detail(request: HttpRequest, criterion_id) -> HttpResponse:
    """Show one criterion in full, with how it continues the previous version."""
    criterion = criterion_for(request.membership, criterion_id)
    mappings = list(criterion.version.mappings.filter(to_ref=criterion.ref))
    return render(
        request,
        "standards/criterion_detail.html",
        {
            "criterion": criterion,
            "version": criterion.version,
            "framework": criterion.version.framework,
            "mappings": mappings,
        },
    )


@require_GET
@performs("framework_view")
def version_compare(request: HttpRequest, framework_id) -> HttpResponse:
    """Compare any two visible versions of a framework: added, changed and retired criteria."""
    framework = framework_for(request.membership, framework_id)
    versions = selectors.framework_versions(request.membership, framework)
    by_id = {str(v.public_id): v for v in versions}
    newer = by_id.get(request.GET.get("to", ""))
    older = by_id.get(request.GET.get("from", ""))
    if newer is None and versions:
        newer = versions[0]
    if older is None and newer is not None:
        older = (
            newer.previous
            if newer.previous_id and str(newer.previous.public_id) in by_id
            else next((v for v in versions if v.created_at < newer.created_at), None)
        )
    comparison = None
    error = ""
    if older is not None and newer is not None:
        if older.pk == newer.pk:
            error = "Select two different versions to compare"
        else:
            comparison = selectors.compare_versions(older, newer)
    return render(
        request,
        "standards/version_compare.html",
        {
            "framework": framework,
            "versions": versions,
            "older": older,
            "newer": newer,
            "comparison": comparison,
            "error": error,
        },
    )


# --- LA admins: upload, review, publish, retire ---------------------------------------------------------


def _spreadsheet_meta(request: HttpRequest, form: FrameworkUploadForm) -> SpreadsheetMeta:
    data = form.cleaned_data
    return _meta_for(request.membership, data["framework"], data["title"], data["label"])


def _meta_for(membership, choice: str, title: str, label: str) -> SpreadsheetMeta:
    """Return what a spreadsheet cannot say: a new framework's slug, or the chosen one's previous version."""
    la = membership.local_authority
    label = label.strip()
    if choice == "new":
        title = title.strip()
        base = f"{slugify(title)[:60].strip('-') or 'framework'}-{la.code}"
        slug, n = base, 2
        while Framework.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return SpreadsheetMeta(slug=slug, title=title, la_code=la.code, label=label)
    framework = selectors.managed_frameworks(membership).filter(public_id=choice).first()
    if framework is None:
        raise Http404
    previous = (
        framework.versions.exclude(status=FrameworkVersion.Status.DRAFT)
        .exclude(label=label)
        .order_by("-created_at")
        .first()
    )
    meta = SpreadsheetMeta(
        slug=framework.slug,
        title=framework.title,
        la_code=la.code,
        label=label,
        description=framework.description,
        rated_by=framework.rated_by,
    )
    if previous is not None:
        meta.previous = previous.label
        meta.previous_statements = dict(previous.criteria.values_list("ref", "statement"))
        meta.scale = ScaleData(
            previous.scale.allow_not_applicable,
            [LevelData(lv.value, lv.label, lv.descriptor) for lv in previous.scale.levels.all()],
            previous.scale.met_value,
        )
    return meta


@performs("framework_upload")
def framework_upload(request: HttpRequest) -> HttpResponse:
    """Upload a framework version (YAML, CSV or XLSX) as a draft of one of the LA's frameworks."""
    frameworks = list(selectors.managed_frameworks(request.membership))
    form = FrameworkUploadForm(request.POST or None, request.FILES or None, frameworks=frameworks)
    problems = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.uploaded
        if uploaded.kind == "yaml":
            data, problems = parse_yaml(uploaded.content, source=uploaded.name)
        else:
            data, problems = parse_spreadsheet(
                uploaded.content,
                kind=uploaded.kind,
                source=uploaded.name,
                meta=_spreadsheet_meta(request, form),
            )
        if not problems:
            try:
                result = services.framework_version_load(
                    data=data, owner=request.membership.local_authority, as_draft=True, by=request.membership
                )
            except services.FrameworkInvalid as exc:
                problems = exc.problems
            else:
                if result.version.status != FrameworkVersion.Status.DRAFT:
                    messages.info(
                        request,
                        f"Version {result.version.label} of {result.version.framework.title} is already "
                        f"{result.version.get_status_display().lower()} with this content. Nothing changed.",
                    )
                    return redirect("standards:version_detail", version_id=result.version.public_id)
                messages.success(
                    request,
                    f"{uploaded.name} was checked and saved as a draft: {result.criteria_count} criteria. "
                    "Review the changes, then publish.",
                )
                return redirect("standards:version_review", version_id=result.version.public_id)
        count = len(problems)
        form.add_error(
            "file",
            f"{uploaded.name} has {count} problem{'s' if count != 1 else ''}. Nothing was saved. Fix "
            f"{'them' if count != 1 else 'it'} and upload the file again",
        )
    return render(
        request,
        "standards/framework_upload.html",
        {
            "form": form,
            "problems": problems[:MAX_PROBLEMS_SHOWN],
            "more_problems": max(0, len(problems) - MAX_PROBLEMS_SHOWN),
            "max_bytes": settings.FRAMEWORK_UPLOAD_MAX_BYTES,
        },
    )


@require_GET
@performs("framework_manage")
def version_review(request: HttpRequest, version_id) -> HttpResponse:
    """Show a draft's changes against the previous version, with the buttons to publish or delete it."""
    version = version_for(request.membership, version_id, action="framework_manage")
    if version.status != FrameworkVersion.Status.DRAFT:
        messages.info(
            request, f"Version {version.label} is {version.get_status_display().lower()}; it cannot change."
        )
        return redirect("standards:version_detail", version_id=version.public_id)
    comparison = selectors.compare_versions(version.previous, version) if version.previous_id else None
    sections = list(version.sections.all())
    return render(
        request,
        "standards/version_review.html",
        {
            "version": version,
            "framework": version.framework,
            "comparison": comparison,
            "criteria_count": version.criteria.count(),
            "section_count": len(sections),
            "statutory_count": version.criteria.filter(statutory=True).count(),
            "guidance_count": version.criteria.filter(statutory_guidance=True).count(),
            "levels": list(version.scale.levels.all()),
        },
    )


@performs("framework_manage")
def version_publish(request: HttpRequest, version_id) -> HttpResponse:
    """Ask to confirm, then publish a draft version of the LA's framework."""
    version = version_for(request.membership, version_id, action="framework_manage")
    if request.method != "POST":
        if version.status != FrameworkVersion.Status.DRAFT:
            messages.info(
                request,
                f"Version {version.label} is {version.get_status_display().lower()}; it cannot change.",
            )
            return redirect("standards:version_detail", version_id=version.public_id)
        return confirmation_page(
            request,
            Confirmation(
                caption=version.framework.title,
                heading=f"Publish version {version.label}?",
                paragraphs=[
                    "Every school and local authority using sendplan will be able to read it, and schools will "
                    "be able to start audits of it."
                    + (f" It will follow version {version.previous.label}." if version.previous_id else "")
                ],
                details=[
                    ("Criteria", str(version.criteria.count())),
                    ("Statutory duties", str(version.criteria.filter(statutory=True).count())),
                ],
                warning="Once published, a version can never change. To change it, you will need to upload "
                "and publish a new version.",
                button=f"Publish version {version.label}",
                action_url=reverse("standards:version_publish", kwargs={"version_id": version.public_id}),
                cancel_url=reverse("standards:version_review", kwargs={"version_id": version.public_id}),
            ),
        )
    try:
        services.framework_version_publish(version=version, by=request.membership)
    except services.FrameworkVersionLocked as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Version {version.label} of {version.framework.title} is published. It can no longer change.",
        )
    return redirect("standards:version_detail", version_id=version.public_id)


@performs("framework_manage")
def version_retire(request: HttpRequest, version_id) -> HttpResponse:
    """Ask to confirm, then retire a published version of the LA's framework."""
    version = version_for(request.membership, version_id, action="framework_manage")
    if request.method != "POST":
        return render(request, "standards/version_confirm.html", {"version": version, "action": "retire"})
    try:
        services.framework_version_retire(version=version, by=request.membership)
    except services.FrameworkVersionLocked as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Version {version.label} of {version.framework.title} is retired.")
    return redirect("standards:framework_detail", framework_id=version.framework.public_id)


@performs("framework_manage")
def version_delete(request: HttpRequest, version_id) -> HttpResponse:
    """Ask to confirm, then delete a draft version of the LA's framework."""
    version = version_for(request.membership, version_id, action="framework_manage")
    if request.method != "POST":
        return render(request, "standards/version_confirm.html", {"version": version, "action": "delete"})
    try:
        services.framework_version_delete_draft(version=version, by=request.membership)
    except services.FrameworkVersionLocked as exc:
        messages.error(request, str(exc))
        return redirect("standards:version_detail", version_id=version.public_id)
    messages.success(request, f"The draft {version.label} of {version.framework.title} was deleted.")
    return redirect(reverse("standards:framework_list"))


# --- LA admins: the LA's own spreadsheet, with its columns matched -----------------------------------------

PREVIEW_ROWS = 5


def _upload_closed(request: HttpRequest, upload: FrameworkUpload) -> HttpResponse | None:
    if services.framework_upload_is_open(upload):
        return None
    if upload.status == FrameworkUpload.Status.IMPORTED and upload.version_id:
        messages.info(request, f"{upload.filename} has already been imported.")
        return redirect("standards:version_review", version_id=upload.version.public_id)
    messages.info(request, "That upload is no longer available: upload the file again.")
    return redirect("standards:spreadsheet_upload")


def _preview(upload: FrameworkUpload) -> tuple[list, list]:
    """Return the first rows as the matched columns read them, and the problems in those rows."""
    try:
        rows = services.framework_upload_rows(upload)
    except services.FrameworkInvalid as exc:
        return [], exc.problems
    if mapped_columns_problems(upload.headings, upload.columns):
        return [], []
    return read_mapped(rows[: PREVIEW_ROWS + 1], upload.columns, upload.headings, upload.filename)


@performs("framework_upload")
def spreadsheet_upload(request: HttpRequest) -> HttpResponse:
    """Upload the LA's own spreadsheet of criteria (XLSX or CSV), to match its columns next."""
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.uploaded
        try:
            upload = services.framework_upload_start(
                by=request.membership, filename=uploaded.name, kind=uploaded.kind, content=uploaded.content
            )
        except services.FrameworkInvalid as exc:
            problems = exc.problems
            form.add_error("file", f"{uploaded.name}: {problems[0].message}".rstrip("."))
        else:
            return redirect("standards:spreadsheet_columns", upload_id=upload.public_id)
    return render(
        request,
        "standards/spreadsheet_upload.html",
        {
            "form": form,
            "max_bytes": settings.FRAMEWORK_UPLOAD_MAX_BYTES,
            "fields": MAPPED_FIELDS,
            "required": MAPPED_REQUIRED,
        },
    )


@require_GET
@performs("framework_upload")
def spreadsheet_template(request: HttpRequest) -> HttpResponse:
    """Download an XLSX template: the headings the column matching recognises, and two example rows."""
    response = HttpResponse(
        template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="framework-template.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@performs("framework_upload")
def spreadsheet_columns(request: HttpRequest, upload_id) -> HttpResponse:
    """Say which column holds each field of a criterion, with the first rows as they will be read."""
    upload = upload_for(request.membership, upload_id)
    if closed := _upload_closed(request, upload):
        return closed
    form = SpreadsheetColumnsForm(request.POST or None, headings=upload.headings, columns=upload.columns)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_upload_columns_set(
                upload=upload, by=request.membership, columns=form.columns()
            )
        except services.FrameworkColumnsInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name, message)
        except services.FrameworkUploadClosed as exc:
            messages.error(request, str(exc))
            return redirect("standards:spreadsheet_upload")
        else:
            return redirect("standards:spreadsheet_check", upload_id=upload.public_id)
    rows, problems = _preview(upload)
    return render(
        request,
        "standards/spreadsheet_columns.html",
        {"form": form, "upload": upload, "rows": rows, "problems": problems, "preview_rows": PREVIEW_ROWS},
    )


@performs("framework_upload")
def spreadsheet_check(request: HttpRequest, upload_id) -> HttpResponse:
    """Check every row, name the framework, version and rating scale, and import the draft."""
    upload = upload_for(request.membership, upload_id)
    if closed := _upload_closed(request, upload):
        return closed
    if mapped_columns_problems(upload.headings, upload.columns):
        return redirect("standards:spreadsheet_columns", upload_id=upload.public_id)
    frameworks = list(selectors.managed_frameworks(request.membership))
    initial = {
        "levels": scale_as_text(DEFAULT_SCALE),
        "met_level": next(lv.label for lv in DEFAULT_SCALE.levels if lv.value == DEFAULT_SCALE.met_value),
        "allow_not_applicable": DEFAULT_SCALE.allow_not_applicable,
        "framework": "" if frameworks else "new",  # the only choice when the LA has no framework yet
    }
    form = SpreadsheetImportForm(request.POST or None, frameworks=frameworks, initial=initial)
    # Every row is read on each showing, so the problems listed are those of the whole file.
    rows = services.framework_upload_rows(upload) if upload.content else []
    mapped, problems = (
        read_mapped(rows, upload.columns, upload.headings, upload.filename) if rows else ([], [])
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meta = _meta_for(request.membership, data["framework"], data["title"], data["label"])
        meta.scale = meta.scale or form.scale  # a new version keeps the scale its audits carry forward
        try:
            result = services.framework_upload_import(upload=upload, by=request.membership, meta=meta)
        except services.FrameworkInvalid as exc:
            problems = exc.problems  # listed, with the error summary, above the form kept as it was
        except services.FrameworkUploadClosed as exc:
            messages.error(request, str(exc))
            return redirect("standards:spreadsheet_upload")
        else:
            messages.success(
                request,
                f"{upload.filename} was imported as a draft: {result.criteria_count} criteria. "
                "Review the changes, then publish.",
            )
            return redirect("standards:version_review", version_id=result.version.public_id)
    return render(
        request,
        "standards/spreadsheet_check.html",
        {
            "form": form,
            "upload": upload,
            "rows": mapped[:PREVIEW_ROWS],
            "row_count": len(mapped),
            "problems": problems[:MAX_PROBLEMS_SHOWN],
            "more_problems": max(0, len(problems) - MAX_PROBLEMS_SHOWN),
            "sections": len({row.section for row in mapped}),
            "statutory": sum(1 for row in mapped if row.statutory),
        },
    )


@require_POST
@performs("framework_upload")
def spreadsheet_discard(request: HttpRequest, upload_id) -> HttpResponse:
    """Throw an upload away without importing anything."""
    upload = upload_for(request.membership, upload_id)
    try:
        services.framework_upload_discard(upload=upload, by=request.membership)
    except services.FrameworkUploadClosed as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, f"{upload.filename} was discarded. Nothing was imported.")
    return redirect("standards:spreadsheet_upload")
