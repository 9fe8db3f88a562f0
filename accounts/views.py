"""Public profile pages and the owner's profile editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import AccessTokenForm, ProfileForm
from accounts.models import AccessToken
from accounts.selectors import user_get_public
from accounts.tokens import TokenError, token_create, token_revoke


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


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """Personal access tokens: create (the secret is shown once, on this response) and list."""
    created_secret = None
    if request.method == "POST":
        form = AccessTokenForm(request.POST)
        if form.is_valid():
            try:
                _token, created_secret = token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_in_days=form.cleaned_data["expires_in_days"] or None,
                )
            except TokenError:
                messages.error(request, _("Revoke an old token before creating more."))
            else:
                form = AccessTokenForm()
    else:
        form = AccessTokenForm()
    tokens = AccessToken.objects.filter(user=request.user, revoked_at__isnull=True)
    response = render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": tokens, "created_secret": created_secret},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    if token_revoke(user=request.user, token_id=token_id):
        messages.success(request, _("The token has been revoked."))
    return redirect("accounts:tokens")
