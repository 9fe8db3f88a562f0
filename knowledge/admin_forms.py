"""CMS forms for the catalogue snippets: staff choose only their own platforms."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm

from accounts.roles import is_moderator
from knowledge.permissions import staff_platform_ids


class PlatformScopedForm(WagtailAdminModelForm):
    """Staff can only choose their own platforms (or sub-domains) when saving."""

    scope_field = "platform"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields.get(self.scope_field)
        if field is None or user is None:
            return
        if is_moderator(user):
            return
        ids = staff_platform_ids(user)
        if self.scope_field == "platform":
            field.queryset = field.queryset.filter(pk__in=ids)
        else:
            field.queryset = field.queryset.filter(platforms__in=ids).distinct()
            field.required = True


class OpenResourceForm(PlatformScopedForm):
    scope_field = "platform"


class TutorialSeriesForm(PlatformScopedForm):
    scope_field = "subdomain"
