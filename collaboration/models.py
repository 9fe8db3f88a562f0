"""The collaboration board: posts, expressions of interest, organisations and alerts.

Contact details are stored on the post (the author's) and on each interest (the
responder's) and are only ever read through :mod:`collaboration.privacy`, which
releases them to the other party after the author has accepted the interest.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.markdown import render_markdown


def normalize_skill(name: str) -> str:
    """The key two spellings of one skill share: case- and space-insensitive."""
    return " ".join((name or "").split()).casefold()


class Skill(models.Model):
    """A skill wanted or offered on the board and listed on profiles (one shared vocabulary)."""

    name = models.CharField(_("name"), max_length=40)
    key = models.CharField(_("normalized name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.key = normalize_skill(self.name)
        super().save(*args, **kwargs)


class MemberSkill(models.Model):
    """A skill a member lists on their profile; kept in step with ``Profile.skills``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaboration_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("member skill")
        verbose_name_plural = _("member skills")
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="collab_memberskill_unique")
        ]
        indexes = [models.Index(fields=["skill", "user"], name="collab_memberskill_skill_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.skill_id}"


class Organisation(models.Model):
    """A startup, SME, institute or platform that members list; admins verify it."""

    class Kind(models.TextChoices):
        STARTUP = "startup", _("Startup")
        SME = "sme", _("Small or medium enterprise")
        INSTITUTE = "institute", _("Research institute or university")
        PLATFORM = "platform", _("Open innovation platform")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    platform = models.ForeignKey(
        "knowledge.Platform",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("platform"),
        help_text=_("For platform organisations: the national platform it runs."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OrganisationMembership",
        related_name="organisations",
        verbose_name=_("members"),
    )
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Set by admins after checking the organisation.")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.name, allow_unicode=True)[:70] or "org"
            slug, n = base, 1
            while Organisation.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                n += 1
                slug = f"{base}-{n}"
            self.slug = slug
        if self.verified and self.verified_at is None:
            self.verified_at = timezone.now()
        if not self.verified:
            self.verified_at = None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("collaboration:organisation_detail", kwargs={"slug": self.slug})


class OrganisationMembership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="collab_orgmember_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organisation_id}"


class ContactFields(models.Model):
    """Contact details a member chooses to share once both sides agree (never public)."""

    contact_email = models.EmailField(_("email"), blank=True)
    contact_wechat = models.CharField(_("WeChat ID"), max_length=40, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_link = models.URLField(_("link"), blank=True)

    CONTACT_FIELDS = ("contact_email", "contact_wechat", "contact_phone", "contact_link")

    class Meta:
        abstract = True

    def contact_details(self) -> list[tuple[str, str, str]]:
        """``[(field, label, value)]`` of the filled-in contact fields."""
        return [
            (name, str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.CONTACT_FIELDS
            if getattr(self, name)
        ]


class PostQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden_at__isnull=True)

    def live(self, today: datetime.date | None = None):
        """Open, not hidden, not past their expiry date: the ones that accept interest."""
        today = today or timezone.localdate()
        return self.visible().filter(status=CollaborationPost.Status.OPEN, expires_on__gte=today)


class CollaborationPost(ContactFields):
    """A startup, team or person seeking or offering collaboration."""

    class Kind(models.TextChoices):
        SEEKING = "seeking", _("Seeking a partner")
        OFFERING = "offering", _("Offering skills")
        PILOT = "pilot", _("Looking for a pilot on a platform resource")

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PROTOTYPE = "prototype", _("Prototype")
        PILOT = "pilot", _("Pilot")
        PRODUCTION = "production", _("Production")

    class Engagement(models.TextChoices):
        COFOUNDER = "cofounder", _("Co-founder")
        CONTRACT = "contract", _("Contract")
        PART_TIME = "part_time", _("Part-time")
        RESEARCH = "research", _("Research collaboration")
        OPEN_SOURCE = "open_source", _("Open source")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("collaboration post status", "Open")
        CLOSED = "closed", pgettext_lazy("collaboration post status", "Closed")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="collaboration_posts",
        verbose_name=_("author"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=20_000)
    subdomain = models.ForeignKey(
        "knowledge.Subdomain",
        on_delete=models.PROTECT,
        related_name="collaboration_posts",
        verbose_name=_("sub-domain"),
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="posts", verbose_name=_("skills")
    )
    resources = models.ManyToManyField(
        "knowledge.OpenResource",
        blank=True,
        related_name="collaboration_posts",
        verbose_name=_("platform resources"),
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    engagement = models.CharField(_("engagement"), max_length=12, choices=Engagement.choices)
    location = models.CharField(_("location"), max_length=80, blank=True)
    remote = models.BooleanField(_("remote possible"), default=False)
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    hidden_at = models.DateTimeField(
        _("hidden by a moderator"),
        null=True,
        blank=True,
        help_text=_("Hidden posts are not shown."),
    )
    expiry_reminded_for = models.DateField(
        _("expiry reminder sent for"),
        null=True,
        blank=True,
        help_text=_("The expiry date the author was last reminded of."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("collaboration post")
        verbose_name_plural = _("collaboration posts")
        indexes = [
            # The board: open, visible posts newest first (expiry is filtered while scanning).
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(status="open", hidden_at__isnull=True),
                name="collab_post_board_idx",
            ),
            models.Index(fields=["status", "expires_on"], name="collab_post_expiry_idx"),
            models.Index(fields=["subdomain", "status", "-created_at"], name="collab_post_sub_idx"),
            models.Index(fields=["kind", "status", "-created_at"], name="collab_post_kind_idx"),
            models.Index(fields=["stage", "status"], name="collab_post_stage_idx"),
            models.Index(
                fields=["status", "-created_at"],
                condition=Q(remote=True),
                name="collab_post_remote_idx",
            ),
            models.Index(fields=["author", "-created_at"], name="collab_post_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collaboration:post_detail", kwargs={"pk": self.pk})

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and not self.is_expired and self.hidden_at is None

    @property
    def description_html(self):
        return render_markdown(self.description)


class Interest(ContactFields):
    """A member's response to a post: a short message and the contact details they offer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    post = models.ForeignKey(
        CollaborationPost,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("post"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="collaboration_interests",
        verbose_name=_("member"),
    )
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="collab_interest_unique")
        ]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="collab_interest_member_idx"),
            models.Index(fields=["post", "status"], name="collab_interest_post_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.post_id} ({self.status})"

    @property
    def message_html(self):
        return render_markdown(self.message)


class InterestEvent(models.Model):
    """Append-only log of what happened to an interest (and who did it)."""

    class Action(models.TextChoices):
        EXPRESSED = "expressed", _("Interest expressed")
        ACCEPTED = "accepted", _("Accepted; contact details shared")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("interest event")
        verbose_name_plural = _("interest events")

    def __str__(self) -> str:
        return f"{self.interest_id}: {self.action}"


class Flag(models.Model):
    """A member's report of a post; moderators review flags in the Django admin."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        MISLEADING = "misleading", _("Misleading or fraudulent")
        INAPPROPRIATE = "inappropriate", _("Rude or inappropriate")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        DISMISSED = "dismissed", _("Dismissed")
        ACTIONED = "actioned", _("Post hidden")

    post = models.ForeignKey(CollaborationPost, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaboration_flags"
    )
    reason = models.CharField(_("reason"), max_length=15, choices=Reason.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="collab_flag_unique")
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="collab_flag_queue_idx")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.post}"


class Alert(models.Model):
    """A member's opt-in: tell me about new posts in these skills or sub-domains."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaboration_alert"
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="alerts")
    subdomains = models.ManyToManyField(
        "knowledge.Subdomain", blank=True, related_name="collaboration_alerts"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("collaboration alert")
        verbose_name_plural = _("collaboration alerts")

    def __str__(self) -> str:
        return f"alert:{self.user_id}"
