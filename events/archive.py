"""Turning an archived session's answered questions into community Q&A threads.

Each answered question with a written answer becomes a community question (by its
asker, or by the answering host when it was asked anonymously) with the host's
answer, accepted, tagged ``live-qa`` and the session's sub-domain, and linked to
the session's resources. It goes through the community services, so reputation,
notifications, revisions and search indexing behave as for any thread.
Idempotent: a question already archived (``archived_question_id``) is skipped, and
each question is archived in its own savepoint, so one failure loses nothing else.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.markdown import markdown_to_text
from events.models import LiveQuestion, LiveSession

logger = logging.getLogger(__name__)

ARCHIVE_TAG = "live-qa"
TITLE_MIN, TITLE_MAX = 8, 150


def community_available() -> bool:
    """Whether the community app provides questions and answers to archive into."""
    try:
        from community import services  # noqa: F401
        from community.models import Answer, Question  # noqa: F401
    except ImportError:
        return False
    return True


def _title(question: LiveQuestion, session: LiveSession) -> str:
    text = markdown_to_text(question.body)
    first_line = text.split("\n", 1)[0].strip()
    if len(first_line) < TITLE_MIN:
        first_line = f"{first_line} · {session.title}".strip(" ·")
    if len(first_line) > TITLE_MAX:
        first_line = first_line[: TITLE_MAX - 1].rstrip() + "…"
    return first_line


def _session_link(session: LiveSession) -> str:
    return f"[{session.title}]({settings.SITE_URL}{session.get_absolute_url()})"


def archive_question(*, question: LiveQuestion, session: LiveSession):
    """Publish one answered live question as an accepted community thread; returns it."""
    from community import services as community

    host = question.answered_by
    asker = host if question.anonymous else question.author
    when = session.starts_at.date().isoformat()
    if question.anonymous:
        origin = _("Asked anonymously during the live session %(session)s on %(date)s.")
    else:
        origin = _("Asked during the live session %(session)s on %(date)s.")
    origin %= {"session": _session_link(session), "date": when}
    thread = community.question_ask(
        author=asker,
        title=_title(question, session),
        body=f"{question.body}\n\n---\n\n*{origin}*",
        tags=[ARCHIVE_TAG, session.subdomain.slug],
        subdomain=session.subdomain,
        resources=[(resource, None) for resource in session.resources.all()],
        enforce_limits=False,
    )
    answered = _("Answered live by %(host)s in %(session)s.") % {
        "host": host.display_name,
        "session": _session_link(session),
    }
    answer = community.answer_create(
        question=thread,
        author=host,
        body=f"{question.answer}\n\n---\n\n*{answered}*",
        enforce_limits=False,
    )
    community.answer_accept(answer=answer, user=asker)
    return thread


def archive_to_community(*, session: LiveSession) -> int:
    """Create one thread per answered, not yet archived question; returns how many."""
    if not community_available():
        logger.info(
            "Community Q&A is not installed; session %s archived without threads", session.pk
        )
        return 0
    pending = (
        LiveQuestion.objects.filter(
            session=session,
            status=LiveQuestion.Status.ANSWERED,
            archived_question_id__isnull=True,
            answered_by__isnull=False,
        )
        .exclude(answer="")
        .select_related("author__profile", "answered_by__profile", "session__subdomain")
        .order_by("created_at")
    )
    created = 0
    # Threads are site content: write them in the site's language, not the clicker's.
    with translation.override(settings.LANGUAGE_CODE):
        for question in pending:
            try:
                with transaction.atomic():
                    thread = archive_question(question=question, session=session)
                    LiveQuestion.objects.filter(pk=question.pk).update(
                        archived_question_id=thread.pk
                    )
            except (ValidationError, PermissionDenied):
                logger.warning(
                    "Live question %s could not become a community thread; left for a retry",
                    question.pk,
                    exc_info=True,
                )
                continue
            created += 1
    return created
