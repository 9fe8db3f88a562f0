"""Live-session pages. They work without JavaScript; live.js adds the real-time room."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.ratelimit import hit
from events import selectors, services
from events.consumers import rate
from events.forms import AnswerForm, AskForm, LiveSessionForm
from events.ics import session_ics as build_ics
from events.models import LiveQuestion, LiveSession
from knowledge.models import Subdomain

PAST_PAGE_SIZE = 20


def _session(slug: str) -> LiveSession:
    try:
        return selectors.session_for_page(slug=slug)
    except LiveSession.DoesNotExist as error:
        raise Http404(_("No such live session.")) from error


def _limited(request, name: str) -> bool:
    """Count one use of a rate-limited action; True (and a message) when over the limit."""
    result = hit(f"live:{name}:{request.user.pk}", rate(name))
    if not result.allowed:
        messages.error(
            request,
            _("Too many requests; wait %(seconds)d seconds.") % {"seconds": result.retry_after},
        )
    return not result.allowed


@require_GET
def session_list(request):
    subdomain = None
    if request.GET.get("subdomain"):
        subdomain = Subdomain.objects.filter(slug=request.GET["subdomain"]).first()
    past = Paginator(selectors.sessions_past(subdomain=subdomain), PAST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/session_list.html",
        {
            "live_sessions": selectors.sessions_live(subdomain=subdomain),
            "upcoming_sessions": selectors.sessions_upcoming(subdomain=subdomain),
            "page": past,
            "subdomain": subdomain,
            "subdomains": Subdomain.objects.all(),
            "can_schedule": services.can_schedule(user=request.user),
        },
    )


def _room_context(request, session: LiveSession, *, staff: bool) -> dict:
    return {
        "session": session,
        "questions": selectors.room_questions(session=session, user=request.user, staff=staff),
        "my_votes": selectors.voted_question_ids(session=session, user=request.user),
        "can_moderate": services.can_moderate(user=request.user, session=session),
        "registered": selectors.is_registered(session=session, user=request.user),
        "registration_count": session.registrations.count(),
        "can_edit": services.can_edit(user=request.user, session=session),
    }


@require_GET
def session_detail(request, slug: str):
    session = _session(slug)
    context = _room_context(request, session, staff=False)
    context["ask_form"] = AskForm()
    return render(request, "events/session_detail.html", context)


@require_GET
def session_ics(request, slug: str):
    session = _session(slug)
    response = HttpResponse(build_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{session.slug}.ics"'
    return response


@login_required
@require_POST
def session_register(request, slug: str):
    session = _session(slug)
    if request.POST.get("action") == "cancel":
        services.registration_cancel(session=session, user=request.user)
        messages.success(request, _("Your registration has been withdrawn."))
    else:
        try:
            services.registration_create(session=session, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request, _("You are registered. We will remind you before the session starts.")
            )
    return redirect(session)


@login_required
@require_POST
def question_ask(request, slug: str):
    session = _session(slug)
    form = AskForm(request.POST)
    if form.is_valid() and not _limited(request, "ask"):
        try:
            question = services.question_ask(
                session=session,
                user=request.user,
                body=form.cleaned_data["body"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            if question.status == LiveQuestion.Status.PENDING:
                messages.success(request, _("Thanks! A moderator will approve your question."))
            else:
                messages.success(request, _("Your question has been posted."))
            return redirect(f"{session.get_absolute_url()}#q{question.pk}")
    # Re-render with what was typed, so nothing is lost.
    context = _room_context(request, session, staff=False)
    context["ask_form"] = form
    return render(request, "events/session_detail.html", context, status=400)


@login_required
@require_POST
def question_vote(request, slug: str, pk: int):
    session = _session(slug)
    question = get_object_or_404(
        LiveQuestion.objects.select_related("session"), pk=pk, session=session
    )
    if not _limited(request, "vote"):
        try:
            services.question_vote(
                question=question, user=request.user, up=request.POST.get("up") != "0"
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(f"{session.get_absolute_url()}#q{question.pk}")


@login_required
@require_GET
def moderate(request, slug: str):
    session = _session(slug)
    if not services.can_moderate(user=request.user, session=session):
        raise PermissionDenied
    context = _room_context(request, session, staff=True)
    context["answer_form"] = AnswerForm()
    context["moderating"] = True
    return render(request, "events/moderate.html", context)


@login_required
@require_POST
def question_moderate(request, slug: str, pk: int):
    session = _session(slug)
    question = get_object_or_404(
        LiveQuestion.objects.select_related("session"), pk=pk, session=session
    )
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.question_approve(question=question, user=request.user)
        elif action == "hide":
            services.question_hide(question=question, user=request.user)
        elif action in {"pin", "unpin"}:
            services.question_pin(question=question, user=request.user, pinned=action == "pin")
        elif action == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                raise ValidationError(" ".join(e for errs in form.errors.values() for e in errs))
            services.question_answer(
                question=question, user=request.user, answer=form.cleaned_data["answer"]
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{session.get_absolute_url()}moderate/#q{question.pk}")


@login_required
@require_POST
def session_status(request, slug: str):
    session = _session(slug)
    actions = {
        "start": services.session_start,
        "end": services.session_end,
        "archive": services.session_archive,
    }
    action = actions.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            session = action(session=session, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The session is now “%(status)s”.") % {"status": session.get_status_display()},
            )
            threads = getattr(session, "archived_threads", 0)
            if threads:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d answered question was published as a community thread.",
                        "%(count)d answered questions were published as community threads.",
                        threads,
                    )
                    % {"count": threads},
                )
    return redirect("events:moderate", slug=session.slug)


def _session_fields(data: dict) -> dict:
    return {
        "title": data["title"],
        "description": data["description"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "resources": data["resources"],
        "stream_url": data["stream_url"],
        "premoderation": data["premoderation"],
        "moderators": data["moderators"],
    }


def _form_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (per field when it says which)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def session_schedule(request):
    if not services.can_schedule(user=request.user):
        raise PermissionDenied
    form = LiveSessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and not _limited(request, "schedule"):
        try:
            session = services.live_session_schedule(
                user=request.user,
                platform=form.cleaned_data["platform"],
                cohosts=form.cleaned_data["hosts"],
                **_session_fields(form.cleaned_data),
            )
        except PermissionDenied as error:
            form.add_error("platform", str(error))
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The session has been scheduled."))
            return redirect(session)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "events/session_form.html", {"form": form, "editing": False}, status=status
    )


@login_required
def session_edit(request, slug: str):
    session = _session(slug)
    if not services.can_edit(user=request.user, session=session):
        raise PermissionDenied
    form = LiveSessionForm(request.POST or None, user=request.user, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.live_session_update(
                session=session,
                user=request.user,
                hosts=form.cleaned_data["hosts"],
                **_session_fields(form.cleaned_data),
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect(session)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/session_form.html",
        {"form": form, "editing": True, "session": session},
        status=status,
    )
