"""Public profile pages and the owner's profile editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm
from accounts.selectors import user_get_public


def profile_detail(request, username: str):
    member = user_get_public(username=username)
    return render(
        request, "accounts/profile_detail.html", {"member": member, "profile": member.profile}
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = request.user.profile
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=profile)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect(profile.get_absolute_url())
        messages.error(request, _("Please correct the errors below."))
    else:
        form = ProfileForm(instance=profile)
    return render(request, "accounts/profile_edit.html", {"form": form})


def profile_redirect(request):
    """``/accounts/profile/`` (allauth's default landing) → the member's public page."""
    if request.user.is_authenticated:
        return redirect(request.user.get_absolute_url())
    return redirect("account_login")
