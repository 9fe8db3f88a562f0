"""The search box's query language, parsed into a backend-neutral :class:`ParsedQuery`.

Syntax (operators may be combined and mixed with free text)::

    自动驾驶 仿真 "point cloud" [apollo] is:question is:unanswered
    user:lihua subdomain:autonomous-driving resource:apollo@9.0 score:3

- free words and ``"quoted phrases"`` (also “…” and 「…」);
- ``[tag]`` (also ［tag］ and 【tag】);
- ``is:`` a kind (question, answer, article, tutorial, resource, collaboration, live)
  or a state (answered, unanswered, accepted);
- ``user:name``, ``subdomain:slug``, ``resource:slug`` or ``resource:slug@version``;
- ``score:N`` (at least N votes).

Nothing is an error: an unknown operator (``foo:bar``), a bad value (``score:x``)
or an unbalanced quote/bracket is kept as ordinary text and noted in ``warnings``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.text import clean

MAX_QUERY_LENGTH = 500

KINDS = ("question", "answer", "article", "tutorial", "resource", "collaboration", "live")
STATES = ("answered", "unanswered", "accepted")
OPERATORS = ("is", "user", "subdomain", "resource", "score")

_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_BRACKETS = {"[": "]", "【": "】", "〔": "〕"}
_SLUG_RE = re.compile(r"^[\w.-]+$")
_USER_RE = re.compile(r"^[\w.@+-]+$")
_SCORE_RE = re.compile(r"^-?\d{1,6}$")


@dataclass
class ParsedQuery:
    """What the user asked for; each backend translates it to its own query."""

    raw: str = ""
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    answered: bool | None = None
    accepted: bool | None = None
    users: list[str] = field(default_factory=list)
    subdomains: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)  # "slug" or "slug@version"
    platforms: list[str] = field(default_factory=list)
    min_score: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The free text (words and phrases) to match, without operators."""
        return " ".join([*self.words, *self.phrases])

    @property
    def has_filters(self) -> bool:
        return bool(
            self.tags
            or self.kinds
            or self.users
            or self.subdomains
            or self.resources
            or self.platforms
            or self.answered is not None
            or self.accepted is not None
            or self.min_score is not None
        )

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and not self.has_filters


def _add(values: list[str], value: str) -> None:
    if value and value not in values:
        values.append(value)


def _apply_operator(query: ParsedQuery, name: str, value: str) -> bool:
    """Store ``name:value`` on the query; False when the value is not valid for it."""
    lowered = value.lower()
    if name == "is":
        if lowered in KINDS:
            _add(query.kinds, lowered)
        elif lowered == "answered":
            query.answered = True
        elif lowered == "unanswered":
            query.answered = False
        elif lowered == "accepted":
            query.accepted = True
        else:
            return False
        return True
    if name == "user" and _USER_RE.match(value):
        _add(query.users, value)
        return True
    if name == "subdomain" and _SLUG_RE.match(value):
        _add(query.subdomains, lowered)
        return True
    if name == "resource":
        slug, _, version = value.partition("@")
        if _SLUG_RE.match(slug) and (not version or _SLUG_RE.match(version)):
            _add(query.resources, f"{slug.lower()}@{version}" if version else slug.lower())
            return True
        return False
    if name == "score" and _SCORE_RE.match(value):
        query.min_score = int(value)
        return True
    return False


def _take_until(text: str, start: int, closer: str) -> tuple[str, int] | None:
    end = text.find(closer, start)
    return None if end < 0 else (text[start:end], end + 1)


def parse(raw: str) -> ParsedQuery:
    """Parse the search box's text; never raises."""
    text = clean(raw or "").strip()
    query = ParsedQuery(raw=text[:MAX_QUERY_LENGTH])
    if len(text) > MAX_QUERY_LENGTH:
        query.warnings.append("truncated")
        text = text[:MAX_QUERY_LENGTH]
    words: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if char in _QUOTES:
            found = _take_until(text, i + 1, _QUOTES[char])
            if found:
                phrase, i = found
                phrase = " ".join(phrase.split())
                if phrase:
                    _add(query.phrases, phrase)
                continue
            query.warnings.append("unbalanced_quote")
            i += 1  # drop the lone quote; the rest is ordinary text
            continue
        if char in _BRACKETS:
            found = _take_until(text, i + 1, _BRACKETS[char])
            if found and found[0].strip() and len(found[0]) <= 60:
                tag, i = found
                _add(query.tags, " ".join(tag.split()).lower())
                continue
            query.warnings.append("unbalanced_bracket")
            i += 1
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] not in _QUOTES:
            end += 1
        token = text[i:end]
        i = end
        name, colon, value = token.partition(":")
        if colon and name.lower() in OPERATORS:
            if value and _apply_operator(query, name.lower(), value):
                continue
            if value == "" and i < n and text[i] in _QUOTES:  # user:"li hua"
                found = _take_until(text, i + 1, _QUOTES[text[i]])
                if found and _apply_operator(query, name.lower(), found[0].strip()):
                    i = found[1]
                    continue
            query.warnings.append(f"bad_operator:{name.lower()}")
        words.append(token.strip("]】〕"))
    query.words = [w for w in words if w]
    return query
