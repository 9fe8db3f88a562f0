"""Django admin for the Q&A: mainly for tags (synonyms, wikis) and auditing posts.

A post's title and text are read-only here: edits go through the site's edit
form (community.services), which renders ``body_html``, keeps a revision and
re-indexes. An admin save of ``body`` alone would leave the page showing the old
HTML, with no revision to say who changed what.
"""

from django.contrib import admin

from community.models import (
    Answer,
    Article,
    BadgeAward,
    Comment,
    Question,
    ReputationEvent,
    Revision,
    Tag,
    Vote,
)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "canonical", "question_count"]
    search_fields = ["name"]
    list_select_related = ["canonical"]
    autocomplete_fields = ["canonical"]
    readonly_fields = ["question_count", "wiki_html"]
    exclude = ["followers"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "author",
        "status",
        "score",
        "answer_count",
        "is_deleted",
        "created_at",
    ]
    list_filter = ["status", "is_deleted", "locked", "subdomain"]
    search_fields = ["title"]
    raw_id_fields = ["author", "duplicate_of", "accepted_answer", "closed_by", "deleted_by",
                     "last_activity_by"]  # fmt: skip
    readonly_fields = ["title", "body", "score", "answer_count", "comment_count", "view_count"]
    exclude = ["followers"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["pk", "question", "author", "score", "is_accepted", "is_deleted", "created_at"]
    list_filter = ["is_accepted", "is_deleted"]
    raw_id_fields = ["question", "author", "deleted_by"]
    readonly_fields = ["body", "score", "comment_count", "is_accepted"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "score", "comment_count", "is_deleted", "created_at"]
    list_filter = ["is_deleted", "subdomain"]
    search_fields = ["title"]
    raw_id_fields = ["author", "deleted_by"]
    readonly_fields = ["title", "body", "score", "comment_count", "view_count"]


@admin.register(BadgeAward)
class BadgeAwardAdmin(admin.ModelAdmin):
    list_display = ["user", "badge", "awarded_at"]
    list_filter = ["badge"]
    raw_id_fields = ["user"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "author", "question", "answer", "article", "is_deleted", "created_at"]
    raw_id_fields = ["question", "answer", "article", "author", "deleted_by"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["pk", "question", "answer", "article", "number", "author", "created_at"]
    raw_id_fields = ["question", "answer", "article", "author", "rollback_of"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "question", "answer", "article", "value", "created_at"]
    raw_id_fields = ["user", "question", "answer", "article"]


@admin.register(ReputationEvent)
class ReputationEventAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "points", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "question", "answer", "article", "vote"]
