"""The Django admin for pupils: only the legal hold, for the data protection officer (staff, behind MFA).

Names and SEN details are left out: the DPO finds a record by its UPN, which the school gives with the
request for a hold, and changes nothing else. Everything else about a pupil is the school's to change.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from ehcp.models import Pupil


@admin.register(Pupil)
class PupilLegalHoldAdmin(admin.ModelAdmin):
    list_display = ["public_id", "school", "year_group", "left_on", "legal_hold"]
    list_filter = ["legal_hold"]
    search_fields = ["=upn"]
    fields = [
        "public_id",
        "school",
        "upn",
        "left_on",
        "legal_hold",
        "legal_hold_reason",
        "legal_hold_set_by",
        "legal_hold_set_at",
    ]
    readonly_fields = ["public_id", "school", "upn", "left_on", "legal_hold_set_by", "legal_hold_set_at"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Pupil, form, change: bool) -> None:
        if not obj.legal_hold:
            obj.legal_hold_reason = ""
        obj.legal_hold_set_by, obj.legal_hold_set_at = request.user, timezone.now()
        obj.save(update_fields=["legal_hold", "legal_hold_reason", "legal_hold_set_by", "legal_hold_set_at"])
