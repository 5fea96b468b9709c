"""A person's own notifications, marking them read, and how they want them emailed."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.forms import PreferenceForm
from notifications.lookups import notification_for
from sendplan.policy import performs
from sendplan.views import posted

PAGE_SIZE = 25


@performs("notification_view")
def notification_list(request: HttpRequest) -> HttpResponse:
    """List the person's notifications, newest first, unread ones marked."""
    page = Paginator(selectors.own_notifications(request.membership), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page_obj": page,
            "notifications": page.object_list,
            "query_prefix": "",
            "preference": selectors.preference_of(request.membership),
        },
    )


@require_POST
@performs("notification_view")
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (its public id posted as ``notification``) or all of them (``all``) as read."""
    membership = request.membership
    if request.POST.get("all"):
        count = services.notifications_mark_read(by=membership)
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    elif request.POST.get("notification"):
        notification = notification_for(membership, request.POST["notification"])
        services.notifications_mark_read(by=membership, notification=notification)
    url = reverse("notifications:notification_list")
    page = request.POST.get("page", "")
    return redirect(f"{url}?{urlencode({'page': page})}" if page.isdigit() and page != "1" else url)


@performs("notification_settings")
def preferences(request: HttpRequest) -> HttpResponse:
    """Choose how to be emailed: straight away, once a day, or not at all."""
    membership = request.membership
    form = PreferenceForm(posted(request), initial={"email": selectors.preference_of(membership)})
    if request.method == "POST" and form.is_valid():
        preference = services.preference_save(by=membership, email=form.cleaned_data["email"])
        messages.success(
            request, f"How you are emailed has been saved: {preference.get_email_display().lower()}."
        )
        return redirect("notifications:notification_list")
    return render(request, "notifications/preferences.html", {"form": form})
