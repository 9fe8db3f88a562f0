"""URL configuration.

Admin, health and language switching live outside the language prefix; every
page users read lives inside it: zh-hans at ``/``, ``/zh-hant/`` and ``/en/``.
Wagtail's page tree is the catch-all and comes last.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import views as core_views

urlpatterns = [
    path("healthz", core_views.health, name="health"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("community.urls")),
    path("", include("notifications.urls")),
    path("", include("webhooks.urls")),
    path("live/", include("events.urls")),
    path("search/", include("search.urls")),
    path("collaborate/", include("collaboration.urls")),
    path("", include("knowledge.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
