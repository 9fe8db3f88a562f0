"""Sub-domains, their lead platforms, and the Wagtail page tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from core.i18n import LocalizedFieldsMixin


class Subdomain(LocalizedFieldsMixin, models.Model):
    """An AI sub-domain such as 自动驾驶 / autonomous driving; one platform leads it."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=80)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    description_zh_hans = models.TextField(_("description (Simplified Chinese)"), blank=True)
    description_zh_hant = models.TextField(_("description (Traditional Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    icon = models.CharField(
        _("icon"), max_length=40, blank=True, help_text=_("Name of an icon in static/icons/.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("sub-domain")
        verbose_name_plural = _("sub-domains")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:subdomain", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def description(self) -> str:
        return self.localized("description")


class Platform(LocalizedFieldsMixin, models.Model):
    """A national AI open innovation platform: a lead organisation for one sub-domain."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    subdomain = models.ForeignKey(
        Subdomain, on_delete=models.PROTECT, related_name="platforms", verbose_name=_("sub-domain")
    )
    name_zh_hans = models.CharField(_("lead organisation (Simplified Chinese)"), max_length=120)
    name_zh_hant = models.CharField(_("lead organisation (Traditional Chinese)"), max_length=120)
    name_en = models.CharField(_("lead organisation (English)"), max_length=120)
    year_designated = models.PositiveSmallIntegerField(_("year designated"))
    website = models.URLField(_("website"), blank=True)
    description_zh_hans = models.TextField(_("description (Simplified Chinese)"), blank=True)
    description_zh_hant = models.TextField(_("description (Traditional Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="platforms",
        verbose_name=_("staff"),
        help_text=_("Users who may speak for this platform; shown with a verified badge."),
    )

    class Meta:
        ordering = ["subdomain__sort_order", "slug"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def description(self) -> str:
        return self.localized("description")


class OpenResourceTag(TaggedItemBase):
    content_object = ParentalKey(
        "knowledge.OpenResource", on_delete=models.CASCADE, related_name="tagged_items"
    )


class OpenResource(LocalizedFieldsMixin, ClusterableModel):
    """Something a platform opens to developers: a dataset, model, API, SDK…"""

    class Kind(models.TextChoices):
        DATASET = "dataset", _("Dataset")
        MODEL = "model", _("Model")
        API = "api", _("API")
        SDK = "sdk", _("SDK")
        ALGORITHM = "algorithm", _("Algorithm package")
        MIDDLEWARE = "middleware", _("Middleware")
        BENCHMARK = "benchmark", _("Benchmark")
        TOOLKIT = "toolkit", _("Toolkit")

    class Access(models.TextChoices):
        OPEN = "open", _("Open")
        APPLY = "apply", _("On application")

    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="resources", verbose_name=_("platform")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    summary_zh_hans = models.TextField(_("summary (Simplified Chinese)"), blank=True)
    summary_zh_hant = models.TextField(_("summary (Traditional Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.OPEN
    )
    url = models.URLField(_("URL"), blank=True)
    docs_url = models.URLField(_("documentation URL"), blank=True)
    tags = ClusterTaggableManager(through=OpenResourceTag, blank=True, verbose_name=_("tags"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["platform__subdomain__sort_order", "kind", "name"]
        verbose_name = _("open resource")
        verbose_name_plural = _("open resources")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:resource", kwargs={"slug": self.slug})

    @property
    def summary(self) -> str:
        return self.localized("summary")


class ResourceVersion(Orderable):
    """One released version of an open resource."""

    resource = ParentalKey(OpenResource, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("version"), max_length=40)
    released_on = models.DateField(_("release date"), null=True, blank=True)
    notes = models.TextField(_("release notes"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "version"], name="unique_resource_version")
        ]

    def __str__(self) -> str:
        return f"{self.resource.name} {self.version}"


class HomePage(Page):
    """The site root: what Huiju is, and a door into every sub-domain."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subdomains"] = Subdomain.objects.prefetch_related("platforms")
        return context
