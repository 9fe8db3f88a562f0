"""Q&A: tags, questions, answers, comments, votes, revisions and the reputation ledger.

Counters (score, answer_count, comment_count, question_count, view_count) are
denormalised so list pages sort and show them without aggregates; services keep
them right with ``F()`` updates inside the write's transaction. Nothing is hard
deleted: posts carry ``is_deleted``/``deleted_at``/``deleted_by`` so moderators
can audit and restore.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

TAG_NAME_MAX = 35


def tag_slug(name: str) -> str:
    """URL slug of a tag name, keeping Chinese and the characters ``c++``/``c#``/``.net`` need."""
    replaced = name.replace("+", "-plus").replace("#", "-sharp").replace(".", "-dot-")
    return slugify(replaced, allow_unicode=True).strip("-") or "tag"


class Tag(models.Model):
    """A topic label. A tag with ``canonical`` set is a synonym that redirects to it."""

    name = models.CharField(_("name"), max_length=TAG_NAME_MAX, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    wiki_excerpt = models.CharField(
        _("excerpt"),
        max_length=500,
        blank=True,
        help_text=_("One or two plain sentences on when to use this tag."),
    )
    wiki_body = models.TextField(_("wiki"), blank=True, help_text=_("Markdown."))
    wiki_html = models.TextField(editable=False, blank=True)
    canonical = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="synonyms",
        verbose_name=_("synonym of"),
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="followed_tags",
        verbose_name=_("followers"),
    )
    question_count = models.PositiveIntegerField(_("questions"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    wiki_edited_at = models.DateTimeField(_("wiki edited"), null=True, blank=True)
    wiki_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-question_count", "name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        indexes = [models.Index(fields=["-question_count", "name"], name="tag_popular_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(canonical=models.F("id")), name="tag_not_own_synonym"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = tag_slug(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("community:tag_detail", kwargs={"slug": self.slug})


class PostStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    DUPLICATE = "duplicate", _("Duplicate")


class CloseReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate of another question")
    OFF_TOPIC = "off_topic", _("Off-topic")
    UNCLEAR = "unclear", _("Needs details or clarity")
    TOO_BROAD = "too_broad", _("Needs more focus")
    OPINION = "opinion", _("Opinion-based")
    RESOLVED = "resolved", _("Not reproducible or was a typo")


class SoftDeleteFields(models.Model):
    """Soft delete with who and when, for the audit trail."""

    is_deleted = models.BooleanField(_("deleted"), default=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    class Meta:
        abstract = True


class Question(SoftDeleteFields):
    """A question: Markdown body (with cached sanitized HTML), 1–5 tags, status and counters."""

    Status = PostStatus

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="questions",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False)
    tags = models.ManyToManyField(
        Tag, through="QuestionTag", related_name="questions", verbose_name=_("tags")
    )
    subdomain = models.ForeignKey(
        "knowledge.Subdomain",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("sub-domain"),
    )
    resources = models.ManyToManyField(
        "knowledge.OpenResource",
        through="QuestionResource",
        related_name="questions",
        blank=True,
        verbose_name=_("linked resources"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PostStatus.choices, default=PostStatus.OPEN
    )
    close_reason = models.CharField(
        _("close reason"), max_length=20, choices=CloseReason.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    accepted_answer = models.OneToOneField(
        "Answer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted answer"),
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="followed_questions",
        verbose_name=_("followers"),
    )
    score = models.IntegerField(_("score"), default=0)
    answer_count = models.PositiveIntegerField(_("answers"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("No new answers, comments, votes or edits.")
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True)
    last_activity_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        # One partial index per list ordering (deleted questions are never listed).
        indexes = [
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(is_deleted=False),
                name="question_newest_idx",
            ),
            models.Index(
                fields=["-last_activity_at", "-id"],
                condition=Q(is_deleted=False),
                name="question_active_idx",
            ),
            models.Index(
                fields=["-score", "-created_at", "-id"],
                condition=Q(is_deleted=False),
                name="question_votes_idx",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(is_deleted=False, answer_count=0),
                name="question_unanswered_idx",
            ),
            models.Index(
                fields=["subdomain", "-created_at", "-id"],
                condition=Q(is_deleted=False),
                name="question_subdomain_idx",
            ),
            models.Index(fields=["author", "-created_at"], name="question_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:question_detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status in (PostStatus.CLOSED, PostStatus.DUPLICATE)

    @property
    def updated_at(self):
        """When the question itself last changed (edited, else asked)."""
        return self.edited_at or self.created_at

    @property
    def kind(self) -> str:
        return "question"


class QuestionTag(models.Model):
    """A question's tag; ``question_created_at`` is copied here so tag pages sort by index."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="question_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="question_tags")
    position = models.PositiveSmallIntegerField(default=0)
    question_created_at = models.DateTimeField(db_index=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "tag"], name="unique_question_tag")
        ]
        indexes = [
            models.Index(fields=["tag", "-question_created_at"], name="questiontag_newest_idx")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.tag_id}"


class QuestionResource(models.Model):
    """A question's link to an open resource, optionally to one version of it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="resource_links")
    resource = models.ForeignKey(
        "knowledge.OpenResource", on_delete=models.CASCADE, related_name="question_links"
    )
    version = models.ForeignKey(
        "knowledge.ResourceVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="question_links",
        verbose_name=_("version"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "resource"], name="unique_question_resource"
            )
        ]
        indexes = [models.Index(fields=["resource", "question"], name="questionresource_idx")]
        verbose_name = _("linked resource")
        verbose_name_plural = _("linked resources")

    def __str__(self) -> str:
        return f"{self.question_id}→{self.resource_id}"


class Answer(SoftDeleteFields):
    """An answer to a question."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="answers",
        verbose_name=_("author"),
    )
    body = models.TextField(_("body"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False)
    score = models.IntegerField(_("score"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    is_accepted = models.BooleanField(_("accepted"), default=False)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        ordering = ["-is_accepted", "-score", "created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(
                fields=["question", "-is_accepted", "-score", "created_at"],
                condition=Q(is_deleted=False),
                name="answer_thread_idx",
            ),
            models.Index(fields=["author", "-created_at"], name="answer_author_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} → {self.question_id}"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    @property
    def kind(self) -> str:
        return "answer"

    @property
    def title(self) -> str:
        return self.question.title


class Article(SoftDeleteFields):
    """An experience post (經驗分享): long-form Markdown by a member, votable and commentable.

    Tags, sub-domain and resource links work as on questions; score and
    comment_count are denormalised counters kept by the services.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="articles",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False)
    tags = models.ManyToManyField(
        Tag, through="ArticleTag", related_name="articles", verbose_name=_("tags")
    )
    subdomain = models.ForeignKey(
        "knowledge.Subdomain",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("sub-domain"),
    )
    resources = models.ManyToManyField(
        "knowledge.OpenResource",
        through="ArticleResource",
        related_name="articles",
        blank=True,
        verbose_name=_("linked resources"),
    )
    score = models.IntegerField(_("score"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    created_at = models.DateTimeField(_("published"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(is_deleted=False),
                name="article_newest_idx",
            ),
            models.Index(
                fields=["-score", "-created_at", "-id"],
                condition=Q(is_deleted=False),
                name="article_votes_idx",
            ),
            models.Index(
                fields=["subdomain", "-created_at", "-id"],
                condition=Q(is_deleted=False),
                name="article_subdomain_idx",
            ),
            models.Index(fields=["author", "-created_at"], name="article_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:article_detail", kwargs={"pk": self.pk})

    @property
    def kind(self) -> str:
        return "article"

    @property
    def updated_at(self):
        return self.edited_at or self.created_at


class ArticleTag(models.Model):
    """An article's tag, in the order the author gave."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="article_tags")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "tag"], name="unique_article_tag")
        ]
        indexes = [models.Index(fields=["tag", "article"], name="articletag_tag_idx")]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.tag_id}"


class ArticleResource(models.Model):
    """An article's link to an open resource, optionally to one version of it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="resource_links")
    resource = models.ForeignKey(
        "knowledge.OpenResource", on_delete=models.CASCADE, related_name="article_links"
    )
    version = models.ForeignKey(
        "knowledge.ResourceVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="article_links",
        verbose_name=_("version"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "resource"], name="unique_article_resource")
        ]
        verbose_name = _("linked resource")
        verbose_name_plural = _("linked resources")

    def __str__(self) -> str:
        return f"{self.article_id}→{self.resource_id}"


def one_of(*fields: str) -> Q:
    """Exactly one of ``fields`` is set (for the "targets one post" check constraints)."""
    condition = Q()
    for field in fields:
        term = Q(**{f"{field}__isnull": False})
        for other in fields:
            if other != field:
                term &= Q(**{f"{other}__isnull": True})
        condition |= term
    return condition


POST_FIELDS = ("question", "answer", "article")


class Comment(SoftDeleteFields):
    """A short remark on a question, an answer or an article (exactly one of them)."""

    MAX_LENGTH = 600

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="community_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=MAX_LENGTH)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=one_of(*POST_FIELDS), name="comment_on_exactly_one_post"
            )
        ]
        indexes = [
            models.Index(fields=["question", "created_at"], name="comment_question_idx"),
            models.Index(fields=["answer", "created_at"], name="comment_answer_idx"),
            models.Index(fields=["article", "created_at"], name="comment_article_idx"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        if self.article_id:
            return f"{self.article.get_absolute_url()}#comment-{self.pk}"
        question = self.question if self.question_id else self.answer.question
        return f"{question.get_absolute_url()}#comment-{self.pk}"

    @property
    def post(self) -> Question | Answer | Article:
        if self.article_id:
            return self.article
        return self.question if self.question_id else self.answer


class Vote(models.Model):
    """One member's +1 or −1 on a question, answer or article; changing it updates this row."""

    UP = 1
    DOWN = -1

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_votes"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    value = models.SmallIntegerField(choices=[(UP, "+1"), (DOWN, "-1")])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="one_vote_per_user_question",
            ),
            models.UniqueConstraint(
                fields=["user", "answer"],
                condition=Q(answer__isnull=False),
                name="one_vote_per_user_answer",
            ),
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="one_vote_per_user_article",
            ),
            models.CheckConstraint(condition=one_of(*POST_FIELDS), name="vote_on_exactly_one_post"),
            models.CheckConstraint(
                condition=Q(value__in=[1, -1]), name="vote_value_plus_minus_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value:+d}"


class Revision(models.Model):
    """One version of a question, answer or article; number 1 is the original post."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="community_revisions",
        verbose_name=_("editor"),
    )
    comment = models.CharField(_("edit summary"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=150, blank=True)
    body = models.TextField(_("body"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    rollback_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rollback to"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"],
                condition=Q(question__isnull=False),
                name="unique_question_revision",
            ),
            models.UniqueConstraint(
                fields=["answer", "number"],
                condition=Q(answer__isnull=False),
                name="unique_answer_revision",
            ),
            models.UniqueConstraint(
                fields=["article", "number"],
                condition=Q(article__isnull=False),
                name="unique_article_revision",
            ),
            models.CheckConstraint(
                condition=one_of(*POST_FIELDS), name="revision_of_exactly_one_post"
            ),
        ]

    def __str__(self) -> str:
        return f"r{self.number}"

    @property
    def post(self) -> Question | Answer | Article:
        if self.article_id:
            return self.article
        return self.question if self.question_id else self.answer


class ReputationEvent(models.Model):
    """One line of the reputation ledger; a member's reputation is 1 + the sum of theirs.

    Vote events point at their vote and disappear with it (a retracted vote gives
    back its points), so the ledger always equals what the votes and acceptances
    say (``manage.py recompute_reputation`` rebuilds it from them).
    """

    class Kind(models.TextChoices):
        QUESTION_UPVOTED = "question_upvoted", _("Question up-voted")
        QUESTION_DOWNVOTED = "question_downvoted", _("Question down-voted")
        ANSWER_UPVOTED = "answer_upvoted", _("Answer up-voted")
        ANSWER_DOWNVOTED = "answer_downvoted", _("Answer down-voted")
        ARTICLE_UPVOTED = "article_upvoted", _("Article up-voted")
        ARTICLE_DOWNVOTED = "article_downvoted", _("Article down-voted")
        DOWNVOTE_CAST = "downvote_cast", _("Down-voted an answer")
        ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
        ACCEPTED_AN_ANSWER = "accepted_an_answer", _("Accepted an answer")
        EDIT_APPROVED = "edit_approved", _("Suggested edit approved")
        ADJUSTMENT = "adjustment", _("Moderator adjustment")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_events"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    points = models.IntegerField(_("points"))
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, null=True, blank=True, related_name="reputation_events"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reputation event")
        verbose_name_plural = _("reputation events")
        indexes = [models.Index(fields=["user", "-created_at"], name="reputation_history_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.points:+d} {self.kind}"


class BadgeAward(models.Model):
    """A badge a member earned (badges are defined in ``community.badges``); one per badge."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="badge_awards",
        verbose_name=_("member"),
    )
    badge = models.CharField(_("badge"), max_length=32)
    awarded_at = models.DateTimeField(_("awarded"), default=timezone.now)
    target_url = models.CharField(_("for"), max_length=500, blank=True)
    target_title = models.CharField(_("title"), max_length=300, blank=True)

    class Meta:
        ordering = ["-awarded_at", "-id"]
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        constraints = [
            models.UniqueConstraint(fields=["user", "badge"], name="one_award_per_user_badge")
        ]
        indexes = [models.Index(fields=["badge", "-awarded_at"], name="badgeaward_badge_idx")]

    def __str__(self) -> str:
        return f"{self.badge} → {self.user_id}"


# Moderation models live in their own module; importing them registers them with the app.
from community.models_moderation import (  # noqa: E402, F401
    CloseVote,
    Flag,
    ModerationAction,
    SuggestedEdit,
)
