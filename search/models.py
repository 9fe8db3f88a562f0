"""The indexing outbox and the database backend's index table."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchOutbox(models.Model):
    """One pending index change; written in the same transaction as the content it follows.

    A row per (kind, object): later changes to the same object reuse the row, so
    a burst of edits costs one index update. ``search_drain`` applies rows and
    deletes them; a failure keeps the row and pushes ``next_attempt_at`` back.
    """

    class Op(models.TextChoices):
        UPSERT = "upsert", _("Index")
        DELETE = "delete", _("Remove")

    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=64)
    op = models.CharField(_("operation"), max_length=10, choices=Op.choices, default=Op.UPSERT)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    enqueued_at = models.DateTimeField(_("enqueued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("search outbox item")
        verbose_name_plural = _("search outbox")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_outbox_unique")
        ]
        indexes = [models.Index(fields=["next_attempt_at"], name="search_outbox_due")]

    def __str__(self) -> str:
        return f"{self.op} {self.kind}:{self.object_id}"


class SearchEntry(models.Model):
    """One searchable document in the database backend.

    ``*_seg`` hold jieba-segmented, Simplified-folded, stemmed text; SQLite matches
    them with LIKE. On PostgreSQL ``search_vector`` (title A, tags B, body C) and
    ``title_vector`` are built from them at indexing, each with a GIN index, and the
    ``*_seg`` columns are stored empty (narrower rows; a rebuild re-creates them). ``folded`` is the folded plain text,
    used for quoted phrases.
    """

    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    subdomain = models.CharField(max_length=60, blank=True, db_index=True)
    platform = models.CharField(max_length=60, blank=True)
    resources = models.JSONField(default=list, blank=True)
    author = models.CharField(max_length=150, blank=True)
    score = models.IntegerField(default=0)
    answered = models.BooleanField(default=False)
    accepted = models.BooleanField(default=False)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(null=True, db_index=True)
    updated_at = models.DateTimeField(null=True)
    title_seg = models.TextField(blank=True)
    tags_seg = models.TextField(blank=True)
    body_seg = models.TextField(blank=True)
    folded = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True)
    #: Title (A) and tags (B) only, with its own GIN index (PostgreSQL): finds title
    #: matches without reading the full vectors.
    title_vector = SearchVectorField(null=True)
    #: Query-independent prior (votes and age, see ``database.prior``): the cheap order
    #: in which PostgreSQL picks the capped candidate set before the full ranking.
    prior = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")
        ]
        indexes = [
            models.Index(fields=["kind", "-created_at"], name="search_entry_kind_new"),
            models.Index(fields=["-prior"], name="search_entry_prior"),
            # Sort by votes: walked in order, each row tested against the query, until a
            # page is full (a broad word otherwise sorts every match: 290 ms for apollo).
            models.Index(fields=["-score", "-created_at", "-id"], name="search_entry_votes"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"
