"""The catalogue in the CMS: sub-domains, platforms, open resources and tutorial series.

Resources and series are scoped per platform (``knowledge.permissions``): the
list shows staff only what they may edit, and opening someone else's for
editing or deleting answers 403.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from knowledge.models import OpenResource, Platform, Subdomain, TutorialSeries
from knowledge.permissions import PlatformScopedPermissionPolicy

resource_policy = PlatformScopedPermissionPolicy(OpenResource, platform_lookup="platform")
series_policy = PlatformScopedPermissionPolicy(
    TutorialSeries, platform_lookup="subdomain__platforms"
)
register_permission_policy(OpenResource, resource_policy)
register_permission_policy(TutorialSeries, series_policy)


class ScopedIndexView(IndexView):
    """Lists only the instances the user may change."""

    def get_base_queryset(self):
        allowed = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change", "delete"]
        )
        return super().get_base_queryset().filter(pk__in=allowed.values("pk"))


class ScopedEditView(EditView):
    """Refuses to open an instance the user may not change."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", instance
        ):
            raise PermissionDenied
        return instance


class ScopedDeleteView(DeleteView):
    """Deleting is an instance action too (Wagtail checks it; we say so explicitly)."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "delete", instance
        ):
            raise PermissionDenied
        return instance


class OpenResourceFilterSet(WagtailFilterSet):
    subdomain = django_filters.ModelChoiceFilter(
        field_name="platform__subdomain", queryset=Subdomain.objects.all(), label=_("sub-domain")
    )
    platform = django_filters.ModelChoiceFilter(
        queryset=Platform.objects.all(), label=_("platform")
    )
    kind = django_filters.ChoiceFilter(choices=OpenResource.Kind.choices, label=_("kind"))
    access = django_filters.ChoiceFilter(choices=OpenResource.Access.choices, label=_("access"))

    class Meta:
        model = OpenResource
        fields = ["subdomain", "platform", "kind", "access"]


class PlatformFilterSet(WagtailFilterSet):
    class Meta:
        model = Platform
        fields = ["subdomain"]


class SubdomainViewSet(SnippetViewSet):
    model = Subdomain
    icon = "site"
    menu_label = _("Sub-domains")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["slug", "name_zh_hans", "name_zh_hant", "name_en"]
    ordering = ["sort_order", "slug"]


class PlatformViewSet(SnippetViewSet):
    model = Platform
    icon = "group"
    menu_label = _("Platforms")
    list_display = ["name", "subdomain", "year_designated"]
    filterset_class = PlatformFilterSet
    search_fields = ["slug", "name_zh_hans", "name_zh_hant", "name_en"]


class OpenResourceViewSet(SnippetViewSet):
    model = OpenResource
    icon = "folder-open-inverse"
    menu_label = _("Open resources")
    list_display = ["name", "platform", "kind", "access", "updated_at"]
    filterset_class = OpenResourceFilterSet
    search_fields = ["name", "slug", "summary_zh_hans", "summary_en"]
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView


class TutorialSeriesViewSet(SnippetViewSet):
    model = TutorialSeries
    icon = "list-ol"
    menu_label = _("Tutorial series")
    list_display = ["title", "subdomain"]
    list_filter = ["subdomain"]
    search_fields = ["title", "slug"]
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView


class CatalogueGroup(SnippetViewSetGroup):
    items = (SubdomainViewSet, PlatformViewSet, OpenResourceViewSet, TutorialSeriesViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Catalogue")
    menu_name = "catalogue"


register_snippet(CatalogueGroup)
