from django.urls import path, register_converter

from community import feeds, views, views_moderation


class PostKindConverter:
    regex = "question|answer"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PostKindConverter, "postkind")


class FlaggableConverter(PostKindConverter):
    regex = "question|answer|comment|article"


register_converter(FlaggableConverter, "flaggable")


class VotableConverter(PostKindConverter):
    """Posts that are voted on, commented on, deleted and revised: questions, answers, articles."""

    regex = "question|answer|article"


register_converter(VotableConverter, "votable")

app_name = "community"

urlpatterns = [
    path("questions/", views.question_list, name="question_list"),
    path("questions/ask/", views.question_ask, name="question_ask"),
    path("questions/ask/", views.question_ask, name="ask"),  # alias other apps link to
    path("questions/preview/", views.markdown_preview, name="preview"),
    path("questions/<int:pk>/", views.question_detail, name="question_detail"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/answer/", views.answer_create, name="answer_create"),
    path("questions/<int:pk>/follow/", views.question_follow, name="question_follow"),
    path("questions/<int:pk>/close/", views.question_close, name="question_close"),
    path("questions/<int:pk>/reopen/", views.question_reopen, name="question_reopen"),
    path("questions/<int:pk>/lock/", views.question_lock, name="question_lock"),
    path(
        "questions/in/<slug:slug>/", views.question_list_subdomain, name="question_list_subdomain"
    ),
    path(
        "questions/about/<slug:slug>/", views.question_list_resource, name="question_list_resource"
    ),
    path("answers/<int:pk>/edit/", views.answer_edit, name="answer_edit"),
    path("answers/<int:pk>/accept/", views.answer_accept, name="answer_accept"),
    path("posts/<votable:kind>/<int:pk>/vote/", views.vote, name="vote"),
    path("posts/<votable:kind>/<int:pk>/comment/", views.comment_create, name="comment_create"),
    path("posts/<votable:kind>/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("posts/<votable:kind>/<int:pk>/undelete/", views.post_undelete, name="post_undelete"),
    path("posts/<votable:kind>/<int:pk>/revisions/", views.revision_list, name="revisions"),
    path("revisions/<int:pk>/rollback/", views.revision_rollback, name="revision_rollback"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/autocomplete/", views.tag_autocomplete, name="tag_autocomplete"),
    path("tags/<str:slug>/", views.tag_detail, name="tag_detail"),
    path("tags/<str:slug>/follow/", views.tag_follow, name="tag_follow"),
    path("tags/<str:slug>/edit/", views.tag_edit, name="tag_edit"),
    path("tags/<str:slug>/merge/", views.tag_merge, name="tag_merge"),
    path("privileges/", views.privileges, name="privileges"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/new/", views.article_create, name="article_create"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("articles/in/<slug:slug>/", views.article_list_subdomain, name="article_list_subdomain"),
    path("articles/tagged/<str:slug>/", views.article_list_tag, name="article_list_tag"),
    path("badges/", views.badge_list, name="badge_list"),
    path("badges/<slug:key>/", views.badge_detail, name="badge_detail"),
    # Moderation (community/views_moderation.py)
    path("posts/<flaggable:kind>/<int:pk>/flag/", views_moderation.flag_create, name="flag"),
    path(
        "posts/<postkind:kind>/<int:pk>/suggest-edit/",
        views_moderation.suggest_edit,
        name="suggest_edit",
    ),
    path("moderation/", views_moderation.flag_queue, name="moderation_queue"),
    path(
        "moderation/flags/<flaggable:kind>/<int:pk>/",
        views_moderation.flags_resolve,
        name="flags_resolve",
    ),
    path("moderation/log/", views_moderation.audit_log, name="moderation_log"),
    path(
        "moderation/members/<str:username>/",
        views_moderation.member_suspend,
        name="member_suspend",
    ),
    path("review/edits/", views_moderation.review_queue, name="review_queue"),
    path("review/edits/<int:pk>/", views_moderation.review_decide, name="review_decide"),
]

urlpatterns += feeds.urlpatterns  # Atom/RSS of the newest questions (community/feeds.py)
