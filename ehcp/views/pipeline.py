"""The LA's EHC plan pipeline: its figures, their exports, and the plans behind each figure.

The pipeline page and its exports name no pupil: each overdue step is listed with its school and links
to the plan, whose own page logs the viewing. The drill-down list names pupils, so it is the LA's plan
list action (``plan_la_list``) and logs each pupil it shows.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from ehcp import pipeline_exports
from ehcp.lookups import list_shown
from ehcp.selectors import pipeline
from sendplan.policy import performs

OVERDUE_SHOWN = 50  # overdue steps on one page of the pipeline
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"  # stands for an id in an address reversed once


@performs("plan_pipeline")
def la_pipeline(request: HttpRequest) -> HttpResponse:
    """Show the LA's EHC plan pipeline: stages, the 20-week figure by month, overdue steps, primary needs."""
    figures = pipeline.pipeline_figures(request.membership)
    overdue = Paginator(figures.overdue, OVERDUE_SHOWN).get_page(request.GET.get("page"))
    # each address reversed once, not twice a row
    school_url = reverse("sendplan:school_detail", args=[PLACEHOLDER])
    plan_url = reverse("ehcp:plan_detail", args=[PLACEHOLDER])
    overdue_rows = [
        (step, school_url.replace(PLACEHOLDER, step.school_id), plan_url.replace(PLACEHOLDER, step.plan_id))
        for step in overdue
    ]
    return render(
        request,
        "ehcp/la_pipeline.html",
        {"figures": figures, "page_obj": overdue, "overdue_rows": overdue_rows, "query_prefix": ""},
    )


@performs("plan_pipeline")
def la_pipeline_csv(request: HttpRequest) -> HttpResponse:
    """Download the pipeline's figures and overdue steps as CSV (no pupil names)."""
    figures = pipeline.pipeline_figures(request.membership)
    response = HttpResponse(
        pipeline_exports.pipeline_csv(figures, request.membership.local_authority.name),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(request, "csv")}"'
    return response


@performs("plan_pipeline")
def la_pipeline_xlsx(request: HttpRequest) -> HttpResponse:
    """Download the pipeline's figures and overdue steps as an Excel workbook (no pupil names)."""
    figures = pipeline.pipeline_figures(request.membership)
    response = HttpResponse(
        pipeline_exports.pipeline_xlsx(figures, request.membership.local_authority.name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(request, "xlsx")}"'
    return response


def _file_name(request: HttpRequest, extension: str) -> str:
    la = request.membership.local_authority
    return f"ehc-plan-pipeline-{la.code}-{timezone.localdate():%Y-%m-%d}.{extension}"


@performs("plan_la_list")
def la_pipeline_plans(request: HttpRequest) -> HttpResponse:
    """List the plans behind one figure of the pipeline, with a way back to it."""
    chosen = pipeline.parse_filter(request.GET)
    if chosen is None:
        raise Http404
    plans = pipeline.filtered_plans(request.membership, chosen)
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    rows = [{"plan": plan, "stage": pipeline.STAGE_LABELS[pipeline.plan_stage(plan)]} for plan in page]
    list_shown(
        request, [row["plan"].pupil for row in rows], what="The LA's EHC plan pipeline: plans behind a figure"
    )
    params = {k: v for k, v in request.GET.items() if k != "page"}
    return render(
        request,
        "ehcp/la_pipeline_plans.html",
        {
            "rows": rows,
            "page_obj": page,
            "query_prefix": f"{urlencode(params)}&" if params else "",
            "description": chosen.describe(),
            "weeks": pipeline.deadlines.FINAL_PLAN_WEEKS,
        },
    )
