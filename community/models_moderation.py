"""Moderation: flags, close/reopen votes, suggested edits and the moderator audit log.

Imported by ``community.models`` so Django sees these models as part of the app.
A flag, vote or suggestion targets exactly one post, enforced by check constraints.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.models import Answer, Article, CloseReason, Comment, Question


def _one_of(*fields: str) -> Q:
    """Exactly one of ``fields`` is set."""
    condition = Q()
    for field in fields:
        term = Q(**{f"{field}__isnull": False})
        for other in fields:
            if other != field:
                term &= Q(**{f"{other}__isnull": True})
        condition |= term
    return condition


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    RUDE = "rude", _("Rude or abusive")
    LOW_QUALITY = "low_quality", _("Very low quality")
    DUPLICATE = "duplicate", _("Duplicate of another question")
    OTHER = "other", _("Needs a moderator's attention")


class FlagStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    HELPFUL = "helpful", _("Helpful")
    DECLINED = "declined", _("Declined")


class Flag(models.Model):
    """A member's report that a question, answer, article or comment needs a moderator."""

    Reason = FlagReason
    Status = FlagStatus

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_flags",
        verbose_name=_("reporter"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    duplicate_of = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("duplicate of"),
    )
    text = models.CharField(_("details"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.PENDING
    )
    created_at = models.DateTimeField(_("flagged"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.CheckConstraint(
                condition=_one_of("question", "answer", "comment", "article"),
                name="flag_on_exactly_one_post",
            ),
            models.UniqueConstraint(
                fields=["reporter", "question"],
                condition=Q(status="pending", question__isnull=False),
                name="one_open_flag_per_reporter_question",
            ),
            models.UniqueConstraint(
                fields=["reporter", "answer"],
                condition=Q(status="pending", answer__isnull=False),
                name="one_open_flag_per_reporter_answer",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="pending", comment__isnull=False),
                name="one_open_flag_per_reporter_comment",
            ),
            models.UniqueConstraint(
                fields=["reporter", "article"],
                condition=Q(status="pending", article__isnull=False),
                name="one_open_flag_per_reporter_article",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="pending"), name="flag_pending_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} by {self.reporter_id}"

    @property
    def post(self) -> Question | Answer | Comment | Article:
        return self.question or self.answer or self.comment or self.article


class CloseVote(models.Model):
    """A member's vote to close (or reopen) a question; spent once the question changes state."""

    class Kind(models.TextChoices):
        CLOSE = "close", _("Close")
        REOPEN = "reopen", _("Reopen")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="close_votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_close_votes"
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=CloseReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("duplicate of"),
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("close vote")
        verbose_name_plural = _("close votes")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "user", "kind"],
                condition=Q(active=True),
                name="one_active_close_vote_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.question_id} by {self.user_id}"


class SuggestedEdit(models.Model):
    """An edit proposed by a member below the edit threshold, waiting for a reviewer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="suggested_edits"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="suggested_edits"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_suggested_edits",
        verbose_name=_("suggested by"),
    )
    base_revision = models.PositiveIntegerField(_("based on revision"))
    title = models.CharField(_("title"), max_length=150, blank=True)
    body = models.TextField(_("body"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    comment = models.CharField(_("edit summary"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("suggested"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.CharField(_("review comment"), max_length=300, blank=True)
    revision = models.ForeignKey(
        "community.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied as"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("suggested edit")
        verbose_name_plural = _("suggested edits")
        constraints = [
            models.CheckConstraint(
                condition=_one_of("question", "answer"), name="suggested_edit_on_one_post"
            ),
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(status="pending", question__isnull=False),
                name="one_pending_suggested_edit_per_question",
            ),
            models.UniqueConstraint(
                fields=["answer"],
                condition=Q(status="pending", answer__isnull=False),
                name="one_pending_suggested_edit_per_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"suggested edit {self.pk}"

    @property
    def post(self) -> Question | Answer:
        return self.question or self.answer


class ModerationAction(models.Model):
    """One line of the moderator audit log: who did what to which post or member, and why."""

    class Action(models.TextChoices):
        FLAG_DISMISSED = "flag_dismissed", _("Dismissed flags")
        FLAG_HELPFUL = "flag_helpful", _("Marked flags helpful")
        AUTO_HIDDEN = "auto_hidden", _("Hidden by flags")
        DELETED = "deleted", _("Deleted")
        UNDELETED = "undeleted", _("Undeleted")
        LOCKED = "locked", _("Locked")
        UNLOCKED = "unlocked", _("Unlocked")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        SUSPENDED = "suspended", _("Suspended a member")
        UNSUSPENDED = "unsuspended", _("Lifted a suspension")
        EDIT_APPROVED = "edit_approved", _("Approved a suggested edit")
        EDIT_REJECTED = "edit_rejected", _("Rejected a suggested edit")
        TAG_MERGED = "tag_merged", _("Merged tags")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"

    @property
    def target(self):
        return self.question or self.answer or self.comment or self.article or self.member
