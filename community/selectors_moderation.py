"""Reads for the moderation pages: the flag queue, the review queue and the audit log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from community.models import Flag, ModerationAction, SuggestedEdit

QUEUE_LIMIT = 500


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
        if self.kind == "question":
            return self.post
        if self.kind == "answer":
            return self.post.question
        return self.post.question or self.post.answer.question

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
        )
        .order_by("created_at", "id")[:limit]
    )
    groups: dict[tuple[str, int], FlaggedPost] = {}
    for flag in flags:
        if flag.question_id:
            key, post = ("question", flag.question_id), flag.question
        elif flag.answer_id:
            key, post = ("answer", flag.answer_id), flag.answer
        else:
            key, post = ("comment", flag.comment_id), flag.comment
        groups.setdefault(key, FlaggedPost(kind=key[0], post=post)).flags.append(flag)
    return sorted(groups.values(), key=lambda g: (-len(g.flags), g.flags[0].created_at))


def pending_flag_count() -> int:
    return Flag.objects.filter(status=Flag.Status.PENDING).count()


def review_queue() -> QuerySet[SuggestedEdit]:
    return (
        SuggestedEdit.objects.filter(status=SuggestedEdit.Status.PENDING)
        .select_related("author__profile", "question", "answer__question")
        .order_by("created_at", "id")
    )


def audit_log(*, action: str = "", actor_id: int | None = None) -> QuerySet[ModerationAction]:
    actions = ModerationAction.objects.select_related(
        "actor", "member", "question", "answer__question", "comment"
    )
    if action:
        actions = actions.filter(action=action)
    if actor_id:
        actions = actions.filter(actor_id=actor_id)
    return actions.order_by("-created_at", "-id")
