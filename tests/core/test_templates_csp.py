"""The Content Security Policy forbids inline styles, scripts and handlers: keep templates clean.

A violation does not fail loudly in the browser (the style or script is just
ignored), so this test is what notices.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP_PARTS = {".venv", "node_modules", "email"}
SKIP_FILES = {"500.html"}  # rendered without the CSP middleware's help; self-contained on purpose
INLINE = [
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "inline style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE), "inline event handler"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(?!\s*</script>)", re.IGNORECASE), "inline script"),
    (re.compile(r"<style[\s>]", re.IGNORECASE), "inline <style> block"),
]


def _templates():
    for path in sorted(ROOT.rglob("*.html")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP_PARTS or path.name in SKIP_FILES or "templates" not in parts:
            continue
        yield path


@pytest.mark.parametrize("path", list(_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_nothing_the_csp_would_block(path):
    text = path.read_text(encoding="utf-8")
    problems = [label for pattern, label in INLINE if pattern.search(text)]
    assert not problems, f"{path.relative_to(ROOT)}: {', '.join(problems)}"
