"""Member Markdown renders CommonMark and can never carry script into a page."""

import re

import pytest

from core.markdown import html_to_text, markdown_to_text, render_markdown


def test_commonmark_tables_and_strikethrough():
    out = render_markdown("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ **new**")
    assert "<h1>Title</h1>" in out
    assert "<table>" in out and "<td>1</td>" in out
    assert "<s>old</s>" in out and "<strong>new</strong>" in out


def test_fenced_code_is_highlighted_and_escaped():
    out = render_markdown("```python\nprint('<script>')\n```")
    assert '<pre class="highlight"><code class="language-python">' in out
    assert "tok-" in out
    assert "<script>" not in out
    assert "&lt;script&gt;" in out


def test_unknown_language_is_plain_escaped_text():
    out = render_markdown("```nosuchlang\n<b>x</b>\n```")
    assert "&lt;b&gt;x&lt;/b&gt;" in out
    assert "<b>" not in out


TAG = re.compile(r"<[a-z][^>]*>", re.IGNORECASE)


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="http://x" onclick="alert(1)">x</a>',
        "<iframe src='https://evil'></iframe>",
        '<div style="background:url(x)">x</div>',
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](JaVaScRiPt:alert(1))",
    ],
)
def test_dangerous_input_is_neutralised(source):
    tags = TAG.findall(render_markdown(source))
    for tag in tags:
        lowered = tag.lower()
        assert not lowered.startswith(("<script", "<iframe", "<style")), tag
        assert not re.search(r"\son\w+=", lowered), tag
        assert "style=" not in lowered, tag
        assert "javascript:" not in lowered and "data:" not in lowered, tag


def test_links_are_nofollow_ugc():
    out = render_markdown("[docs](https://example.com/docs)")
    assert 'href="https://example.com/docs"' in out
    assert 'rel="nofollow ugc noopener"' in out


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>x</b>") == "<p>&lt;b&gt;x&lt;/b&gt;</p>\n"


def test_plain_text_for_excerpts():
    assert markdown_to_text("**Hello** `world`\n\n- one") == "Hello world one"


def _highlighted_text(source: str) -> str:
    """What ``markdown_to_text`` gave when it rendered through the highlighting parser."""
    import html
    import re

    import nh3

    from core.markdown import _parser

    rendered = nh3.clean(_parser().render(source), tags=set())
    return re.sub(r"\s+", " ", html.unescape(rendered)).strip()


TEXT_SOURCES = [
    "```python\nprint('<b>hi</b>')  # 註解\n```",
    "Intro\n```\n\n\nfirst line\n\tindented\n\n```\nafter",
    "```js\nconst a = 1 < 2 && b > 3;\n```\n\n```nosuchlanguage\nx & y\n```",
    "- item `code`\n\n| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\n<script>alert(1)</script>",
    "    indented code & <tags>\n\n文字 [link](https://example.com) ![alt](https://x/y.png)",
]


@pytest.mark.parametrize("source", TEXT_SOURCES)
def test_plain_text_equals_the_highlighted_renderings_text(source):
    assert markdown_to_text(source) == _highlighted_text(source)


def test_plain_text_keeps_code_drops_html_and_skips_highlighting(monkeypatch):
    def no_highlighting(*args):
        raise AssertionError("markdown_to_text must not run Pygments")

    monkeypatch.setattr("core.markdown.highlight", no_highlighting)
    text = markdown_to_text("Run:\n\n```python\nprint('<b>hi</b>')\n```\n\n<em>raw</em> **bold**")
    assert text == "Run: print('<b>hi</b>') <em>raw</em> bold"
    assert "tok-" not in text and "<pre" not in text


#: Markdown whose stored HTML search strips instead of re-parsing the source.
STORED_SOURCES = [
    *TEXT_SOURCES,
    "# 標題 Heading\n\n自动驾驶的 **感知** 模块，*激光雷达* 与 `camera` 融合。\n\n> 引用 quote",
    "```python\n\n\ndef f(x):\n    return x < 1 and '&amp;' != \"<b>\"\n\n\n```\nafter the fence",
    "```c\n#include <stdio.h>\nint main(void) { return 0; }\n```\n```bash\n$ ls -la | grep '&'\n```",
    "| 型號 | 價格 | 備註 |\n|:--|--:|:-:|\n| Orin | 1,999 | `x<y` &amp; **粗** |\n| Thor | — | [連結](https://e.com/a?b=1&c=2) |",
    '[text](javascript:alert(1)) [ok](http://a.b/ "title") <https://auto.link> mail@x.y\n\n![圖](https://x/y.png "t")',
    "1. one\n2. two\n   - nested ~~old~~\n\n---\n\nline  \nbreak&nbsp;&copy; &#x4E2D; \\*not em\\*",
    "<div onclick=x>raw</div> <script>alert(1)</script> &lt;escaped&gt;",
    "\t    \n\u3000全角空格\u3000与\xa0不换行\n\n",
    "",
]


@pytest.mark.parametrize("source", STORED_SOURCES)
def test_text_of_the_stored_html_equals_the_markdowns_text(source):
    """Search builds text from ``body_html``: it must give what re-parsing the Markdown gives."""
    assert html_to_text(str(render_markdown(source))) == markdown_to_text(source)


def test_html_to_text_drops_tags_decodes_entities_and_collapses_whitespace():
    html = (
        '<p>a &amp; <b>b</b></p>\n\n<pre><code><span class="x">&lt;i&gt;</span>\n  c</code></pre>'
    )
    assert html_to_text(html) == "a & b <i> c"
    assert html_to_text("") == ""
