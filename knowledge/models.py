"""Sub-domains, their lead platforms, and the Wagtail page tree."""

from __future__ import annotations

import math
import re

import nh3
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.i18n import LocalizedFieldsMixin
from knowledge.admin_forms import OpenResourceForm, TutorialSeriesForm
from knowledge.blocks import TutorialStreamBlock, sanitize_rich_text


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

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("platform"),
                FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("access")]),
                FieldPanel("licence"),
            ],
            heading=_("Resource"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("summary_zh_hans"),
                FieldPanel("summary_zh_hant"),
                FieldPanel("summary_en"),
            ],
            heading=_("Summary"),
        ),
        FieldRowPanel([FieldPanel("url"), FieldPanel("docs_url")]),
        FieldPanel("tags"),
        InlinePanel("versions", heading=_("Versions"), label=_("Version")),
    ]
    base_form_class = OpenResourceForm
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

    panels = [
        FieldRowPanel([FieldPanel("version"), FieldPanel("released_on")]),
        FieldPanel("notes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        constraints = [
            models.UniqueConstraint(fields=["resource", "version"], name="unique_resource_version")
        ]

    def __str__(self) -> str:
        return f"{self.resource.name} {self.version}"


HOME_TUTORIALS = 4


class HomePage(Page):
    """The site root: what Huiju is, and a door into every sub-domain."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["knowledge.SubdomainPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from knowledge.selectors import tutorial_list

        context["subdomains"] = Subdomain.objects.prefetch_related("platforms")
        context["latest_tutorials"] = list(tutorial_list()[:HOME_TUTORIALS])
        return context


class TutorialSeries(models.Model):
    """Tutorials meant to be read in order; each tutorial has a place in its series."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    subdomain = models.ForeignKey(
        Subdomain,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tutorial_series",
        verbose_name=_("sub-domain"),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("subdomain"),
        FieldPanel("description"),
    ]
    base_form_class = TutorialSeriesForm

    class Meta:
        ordering = ["title"]
        verbose_name = _("tutorial series")
        verbose_name_plural = _("tutorial series")

    def __str__(self) -> str:
        return self.title


class SubdomainPage(Page):
    """A sub-domain's site: its platform, resource catalogue, tutorials, questions and live sessions.

    The public landing page lives at ``/d/<slug>/`` (``Subdomain.get_absolute_url``);
    serving this page renders the same landing, and its children hold the tutorials.
    Platform staff may edit only the pages under their own sub-domain's page.
    """

    subdomain = models.OneToOneField(
        Subdomain, on_delete=models.PROTECT, related_name="page", verbose_name=_("sub-domain")
    )
    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )

    content_panels = [
        *Page.content_panels,
        # Only those who manage sub-domains may re-point the page; staff edit the intro.
        FieldPanel("subdomain", permission="knowledge.change_subdomain"),
        FieldPanel("intro"),
    ]
    parent_page_types = ["knowledge.HomePage"]
    subpage_types = ["knowledge.TutorialIndexPage"]

    class Meta:
        verbose_name = _("sub-domain page")

    def serve(self, request, *args, **kwargs):
        from knowledge.views import render_subdomain_landing

        return render_subdomain_landing(request, self.subdomain, page=self)

    def get_sitemap_urls(self, request=None):
        return []  # the landing is listed under its canonical /d/<slug>/ address


class TutorialIndexPage(Page):
    """The tutorials of one sub-domain, filterable by level and tag."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["knowledge.SubdomainPage"]
    subpage_types = ["knowledge.TutorialPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("tutorial index page")

    def get_context(self, request, *args, **kwargs):
        from knowledge.selectors import tutorial_list
        from knowledge.views import tutorial_listing_context

        context = super().get_context(request, *args, **kwargs)
        subdomain_page = SubdomainPage.objects.select_related("subdomain").parent_of(self).first()
        subdomain = subdomain_page.subdomain if subdomain_page else None
        context.update(
            tutorial_listing_context(
                request, tutorial_list(subdomain=subdomain, within=self), subdomain=subdomain
            )
        )
        return context


class TutorialPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "knowledge.TutorialPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


HEADING = re.compile(r"<(h[23])>(.*?)</\1>", re.DOTALL)


class TutorialPage(Page):
    """A tutorial: a StreamField body with code, images, callouts and resource cards."""

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", "简体中文"
        ZH_HANT = "zh-hant", "繁體中文"
        EN = "en", "English"

    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("One or two sentences for lists and previews.")
    )
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.BEGINNER, db_index=True
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated time (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("How long it takes to work through the tutorial."),
    )
    prerequisites = models.TextField(_("prerequisites"), blank=True, help_text=_("One per line."))
    series = models.ForeignKey(
        TutorialSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tutorials",
        verbose_name=_("series"),
    )
    series_order = models.PositiveSmallIntegerField(_("place in series"), default=1)
    tags = ClusterTaggableManager(through=TutorialPageTag, blank=True, verbose_name=_("tags"))
    content_language = models.CharField(
        _("content language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )
    body = StreamField(TutorialStreamBlock(), verbose_name=_("body"))
    # Kept in step on save: the sub-domain above this page and the reading time.
    subdomain = models.ForeignKey(
        Subdomain,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="tutorials",
    )
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level"), FieldPanel("estimated_minutes")]),
                FieldPanel("content_language"),
                FieldPanel("prerequisites"),
                FieldRowPanel([FieldPanel("series"), FieldPanel("series_order")]),
                FieldPanel("tags"),
            ],
            heading=_("About this tutorial"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("level"),
    ]
    parent_page_types = ["knowledge.TutorialIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("tutorial")
        verbose_name_plural = _("tutorials")

    def save(self, *args, **kwargs):
        if self.path:
            owner = SubdomainPage.objects.ancestor_of(self).only("subdomain_id").first()
            self.subdomain_id = owner.subdomain_id if owner else None
        self.reading_minutes = reading_minutes(self.plain_text())
        return super().save(*args, **kwargs)

    @property
    def prerequisite_list(self) -> list[str]:
        return [line.strip() for line in self.prerequisites.splitlines() if line.strip()]

    def plain_text(self) -> str:
        """The readable text of the body (rich text, callouts, code), for reading time."""
        parts = []
        # The stored values, not ``self.body``: that would load every chosen
        # resource and image (a query per page) for text that does not need them.
        for block in self.body.raw_data:
            kind, value = block["type"], block["value"]
            if kind == "text":
                parts.append(strip_tags(value or ""))
            elif kind == "callout":
                parts.append(strip_tags(value.get("text") or ""))
            elif kind == "code":
                parts.append(value.get("code") or "")
        return "\n".join(parts)

    def body_resource_links(self) -> list[tuple[int, str]]:
        """(resource id, version) for every resource card in the body, first mention wins."""
        seen: dict[int, str] = {}
        for block in self.body.raw_data:
            if block["type"] == "resource":
                resource_id = block["value"].get("resource")
                if resource_id and resource_id not in seen:
                    seen[resource_id] = (block["value"].get("version") or "").strip()
        return list(seen.items())

    def body_with_toc(self) -> tuple[list[dict], list[dict]]:
        """Body blocks ready to render and the table of contents (h2/h3 headings).

        Rich text is sanitized here and every h2/h3 gets a stable, unique id.
        """
        toc: list[dict] = []
        used: set[str] = set()
        items = []

        def add_id(match: re.Match) -> str:
            tag, inner = match.group(1), match.group(2)
            text = nh3.clean(inner, tags=set()).strip()
            base = slugify(text, allow_unicode=True) or "section"
            anchor, n = base, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            toc.append({"level": int(tag[1]), "text": text, "id": anchor})
            return f'<{tag} id="{anchor}">{inner}</{tag}>'

        for block in self.body:
            if block.block_type == "text":
                html = HEADING.sub(add_id, sanitize_rich_text(block.value.source))
                items.append({"block": block, "html": html})
            else:
                items.append({"block": block, "html": None})
        return items, toc

    def get_context(self, request, *args, **kwargs):
        from knowledge.selectors import series_neighbours, tutorial_resources

        context = super().get_context(request, *args, **kwargs)
        context["body_items"], context["toc"] = self.body_with_toc()
        context["resources"] = tutorial_resources(self)
        context["previous_tutorial"], context["next_tutorial"] = series_neighbours(self)
        context["tags"] = list(self.tags.all())
        return context


def reading_minutes(text: str) -> int:
    """Minutes to read ``text``: 300 CJK characters or 200 other words a minute."""
    cjk = len(re.findall(r"[\u3400-\u9fff\uf900-\ufaff]", text))
    words = len(re.findall(r"[A-Za-z0-9_]+", text))
    return max(1, math.ceil(cjk / 300 + words / 200))


class TutorialResource(models.Model):
    """A resource a published tutorial links to; rebuilt on every publish (one query to list)."""

    tutorial = models.ForeignKey(
        TutorialPage, on_delete=models.CASCADE, related_name="resource_links"
    )
    resource = models.ForeignKey(
        OpenResource, on_delete=models.CASCADE, related_name="tutorial_links"
    )
    version = models.CharField(_("version"), max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tutorial", "resource"], name="unique_tutorial_resource"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tutorial_id} → {self.resource_id}"
