"""Questions, answers and experience articles in search (see search/registry.py for the adapter API).

Counters (score, answer_count) are updated with queryset ``update()`` by the
services, which sends no model signal, so the adapters also watch the rows
whose saves accompany those updates: votes, answers, tags and resource links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from community.models import (
    Answer,
    Article,
    ArticleResource,
    ArticleTag,
    Question,
    QuestionResource,
    QuestionTag,
    Tag,
    Vote,
)
from core.markdown import html_to_text, markdown_to_text
from knowledge.models import Platform
from search.registry import SearchDocument, SearchKind, register

#: The columns documents read (``only()``): a post's own, its author's and its sub-domain's.
_SUBDOMAIN_FIELDS = ("subdomain__slug", "subdomain__name_zh_hans", "subdomain__name_en")
_POST_FIELDS = (
    "is_deleted", "title", "body", "body_html", "score", "created_at", "edited_at",
    "author", "author__username", "subdomain", *_SUBDOMAIN_FIELDS,
)  # fmt: skip

#: Stand-ins for ids in a URL reversed once per batch (any number the ``int`` converter takes).
_PLACEHOLDERS = {"pk": 918273645546372819, "question_id": 918273645546372818}


def _set_urls(
    objects: list[Question] | list[Answer] | list[Article],
    placeholder: models.Model,
    ids: Callable[[models.Model], dict[str, int]],
) -> None:
    """Give each object ``_search_url``: its ``get_absolute_url()`` in the default language.

    One ``reverse()`` serves the batch: the URL of ``placeholder`` (an unsaved object whose
    ids are ``_PLACEHOLDERS``) becomes a template that each object's ``ids`` fill in. The
    first object's URL is reversed too; should the two disagree (the URL came to depend on
    more than ids), every object is reversed on its own.
    """
    if not objects:
        return
    with translation.override(settings.LANGUAGE_CODE):
        template = placeholder.get_absolute_url().replace("{", "{{").replace("}", "}}")
        first = objects[0].get_absolute_url()
    for name, number in _PLACEHOLDERS.items():
        template = template.replace(str(number), f"{{{name}}}")
    if template.format(**ids(objects[0])) == first:
        for obj in objects:
            obj._search_url = template.format(**ids(obj))
    else:
        with translation.override(settings.LANGUAGE_CODE):
            for obj in objects:
                obj._search_url = obj.get_absolute_url()


def _url(obj: Question | Answer | Article) -> str:
    """The URL ``prepare`` set, else ``get_absolute_url()`` in the site's default language."""
    url = getattr(obj, "_search_url", None)
    if url is None:
        with translation.override(settings.LANGUAGE_CODE):
            url = obj.get_absolute_url()
    return url


@dataclass(frozen=True)
class _Related:
    """What a question's or article's documents take from other rows."""

    tags: list[str]
    platform: str  # the sub-domain's first platform
    context: str  # sub-domain and resource names, so 自动驾驶 finds questions filed under it
    resources: list[str]  # "slug" and "slug@version" of the linked resources


#: Tags in the order of ``post.tags.all()`` (Tag's default ordering), read from the links.
_TAG_ORDER = [
    f"-tag__{field[1:]}" if field.startswith("-") else f"tag__{field}"
    for field in Tag._meta.ordering
]


def _load_related(posts: Sequence[Question] | Sequence[Article]) -> None:
    """Give each post ``_search_related``: three queries per batch, plain rows, no managers."""
    if not posts:
        return
    if isinstance(posts[0], Question):
        owner, tag_links, resource_links = "question_id", QuestionTag, QuestionResource
    else:
        owner, tag_links, resource_links = "article_id", ArticleTag, ArticleResource
    ids = {post.pk for post in posts}
    tags: dict[int, list[str]] = defaultdict(list)
    rows = tag_links.objects.filter(**{f"{owner}__in": ids}).order_by(*_TAG_ORDER)
    for post_id, name in rows.values_list(owner, "tag__name"):
        tags[post_id].append(name)
    links: dict[int, list[tuple[str, str, str | None]]] = defaultdict(list)
    rows = resource_links.objects.filter(**{f"{owner}__in": ids}).order_by("pk")
    for post_id, *link in rows.values_list(
        owner, "resource__name", "resource__slug", "version__version"
    ):
        links[post_id].append(tuple(link))
    subdomain_ids = {post.subdomain_id for post in posts if post.subdomain_id is not None}
    platforms: dict[int, str] = {}
    if subdomain_ids:  # Platform's default ordering, as subdomain.platforms.all() has it
        rows = Platform.objects.filter(subdomain_id__in=subdomain_ids)
        for subdomain_id, slug in rows.values_list("subdomain_id", "slug"):
            platforms.setdefault(subdomain_id, slug)
    for post in posts:
        subdomain, post_links = post.subdomain, links.get(post.pk, ())
        names = [subdomain.name_zh_hans, subdomain.name_en] if subdomain else []
        names += [name for name, _slug, _version in post_links]
        resources = []
        for _name, slug, version in post_links:
            resources.append(slug)
            if version is not None:
                resources.append(f"{slug}@{version}")
        post._search_related = _Related(
            tags=tags.get(post.pk, []),
            platform=platforms.get(post.subdomain_id, ""),
            context=" · ".join(name for name in names if name),
            resources=resources,
        )


def _related(post: Question | Article) -> _Related:
    """What ``prepare`` loaded for ``post`` (loaded now for a post that missed it)."""
    if not hasattr(post, "_search_related"):
        _load_related([post])
    return post._search_related


def _body_text(post: Question | Answer | Article) -> str:
    """Plain text of a post's body, from the HTML stored at save time when there is some.

    Stripping ``body_html`` gives the same text as re-parsing the Markdown, several times
    faster; a row saved without it (written outside the services) falls back to the source.
    """
    if post.body_html:
        return html_to_text(post.body_html)
    return markdown_to_text(post.body)


def _titled_document(kind: str, post: Question | Article, **extra) -> SearchDocument:
    """The search document of a question or an article (same fields, plus ``extra``)."""
    related = _related(post)
    return SearchDocument(
        kind=kind,
        object_id=str(post.pk),
        url=_url(post),
        title=post.title,
        body=f"{_body_text(post)}\n{related.context}".strip(),
        tags=list(related.tags),
        subdomain=post.subdomain.slug if post.subdomain else "",
        platform=related.platform,
        resources=list(related.resources),
        author=post.author.username if post.author else "",
        score=post.score,
        created_at=post.created_at,
        updated_at=post.updated_at,
        **extra,
    )


@register
class QuestionKind(SearchKind):
    kind = "question"
    label = _("Question")
    model = Question
    order = 90

    def get_queryset(self):
        return Question.objects.select_related("author", "subdomain").only(
            *_POST_FIELDS, "answer_count", "accepted_answer"
        )

    def prepare(self, questions: list[Question]) -> None:
        _load_related(questions)
        _set_urls(questions, Question(pk=_PLACEHOLDERS["pk"]), lambda q: {"pk": q.pk})

    def to_document(self, question: Question) -> SearchDocument | None:
        if question.is_deleted:
            return None
        return _titled_document(
            self.kind,
            question,
            answered=question.answer_count > 0,
            accepted=question.accepted_answer_id is not None,
        )

    def watched(self):
        return {
            Question: lambda q: [q.pk],
            QuestionTag: lambda link: [link.question_id],
            QuestionResource: lambda link: [link.question_id],
            Answer: lambda a: [a.question_id],  # answer_count / accepted changed
            Vote: lambda v: [v.question_id] if v.question_id else [],
        }


@register
class AnswerKind(SearchKind):
    kind = "answer"
    label = _("Answer")
    model = Answer
    order = 80

    def get_queryset(self):
        return Answer.objects.select_related("author", "question__subdomain").only(
            "is_deleted", "body", "body_html", "score", "is_accepted", "created_at", "edited_at",
            "author", "author__username", "question", "question__is_deleted", "question__title",
            "question__subdomain", *(f"question__{field}" for field in _SUBDOMAIN_FIELDS),
        )  # fmt: skip

    def prepare(self, answers: list[Answer]) -> None:
        _load_related([answer.question for answer in answers])
        placeholder = Answer(
            pk=_PLACEHOLDERS["pk"], question=Question(pk=_PLACEHOLDERS["question_id"])
        )
        _set_urls(answers, placeholder, lambda a: {"pk": a.pk, "question_id": a.question_id})

    def to_document(self, answer: Answer) -> SearchDocument | None:
        question = answer.question
        if answer.is_deleted or question.is_deleted:
            return None
        related = _related(question)
        return SearchDocument(
            kind=self.kind,
            object_id=str(answer.pk),
            url=_url(answer),
            title=question.title,
            body=f"{_body_text(answer)}\n{related.context}".strip(),
            tags=list(related.tags),
            subdomain=question.subdomain.slug if question.subdomain else "",
            platform=related.platform,
            resources=list(related.resources),
            author=answer.author.username if answer.author else "",
            score=answer.score,
            answered=True,
            accepted=answer.is_accepted,
            created_at=answer.created_at,
            updated_at=answer.edited_at or answer.created_at,
        )

    def watched(self):
        return {
            Answer: lambda a: [a.pk],
            Vote: lambda v: [v.answer_id] if v.answer_id else [],
            Question: lambda q: list(q.answers.values_list("pk", flat=True)),
        }


@register
class ArticleKind(SearchKind):
    kind = "article"
    label = _("Article")
    model = Article
    order = 85

    def get_queryset(self):
        return Article.objects.select_related("author", "subdomain").only(*_POST_FIELDS)

    def prepare(self, articles: list[Article]) -> None:
        _load_related(articles)
        _set_urls(articles, Article(pk=_PLACEHOLDERS["pk"]), lambda a: {"pk": a.pk})

    def to_document(self, article: Article) -> SearchDocument | None:
        if article.is_deleted:
            return None
        return _titled_document(self.kind, article)

    def watched(self):
        return {
            Article: lambda a: [a.pk],
            ArticleTag: lambda link: [link.article_id],
            ArticleResource: lambda link: [link.article_id],
            Vote: lambda v: [v.article_id] if v.article_id else [],
        }
