"""Live Q&A sessions: the session, who registered, the questions, votes and the event log.

Everything a live room shows is stored here first. ``LiveEvent`` is the room's
append-only log, numbered per session by ``LiveSession.sequence``: the channel
layer only fans those rows out, and a client that reconnects asks for the rows
after the last number it saw (or gets a full snapshot).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.markdown import render_markdown

MAX_QUESTION_LENGTH = 2000
MAX_ANSWER_LENGTH = 10_000


class LiveSession(models.Model):
    """A platform's scheduled live Q&A about its resources."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live now")
        ENDED = "ended", _("Ended")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: what the session covers.")
    )
    platform = models.ForeignKey(
        "knowledge.Platform",
        on_delete=models.PROTECT,
        related_name="live_sessions",
        verbose_name=_("host platform"),
    )
    subdomain = models.ForeignKey(
        "knowledge.Subdomain",
        on_delete=models.PROTECT,
        related_name="live_sessions",
        verbose_name=_("sub-domain"),
    )
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="hosted_live_sessions",
        verbose_name=_("hosts"),
        help_text=_("Speakers; they answer and moderate questions."),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="moderated_live_sessions",
        verbose_name=_("moderators"),
        help_text=_("Members who may approve, hide and pin questions in this session."),
    )
    resources = models.ManyToManyField(
        "knowledge.OpenResource",
        blank=True,
        related_name="live_sessions",
        verbose_name=_("linked resources"),
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    stream_url = models.URLField(_("stream URL"), blank=True)
    premoderation = models.BooleanField(
        _("pre-moderate questions"),
        default=False,
        help_text=_("New questions stay hidden until a host or moderator approves them."),
    )
    sequence = models.PositiveBigIntegerField(_("last event number"), default=0, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="live_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:session_detail", kwargs={"slug": self.slug})

    @property
    def description_html(self):
        return render_markdown(self.description)

    @property
    def accepts_questions(self) -> bool:
        return self.status in {self.Status.SCHEDULED, self.Status.LIVE}

    @property
    def is_open(self) -> bool:
        """Whether moderation actions are still possible (not archived)."""
        return self.status != self.Status.ARCHIVED

    @property
    def is_upcoming(self) -> bool:
        return self.status == self.Status.SCHEDULED and self.ends_at > timezone.now()


class Registration(models.Model):
    """A member who wants to attend (and be reminded before the start)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_registrations"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="unique_live_registration")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.session}"


class LiveQuestion(models.Model):
    """A question asked in a live room; answered in writing by a host."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Open")
        HIDDEN = "hidden", _("Hidden")
        ANSWERED = "answered", _("Answered")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_questions"
    )
    anonymous = models.BooleanField(
        _("ask anonymously"),
        default=False,
        help_text=_("Other attendees do not see your name; hosts and moderators do."),
    )
    body = models.TextField(_("question"), max_length=MAX_QUESTION_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPROVED, db_index=True
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    answer = models.TextField(_("answer"), blank=True, max_length=MAX_ANSWER_LENGTH)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    archived_question_id = models.PositiveBigIntegerField(
        _("community question"),
        null=True,
        blank=True,
        help_text=_("The community thread this question became when the session was archived."),
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-pinned", "-vote_count", "created_at"]
        verbose_name = _("live question")
        verbose_name_plural = _("live questions")
        indexes = [models.Index(fields=["session", "status"], name="live_question_session_status")]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def body_html(self):
        return render_markdown(self.body)

    @property
    def answer_html(self):
        return render_markdown(self.answer)

    @property
    def is_visible(self) -> bool:
        """Shown to every attendee (not pending, not hidden)."""
        return self.status in {self.Status.APPROVED, self.Status.ANSWERED}


class LiveVote(models.Model):
    """One upvote by one member on one question."""

    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("live vote")
        verbose_name_plural = _("live votes")
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="unique_live_vote")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ↑ {self.question_id}"


class LiveEvent(models.Model):
    """One numbered change in a room, kept so reconnecting clients can catch up.

    ``payload`` is what hosts and moderators see; ``public_payload`` is what other
    attendees see (``None``: nothing, they receive a bare ``tick`` keeping numbers
    contiguous).
    """

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=40)
    payload = models.JSONField()
    public_payload = models.JSONField(null=True, blank=True)
    audience_user_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="A member who sees the full payload (the asker)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="unique_live_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.seq} {self.type}"


class LivePresence(models.Model):
    """One open WebSocket connection to a room; the attendee count is built from these."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="presences")
    channel_name = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    connected_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["session", "last_seen"], name="live_presence_recent")]

    def __str__(self) -> str:
        return self.channel_name
