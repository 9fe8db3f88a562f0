"""Users and their public profiles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_avatar_size


class User(AbstractUser):
    """A Huiju member. Reputation is kept here so lists can sort and show it without joins."""

    reputation = models.IntegerField(_("reputation"), default=1, db_index=True)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    suspension_reason = models.CharField(_("suspension reason"), max_length=200, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        return (profile and profile.display_name) or self.username

    @property
    def is_suspended(self) -> bool:
        return bool(self.suspended_until and self.suspended_until > timezone.now())

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.username})


def user_display(user) -> str:
    """How allauth and templates name a user."""
    return user.display_name


def avatar_upload_to(instance: Profile, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"avatars/{instance.user_id}/{timezone.now():%Y%m%d%H%M%S}.{extension}"


class Profile(models.Model):
    """What a member shows about themselves; edited only by its owner."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=80, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    github = models.CharField(_("GitHub username"), max_length=39, blank=True)
    links = models.JSONField(_("other links"), default=list, blank=True)
    avatar = models.ImageField(
        _("avatar"),
        upload_to=avatar_upload_to,
        blank=True,
        validators=[
            FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif"]),
            validate_avatar_size,
        ],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name or self.user.username

    def get_absolute_url(self) -> str:
        return self.user.get_absolute_url()


class AccessToken(models.Model):
    """A personal access token for scripts and CI; only its SHA-256 digest is stored.

    The full token (``hj_<prefix>_<secret>``) is shown once at creation. ``prefix``
    finds the row; the digest of the whole token is compared in constant time.
    """

    SCOPE_READ = "read"
    SCOPE_WRITE = "write"
    SCOPE_PLATFORM = "platform"
    SCOPES = [
        (SCOPE_READ, _("Read public data")),
        (SCOPE_WRITE, _("Ask, answer, comment and vote as you")),
        (SCOPE_PLATFORM, _("Manage your platform's resources")),
    ]

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self) -> str:
        return f"{self.name} (hj_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    def allows(self, scope: str) -> bool:
        return scope in self.scopes
