from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import content, views
from collaboration.api import CollaborationPostViewSet
from community.api import (
    AnswerViewSet,
    ArticleViewSet,
    CommentViewSet,
    QuestionViewSet,
    TagViewSet,
)

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.register("subdomains", views.SubdomainViewSet, basename="subdomain")
router.register("platforms", views.PlatformViewSet, basename="platform")
router.register("resources", views.OpenResourceViewSet, basename="resource")
router.register("collaboration/posts", CollaborationPostViewSet, basename="collaboration-post")
# Q&A forum (community.api)
router.register("questions", QuestionViewSet, basename="question")
router.register("answers", AnswerViewSet, basename="answer")
router.register("comments", CommentViewSet, basename="comment")
router.register("tags", TagViewSet, basename="tag")
router.register("articles", ArticleViewSet, basename="article")
router.register("tutorials", content.TutorialViewSet, basename="tutorial")
router.register("live-sessions", content.LiveSessionViewSet, basename="live-session")

v1 = [
    path("me/", views.me, name="me"),
    path("search/", content.search_view, name="search"),
    path(
        "resources/<slug:slug>/versions/",
        views.ResourceVersionListCreate.as_view(),
        name="resource-versions",
    ),
    path(
        "resources/<slug:slug>/versions/<str:version>/",
        views.ResourceVersionDetail.as_view(),
        name="resource-version-detail",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
