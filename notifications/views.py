"""The inbox and the notification preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications.kinds import all_kinds
from notifications.models import Notification
from notifications.selectors import inbox_for, preferences_for
from notifications.services import notifications_mark_read, preferences_update

PAGE_SIZE = 30


@login_required
@require_GET
def inbox(request):
    unread_only = request.GET.get("filter") == "unread"
    page = Paginator(inbox_for(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
@require_GET
def open_notification(request, pk: int):
    """Mark one notification read and follow its link (same-site links only)."""
    item = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications_mark_read(user=request.user, ids=[item.pk])
    if url_has_allowed_host_and_scheme(item.target_url, allowed_hosts=None):
        return redirect(item.target_url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = notifications_mark_read(user=request.user)
    messages.success(request, _("Marked %(count)d notifications as read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    if request.method == "POST":
        keys = {kind.key for kind in all_kinds()}
        choices = {
            key: (f"in_site:{key}" in request.POST, f"email:{key}" in request.POST) for key in keys
        }
        preferences_update(user=request.user, choices=choices)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"rows": preferences_for(request.user)}
    )
