from django.urls import path

from ehcp import views

app_name = "ehcp"

urlpatterns = [
    path("", views.register, name="register"),
    path("pupils/add/", views.pupil_add, name="pupil_add"),
    path("pupils/import/", views.pupil_import, name="pupil_import"),
    path("pupils/import/template.csv", views.pupil_import_template, name="pupil_import_template"),
    path("pupils/import/<uuid:import_id>/", views.pupil_import_preview, name="pupil_import_preview"),
    path("pupils/import/<uuid:import_id>/columns/", views.pupil_import_columns, name="pupil_import_columns"),
    path("pupils/import/<uuid:import_id>/discard/", views.pupil_import_discard, name="pupil_import_discard"),
    path("legal-holds/", views.legal_holds, name="legal_holds"),
    path("deadlines/", views.school_deadlines, name="school_deadlines"),
    path("pupils/<uuid:pupil_id>/", views.pupil_detail, name="pupil_detail"),
    path("pupils/<uuid:pupil_id>/edit/", views.pupil_edit, name="pupil_edit"),
    path("pupils/<uuid:pupil_id>/leave/", views.pupil_leave, name="pupil_leave"),
    path("pupils/<uuid:pupil_id>/rejoin/", views.pupil_rejoin, name="pupil_rejoin"),
    path("pupils/<uuid:pupil_id>/remove/", views.pupil_remove, name="pupil_remove"),
    path("pupils/<uuid:pupil_id>/carers/add/", views.carer_add, name="carer_add"),
    path("pupils/<uuid:pupil_id>/carers/<uuid:carer_id>/remove/", views.carer_remove, name="carer_remove"),
    path("pupils/<uuid:pupil_id>/cycles/add/", views.cycle_add, name="cycle_add"),
    path("pupils/<uuid:pupil_id>/cycles/<uuid:cycle_id>/", views.cycle_edit, name="cycle_edit"),
    path("pupils/<uuid:pupil_id>/evidence/", views.evidence, name="evidence"),
    path("pupils/<uuid:pupil_id>/access-log/", views.access_log, name="access_log"),
    path("pupils/<uuid:pupil_id>/export/", views.pupil_export, name="pupil_export"),
    path("pupils/<uuid:pupil_id>/plan/start/", views.plan_start, name="plan_start"),
    path("plans/", views.la_plan_list, name="la_plan_list"),
    path("pipeline/", views.la_pipeline, name="la_pipeline"),
    path("pipeline/export.csv", views.la_pipeline_csv, name="la_pipeline_csv"),
    path("pipeline/export.xlsx", views.la_pipeline_xlsx, name="la_pipeline_xlsx"),
    path("pipeline/plans/", views.la_pipeline_plans, name="la_pipeline_plans"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:plan_id>/legal-hold/", views.legal_hold, name="legal_hold"),
    path("plans/<uuid:plan_id>/timeline/", views.plan_timeline, name="plan_timeline"),
    path("plans/<uuid:plan_id>/dates/", views.plan_dates, name="plan_dates"),
    path("plans/<uuid:plan_id>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<uuid:plan_id>/amend/", views.plan_amend, name="plan_amend"),
    path("plans/<uuid:plan_id>/return/", views.plan_return, name="plan_return"),
    path("plans/<uuid:plan_id>/finalise/", views.plan_finalise, name="plan_finalise"),
    path("plans/<uuid:plan_id>/comment/", views.plan_comment, name="plan_comment"),
    path("plans/<uuid:plan_id>/reviews/start/", views.review_start, name="review_start"),
    path("reviews/", views.la_review_list, name="la_review_list"),
    path("reviews/<uuid:review_id>/", views.review_detail, name="review_detail"),
    path("reviews/<uuid:review_id>/dates/", views.review_dates, name="review_dates"),
    path("reviews/<uuid:review_id>/invitees/add/", views.review_attendee_add, name="review_attendee_add"),
    path(
        "reviews/<uuid:review_id>/invitees/<uuid:attendee_id>/remove/",
        views.review_attendee_remove,
        name="review_attendee_remove",
    ),
    path("reviews/<uuid:review_id>/meeting/", views.review_meeting, name="review_meeting"),
    path("reviews/<uuid:review_id>/report/", views.review_report, name="review_report"),
    path("reviews/<uuid:review_id>/decision/", views.review_decision, name="review_decision"),
    path("plans/<uuid:plan_id>/versions/", views.version_list, name="version_list"),
    path(
        "plans/<uuid:plan_id>/versions/<uuid:version_id>/export/", views.version_export, name="version_export"
    ),
    path("plans/<uuid:plan_id>/sections/<str:section>/", views.section_detail, name="section_detail"),
    path(
        "plans/<uuid:plan_id>/sections/<str:section>/complete/",
        views.section_complete,
        name="section_complete",
    ),
    path(
        "plans/<uuid:plan_id>/sections/<str:section>/items/<uuid:item_id>/", views.item_edit, name="item_edit"
    ),
    path(
        "plans/<uuid:plan_id>/sections/<str:section>/items/<uuid:item_id>/remove/",
        views.item_remove,
        name="item_remove",
    ),
    # The plan and a pupil's packs as documents (ehcp/views/documents.py)
    path("plans/<uuid:plan_id>/whole/", views.plan_whole, name="plan_whole"),
    path("plans/<uuid:plan_id>/documents/", views.plan_documents, name="plan_documents"),
    path("plans/<uuid:plan_id>/documents/new/", views.plan_document_request, name="plan_document_request"),
    path(
        "plans/<uuid:plan_id>/documents/<uuid:document_id>/",
        views.plan_document_status,
        name="plan_document_status",
    ),
    path(
        "plans/<uuid:plan_id>/documents/<uuid:document_id>/download/",
        views.plan_document_download,
        name="plan_document_download",
    ),
    path("pupils/<uuid:pupil_id>/documents/", views.pupil_documents, name="pupil_documents"),
    path(
        "pupils/<uuid:pupil_id>/documents/new/", views.pupil_document_request, name="pupil_document_request"
    ),
    path(
        "pupils/<uuid:pupil_id>/documents/<uuid:pack_id>/",
        views.pupil_document_status,
        name="pupil_document_status",
    ),
    path(
        "pupils/<uuid:pupil_id>/documents/<uuid:pack_id>/download/",
        views.pupil_document_download,
        name="pupil_document_download",
    ),
]
