"""StreamField blocks for tutorials.

Every block renders through its own template under ``knowledge/blocks/``. What
an editor types is never trusted: rich text is cleaned against an allowlist,
code is escaped (and highlighted) by Pygments on the server, and embeds accept
only video pages from an allow-list of providers, turned into an iframe whose
address we build ourselves.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import expand_db_html
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "link", "ol", "ul", "code", "blockquote"]
CALLOUT_FEATURES = ["bold", "italic", "link", "ol", "ul", "code"]

RICH_TEXT_TAGS = {
    "a", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "i", "li", "ol", "p",
    "strong", "ul",
}  # fmt: skip
RICH_TEXT_ATTRIBUTES = {"a": {"href", "title"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}}

LANGUAGES = [
    ("python", "Python"),
    ("bash", "Shell"),
    ("cpp", "C++"),
    ("c", "C"),
    ("java", "Java"),
    ("go", "Go"),
    ("rust", "Rust"),
    ("javascript", "JavaScript"),
    ("typescript", "TypeScript"),
    ("json", "JSON"),
    ("yaml", "YAML"),
    ("sql", "SQL"),
    ("dockerfile", "Dockerfile"),
    ("text", _("Plain text")),
]

_formatter = HtmlFormatter(nowrap=True, classprefix="tok-")


def sanitize_rich_text(value: str) -> str:
    """Expand Wagtail's internal links, then keep only the allowed tags and attributes."""
    return nh3.clean(
        expand_db_html(value or ""),
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
        clean_content_tags={"script", "style"},
    )


def highlight_code(code: str, language: str) -> str:
    """Pygments HTML (``tok-`` classes, content escaped); unknown languages are plain text."""
    try:
        lexer = get_lexer_by_name(language) if language and language != "text" else None
    except ClassNotFound:
        lexer = None
    return highlight(code, lexer, _formatter) if lexer else html.escape(code)


class SanitizedRichTextBlock(blocks.RichTextBlock):
    """Rich text whose stored HTML is cleaned on output, whatever wrote it."""

    def __init__(self, features=None, **kwargs):
        super().__init__(features=features or RICH_TEXT_FEATURES, **kwargs)

    def render_basic(self, value, context=None):
        return mark_safe(sanitize_rich_text(value.source if value else ""))  # noqa: S308

    class Meta:
        icon = "pilcrow"
        template = "knowledge/blocks/rich_text.html"


class CodeBlock(blocks.StructBlock):
    """Source code in a chosen language, highlighted on the server, with a copy button."""

    language = blocks.ChoiceBlock(choices=LANGUAGES, default="python", label=_("language"))
    code = blocks.TextBlock(label=_("code"))
    caption = blocks.CharBlock(required=False, max_length=200, label=_("caption"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["highlighted"] = mark_safe(  # noqa: S308 - Pygments escapes the source
            highlight_code(value["code"], value["language"])
        )
        return context

    class Meta:
        icon = "code"
        label = _("Code")
        template = "knowledge/blocks/code.html"
        preview_value = {
            "language": "python",
            "code": 'import requests\n\nprint(requests.get("https://example.com").status_code)\n',
            "caption": "",
        }


class ImageBlock(blocks.StructBlock):
    """An image with alternative text and an optional caption."""

    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        max_length=200, label=_("alternative text"), help_text=_("Describe the image.")
    )
    caption = blocks.CharBlock(required=False, max_length=300, label=_("caption"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "knowledge/blocks/image.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted note, warning or tip."""

    kind = blocks.ChoiceBlock(
        choices=[("note", _("Note")), ("warning", _("Warning")), ("tip", _("Tip"))],
        default="note",
        label=_("kind"),
    )
    text = SanitizedRichTextBlock(features=CALLOUT_FEATURES, label=_("text"))

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "knowledge/blocks/callout.html"
        preview_value = {"kind": "tip", "text": "<p>Run the command twice: it is idempotent.</p>"}


class ResourceLinkBlock(blocks.StructBlock):
    """A card for an open resource (and optionally one of its versions)."""

    resource = SnippetChooserBlock("knowledge.OpenResource", label=_("resource"))
    version = blocks.CharBlock(
        required=False,
        max_length=40,
        label=_("version"),
        help_text=_("Optional: the version this tutorial was written for."),
    )
    note = blocks.CharBlock(required=False, max_length=200, label=_("note"))

    class Meta:
        icon = "link"
        label = _("Resource link")
        template = "knowledge/blocks/resource_link.html"


def embed_player_url(url: str) -> str | None:
    """The player address for an allowed video page, or None if the URL is not allowed.

    Only Bilibili and YouTube video pages are accepted; the iframe address is built
    from the video id, so nothing else from the URL (or from the provider) reaches the page.
    """
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower()
    if host in {"www.bilibili.com", "bilibili.com", "m.bilibili.com"}:
        match = re.fullmatch(r"/video/(BV[0-9A-Za-z]{10})/?", parts.path)
        if match:
            return f"https://player.bilibili.com/player.html?bvid={match.group(1)}&autoplay=0"
    if host in {"www.youtube.com", "youtube.com", "m.youtube.com"} and parts.path == "/watch":
        video = parse_qs(parts.query).get("v", [""])[0]
        if re.fullmatch(r"[0-9A-Za-z_-]{11}", video):
            return f"https://www.youtube-nocookie.com/embed/{video}"
    if host == "youtu.be":
        match = re.fullmatch(r"/([0-9A-Za-z_-]{11})/?", parts.path)
        if match:
            return f"https://www.youtube-nocookie.com/embed/{match.group(1)}"
    return None


class AllowedEmbedBlock(blocks.StructBlock):
    """A video from an allowed provider (Bilibili, YouTube), with a title for screen readers."""

    url = blocks.URLBlock(
        label=_("video URL"),
        help_text=_("A Bilibili (bilibili.com/video/BV…) or YouTube video page."),
    )
    title = blocks.CharBlock(max_length=200, label=_("title"))

    def clean(self, value):
        value = super().clean(value)
        if not embed_player_url(value["url"]):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Only Bilibili and YouTube video pages can be embedded.")
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["player_url"] = embed_player_url(value["url"])
        return context

    class Meta:
        icon = "media"
        label = _("Video")
        template = "knowledge/blocks/embed.html"
        form_classname = "struct-block"


class TutorialStreamBlock(blocks.StreamBlock):
    """The body of a tutorial."""

    text = SanitizedRichTextBlock(label=_("Text"))
    code = CodeBlock()
    image = ImageBlock()
    callout = CalloutBlock()
    resource = ResourceLinkBlock()
    embed = AllowedEmbedBlock()

    class Meta:
        block_counts = {"embed": {"max_num": 5}}
