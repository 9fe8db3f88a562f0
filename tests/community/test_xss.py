"""Nothing a member writes becomes executable on the Q&A pages.

A corpus of known payloads goes through every member-written field (title, body,
tags, answers, comments) and the rendered question page is parsed: no script-capable
elements, no event handlers, no inline styles, and only http(s)/mailto/relative URLs.
A Hypothesis property test does the same for random mixes of dangerous fragments.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community import services
from core.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{background:red}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">',
    '<body onload="alert(1)">',
    '<a href="#" onclick="alert(1)">x</a>',
    "<a href='  javascript:alert(1)'>x</a>",
    "<<script>script>alert(1)<</script>/script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<base href='javascript:alert(1)//'>",
    '<video><source onerror="alert(1)"></video>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
]
FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "input",
    "svg", "math", "video", "audio", "source", "frame", "frameset", "applet", "textarea",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "data", "poster"}
SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def dangerous_url(value: str) -> bool:
    """Whether a browser would follow ``value`` with a non-web scheme (javascript:, data:…).

    Browsers strip ASCII whitespace and control characters before reading the scheme;
    a value without a scheme (``java%09script:x`` included) is a harmless relative URL.
    """
    match = SCHEME.match(CONTROL.sub("", value).lower())
    return bool(match) and match.group(1) not in SAFE_SCHEMES


class Checker(HTMLParser):
    """Collects anything that could run script in a browser."""

    def __init__(self, *, allow_forms: bool = False):
        super().__init__()
        self.problems: list[str] = []
        self.allow_forms = allow_forms

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS and not (
            self.allow_forms and tag in {"form", "input", "textarea"}
        ):
            self.problems.append(f"<{tag}>")
        if tag == "script" and self.allow_forms and dict(attrs).get("src", "").startswith("/"):
            self.problems.pop()  # the site's own external scripts are fine
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")
            if name in URL_ATTRIBUTES and dangerous_url(value):
                self.problems.append(f"{tag}[{name}={value[:30]}]")


def problems_in(html: str, **kwargs) -> list[str]:
    checker = Checker(**kwargs)
    checker.feed(html)
    return checker.problems


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_inert_markdown(payload):
    assert problems_in(str(render_markdown(payload))) == []


@pytest.mark.django_db
def test_payloads_in_every_field_leave_the_question_page_inert(client, asker, answerer, voter):
    body = "\n\n".join(PAYLOADS)
    question = services.question_ask(
        author=asker,
        title='"><script>alert(1)</script><img src=x onerror=alert(1)>',
        body=body,
        tags=["xss"],
    )
    answer = services.answer_create(question=question, author=answerer, body=body[::-1] + body)
    for index, payload in enumerate(PAYLOADS[:12]):
        target = {"question": question} if index % 2 else {"answer": answer}
        services.comment_create(author=voter, body=f"{payload} #{index}", **target)
    for reader in (None, voter):
        if reader is not None:
            client.force_login(reader)
        html = client.get(question.get_absolute_url()).content.decode()
        thread = html.split('id="question"', 1)[1].split('id="your-answer"', 1)[0]
        assert problems_in(thread, allow_forms=True) == []
        assert "<script>alert(1)" not in html
        assert problems_in(html.split("<title>")[1].split("</title>")[0]) == []
    listing = client.get("/questions/").content.decode()
    assert "<script>alert(1)" not in listing


FRAGMENTS = st.sampled_from(
    [
        "<", ">", "\"", "'", "`", "=", "/", "\n", " ", "script", "img", "svg", "onerror",
        "onload", "javascript:", "data:", "alert(1)", "src=", "href=", "style=", "[x](", ")",
        "![", "]", "&#", "x;", "```", "<a ", "<iframe", "</", "**", "\t", "java", "&colon;",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS | st.text(max_size=5), max_size=40).map("".join))
def test_random_markdown_and_html_is_always_inert(source):
    assert problems_in(str(render_markdown(source))) == []
