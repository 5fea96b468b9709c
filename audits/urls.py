from django.urls import path, register_converter

from audits import views
from standards.converters import RefConverter

register_converter(RefConverter, "ref")

app_name = "audits"

urlpatterns = [
    path("", views.audit_list, name="audit_list"),
    path("start/", views.audit_start, name="audit_start"),
    path("la/", views.la_audit_list, name="la_audit_list"),
    path("la/weakest-provision/", views.la_weakest, name="la_weakest"),
    path("la/round/", views.la_round, name="la_round"),
    path("la/round/export.csv", views.la_round_export_csv, name="la_round_export_csv"),
    path("la/round/export.xlsx", views.la_round_export_xlsx, name="la_round_export_xlsx"),
    path("la/round/remind/", views.la_round_remind, name="la_round_remind"),
    path("la/round/contacts.csv", views.la_round_contacts, name="la_round_contacts"),
    path("la/round/closing-date/", views.la_round_closing_date, name="la_round_closing_date"),
    path("la/weakest-provision/schools/", views.la_weakest_schools, name="la_weakest_schools"),
    path("la/weakest-provision/criterion/", views.la_weakest_criterion, name="la_weakest_criterion"),
    path("la/weakest-provision.csv", views.la_weakest_export, {"kind": "csv"}, name="la_weakest_csv"),
    path("la/weakest-provision.xlsx", views.la_weakest_export, {"kind": "xlsx"}, name="la_weakest_xlsx"),
    path("<uuid:audit_id>/", views.audit_detail, name="audit_detail"),
    path("<uuid:audit_id>/sections/<ref:section_ref>/", views.section, name="section"),
    path("<uuid:audit_id>/criteria/<ref:criterion_ref>/", views.rating_save, name="rating_save"),
    path("<uuid:audit_id>/rate/", views.audit_rate, name="audit_rate"),
    path("<uuid:audit_id>/rate/save/", views.audit_rate_save, name="audit_rate_save"),
    path("<uuid:audit_id>/confirm/", views.ratings_confirm, name="ratings_confirm"),
    path(
        "<uuid:audit_id>/confirm/<uuid:event_id>/undo/",
        views.ratings_confirm_undo,
        name="ratings_confirm_undo",
    ),
    path("<uuid:audit_id>/summary/", views.audit_summary, name="audit_summary"),
    path("<uuid:audit_id>/check/", views.audit_check, name="audit_check"),
    path("<uuid:audit_id>/submit/", views.audit_submit, name="audit_submit"),
    path("<uuid:audit_id>/withdraw/", views.audit_withdraw, name="audit_withdraw"),
    path("<uuid:audit_id>/history/", views.audit_history, name="audit_history"),
    path("<uuid:audit_id>/compare/", views.audit_compare, name="audit_compare"),
    path("<uuid:audit_id>/evidence/", views.evidence_list, name="evidence_list"),
    path("<uuid:audit_id>/evidence/add/", views.evidence_add, name="evidence_add"),
    path("<uuid:audit_id>/evidence/<uuid:evidence_id>/", views.evidence_edit, name="evidence_edit"),
    path(
        "<uuid:audit_id>/evidence/<uuid:evidence_id>/remove/", views.evidence_remove, name="evidence_remove"
    ),
    path(
        "<uuid:audit_id>/evidence/<uuid:evidence_id>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("<uuid:audit_id>/actions/", views.action_list, name="action_list"),
    path("<uuid:audit_id>/actions/add/", views.action_add, name="action_add"),
    path("<uuid:audit_id>/actions/<uuid:action_id>/", views.action_edit, name="action_edit"),
    path("<uuid:audit_id>/actions/<uuid:action_id>/remove/", views.action_remove, name="action_remove"),
    path("<uuid:audit_id>/export.csv", views.audit_export_csv, name="audit_export_csv"),
    path("<uuid:audit_id>/export.xlsx", views.audit_export_xlsx, name="audit_export_xlsx"),
    path("<uuid:audit_id>/comments/", views.la_comment, name="la_comment"),
    path("<uuid:audit_id>/return/", views.la_return, name="la_return"),
    path("<uuid:audit_id>/accept/", views.la_accept, name="la_accept"),
    path("<uuid:audit_id>/board-review/", views.governor_review, name="governor_review"),
]
