from django.urls import path

from publications import views

app_name = "publications"

S = "strategies/<uuid:strategy_id>"

urlpatterns = [
    path("", views.publication_list, name="publication_list"),
    path("la/", views.la_list, name="la_list"),
    path("strategies/start/", views.strategy_start, name="strategy_start"),
    path("reports/start/", views.report_start, name="report_start"),
    # A document of either kind
    path("<uuid:publication_id>/", views.publication_detail, name="publication_detail"),
    path("<uuid:publication_id>/cover/", views.cover_edit, name="cover_edit"),
    path("<uuid:publication_id>/check/", views.publication_check, name="publication_check"),
    path("<uuid:publication_id>/preview/", views.publication_preview, name="publication_preview"),
    path("<uuid:publication_id>/document.docx", views.publication_docx, name="publication_docx"),
    path("<uuid:publication_id>/pdf/", views.publication_pdf, name="publication_pdf"),
    path("<uuid:publication_id>/publish/", views.publication_publish, name="publication_publish"),
    path("<uuid:publication_id>/unpublish/", views.publication_unpublish, name="publication_unpublish"),
    path("<uuid:publication_id>/approve/", views.board_approval, name="board_approval"),
    # Writing an inclusion strategy
    path(f"{S}/statement/", views.statement_edit, name="statement_edit"),
    path(f"{S}/barriers/", views.barrier_list, name="barrier_list"),
    path(f"{S}/barriers/suggestions/", views.barrier_suggestion, name="barrier_suggestion"),
    path(f"{S}/barriers/<uuid:barrier_id>/", views.barrier_edit, name="barrier_edit"),
    path(f"{S}/barriers/<uuid:barrier_id>/remove/", views.barrier_remove, name="barrier_remove"),
    path(f"{S}/activities/", views.activity_list, name="activity_list"),
    path(f"{S}/activities/add/", views.activity_add, name="activity_add"),
    path(f"{S}/activities/<uuid:activity_id>/", views.activity_edit, name="activity_edit"),
    path(f"{S}/activities/<uuid:activity_id>/remove/", views.activity_remove, name="activity_remove"),
    path(
        f"{S}/activities/from-action/<uuid:action_id>/",
        views.activity_from_action,
        name="activity_from_action",
    ),
    path(f"{S}/outcomes/", views.outcome_list, name="outcome_list"),
    path(f"{S}/outcomes/add/", views.outcome_add, name="outcome_add"),
    path(f"{S}/outcomes/<uuid:outcome_id>/", views.outcome_edit, name="outcome_edit"),
    path(f"{S}/outcomes/<uuid:outcome_id>/review/", views.outcome_review, name="outcome_review"),
    path(f"{S}/outcomes/<uuid:outcome_id>/remove/", views.outcome_remove, name="outcome_remove"),
    # Writing an SEN information report
    path("reports/<uuid:sen_report_id>/sections/<str:item>/", views.section_edit, name="section_edit"),
    path(
        "reports/<uuid:sen_report_id>/sections/<str:item>/suggestions/",
        views.section_suggestion,
        name="section_suggestion",
    ),
    # The public page: no sign-in, only through the school's link
    path("p/<str:public_token>/", views.public_page, name="public_page"),
    path("p/<str:public_token>/document.docx", views.public_docx, name="public_docx"),
    path("p/<str:public_token>/document.pdf", views.public_pdf, name="public_pdf"),
]
