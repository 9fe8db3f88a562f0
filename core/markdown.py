"""User Markdown → safe HTML, used by every app that stores member-written text.

CommonMark plus tables and strikethrough (markdown-it-py); fenced code is
highlighted server-side with Pygments; raw HTML in the source is escaped by the
parser and the output is then cleaned by nh3 against an allowlist, so nothing a
member writes can add scripts, styles, event handlers or foreign attributes.
Links get ``rel="nofollow ugc noopener"``; only http(s) and mailto URLs survive.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

MAX_SOURCE_LENGTH = 60_000

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
    "pre": {"class"},
    "span": {"class"},
    "div": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
CODE_CLASS = re.compile(r"^(language-[\w+#-]+|highlight|tok-[a-z0-9]+)$")

_WHITESPACE = re.compile(r"\s+")
_formatter = HtmlFormatter(nowrap=True, classprefix="tok-")


def _highlight_code(code: str, language: str, _attrs) -> str:
    """Pygments HTML for a fenced block; unknown languages are escaped as plain text."""
    language = (language or "").strip().split()[0] if language else ""
    try:
        lexer = get_lexer_by_name(language) if language else None
    except ClassNotFound:
        lexer = None
    body = highlight(code, lexer, _formatter) if lexer else html.escape(code)
    css_class = f' class="language-{html.escape(language)}"' if lexer else ""
    return f'<pre class="highlight"><code{css_class}>{body}</code></pre>'


def _new_parser(**options) -> MarkdownIt:
    """The members' dialect: CommonMark with tables and strikethrough, no raw HTML."""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, **options})
    parser.enable(["table", "strikethrough"])
    return parser


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return _new_parser(highlight=_highlight_code)


@lru_cache(maxsize=1)
def _text_parser() -> MarkdownIt:
    """The same dialect without highlighting: Pygments only adds markup that plain text drops."""
    return _new_parser()


def _keep_class(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "class":
        return value
    kept = [name for name in value.split() if CODE_CLASS.match(name)]
    return " ".join(kept) or None


def sanitize_html(fragment: str) -> str:
    """Clean an HTML fragment against the allowlist (also for HTML from other sources)."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_class,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        clean_content_tags={"script", "style"},
    )


def render_markdown(source: str) -> SafeString:
    """Render member Markdown to sanitized HTML that templates may output as-is."""
    source = (source or "")[:MAX_SOURCE_LENGTH]
    return mark_safe(sanitize_html(_parser().render(source)))  # noqa: S308 - cleaned by nh3


def markdown_to_text(source: str) -> str:
    """Plain text of rendered Markdown (for excerpts, search and notification bodies).

    Code blocks keep their text; the output equals that of the highlighting parser
    up to whitespace, which is collapsed anyway.
    """
    return html_to_text(_text_parser().render((source or "")[:MAX_SOURCE_LENGTH]))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed.

    For the stored output of :func:`render_markdown` this equals ``markdown_to_text`` of its
    source (Pygments' spans only wrap the code's text), at a fraction of the cost.
    """
    return _WHITESPACE.sub(" ", html.unescape(nh3.clean(fragment, tags=set()))).strip()
