"""Views for browsing frameworks, comparing versions, and LA admins' upload, publish and retire."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from sendplan.confirmation import Confirmation, confirmation_page
from sendplan.policy import allows, performs
from standards import selectors, services
from standards.forms import CriteriaFilterForm, FrameworkUploadForm
from standards.loader import (
    LevelData,
    ScaleData,
    SpreadsheetMeta,
    dump_yaml,
    parse_spreadsheet,
    parse_yaml,
    version_to_data,
)
from standards.lookups import criterion_for, framework_for, version_for
from standards.models import AreaOfNeed, Framework, FrameworkVersion

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
    la = request.membership.local_authority
    choice = form.cleaned_data["framework"]
    label = form.cleaned_data["label"].strip()
    if choice == "new":
        title = form.cleaned_data["title"].strip()
        base = f"{slugify(title)[:60].strip('-') or 'framework'}-{la.code}"
        slug, n = base, 2
        while Framework.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return SpreadsheetMeta(slug=slug, title=title, la_code=la.code, label=label)
    framework = selectors.managed_frameworks(request.membership).filter(public_id=choice).first()
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
