"""Tutorial blocks: code is escaped, rich text cleaned, embeds limited to an allow-list."""

from __future__ import annotations

import pytest
from wagtail.blocks import StructBlockValidationError
from wagtail.rich_text import RichText

from knowledge.blocks import (
    AllowedEmbedBlock,
    CalloutBlock,
    CodeBlock,
    ResourceLinkBlock,
    SanitizedRichTextBlock,
    embed_player_url,
    highlight_code,
    sanitize_rich_text,
)


def test_code_block_escapes_and_highlights_with_tok_classes():
    block = CodeBlock()
    value = block.to_python(
        {"language": "python", "code": "print('<script>alert(1)</script>')", "caption": "<b>x</b>"}
    )
    html = block.render(value)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'class="tok-nb"' in html  # print is a builtin
    assert "&lt;b&gt;x&lt;/b&gt;" in html  # captions are text, not HTML
    assert "data-code-block" in html


def test_unknown_or_plain_language_is_escaped_plain_text():
    assert highlight_code("<img src=x onerror=alert(1)>", "text") == (
        "&lt;img src=x onerror=alert(1)&gt;"
    )
    assert "&lt;b&gt;" in highlight_code("<b>", "no-such-language")


def test_rich_text_is_sanitized_whatever_is_stored():
    dirty = (
        '<h2 onclick="x()">Title</h2><p style="color:red">Hi <script>alert(1)</script>'
        '<a href="javascript:alert(1)">bad</a> <a href="https://example.com">good</a>'
        '<iframe src="https://evil.example"></iframe><img src=x onerror=alert(1)></p>'
    )
    clean = sanitize_rich_text(dirty)
    for forbidden in (
        "onclick",
        "style=",
        "<script",
        "alert(1)</script",
        "javascript:",
        "<iframe",
        "<img",
        "onerror",
    ):
        assert forbidden not in clean
    assert '<a href="https://example.com" rel="noopener">good</a>' in clean
    assert "<h2>Title</h2>" in clean
    html = SanitizedRichTextBlock().render(RichText(dirty))
    assert "<script" not in html and "onclick" not in html


def test_callout_text_is_sanitized_and_labelled():
    block = CalloutBlock()
    value = block.to_python(
        {"kind": "warning", "text": '<p onmouseover="x()">Careful</p><script>bad()</script>'}
    )
    html = block.render(value)
    assert "callout--warning" in html and "Careful" in html
    assert "onmouseover" not in html and "<script" not in html


@pytest.mark.parametrize(
    ("url", "player"),
    [
        (
            "https://www.bilibili.com/video/BV1xx411c7mD",
            "https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&autoplay=0",
        ),
        (
            "https://www.bilibili.com/video/BV1xx411c7mD/?spm=1",
            "https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&autoplay=0",
        ),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ],
)
def test_allowed_video_pages_become_player_urls(url, player):
    assert embed_player_url(url) == player


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/video/BV1xx411c7mD",
        "https://www.bilibili.com.evil.example/video/BV1xx411c7mD",
        "javascript:alert(1)//www.youtube.com/watch?v=dQw4w9WgXcQ",
        'https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>',
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://vimeo.com/123456",
        "",
    ],
)
def test_other_urls_are_refused(url):
    assert embed_player_url(url) is None
    block = AllowedEmbedBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"url": url, "title": "Video"}))


def test_embed_renders_our_iframe_with_a_title():
    block = AllowedEmbedBlock()
    value = block.clean(
        block.to_python({"url": "https://youtu.be/dQw4w9WgXcQ", "title": "Demo <b>"})
    )
    html = block.render(value)
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'title="Demo &lt;b&gt;"' in html
    assert "sandbox=" in html


@pytest.mark.django_db
def test_resource_link_renders_the_resource_card(platform, make_resource):
    resource = make_resource(platform, name="Apollo <SDK>", kind="sdk")
    block = ResourceLinkBlock()
    html = block.render(
        block.to_python({"resource": resource.pk, "version": "1.0", "note": "Use 1.0"})
    )
    assert "Apollo &lt;SDK&gt;" in html
    assert f'href="{resource.get_absolute_url()}?version=1.0"' in html
    assert "Use 1.0" in html


def test_blocks_have_previews_and_icons():
    for block in (CodeBlock(), CalloutBlock()):
        assert block.meta.icon and block.meta.preview_value
        assert block.render(block.normalize(block.meta.preview_value))
