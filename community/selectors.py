"""Reads for the Q&A pages, with their joins done so page query counts stay fixed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from community.models import (
    Answer,
    Article,
    ArticleResource,
    BadgeAward,
    Comment,
    Question,
    QuestionResource,
    ReputationEvent,
    Revision,
    Tag,
    Vote,
)

LIST_GENERATION_KEY = "community:lists:generation"
COUNT_TTL = 300
STAFF_KEY = "community:platform-staff"
STAFF_TTL = 300


def lists_changed() -> None:
    """Invalidate cached list counts (called on commit when questions appear, go or get answers)."""
    if not cache.add(LIST_GENERATION_KEY, 1, timeout=None):
        try:
            cache.incr(LIST_GENERATION_KEY)
        except ValueError:
            cache.set(LIST_GENERATION_KEY, 1, timeout=None)


def list_cache_key(*, path: str, language: str) -> str:
    digest = hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()
    return f"community:list:{cache.get(LIST_GENERATION_KEY, 0)}:{language}:{digest}"


class CachedCountPaginator(Paginator):
    """A paginator whose total is cached until the lists change (COUNT(*) over 100k rows is slow)."""

    @cached_property
    def count(self) -> int:
        sql, params = self.object_list.query.sql_with_params()
        digest = hashlib.sha1(f"{sql}|{params}".encode(), usedforsecurity=False).hexdigest()
        generation = cache.get(LIST_GENERATION_KEY, 0)
        key = f"community:count:{generation}:{digest}"
        value = cache.get(key)
        if value is None:
            value = self.object_list.count()
            cache.set(key, value, timeout=COUNT_TTL)
        return value


def _thread_version_key(pk: int) -> str:
    return f"community:thread:{pk}:version"


def thread_changed(pk: int) -> None:
    """Invalidate the cached rendering of a question's thread (after any write to it)."""
    key = _thread_version_key(pk)
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=None)


def thread_cache_key(*, pk: int, language: str) -> str:
    return f"community:thread:{pk}:{cache.get(_thread_version_key(pk), 0)}:{language}"


def fragment_cache_prefix(*, pk: int, language: str) -> str:
    """Prefix of the thread's per-post fragment keys (community.thread), per thread version."""
    return f"community:frag:{pk}:{cache.get(_thread_version_key(pk), 0)}:{language}"


def platform_staff() -> dict[int, list]:
    """``{user_id: [Platform, …]}`` for every platform's staff, cached (a handful of rows)."""
    staff = cache.get(STAFF_KEY)
    if staff is None:
        from knowledge.models import Platform

        staff = {}
        for platform in Platform.objects.prefetch_related("staff").only(
            "pk", "slug", "name_zh_hans", "name_zh_hant", "name_en"
        ):
            for user in platform.staff.all():
                staff.setdefault(user.pk, []).append(platform)
        cache.set(STAFF_KEY, staff, timeout=STAFF_TTL)
    return staff


def platform_staff_changed() -> None:
    cache.delete(STAFF_KEY)


SORTS = {
    "newest": ("-created_at", "-id"),
    "active": ("-last_activity_at", "-id"),
    "votes": ("-score", "-created_at", "-id"),
    "unanswered": ("-created_at", "-id"),
}
DEFAULT_SORT = "newest"


def _tags_prefetch() -> Prefetch:
    return Prefetch("tags", queryset=Tag.objects.order_by("question_tags__position"))


def question_list(
    *,
    sort: str = DEFAULT_SORT,
    tag: Tag | None = None,
    subdomain=None,
    resource=None,
    version=None,
) -> QuerySet[Question]:
    """Listed questions in one of :data:`SORTS`, optionally for a tag, sub-domain or
    resource (and one of its versions)."""
    queryset = Question.objects.filter(is_deleted=False)
    if sort == "unanswered":
        queryset = queryset.filter(answer_count=0)
    if tag is not None:
        queryset = queryset.filter(question_tags__tag=tag)
    if subdomain is not None:
        queryset = queryset.filter(subdomain=subdomain)
    if resource is not None:
        queryset = queryset.filter(resource_links__resource=resource)
        if version is not None:
            queryset = queryset.filter(resource_links__version=version)
    return (
        queryset.select_related("author__profile", "subdomain")
        .prefetch_related(_tags_prefetch())
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    )


def question_list_for_tag(*, tag: Tag, sort: str = DEFAULT_SORT) -> QuerySet[Question]:
    """A tag's questions; newest goes through QuestionTag's (tag, created) index."""
    if sort in ("newest", "unanswered"):
        queryset = Question.objects.filter(is_deleted=False, question_tags__tag=tag)
        if sort == "unanswered":
            queryset = queryset.filter(answer_count=0)
        return (
            queryset.select_related("author__profile", "subdomain")
            .prefetch_related(_tags_prefetch())
            .order_by("-question_tags__question_created_at", "-id")
        )
    return question_list(sort=sort, tag=tag)


def _comments(**filters) -> QuerySet[Comment]:
    return Comment.objects.filter(is_deleted=False, **filters).select_related("author__profile")


def question_get_detail(*, pk: int, include_deleted: bool = False) -> Question:
    """One question with everything its page shows, in a fixed number of queries."""
    answers = (
        Answer.objects.filter(is_deleted=False)
        .select_related("author__profile")
        .prefetch_related(Prefetch("comments", queryset=_comments(), to_attr="visible_comments"))
        .order_by("-is_accepted", "-score", "created_at", "id")
    )
    queryset = Question.objects.select_related(
        "author__profile", "subdomain", "duplicate_of", "closed_by__profile"
    ).prefetch_related(
        _tags_prefetch(),
        Prefetch("comments", queryset=_comments(), to_attr="visible_comments"),
        Prefetch("answers", queryset=answers, to_attr="visible_answers"),
        Prefetch(
            "resource_links",
            queryset=QuestionResource.objects.select_related("resource", "version"),
            to_attr="linked_resources",
        ),
    )
    if not include_deleted:
        queryset = queryset.filter(is_deleted=False)
    return get_object_or_404(queryset, pk=pk)


def question_get_header(*, pk: int, include_deleted: bool = False) -> Question:
    """One question's own row, without joins (planning a six-table join costs more than
    running it); the thread comes from fragments (community.thread), and a duplicate's
    original is fetched only for duplicates."""
    queryset = Question.objects.all()
    if not include_deleted:
        queryset = queryset.filter(is_deleted=False)
    return get_object_or_404(queryset, pk=pk)


def follow_state(*, question: Question, user) -> tuple[bool, int]:
    """Whether ``user`` follows the question, and how many do, in one query."""
    through = Question.followers.through.objects.filter(question_id=question.pk)
    if not getattr(user, "is_authenticated", False):
        return False, through.count()
    counts = through.aggregate(total=Count("pk"), mine=Count("pk", filter=Q(user_id=user.pk)))
    return bool(counts["mine"]), counts["total"]


def answer_skeleton(*, question: Question) -> list[Answer]:
    """The thread's visible answers in page order, with only what permissions and fragment
    keys need (author, acceptance); ``answer.question`` is set without a query."""
    answers = list(
        Answer.objects.filter(question_id=question.pk, is_deleted=False)
        .only("pk", "question_id", "author_id", "is_accepted", "is_deleted", "score", "created_at")
        .order_by("-is_accepted", "-score", "created_at", "id")
    )
    for answer in answers:
        answer.question = question
    return answers


def votes_of(*, user, question: Question, answers: list[Answer]) -> dict[tuple[str, int], int]:
    """The member's votes on a thread: ``{("question"|"answer", pk): value}`` in one query."""
    return votes_of_ids(user=user, question_id=question.pk, answer_ids=[a.pk for a in answers])


def votes_of_ids(*, user, question_id: int, answer_ids: list[int]) -> dict[tuple[str, int], int]:
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = Vote.objects.filter(
        Q(question_id=question_id) | Q(answer_id__in=answer_ids), user=user
    ).values_list("question_id", "answer_id", "value")
    return {(("question", q_id) if q_id else ("answer", a_id)): value for q_id, a_id, value in rows}


def own_comments_in_thread(*, user, question_id: int) -> dict[tuple[str, int], tuple[int, ...]]:
    """The member's visible comments in a thread, per post: ``{("answer", pk): (ids…)}``."""
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = (
        Comment.objects.filter(author=user, is_deleted=False)
        .filter(Q(question_id=question_id) | Q(answer__question_id=question_id))
        .order_by("pk")
        .values_list("pk", "question_id", "answer_id")
    )
    mine: dict[tuple[str, int], tuple[int, ...]] = {}
    for pk, q_id, a_id in rows:
        post = ("question", q_id) if q_id else ("answer", a_id)
        mine[post] = (*mine.get(post, ()), pk)
    return mine


def tag_get(*, slug: str) -> Tag:
    return get_object_or_404(Tag.objects.select_related("canonical"), slug=slug)


def tag_list(*, query: str = "", sort: str = "popular") -> QuerySet[Tag]:
    queryset = Tag.objects.filter(canonical__isnull=True)
    if query:
        queryset = queryset.filter(name__icontains=query.strip().lower())
    return (
        queryset.order_by("name")
        if sort == "name"
        else queryset.order_by("-question_count", "name")
    )


def tag_autocomplete(*, prefix: str, limit: int = 10) -> list[dict]:
    """Tags starting with ``prefix`` (synonyms shown with their canonical name), most used first."""
    prefix = "-".join(prefix.strip().lower().split())
    if not prefix:
        return []
    tags = (
        Tag.objects.filter(name__startswith=prefix)
        .select_related("canonical")
        .order_by("-question_count", "name")[:limit]
    )
    results, seen = [], set()
    for tag in tags:
        target = tag.canonical or tag
        if target.pk in seen:
            continue
        seen.add(target.pk)
        results.append(
            {
                "name": target.name,
                "excerpt": target.wiki_excerpt,
                "count": target.question_count,
                "synonym": tag.name if tag.canonical_id else "",
            }
        )
    return results


def revisions_of(
    *,
    question: Question | None = None,
    answer: Answer | None = None,
    article: Article | None = None,
):
    if article is not None:
        filters = {"article": article}
    else:
        filters = {"question": question} if question is not None else {"answer": answer}
    return (
        Revision.objects.filter(**filters)
        .select_related("author__profile", "rollback_of")
        .order_by("number")
    )


def reputation_history(*, user, limit: int = 20) -> QuerySet[ReputationEvent]:
    return ReputationEvent.objects.filter(user=user).select_related(
        "question", "answer__question", "article"
    )[:limit]


@dataclass(frozen=True)
class Activity:
    questions: list[Question]
    answers: list[Answer]
    question_count: int
    answer_count: int
    articles: list[Article] = ()
    article_count: int = 0


def member_activity(*, user, limit: int = 10) -> Activity:
    questions = Question.objects.filter(author=user, is_deleted=False).order_by("-created_at")
    answers = (
        Answer.objects.filter(author=user, is_deleted=False)
        .select_related("question")
        .order_by("-created_at")
    )
    articles = Article.objects.filter(author=user, is_deleted=False).order_by("-created_at")
    return Activity(
        questions=list(questions[:limit]),
        answers=list(answers[:limit]),
        question_count=questions.count(),
        answer_count=answers.count(),
        articles=list(articles.only("pk", "title", "score", "created_at")[:limit]),
        article_count=articles.count(),
    )


@dataclass(frozen=True)
class TopTag:
    name: str
    slug: str
    score: int
    answers: int


def member_top_tags(*, user, limit: int = 8) -> list[TopTag]:
    """The tags a member answers best in: total answer score, then answer count, per tag
    of the answered questions (one grouped query)."""
    rows = (
        Answer.objects.filter(author=user, is_deleted=False, question__is_deleted=False)
        .values(
            "question__question_tags__tag__name",
            "question__question_tags__tag__slug",
        )
        .annotate(score=Sum("score"), answers=Count("pk"))
        .order_by("-score", "-answers", "question__question_tags__tag__name")[: limit + 1]
    )
    tags = [
        TopTag(
            name=row["question__question_tags__tag__name"],
            slug=row["question__question_tags__tag__slug"],
            score=row["score"] or 0,
            answers=row["answers"],
        )
        for row in rows
        if row["question__question_tags__tag__name"]  # answers to untagged questions
    ]
    return tags[:limit]


def member_badges(*, user) -> list[BadgeAward]:
    """The member's awards, newest first, each with its ``definition`` (one query)."""
    from community.badges import BADGES

    awards = [a for a in BadgeAward.objects.filter(user=user) if a.badge in BADGES]
    for award in awards:
        award.definition = BADGES[award.badge]
    return awards


def badge_counts() -> dict[str, int]:
    """How many members hold each badge (one grouped query)."""
    rows = BadgeAward.objects.values("badge").annotate(n=Count("pk")).order_by()
    return {row["badge"]: row["n"] for row in rows}


def badge_recipients(*, key: str, limit: int = 60) -> QuerySet[BadgeAward]:
    return BadgeAward.objects.filter(badge=key).select_related("user__profile")[:limit]


# --- articles ---------------------------------------------------------------------------------

ARTICLE_SORTS = {
    "newest": ("-created_at", "-id"),
    "votes": ("-score", "-created_at", "-id"),
}


def _article_tags_prefetch() -> Prefetch:
    return Prefetch("tags", queryset=Tag.objects.order_by("article_tags__position"))


def article_list(*, sort: str = "newest", tag: Tag | None = None, subdomain=None, author=None):
    """Published articles in one of :data:`ARTICLE_SORTS`, optionally for a tag or sub-domain."""
    queryset = Article.objects.filter(is_deleted=False)
    if tag is not None:
        queryset = queryset.filter(article_tags__tag=tag)
    if subdomain is not None:
        queryset = queryset.filter(subdomain=subdomain)
    if author is not None:
        queryset = queryset.filter(author=author)
    return (
        queryset.select_related("author__profile", "subdomain")
        .prefetch_related(_article_tags_prefetch())
        .defer("body", "body_html")
        .order_by(*ARTICLE_SORTS.get(sort, ARTICLE_SORTS["newest"]))
    )


def article_get_detail_queryset(*, include_deleted: bool = False) -> QuerySet[Article]:
    """Articles with their tags, comments and linked resources joined (for one article)."""
    queryset = Article.objects.select_related("author__profile", "subdomain").prefetch_related(
        _article_tags_prefetch(),
        Prefetch("comments", queryset=_comments(), to_attr="visible_comments"),
        Prefetch(
            "resource_links",
            queryset=ArticleResource.objects.select_related("resource", "version"),
            to_attr="linked_resources",
        ),
    )
    return queryset if include_deleted else queryset.filter(is_deleted=False)


def article_get_detail(*, pk: int, include_deleted: bool = False) -> Article:
    """One article with everything its page shows, in a fixed number of queries."""
    return get_object_or_404(article_get_detail_queryset(include_deleted=include_deleted), pk=pk)


def article_vote_of(*, user, article: Article) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return (
        Vote.objects.filter(user=user, article=article).values_list("value", flat=True).first() or 0
    )
