"""The question page's thread, assembled from cached per-post fragments.

A post's HTML depends on two things: the thread's content, which every write bumps to a
new version (``selectors.thread_changed``), and a small viewer *state* — the viewer's vote,
which actions they may take, whether they wrote the post or any of its comments. Fragments
are cached per (thread version, language, post, state). Most readers share a state, so a
signed-in page is assembled from one cache round trip plus a few cheap queries (a skeleton
of the thread, the viewer's votes and comments) instead of rendering every answer and its
comments. Forms are rendered with a CSRF placeholder that is swapped for the request's
token after assembly, so no member's token ever lands in a shared fragment.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from community import permissions, selectors
from community.models import Answer, Question

FRAGMENT_TTL = 300
CSRF_PLACEHOLDER = "__huiju_csrf_token__"  # noqa: S105 - a marker, not a secret


@dataclass(frozen=True)
class Viewer:
    """What the thread needs to know about the person reading it (one per request)."""

    user: object
    authenticated: bool
    can_moderate: bool
    votes: dict[tuple[str, int], int]
    own_comments: dict[tuple[str, int], tuple[int, ...]]


def viewer_for(*, user, question: Question, answer_ids: list[int]) -> Viewer:
    authenticated = bool(getattr(user, "is_authenticated", False))
    return Viewer(
        user=user,
        authenticated=authenticated,
        can_moderate=permissions.can_moderate(user),
        votes=selectors.votes_of_ids(user=user, question_id=question.pk, answer_ids=answer_ids),
        own_comments=selectors.own_comments_in_thread(user=user, question_id=question.pk),
    )


def question_state(viewer: Viewer, question: Question, *, following: bool) -> tuple:
    user = viewer.user
    return (
        viewer.authenticated,
        viewer.can_moderate,
        viewer.votes.get(("question", question.pk), 0),
        permissions.can_edit(user, question),
        permissions.can_comment(user, question),
        permissions.can_delete(user, question),
        viewer.authenticated and question.author_id == user.pk,
        following,
        viewer.own_comments.get(("question", question.pk), ()),
    )


def answer_state(viewer: Viewer, answer: Answer) -> tuple:
    user = viewer.user
    return (
        viewer.authenticated,
        viewer.can_moderate,
        viewer.votes.get(("answer", answer.pk), 0),
        permissions.can_edit(user, answer),
        permissions.can_accept(user, answer),
        permissions.can_comment(user, answer),
        permissions.can_delete(user, answer),
        viewer.authenticated and answer.author_id == user.pk,
        viewer.own_comments.get(("answer", answer.pk), ()),
    )


def login_url_for(post) -> str:
    """Where a page's sign-in links lead (back to the question or article afterwards)."""
    return f"{reverse('account_login')}?next={post.get_absolute_url()}"


def _key(prefix: str, post_key: str, state: tuple) -> str:
    digest = hashlib.sha1(repr(state).encode(), usedforsecurity=False).hexdigest()[:16]
    return f"{prefix}:{post_key}:{digest}"


def render_thread(*, request, question: Question, include_deleted: bool, following: bool) -> str:
    """The thread's HTML for ``request.user`` (the CSRF token already in place).

    ``question`` needs only its own row (the page header's joins); the answers, comments,
    tags and resources are loaded only when a fragment is missing from the cache.
    """
    user = request.user
    skeleton = selectors.answer_skeleton(question=question)
    viewer = viewer_for(user=user, question=question, answer_ids=[a.pk for a in skeleton])
    prefix = selectors.fragment_cache_prefix(pk=question.pk, language=get_language())
    q_state = question_state(viewer, question, following=following)
    keys = {"question": _key(prefix, "q", q_state)}
    states = {}
    for answer in skeleton:
        states[answer.pk] = answer_state(viewer, answer)
        keys[answer.pk] = _key(prefix, f"a{answer.pk}", states[answer.pk])
    cached = cache.get_many(list(keys.values()))
    missing = {name: key for name, key in keys.items() if key not in cached}
    if missing:
        cached.update(
            _render_missing(
                question=question,
                include_deleted=include_deleted,
                viewer=viewer,
                q_state=q_state,
                states=states,
                missing=missing,
            )
        )
    answer_htmls = [
        mark_safe(cached[keys[answer.pk]])  # noqa: S308 - our own rendered templates
        for answer in skeleton
        if keys[answer.pk] in cached
    ]
    html = render_to_string(
        "community/partials/thread.html",
        {
            "question_html": mark_safe(cached[keys["question"]]),  # noqa: S308 - as above
            "answer_htmls": answer_htmls,
        },
    )
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return html


def _render_missing(*, question, include_deleted, viewer, q_state, states, missing) -> dict:
    """Render the fragments not in the cache from the full thread, and cache them."""
    full = selectors.question_get_detail(pk=question.pk, include_deleted=include_deleted)
    staff = selectors.platform_staff()
    base = {
        "user": viewer.user,
        "csrf_token": CSRF_PLACEHOLDER,
        "can_moderate": viewer.can_moderate,
        "login_url": login_url_for(full),
    }
    rendered = {}
    if "question" in missing:
        (_, _, my_vote, can_edit, can_comment, can_delete, _, following, _) = q_state
        rendered[missing["question"]] = get_template(
            "community/partials/question_post.html"
        ).render(
            {
                **base,
                "question": full,
                "my_vote": my_vote,
                "can_edit": can_edit,
                "can_comment": can_comment,
                "can_delete": can_delete,
                "following": following,
                "question_staff_of": staff.get(full.author_id, []),
            }
        )
    template = get_template("community/partials/answer_post.html")
    for answer in full.visible_answers:
        if answer.pk not in missing or answer.pk not in states:
            continue  # cached, or posted after the skeleton was read
        (_, _, answer.my_vote, answer.can_edit, answer.can_accept, answer.can_comment) = states[
            answer.pk
        ][:6]
        answer.can_delete = states[answer.pk][6]
        answer.staff_of = staff.get(answer.author_id, [])
        rendered[missing[answer.pk]] = template.render({**base, "answer": answer})
    cache.set_many(rendered, timeout=FRAGMENT_TTL)
    return rendered
