from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from sendplan import services
from sendplan.models import AccessEvent, Erasure, Invitation, LocalAuthority, Membership, Report, School, User


def admin_login_through_allauth(request: HttpRequest, extra_context=None) -> HttpResponse:
    """Send the admin's sign-in through allauth, so MFA and rate limits apply to staff too.

    A signed-in person who is not staff gets 403: sending them to sign in would loop, because
    allauth sends a signed-in person straight back to the admin.
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/admin/"))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups"]

    def delete_model(self, request, obj) -> None:
        """Delete through the erasure path: the person's history stays, without them."""
        services.user_erase(user=obj, by=f"the admin, by staff member {request.user.public_id}")

    def delete_queryset(self, request, queryset) -> None:
        for user in queryset:
            self.delete_model(request, user)

    def log_deletions(self, request, queryset):
        """Log the deletion by the person's id, and take their name out of the admin's earlier entries."""
        from django.contrib.admin.models import DELETION, LogEntry
        from django.contrib.contenttypes.models import ContentType

        users = list(queryset)
        content_type = ContentType.objects.get_for_model(User)
        ids = [str(u.pk) for u in users]
        LogEntry.objects.filter(content_type=content_type, object_id__in=ids).update(
            object_repr="Person (erased)"
        )
        return LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=str(u.pk),
                object_repr=f"Person {u.public_id}",
                action_flag=DELETION,
            )
            for u in users
        )

    def save_model(self, request, obj, form, change) -> None:
        """Save the person; a new or changed address replaces every address allauth held for them."""
        super().save_model(request, obj, form, change)
        if not change or "email" in form.changed_data:
            services.email_address_record(user=obj)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "phase", "local_authority"]
    list_filter = ["phase", "local_authority"]
    search_fields = ["name", "urn"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "local_authority", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["user", "school", "local_authority"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "school", "local_authority", "expires_at", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "actor_role", "action", "what"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # append-only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "by"]
    readonly_fields = ["public_id", "at", "kind", "by", "erased_ids", "counts"]

    def has_add_permission(self, request) -> bool:
        return False  # written only by the erasure services

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # append-only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["kind", "school", "local_authority", "status", "created_at"]
