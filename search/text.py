"""Text analysis shared by every backend, so indexing and querying agree.

- ``fold``: Unicode NFKC, control characters removed, Traditional → Simplified
  Chinese (OpenCC ``tw2sp``: 自動駕駛 → 自动驾驶, 軟體 → 软件, 資料集 → 数据集, plus
  Taiwan's AI words tw2sp leaves alone: 雷射 → 激光, 辨識 → 识别) and lower case.
  Both scripts therefore meet in one form.
- ``tokens``: Chinese runs are segmented with jieba in search mode (自动驾驶 →
  自动, 驾驶, 自动驾驶), Latin words are lower-cased and lightly stemmed
  (models → model, running → run); stop words are dropped.
- ``segment``: the tokens joined by spaces, the form stored for PostgreSQL's
  ``to_tsvector('simple', …)``, the SQLite fallback and Elasticsearch's
  ``*_seg`` fields.
- ``query_terms``: the terms of a query; a long Chinese word also carries its
  parts, so 自动驾驶 matches a document segmented as 自动 / 驾驶.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A run of CJK ideographs, or a Latin/digit word (keeps c++, c#, 9.0, node.js).
TOKEN_RE = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9][a-z0-9+#]*(?:\.[a-z0-9+#]+)*"
)
#: Entries per analysis cache (OpenCC pieces, jieba runs, stems) and the longest
#: string cached, so a cache stays within a few tens of MB.
CACHE_SIZE = 65_536
CACHE_MAX_LENGTH = 64
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "my",
        "of",
        "on",
        "or",
        "the",
        "this",
        "to",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "you",
        "your",
        "we",
        "our",
        "me",
        "的",
        "了",
        "是",
        "在",
        "吗",
        "呢",
        "吧",
        "啊",
        "和",
        "与",
        "及",
        "或",
        "有",
        "我",
        "你",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "这",
        "那",
        "这个",
        "那个",
        "一个",
        "怎么",
        "怎样",
        "如何",
        "什么",
        "为什么",
        "哪些",
        "哪个",
        "请问",
        "请",
        "能",
        "能否",
        "可以",
        "是否",
        "就",
        "都",
        "也",
        "还",
        "把",
        "被",
        "让",
        "给",
        "对",
    ]
)


def _quiet_jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def _jieba():
    return _quiet_jieba()


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("tw2sp")


#: Taiwan's words for AI notions that tw2sp leaves as they are (in its Simplified
#: output), and the mainland words both scripts then meet in: 雷射雷達 → 激光雷达,
#: 物件偵測 → 对象侦测 → 目标检测, 語音辨識 → 语音识别. Only words used in Taiwan
#: alone: 影像 stays, since 医疗影像 is mainland usage too.
DOMAIN_WORDS = {
    "雷射": "激光",
    "光达": "激光雷达",
    "光学雷达": "激光雷达",
    "辨识": "识别",
    "侦测": "检测",
    "对象侦测": "目标检测",
    "边缘运算": "边缘计算",
    "云端运算": "云计算",
    "推论": "推理",
}
_DOMAIN_RE = re.compile("|".join(sorted(DOMAIN_WORDS, key=len, reverse=True)))


def _domain_words(text: str) -> str:
    """``DOMAIN_WORDS`` replaced in converted text (longest first)."""
    return _DOMAIN_RE.sub(lambda match: DOMAIN_WORDS[match.group()], text)


#: Simplified characters tw2sp changes again. It reads 么 as the variant of 幺, so
#: Simplified 怎么 became 怎幺 while Traditional 怎麼 became 怎么 and the two never met;
#: 么 is hidden from the converter (behind NUL, which ``clean`` has removed from the
#: text). 苧, which 薴 becomes, goes one step further to 苎, so folding is idempotent.
_PROTECTED = str.maketrans({"么": "\x00"})
_SETTLED = str.maketrans({"\x00": "么", "苧": "苎"})


def _convert(piece: str) -> str:
    """OpenCC's conversion of a piece, idempotent (``_PROTECTED``, ``_SETTLED``), with
    ``DOMAIN_WORDS``."""
    converted = _converter().convert(piece.translate(_PROTECTED))
    return _domain_words(converted).translate(_SETTLED)


@lru_cache(maxsize=CACHE_SIZE)
def _convert_cached(piece: str) -> str:
    return _convert(piece)


def _convert_piece(piece: str) -> str:
    """The conversion of one separator-free piece (the unit OpenCC converts anyway)."""
    if len(piece) > CACHE_MAX_LENGTH:
        return _convert(piece)
    return _convert_cached(piece)


def _to_simplified(text: str) -> str:
    """``OpenCC("tw2sp").convert(text)`` piece by piece with a cache, plus ``_convert``'s fixes.

    The converter splits at its own separators (whitespace, punctuation) and converts
    each piece on its own, so converting the pieces here gives the same string. Its
    dictionaries hold no ASCII, so ASCII pieces (code, English) are kept as they are.
    """
    parts = _converter().split_chars_re.split(text)
    for i in range(0, len(parts), 2):  # even indexes: text between separators
        piece = parts[i]
        if piece and not piece.isascii():
            parts[i] = _convert_piece(piece)
    return "".join(parts)


def warm_up() -> None:
    """Load jieba's dictionary and OpenCC's tables now, not in the first search (~2 s)."""
    _jieba()
    _to_simplified("預熱")


def warm_up_in_background() -> threading.Thread:
    """``warm_up`` in a daemon thread: server processes call it as they start."""
    thread = threading.Thread(target=warm_up, name="search-warm-up", daemon=True)
    thread.start()
    return thread


def clear_caches() -> None:
    """Empty the analysis caches (benchmarks; tests that change jieba's dictionary)."""
    _convert_cached.cache_clear()
    _segment_cached.cache_clear()
    stem.cache_clear()


def clean(text: str) -> str:
    """NFKC (full-width → half-width), control characters and zero-width marks removed."""
    return CONTROL_RE.sub(" ", unicodedata.normalize("NFKC", text or ""))


def fold(text: str) -> str:
    """Cleaned, Traditional folded to Simplified, lower case."""
    text = clean(text)
    if CJK_RE.search(text):
        text = _to_simplified(text)
    return text.lower()


@lru_cache(maxsize=CACHE_SIZE)
def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing, -ed, -ly (consistent, not linguistic)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement, minimum in (
        ("ies", "y", 4),
        ("sses", "ss", 4),
        ("ing", "", 5),
        ("ed", "", 5),
        ("ly", "", 5),
        ("es", "", 5),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= minimum + len(suffix) - 1:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "sses", "zes")):
                continue
            base = word[: -len(suffix)] + replacement
            if suffix in {"ing", "ed"}:
                if not re.search(r"[aeiouy]", base):
                    return word
                if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                    base = base[:-1]  # running → run
            return base
    return word


def _cjk_words(run: str, *, search_mode: bool) -> tuple[str, ...]:
    """jieba's words for one run of ideographs (cached: runs recur across documents)."""
    if len(run) > CACHE_MAX_LENGTH:
        return _segment_run(run, search_mode)
    return _segment_cached(run, search_mode)


@lru_cache(maxsize=CACHE_SIZE)
def _segment_cached(run: str, search_mode: bool) -> tuple[str, ...]:
    return _segment_run(run, search_mode)


def _segment_run(run: str, search_mode: bool) -> tuple[str, ...]:
    jieba = _jieba()
    words = jieba.cut_for_search(run) if search_mode else jieba.cut(run)
    return tuple(w for w in words if w.strip())


def tokens(text: str, *, folded: bool = False, keep_stop_words: bool = False) -> list[str]:
    """Index tokens of ``text`` (jieba search mode for Chinese, stems for English)."""
    text = text if folded else fold(text)
    out: list[str] = []
    for match in TOKEN_RE.finditer(text):
        piece = match.group()
        words = _cjk_words(piece, search_mode=True) if CJK_RE.match(piece) else [stem(piece)]
        out.extend(w for w in words if keep_stop_words or w not in STOP_WORDS)
    return out


def segment(text: str, *, folded: bool = False) -> str:
    """Space-joined tokens: what the database and Elasticsearch ``*_seg`` fields store."""
    return " ".join(tokens(text, folded=folded))


@dataclass(frozen=True)
class Term:
    """One query term: matches ``token``, or every one of ``parts`` (sub-words of a long Chinese word)."""

    token: str
    parts: tuple[str, ...] = field(default=())

    @property
    def tokens(self) -> tuple[str, ...]:
        """Every token involved: a document matches ``token`` or all of ``parts``."""
        return (self.token, *self.parts)


def query_terms(text: str) -> list[Term]:
    """Distinct terms of a query in order: jieba's precise mode plus sub-words for long words."""
    seen: set[str] = set()
    terms: list[Term] = []
    for match in TOKEN_RE.finditer(fold(text)):
        piece = match.group()
        if CJK_RE.match(piece):
            for word in _cjk_words(piece, search_mode=False):
                if word in STOP_WORDS or word in seen:
                    continue
                seen.add(word)
                parts: tuple[str, ...] = ()
                if len(word) > 2:
                    parts = tuple(
                        w
                        for w in _cjk_words(word, search_mode=True)
                        if w != word and len(w) > 1 and w not in STOP_WORDS
                    )
                terms.append(Term(word, parts))
        else:
            word = stem(piece)
            if word in STOP_WORDS or word in seen:
                continue
            seen.add(word)
            terms.append(Term(word))
    return terms


def is_cjk(token: str) -> bool:
    return bool(CJK_RE.match(token))
