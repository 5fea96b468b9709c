from django.urls import path

from standards import views

app_name = "standards"

urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("upload/", views.framework_upload, name="framework_upload"),
    path("upload/spreadsheet/", views.spreadsheet_upload, name="spreadsheet_upload"),
    path("upload/spreadsheet/template.xlsx", views.spreadsheet_template, name="spreadsheet_template"),
    path(
        "upload/spreadsheet/<uuid:upload_id>/columns/", views.spreadsheet_columns, name="spreadsheet_columns"
    ),
    path("upload/spreadsheet/<uuid:upload_id>/", views.spreadsheet_check, name="spreadsheet_check"),
    path(
        "upload/spreadsheet/<uuid:upload_id>/discard/", views.spreadsheet_discard, name="spreadsheet_discard"
    ),
    path("<uuid:framework_id>/", views.framework_detail, name="framework_detail"),
    path("<uuid:framework_id>/compare/", views.version_compare, name="version_compare"),
    path("versions/<uuid:version_id>/", views.version_detail, name="version_detail"),
    path("versions/<uuid:version_id>/export/", views.version_export, name="version_export"),
    path("versions/<uuid:version_id>/review/", views.version_review, name="version_review"),
    path("versions/<uuid:version_id>/publish/", views.version_publish, name="version_publish"),
    path("versions/<uuid:version_id>/retire/", views.version_retire, name="version_retire"),
    path("versions/<uuid:version_id>/delete/", views.version_delete, name="version_delete"),
    path("criteria/<uuid:criterion_id>/", views.criterion_detail, name="criterion_detail"),
]
