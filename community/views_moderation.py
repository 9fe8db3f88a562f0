"""Moderation pages: flagging, the flag queue, the audit log, suspensions, suggested edits.

Queue, log and suspension pages answer 403 to anyone without the moderate
privilege; the review queue needs the edit privilege. Every write is a POST form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import moderation, permissions, selectors_moderation, services
from community.forms_moderation import FlagForm, ReviewForm, SuggestEditForm, SuspendForm
from community.models import Answer, Article, Comment, ModerationAction, Question, SuggestedEdit
from community.views import _apply_errors, _refuse, _side_by_side
from core.ratelimit import client_ip

LOG_PAGE_SIZE = 50
WRITE_ERRORS = (ValidationError, PermissionDenied, services.RateLimited)


def _require_moderator(user) -> None:
    permissions.require(permissions.can_moderate(user), _("Only moderators can see this page."))


def _flaggable(kind: str, pk: int, *, include_deleted: bool = False):
    model = {"question": Question, "answer": Answer, "comment": Comment, "article": Article}[kind]
    filters = {} if include_deleted else {"is_deleted": False}
    return get_object_or_404(model, pk=pk, **filters)


def _thread_url(post) -> str:
    return post.get_absolute_url()


@login_required
def flag_create(request, kind: str, pk: int):
    """The flag form for one post; without JavaScript it is its own page."""
    post = _flaggable(kind, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate_of = None
        if form.cleaned_data.get("duplicate_of"):
            duplicate_of = Question.objects.filter(pk=form.cleaned_data["duplicate_of"]).first()
        try:
            moderation.flag_create(
                reporter=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
                duplicate_of=duplicate_of,
                ip=client_ip(request),
            )
        except WRITE_ERRORS as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: a moderator will look at your flag."))
            return redirect(_thread_url(post))
    status = 400 if form.is_bound else 200
    return render(
        request,
        "community/moderation/flag_form.html",
        {"form": form, "post": post, "kind": kind},
        status=status,
    )


@login_required
def flag_queue(request):
    _require_moderator(request.user)
    groups = selectors_moderation.flag_queue()
    return render(request, "community/moderation/queue.html", {"groups": groups})


@login_required
@require_POST
def flags_resolve(request, kind: str, pk: int):
    post = _flaggable(kind, pk, include_deleted=True)
    decision = request.POST.get("decision", "")
    fallback = reverse("community:moderation_queue")
    if decision not in ("dismiss", "helpful", "delete"):
        return _refuse(request, ValidationError(_("Choose what to do with the flags.")), fallback)
    try:
        count = moderation.flags_resolve(
            moderator=request.user,
            post=post,
            helpful=decision != "dismiss",
            delete=decision == "delete",
            reason=request.POST.get("reason", "")[:500],
        )
    except WRITE_ERRORS as error:
        return _refuse(request, error, fallback)
    messages.success(request, _("%(count)d flags handled.") % {"count": count})
    return redirect(fallback)


@login_required
def audit_log(request):
    _require_moderator(request.user)
    action = request.GET.get("action", "")
    if action not in ModerationAction.Action.values:
        action = ""
    page_obj = Paginator(selectors_moderation.audit_log(action=action), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "community/moderation/log.html",
        {"page_obj": page_obj, "action": action, "actions": ModerationAction.Action.choices},
    )


@login_required
def member_suspend(request, username: str):
    _require_moderator(request.user)
    member = get_object_or_404(get_user_model(), username=username)
    form = SuspendForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("lift") == "1":
                moderation.member_unsuspend(moderator=request.user, member=member)
                messages.success(request, _("The suspension is lifted."))
                return redirect("community:member_suspend", username=username)
            if form.is_valid():
                moderation.member_suspend(
                    moderator=request.user,
                    member=member,
                    days=form.cleaned_data["days"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("The member is suspended."))
                return redirect("community:member_suspend", username=username)
        except WRITE_ERRORS as error:
            _apply_errors(form, error)
    history = selectors_moderation.audit_log().filter(member=member)[:20]
    return render(
        request,
        "community/moderation/suspend.html",
        {"form": form, "member": member, "history": history},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def suggest_edit(request, kind: str, pk: int):
    post = _flaggable(kind, pk)
    if permissions.can_edit(request.user, post):
        return redirect(f"community:{kind}_edit", pk=post.pk)
    latest = moderation._latest_revision(post)
    initial = {"body": post.body}
    if kind == "question":
        initial.update(title=post.title, tags=latest.tags if latest else [])
    form = SuggestEditForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.suggested_edit_create(
                author=request.user,
                post=post,
                title=form.cleaned_data.get("title", ""),
                body=form.cleaned_data["body"],
                tags=form.cleaned_data.get("tags") or [],
                comment=form.cleaned_data["comment"],
                ip=client_ip(request),
            )
        except WRITE_ERRORS as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: your edit is waiting for review."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "community/moderation/suggest_edit.html",
        {"form": form, "post": post, "kind": kind},
        status=400 if form.is_bound else 200,
    )


@login_required
def review_queue(request):
    permissions.require(
        permissions.can_review_edits(request.user),
        permissions.denial_reason(request.user, "edit_others"),
    )
    rows = []
    for suggestion in selectors_moderation.review_queue()[:50]:
        post = suggestion.post
        rows.append(
            {
                "suggestion": suggestion,
                "thread": post if suggestion.question_id else post.question,
                "title_diff": (
                    _side_by_side(post.title, suggestion.title)
                    if suggestion.question_id and post.title != suggestion.title
                    else ""
                ),
                "body_diff": _side_by_side(post.body, suggestion.body),
            }
        )
    return render(request, "community/moderation/review.html", {"rows": rows})


@login_required
@require_POST
def review_decide(request, pk: int):
    suggestion = get_object_or_404(SuggestedEdit, pk=pk)
    fallback = reverse("community:review_queue")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _refuse(request, ValidationError(_("Approve or reject the edit.")), fallback)
    try:
        if form.cleaned_data["decision"] == "approve":
            moderation.suggested_edit_approve(reviewer=request.user, suggestion=suggestion)
            messages.success(request, _("The edit is applied."))
        else:
            moderation.suggested_edit_reject(
                reviewer=request.user, suggestion=suggestion, comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("The edit is rejected."))
    except WRITE_ERRORS as error:
        return _refuse(request, error, fallback)
    return redirect(fallback)
