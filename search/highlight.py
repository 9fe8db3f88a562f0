"""Snippets with the matched words marked, the same for every backend.

Matching happens on folded text (Simplified, lower case) so 自動駕駛 in a
document is marked for a query 自动驾驶; the original characters are shown
whenever folding kept the text's length (almost always).
"""

from __future__ import annotations

import html
import re

from django.utils.safestring import SafeString, mark_safe

from search import text as analysis

_WORD_CHARS = re.compile(r"[a-z0-9]")


def needles(query_text: str, phrases: list[str]) -> list[str]:
    """Folded strings to mark: phrases, then words (longest first)."""
    found: set[str] = {analysis.fold(p) for p in phrases if p.strip()}
    for term in analysis.query_terms(query_text):
        found.update(t for t in term.tokens if t)
    for word in analysis.TOKEN_RE.findall(analysis.fold(query_text)):
        if not analysis.is_cjk(word) and word not in analysis.STOP_WORDS:
            found.add(word)  # the unstemmed word too: "models" marks "models"
    return sorted(found, key=len, reverse=True)


def _spans(folded: str, marks: list[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for needle in marks:
        start = 0
        latin = not analysis.is_cjk(needle)
        while True:
            index = folded.find(needle, start)
            if index < 0:
                break
            end = index + len(needle)
            if latin and index > 0 and _WORD_CHARS.match(folded[index - 1]):
                start = index + 1  # only at the start of a word ("run" not in "truncate")
                continue
            if latin:
                while end < len(folded) and _WORD_CHARS.match(folded[end]):
                    end += 1  # mark the whole word: "model" → "models"
            spans.append((index, end))
            start = end
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(display: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    out, cursor = [], lo
    for start, end in spans:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        out.append(html.escape(display[cursor:start]))
        out.append(f"<mark>{html.escape(display[start:end])}</mark>")
        cursor = end
    out.append(html.escape(display[cursor:hi]))
    return "".join(out)


def mark(text: str, marks: list[str], *, length: int | None = None) -> SafeString:
    """``text`` escaped, with matches in ``<mark>``; cut to ``length`` around the first match."""
    text = " ".join((text or "").split())
    folded = analysis.fold(text)
    display = text if len(folded) == len(text) else folded
    spans = _spans(folded, marks) if marks else []
    lo, hi = 0, len(display)
    if length and len(display) > length:
        first = spans[0][0] if spans else 0
        lo = max(0, min(first - length // 4, len(display) - length))
        hi = lo + length
        if lo > 0:  # start at a word boundary for Latin text
            space = display.find(" ", lo, lo + 15)
            lo = space + 1 if space >= 0 else lo
    body = _render(display, spans, lo, hi)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(display) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - every piece is escaped above
