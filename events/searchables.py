"""Live-session questions in search (see search/registry.py for the adapter API).

Only questions every attendee can see — approved or answered, not pending or
hidden — are indexed; a deleted session takes its questions with it (the
cascade sends ``post_delete`` per question). Anonymous askers stay anonymous:
the document carries no author. Votes are counted with ``update()``, so the
adapter watches the vote rows, and session edits re-index the session's questions.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.markdown import markdown_to_text
from events.models import LiveQuestion, LiveSession, LiveVote
from search.registry import SearchDocument, SearchKind, register

TITLE_LENGTH = 120


def _title(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_LENGTH else f"{line[: TITLE_LENGTH - 1]}…"


@register
class LiveQuestionKind(SearchKind):
    kind = "live"
    label = _("Live Q&A")
    model = LiveQuestion
    order = 40

    def get_queryset(self):
        return LiveQuestion.objects.select_related(
            "author", "session__platform", "session__subdomain"
        ).prefetch_related("session__resources")

    def to_document(self, question: LiveQuestion) -> SearchDocument | None:
        if not question.is_visible:
            return None
        session = question.session
        question_text = markdown_to_text(question.body)
        answer_text = markdown_to_text(question.answer) if question.answer else ""
        with translation.override(settings.LANGUAGE_CODE):
            url = f"{session.get_absolute_url()}#q{question.pk}"
        return SearchDocument(
            kind=self.kind,
            object_id=str(question.pk),
            url=url,
            title=_title(question_text),
            body="\n".join(t for t in (question_text, answer_text, session.title) if t),
            tags=[],
            subdomain=session.subdomain.slug if session.subdomain_id else "",
            platform=session.platform.slug if session.platform_id else "",
            resources=[resource.slug for resource in session.resources.all()],
            author="" if question.anonymous else question.author.username,
            score=question.vote_count,
            answered=question.status == LiveQuestion.Status.ANSWERED,
            accepted=False,
            created_at=question.created_at,
            updated_at=question.updated_at,
        )

    def watched(self):
        return {
            LiveQuestion: lambda question: [question.pk],
            LiveVote: lambda vote: [vote.question_id],
            LiveSession: lambda session: list(session.questions.values_list("pk", flat=True)),
        }
