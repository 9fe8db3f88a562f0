"""Reads for the moderation pages: the flag queue, the review queue and the audit log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import QuerySet

from community.models import Flag, ModerationAction, SuggestedEdit

QUEUE_LIMIT = 500
OPEN_FLAGS_KEY = "community:open-flags"
OPEN_FLAGS_TTL = 300


@dataclass
class FlaggedPost:
    """One post in the flag queue with all its pending flags."""

    kind: str
    post: object
    flags: list = field(default_factory=list)

    @property
    def reason_counts(self) -> list[tuple[str, int]]:
        labels = dict(Flag.Reason.choices)
        counts = Counter(flag.reason for flag in self.flags)
        return [(labels[reason], count) for reason, count in counts.most_common()]

    @property
    def question(self):
        """The thread's question (None for an article or a comment on one)."""
        if self.kind == "article":
            return None
        if self.kind == "question":
            return self.post
        if self.kind == "answer":
            return self.post.question
        if self.post.article_id:
            return None
        return self.post.question or self.post.answer.question

    @property
    def title(self) -> str:
        if self.kind == "article":
            return self.post.title
        if self.kind == "comment" and self.post.article_id:
            return self.post.article.title
        return self.question.title

    @property
    def hidden(self) -> bool:
        return self.post.is_deleted


def flag_queue(*, limit: int = QUEUE_LIMIT) -> list[FlaggedPost]:
    """Pending flags grouped by post, most-flagged first (then oldest), in one query."""
    flags = (
        Flag.objects.filter(status=Flag.Status.PENDING)
        .select_related(
            "reporter__profile",
            "duplicate_of",
            "question__author__profile",
            "answer__author__profile",
            "answer__question",
            "comment__author__profile",
            "comment__question",
            "comment__answer__question",
            "comment__article",
            "article__author__profile",
        )
        .order_by("created_at", "id")[:limit]
    )
    groups: dict[tuple[str, int], FlaggedPost] = {}
    for flag in flags:
        if flag.question_id:
            key, post = ("question", flag.question_id), flag.question
        elif flag.answer_id:
            key, post = ("answer", flag.answer_id), flag.answer
        elif flag.article_id:
            key, post = ("article", flag.article_id), flag.article
        else:
            key, post = ("comment", flag.comment_id), flag.comment
        groups.setdefault(key, FlaggedPost(kind=key[0], post=post)).flags.append(flag)
    return sorted(groups.values(), key=lambda g: (-len(g.flags), g.flags[0].created_at))


def pending_flag_count() -> int:
    return Flag.objects.filter(status=Flag.Status.PENDING).count()


def open_flag_count() -> int:
    """Posts waiting in the flag queue, for the moderators' header link (cached, one
    COUNT on a miss; flag writes invalidate it)."""
    count = cache.get(OPEN_FLAGS_KEY)
    if count is None:
        count = pending_flag_count()
        cache.set(OPEN_FLAGS_KEY, count, timeout=OPEN_FLAGS_TTL)
    return count


def open_flags_changed() -> None:
    cache.delete(OPEN_FLAGS_KEY)


def review_queue() -> QuerySet[SuggestedEdit]:
    return (
        SuggestedEdit.objects.filter(status=SuggestedEdit.Status.PENDING)
        .select_related("author__profile", "question", "answer__question")
        .order_by("created_at", "id")
    )


def audit_log(*, action: str = "", actor_id: int | None = None) -> QuerySet[ModerationAction]:
    actions = ModerationAction.objects.select_related(
        "actor", "member", "question", "answer__question", "comment", "article"
    )
    if action:
        actions = actions.filter(action=action)
    if actor_id:
        actions = actions.filter(actor_id=actor_id)
    return actions.order_by("-created_at", "-id")
