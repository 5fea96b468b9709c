from django.contrib import admin
from django.urls import include, path

from sendplan import views
from sendplan.admin import admin_login_through_allauth

core_patterns = (
    [
        path("schools/add/", views.school_add, name="school_add"),
        path("schools/<uuid:school_id>/", views.school_detail, name="school_detail"),
        path("schools/<uuid:school_id>/edit/", views.school_edit, name="school_edit"),
        path("people/", views.people, name="people"),
        path("people/invite/", views.invite, name="invite"),
        path("people/<uuid:membership_id>/remove/", views.membership_remove, name="membership_remove"),
        path("reports/", views.report_list, name="report_list"),
        path("reports/new/", views.report_request, name="report_request"),
        path("reports/<uuid:report_id>/", views.report_status, name="report_status"),
        path("reports/<uuid:report_id>/download/", views.report_download, name="report_download"),
        path("la-reports/", views.la_report_list, name="la_report_list"),
        path("la-reports/new/", views.la_report_request, name="la_report_request"),
        path("la-reports/<uuid:la_report_id>/", views.la_report_status, name="la_report_status"),
        path("la-reports/<uuid:la_report_id>/download/", views.la_report_download, name="la_report_download"),
    ],
    "sendplan",
)

admin.site.login = admin_login_through_allauth  # the admin's own login would skip MFA
admin.site.site_header = "sendplan administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("choose-organisation/", views.choose_organisation, name="choose_organisation"),
    path("session/extend/", views.session_extend, name="session_extend"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("", include(core_patterns)),
    path("frameworks/", include("standards.urls")),
    path("audits/", include("audits.urls")),
    path("ehcp/", include("ehcp.urls")),
    path("publications/", include("publications.urls")),
    path("notifications/", include("notifications.urls")),
    path("accounts/2fa/totp/activate/", views.mfa_activate_totp, name="mfa_activate_totp"),
    # Before allauth's own: nobody manages their sign-in address (staff change it in the admin).
    path("accounts/email/", views.account_email_removed, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
