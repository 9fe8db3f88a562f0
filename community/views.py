"""Q&A pages. Views parse input, call one service or selector and render.

Every write is a POST form that works without JavaScript (redirecting back with
a message); ``static/community/community.js`` enhances votes, accepting, tag
autocomplete, live preview and drafts, asking for JSON with ``Accept``.
"""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community import conf, permissions, selectors, services
from community.forms import (
    AnswerForm,
    ArticleForm,
    CloseForm,
    CommentForm,
    QuestionForm,
    TagMergeForm,
    TagWikiForm,
    VoteForm,
)
from community.models import Answer, Article, Comment, Question, Revision, Tag
from community.thread import login_url_for, render_thread
from core.markdown import render_markdown
from core.ratelimit import client_ip, hit

PAGE_SIZE = 30


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request, fallback: str):
    target = request.POST.get("next") or request.headers.get("Referer") or fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


def _refuse(request, error: Exception, fallback: str):
    """Answer a refused write: JSON for scripts, otherwise a message and a redirect back."""
    if isinstance(error, services.RateLimited):
        message, status = error.message, 429
    elif isinstance(error, ValidationError):
        message, status = " ".join(error.messages), 400
    else:
        message, status = (str(error) or _("You do not have permission to do that.")), 403
    if _wants_json(request):
        response = JsonResponse({"error": message}, status=status)
    else:
        messages.error(request, message)
        response = _back(request, fallback)
    if isinstance(error, services.RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def _apply_errors(form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(error, services.RateLimited):
        form.add_error(None, error.message)
    else:
        form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))


def _rebase(form, post) -> None:
    """After a refused edit, let the next save go through on top of the newest revision."""
    if form.is_bound and "base_revision" in form.fields:
        data = form.data.copy()
        data["base_revision"] = post.revisions.order_by("-number").values_list("number", flat=True)[
            0
        ]
        form.data = data


def _titled_post_create(request, *, form_class, create, done, template, draft_key):
    """The ask / write page of a question or article (pre-filled from resource links)."""
    form = form_class(request.POST or None, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = create(
                author=request.user,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                subdomain=data["subdomain"],
                resources=form.resources(),
                ip=client_ip(request),
            )
        except (ValidationError, PermissionDenied, services.RateLimited) as error:
            _apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(post)
    return render(
        request,
        template,
        {"form": form, "editing": False, "draft_key": draft_key},
        status=400 if form.errors else 200,
    )


def _titled_post_edit(request, post, *, form_class, save, template, context):
    """The edit page of a question or article: title, body, tags, sub-domain, resource."""
    link = post.resource_links.select_related("resource", "version").first()
    initial = {
        "title": post.title,
        "body": post.body,
        "tags": list(
            post.tags.order_by(f"{post.kind}_tags__position").values_list("name", flat=True)
        ),
        "subdomain": post.subdomain_id,
        "resource": link.resource.slug if link else None,
        "version": link.version.version if link and link.version else "",
        "base_revision": post.revisions.order_by("-number").values_list("number", flat=True)[0],
    }
    form = form_class(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revision = save(
                editor=request.user,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                comment=data["comment"],
                subdomain=data["subdomain"],
                resources=form.resources(),
                base_revision=data.get("base_revision"),
            )
        except (ValidationError, PermissionDenied) as error:
            _apply_errors(form, error)
            _rebase(form, post)
        else:
            if revision is None:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(request, _("Your edit is saved."))
            return redirect(post)
    return render(
        request,
        template,
        {"form": form, "editing": True, **context},
        status=400 if form.errors else 200,
    )


def _paginate(request, queryset):
    return selectors.CachedCountPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _sort(request) -> str:
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    return sort if sort in selectors.SORTS else selectors.DEFAULT_SORT


# --- lists --------------------------------------------------------------------------------


LIST_CACHE_TTL = 60


def _list_page(request, queryset, *, sort, heading, extra=None):
    """A question list. The page's items look the same to every reader, so all readers
    share one rendering for a minute, keyed by the lists' generation (new questions and
    answers bump it)."""
    context = {"sort": sort, "sorts": _sort_labels(), "heading": heading, **(extra or {})}
    key = selectors.list_cache_key(path=request.get_full_path(), language=get_language())
    list_html = cache.get(key)
    if list_html is None:
        page_obj = _paginate(request, queryset)
        list_html = render_to_string(
            "community/partials/question_page.html",
            {**context, "page_obj": page_obj, "request": request},
        )
        cache.set(key, list_html, timeout=LIST_CACHE_TTL)
    context["list_html"] = mark_safe(list_html)  # noqa: S308 - our own rendered template
    return render(request, "community/question_list.html", context)


def _sort_labels():
    return [
        ("newest", _("Newest")),
        ("active", _("Active")),
        ("unanswered", _("Unanswered")),
        ("votes", _("Most votes")),
    ]


@require_GET
def question_list(request):
    sort = _sort(request)
    return _list_page(
        request, selectors.question_list(sort=sort), sort=sort, heading=_("All questions")
    )


@require_GET
def question_list_subdomain(request, slug: str):
    from knowledge.models import Subdomain

    subdomain = get_object_or_404(Subdomain, slug=slug)
    sort = _sort(request)
    return _list_page(
        request,
        selectors.question_list(sort=sort, subdomain=subdomain),
        sort=sort,
        heading=_("Questions in %(subdomain)s") % {"subdomain": subdomain.name},
        extra={"subdomain": subdomain},
    )


@require_GET
def question_list_resource(request, slug: str):
    from knowledge.models import OpenResource

    resource = get_object_or_404(OpenResource, slug=slug)
    sort = _sort(request)
    return _list_page(
        request,
        selectors.question_list(sort=sort, resource=resource),
        sort=sort,
        heading=_("Questions about %(resource)s") % {"resource": resource.name},
        extra={"resource": resource},
    )


# --- tags -----------------------------------------------------------------------------------


@require_GET
def tag_list(request):
    query = request.GET.get("q", "")[:40]
    sort = "name" if request.GET.get("sort") == "name" else "popular"
    page_obj = Paginator(selectors.tag_list(query=query, sort=sort), 60).get_page(
        request.GET.get("page")
    )
    return render(
        request, "community/tag_list.html", {"page_obj": page_obj, "query": query, "sort": sort}
    )


@require_GET
def tag_detail(request, slug: str):
    tag = selectors.tag_get(slug=slug)
    if tag.canonical_id:
        return redirect(tag.canonical, permanent=True)
    sort = _sort(request)
    following = request.user.is_authenticated and tag.followers.filter(pk=request.user.pk).exists()
    return _list_page(
        request,
        selectors.question_list_for_tag(tag=tag, sort=sort),
        sort=sort,
        heading=_("Questions tagged [%(tag)s]") % {"tag": tag.name},
        extra={
            "tag": tag,
            "following": following,
            "synonyms": list(tag.synonyms.values_list("name", flat=True)),
            "can_edit_wiki": permissions.has_privilege(request.user, "edit_others"),
        },
    )


@require_GET
def tag_autocomplete(request):
    if not hit(f"community:autocomplete:{client_ip(request)}", "120/m").allowed:
        return JsonResponse({"error": _("Too many requests.")}, status=429)
    return JsonResponse({"results": selectors.tag_autocomplete(prefix=request.GET.get("q", ""))})


@login_required
@require_POST
def tag_follow(request, slug: str):
    tag = selectors.tag_get(slug=slug)
    follow = request.POST.get("follow") != "0"
    services.tag_follow(tag=tag, user=request.user, follow=follow)
    if _wants_json(request):
        return JsonResponse({"following": follow})
    return _back(request, tag.get_absolute_url())


@login_required
def tag_edit(request, slug: str):
    tag = selectors.tag_get(slug=slug)
    if not permissions.has_privilege(request.user, "edit_others"):
        raise PermissionDenied(permissions.denial_reason(request.user, "edit_others"))
    form = TagWikiForm(
        request.POST or None,
        initial={"wiki_excerpt": tag.wiki_excerpt, "wiki_body": tag.wiki_body},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_wiki_edit(
                tag=tag,
                editor=request.user,
                excerpt=form.cleaned_data["wiki_excerpt"],
                body=form.cleaned_data["wiki_body"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Tag wiki saved."))
            return redirect(tag)
    return render(
        request,
        "community/tag_edit.html",
        {
            "tag": tag,
            "form": form,
            "merge_form": TagMergeForm() if permissions.can_moderate(request.user) else None,
        },
    )


@login_required
@require_POST
def tag_merge(request, slug: str):
    """Moderators merge another tag into this one (it becomes a synonym)."""
    target = selectors.tag_get(slug=slug)
    if not permissions.can_moderate(request.user):
        raise PermissionDenied(permissions.denial_reason(request.user, "moderate"))
    form = TagMergeForm(request.POST)
    if form.is_valid():
        name = services.normalize_tag_name(form.cleaned_data["source"])
        source = Tag.objects.filter(name=name).first()
        if source is None:
            form.add_error("source", _("There is no tag “%(name)s”.") % {"name": name[:80]})
        else:
            try:
                merged = services.tag_merge(source=source, target=target, moderator=request.user)
            except PermissionDenied as error:
                return _refuse(request, error, target.get_absolute_url())
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Merged [%(source)s] into [%(target)s]: %(questions)d questions and "
                        "%(articles)d articles retagged, %(followers)d followers moved."
                    )
                    % {
                        "source": source.name,
                        "target": target.name,
                        "questions": merged.questions,
                        "articles": merged.articles,
                        "followers": merged.followers,
                    },
                )
                return redirect(target)
    wiki = TagWikiForm(initial={"wiki_excerpt": target.wiki_excerpt, "wiki_body": target.wiki_body})
    return render(
        request,
        "community/tag_edit.html",
        {"tag": target, "form": wiki, "merge_form": form},
        status=400,
    )


# --- asking and the question page --------------------------------------------------------------


def _prefill(request) -> dict:
    """``?resource=<slug>&version=<v>&subdomain=<slug>`` from "Ask about this resource" links."""
    from knowledge.models import OpenResource, Subdomain

    initial = {}
    resource = OpenResource.objects.select_related("platform").filter(
        slug=request.GET.get("resource", "")
    )
    resource = resource.first() if request.GET.get("resource") else None
    if resource is not None:
        initial["resource"] = resource.slug
        initial["subdomain"] = resource.platform.subdomain_id
        version = request.GET.get("version", "")[:40]
        if version and resource.versions.filter(version=version).exists():
            initial["version"] = version
        tags = list(resource.tags.names()[:3]) if hasattr(resource, "tags") else []
        if tags:
            initial["tags"] = " ".join(t.lower().replace(" ", "-") for t in tags)
    if request.GET.get("subdomain"):
        subdomain = Subdomain.objects.filter(slug=request.GET["subdomain"]).first()
        if subdomain is not None:
            initial["subdomain"] = subdomain.pk
    return initial


@login_required
def question_ask(request):
    if not permissions.can_ask(request.user):
        raise PermissionDenied(permissions.denial_reason(request.user, "ask"))
    return _titled_post_create(
        request,
        form_class=QuestionForm,
        create=services.question_ask,
        done=_("Your question is posted."),
        template="community/question_form.html",
        draft_key="ask",
    )


@require_POST
def markdown_preview(request):
    """Render Markdown exactly as it will be stored (server-side, sanitized) for the preview."""
    key = request.user.pk if request.user.is_authenticated else client_ip(request)
    if not hit(f"community:preview:{key}", conf.rate_limits()["preview"]["ip"]).allowed:
        return HttpResponse(_("Too many previews; wait a moment."), status=429)
    html = render_markdown(request.POST.get("body", ""))
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(html, content_type="text/html; charset=utf-8")
    return render(request, "community/preview.html", {"html": html})


THREAD_CACHE_TTL = 300


def question_detail(request, pk: int):
    """The thread. Posts come from per-post fragments cached by thread version and viewer
    state (community.thread); anonymous readers share one cached rendering of the whole
    thread, which every write to it invalidates (see services)."""
    user = request.user
    viewer = f"u{user.pk}" if user.is_authenticated else client_ip(request)
    can_moderate = permissions.can_moderate(user)
    question = selectors.question_get_header(pk=pk, include_deleted=can_moderate)
    services.question_view(question=question, viewer_key=viewer)
    following, follower_count = selectors.follow_state(question=question, user=user)
    context = {
        "question": question,
        "following": following,
        "follower_count": follower_count,
        "answer_form": AnswerForm(),
        "close_form": CloseForm(),
        "can_answer": permissions.can_answer(user, question),
        "can_close": permissions.can_close(user, question),
        "can_moderate": can_moderate,
        "login_url": login_url_for(question),
    }
    if context["can_close"]:
        from community.moderation import close_votes_of

        context["close_votes"] = close_votes_of(question=question, user=user)
    cache_key = None
    thread_html = None
    if not user.is_authenticated:
        cache_key = selectors.thread_cache_key(pk=pk, language=get_language())
        thread_html = cache.get(cache_key)
    if thread_html is None:
        thread_html = render_thread(
            request=request, question=question, include_deleted=can_moderate, following=following
        )
        if cache_key is not None and not question.is_deleted:
            cache.set(cache_key, thread_html, timeout=THREAD_CACHE_TTL)
    context["thread_html"] = mark_safe(thread_html)  # noqa: S308 - our own rendered templates
    return render(request, "community/question_detail.html", context)


def _question(pk: int) -> Question:
    return get_object_or_404(Question.objects.select_related("author"), pk=pk, is_deleted=False)


def _answer(pk: int) -> Answer:
    return get_object_or_404(
        Answer.objects.select_related("author", "question"), pk=pk, is_deleted=False
    )


def _article(pk: int) -> Article:
    return get_object_or_404(Article.objects.select_related("author"), pk=pk, is_deleted=False)


def _post(kind: str, pk: int):
    return {"question": _question, "answer": _answer, "article": _article}[kind](pk)


def _page_of(post):
    """Where a post is shown: its question's thread, or the article page."""
    return post.question if post.kind == "answer" else post


@login_required
@require_POST
def answer_create(request, pk: int):
    question = _question(pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_create(
                question=question,
                author=request.user,
                body=form.cleaned_data["body"],
                ip=client_ip(request),
            )
        except (ValidationError, PermissionDenied, services.RateLimited) as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your answer is posted."))
            return redirect(answer.get_absolute_url())
    # Re-show the form with what was typed, so nothing is lost.
    return render(
        request,
        "community/answer_form.html",
        {"form": form, "question": question, "editing": False},
        status=400,
    )


@login_required
@require_POST
def comment_create(request, kind: str, pk: int):
    target = _post(kind, pk)
    thread = _page_of(target)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refuse(
            request, ValidationError(list(form.errors.values())[0]), thread.get_absolute_url()
        )
    try:
        comment = services.comment_create(
            author=request.user,
            body=form.cleaned_data["body"],
            ip=client_ip(request),
            **{kind: target},
        )
    except (ValidationError, PermissionDenied, services.RateLimited) as error:
        return _refuse(request, error, thread.get_absolute_url())
    if _wants_json(request):
        return JsonResponse({"id": comment.pk, "html": str(comment.body_html)})
    return redirect(comment.get_absolute_url())


@login_required
@require_POST
def vote(request, kind: str, pk: int):
    post = _post(kind, pk)
    thread = _page_of(post)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _refuse(request, ValidationError(_("Invalid vote.")), thread.get_absolute_url())
    try:
        outcome = services.vote_cast(
            user=request.user, post=post, value=form.cleaned_data["value"], ip=client_ip(request)
        )
    except (ValidationError, PermissionDenied, services.RateLimited) as error:
        return _refuse(request, error, thread.get_absolute_url())
    if _wants_json(request):
        return JsonResponse({"score": outcome.score, "value": outcome.value})
    anchor = f"#answer-{post.pk}" if kind == "answer" else ""
    return redirect(thread.get_absolute_url() + anchor)


@login_required
@require_POST
def answer_accept(request, pk: int):
    answer = _answer(pk)
    undo = request.POST.get("undo") == "1"
    try:
        if undo:
            services.answer_unaccept(answer=answer, user=request.user)
        else:
            services.answer_accept(answer=answer, user=request.user)
    except PermissionDenied as error:
        return _refuse(request, error, answer.question.get_absolute_url())
    if _wants_json(request):
        return JsonResponse({"accepted": not undo})
    return redirect(answer.get_absolute_url())


@login_required
@require_POST
def question_follow(request, pk: int):
    question = _question(pk)
    follow = request.POST.get("follow") != "0"
    services.question_follow(question=question, user=request.user, follow=follow)
    if _wants_json(request):
        return JsonResponse({"following": follow})
    return redirect(question)


@login_required
@require_POST
def question_close(request, pk: int):
    question = _question(pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _refuse(request, ValidationError(_("Choose a reason.")), question.get_absolute_url())
    duplicate_of = None
    if form.cleaned_data.get("duplicate_of"):
        duplicate_of = Question.objects.filter(
            pk=form.cleaned_data["duplicate_of"], is_deleted=False
        ).first()
    from community.moderation import close_vote_cast

    try:
        closed = close_vote_cast(
            question=question,
            user=request.user,
            reason=form.cleaned_data["reason"],
            duplicate_of=duplicate_of,
        )
    except (ValidationError, PermissionDenied) as error:
        return _refuse(request, error, question.get_absolute_url())
    messages.success(
        request, _("The question is closed.") if closed else _("Your close vote is recorded.")
    )
    return redirect(question)


@login_required
@require_POST
def question_reopen(request, pk: int):
    question = _question(pk)
    from community.moderation import reopen_vote_cast

    try:
        reopened = reopen_vote_cast(question=question, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        return _refuse(request, error, question.get_absolute_url())
    messages.success(
        request,
        _("The question is open again.") if reopened else _("Your reopen vote is recorded."),
    )
    return redirect(question)


@login_required
@require_POST
def post_delete(request, kind: str, pk: int):
    post = _post(kind, pk)
    try:
        services.post_delete(post=post, user=request.user)
    except PermissionDenied as error:
        return _refuse(request, error, post.get_absolute_url())
    messages.success(request, _("Deleted."))
    if kind == "question":
        return redirect("community:question_list")
    if kind == "article":
        return redirect("community:article_list")
    return redirect(post.question)


@login_required
@require_POST
def post_undelete(request, kind: str, pk: int):
    model = {"question": Question, "answer": Answer, "article": Article}[kind]
    post = get_object_or_404(model, pk=pk)
    try:
        services.post_undelete(post=post, user=request.user)
    except PermissionDenied as error:
        return _refuse(request, error, post.get_absolute_url())
    messages.success(request, _("Restored."))
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def question_lock(request, pk: int):
    question = _question(pk)
    locked = request.POST.get("locked") != "0"
    try:
        services.question_lock(question=question, user=request.user, locked=locked)
    except PermissionDenied as error:
        return _refuse(request, error, question.get_absolute_url())
    messages.success(
        request, _("The question is locked.") if locked else _("The question is unlocked.")
    )
    return redirect(question)


@login_required
@require_POST
def comment_delete(request, pk: int):
    comment = get_object_or_404(
        Comment.objects.select_related("question", "answer__question", "article"),
        pk=pk,
        is_deleted=False,
    )
    try:
        services.comment_delete(comment=comment, user=request.user)
    except PermissionDenied as error:
        return _refuse(request, error, comment.get_absolute_url())
    if _wants_json(request):
        return JsonResponse({"deleted": True})
    thread = comment.article or comment.question or comment.answer.question
    return redirect(thread)


# --- editing and revisions ---------------------------------------------------------------------


@login_required
def question_edit(request, pk: int):
    question = _question(pk)
    if not permissions.can_edit(request.user, question):
        raise PermissionDenied(permissions.denial_reason(request.user, "edit_others"))
    return _titled_post_edit(
        request,
        question,
        form_class=QuestionForm,
        save=lambda **fields: services.question_edit(question=question, **fields),
        template="community/question_form.html",
        context={"question": question, "draft_key": f"q{question.pk}"},
    )


@login_required
def answer_edit(request, pk: int):
    answer = _answer(pk)
    if not permissions.can_edit(request.user, answer):
        raise PermissionDenied(permissions.denial_reason(request.user, "edit_others"))
    latest = answer.revisions.order_by("-number").values_list("number", flat=True)[0]
    form = AnswerForm(
        request.POST or None,
        initial={"body": answer.body, "base_revision": latest},
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.answer_edit(
                answer=answer,
                editor=request.user,
                body=form.cleaned_data["body"],
                comment=form.cleaned_data["comment"],
                base_revision=form.cleaned_data.get("base_revision"),
            )
        except (ValidationError, PermissionDenied) as error:
            _apply_errors(form, error)
            _rebase(form, answer)
        else:
            if revision is None:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(request, _("Your edit is saved."))
            return redirect(answer.get_absolute_url())
    return render(
        request,
        "community/answer_form.html",
        {"form": form, "question": answer.question, "answer": answer, "editing": True},
        status=400 if form.errors else 200,
    )


def _side_by_side(old: str, new: str) -> str:
    """A two-column HTML diff table of ``old`` → ``new`` (escaped; lines marked by class)."""
    table = difflib.HtmlDiff(tabsize=4).make_table(
        old.splitlines(), new.splitlines(), context=False
    )
    # HtmlDiff escapes content but emits inline attributes we do not want under the CSP.
    table = table.replace(' nowrap="nowrap"', "").replace('cellspacing="0" cellpadding="0" ', "")
    table = table.replace('rules="groups" ', "")
    return mark_safe(table)  # noqa: S308 - difflib escapes every line it outputs


def _revision_rows(revisions: list[Revision]) -> list[dict]:
    rows, previous = [], None
    for revision in revisions:
        rows.append(
            {
                "revision": revision,
                "title_diff": (
                    _side_by_side(previous.title, revision.title)
                    if previous and previous.title != revision.title
                    else ""
                ),
                "tags_changed": previous is not None and previous.tags != revision.tags,
                "previous_tags": previous.tags if previous else [],
                "body_diff": _side_by_side(previous.body if previous else "", revision.body),
            }
        )
        previous = revision
    rows.reverse()
    return rows


def revision_list(request, kind: str, pk: int):
    post = _post(kind, pk)
    thread = _page_of(post)
    revisions = list(selectors.revisions_of(**{kind: post}))
    return render(
        request,
        "community/revision_list.html",
        {
            "post": post,
            "kind": kind,
            "thread": thread,
            "rows": _revision_rows(revisions),
            "latest": revisions[-1].number if revisions else 0,
            "can_rollback": permissions.can_edit(request.user, post),
        },
    )


@login_required
@require_POST
def revision_rollback(request, pk: int):
    revision = get_object_or_404(
        Revision.objects.select_related("question", "answer__question", "article"), pk=pk
    )
    post = revision.post
    if post.is_deleted:
        raise Http404
    try:
        services.revision_rollback(
            revision=revision, user=request.user, comment=request.POST.get("comment", "")
        )
    except (ValidationError, PermissionDenied) as error:
        return _refuse(request, error, post.get_absolute_url())
    messages.success(
        request, _("Rolled back to revision %(number)d.") % {"number": revision.number}
    )
    kind = post.kind
    return redirect(reverse("community:revisions", kwargs={"kind": kind, "pk": post.pk}))


# --- experience posts (articles) ---------------------------------------------------------------


def _article_sort(request) -> str:
    sort = request.GET.get("sort", "newest")
    return sort if sort in selectors.ARTICLE_SORTS else "newest"


def _article_list_page(request, queryset, *, sort, heading, extra=None):
    return render(
        request,
        "community/article_list.html",
        {
            "page_obj": _paginate(request, queryset),
            "sort": sort,
            "sorts": [("newest", _("Newest")), ("votes", _("Most votes"))],
            "heading": heading,
            **(extra or {}),
        },
    )


@require_GET
def article_list(request):
    sort = _article_sort(request)
    return _article_list_page(
        request, selectors.article_list(sort=sort), sort=sort, heading=_("Experience articles")
    )


@require_GET
def article_list_subdomain(request, slug: str):
    from knowledge.models import Subdomain

    subdomain = get_object_or_404(Subdomain, slug=slug)
    sort = _article_sort(request)
    return _article_list_page(
        request,
        selectors.article_list(sort=sort, subdomain=subdomain),
        sort=sort,
        heading=_("Articles in %(subdomain)s") % {"subdomain": subdomain.name},
        extra={"subdomain": subdomain},
    )


@require_GET
def article_list_tag(request, slug: str):
    tag = selectors.tag_get(slug=slug)
    if tag.canonical_id:
        return redirect("community:article_list_tag", slug=tag.canonical.slug, permanent=True)
    sort = _article_sort(request)
    return _article_list_page(
        request,
        selectors.article_list(sort=sort, tag=tag),
        sort=sort,
        heading=_("Articles tagged [%(tag)s]") % {"tag": tag.name},
        extra={"tag": tag},
    )


@require_GET
def article_detail(request, pk: int):
    user = request.user
    article = selectors.article_get_detail(pk=pk, include_deleted=permissions.can_moderate(user))
    viewer = f"u{user.pk}" if user.is_authenticated else client_ip(request)
    services.article_view(article=article, viewer_key=viewer)
    context = {
        "article": article,
        "my_vote": selectors.article_vote_of(user=user, article=article),
        "can_edit": permissions.can_edit(user, article),
        "can_comment": permissions.can_comment(user, article),
        "can_delete": permissions.can_delete(user, article),
        "can_moderate": permissions.can_moderate(user),
        "staff_of": selectors.platform_staff().get(article.author_id, []),
        "login_url": login_url_for(article),
    }
    return render(request, "community/article_detail.html", context)


@login_required
def article_create(request):
    if not permissions.can_write_article(request.user):
        raise PermissionDenied(permissions.denial_reason(request.user, "ask"))
    return _titled_post_create(
        request,
        form_class=ArticleForm,
        create=services.article_create,
        done=_("Your article is published."),
        template="community/article_form.html",
        draft_key="article",
    )


@login_required
def article_edit(request, pk: int):
    article = _article(pk)
    if not permissions.can_edit(request.user, article):
        raise PermissionDenied(_("Only the author or a moderator can edit this."))
    return _titled_post_edit(
        request,
        article,
        form_class=ArticleForm,
        save=lambda **fields: services.article_edit(article=article, **fields),
        template="community/article_form.html",
        context={"article": article, "draft_key": f"a{article.pk}"},
    )


# --- badges -------------------------------------------------------------------------------------


@require_GET
def badge_list(request):
    from community.badges import BADGES

    counts = selectors.badge_counts()
    badges = [{"badge": badge, "count": counts.get(key, 0)} for key, badge in BADGES.items()]
    return render(request, "community/badge_list.html", {"badges": badges})


@require_GET
def badge_detail(request, key: str):
    from community.badges import BADGES

    if key not in BADGES:
        raise Http404
    return render(
        request,
        "community/badge_detail.html",
        {"badge": BADGES[key], "awards": selectors.badge_recipients(key=key)},
    )


# --- privileges ---------------------------------------------------------------------------------


def privileges(request):
    thresholds = conf.privileges()
    rows = sorted(
        (
            {"key": key, "label": conf.PRIVILEGE_LABELS.get(key, key), "points": points}
            for key, points in thresholds.items()
        ),
        key=lambda row: row["points"],
    )
    earning = [
        {"label": conf.REPUTATION_LABELS.get(key, key), "points": points}
        for key, points in conf.reputation_points().items()
    ]
    current = request.user.reputation if request.user.is_authenticated else None
    return render(
        request,
        "community/privileges.html",
        {
            "rows": rows,
            "earning": earning,
            "current": current,
            "established": thresholds["established"],
            "max_links": conf.posting()["new_member_max_links"],
        },
    )
