"""Questions, answers and experience articles in search (see search/registry.py for the adapter API).

Counters (score, answer_count) are updated with queryset ``update()`` by the
services, which sends no model signal, so the adapters also watch the rows
whose saves accompany those updates: votes, answers, tags and resource links.
"""

from __future__ import annotations

from collections.abc import Callable

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
    Vote,
)
from core.markdown import html_to_text, markdown_to_text
from search.registry import SearchDocument, SearchKind, register

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


def _platform(subdomain) -> str:
    platforms = list(subdomain.platforms.all()) if subdomain else []
    return platforms[0].slug if platforms else ""


def _context(question: Question | Article) -> str:
    """Sub-domain and resource names, so 自动驾驶 finds questions filed under it."""
    names = []
    if question.subdomain:
        names += [question.subdomain.name_zh_hans, question.subdomain.name_en]
    names += [link.resource.name for link in question.resource_links.all()]
    return " · ".join(n for n in names if n)


def _resources(question: Question | Article) -> list[str]:
    found: list[str] = []
    for link in question.resource_links.all():
        found.append(link.resource.slug)
        if link.version is not None:
            found.append(f"{link.resource.slug}@{link.version.version}")
    return found


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
    return SearchDocument(
        kind=kind,
        object_id=str(post.pk),
        url=_url(post),
        title=post.title,
        body=f"{_body_text(post)}\n{_context(post)}".strip(),
        tags=[tag.name for tag in post.tags.all()],
        subdomain=post.subdomain.slug if post.subdomain else "",
        platform=_platform(post.subdomain),
        resources=_resources(post),
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
        return Question.objects.select_related("author", "subdomain").prefetch_related(
            "tags",
            "subdomain__platforms",
            "resource_links__resource",
            "resource_links__version",
        )

    def prepare(self, questions: list[Question]) -> None:
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
        return Answer.objects.select_related(
            "author", "question__subdomain", "question__author"
        ).prefetch_related(
            "question__tags",
            "question__subdomain__platforms",
            "question__resource_links__resource",
            "question__resource_links__version",
        )

    def prepare(self, answers: list[Answer]) -> None:
        placeholder = Answer(
            pk=_PLACEHOLDERS["pk"], question=Question(pk=_PLACEHOLDERS["question_id"])
        )
        _set_urls(answers, placeholder, lambda a: {"pk": a.pk, "question_id": a.question_id})

    def to_document(self, answer: Answer) -> SearchDocument | None:
        question = answer.question
        if answer.is_deleted or question.is_deleted:
            return None
        return SearchDocument(
            kind=self.kind,
            object_id=str(answer.pk),
            url=_url(answer),
            title=question.title,
            body=f"{_body_text(answer)}\n{_context(question)}".strip(),
            tags=[tag.name for tag in question.tags.all()],
            subdomain=question.subdomain.slug if question.subdomain else "",
            platform=_platform(question.subdomain),
            resources=_resources(question),
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
        return Article.objects.select_related("author", "subdomain").prefetch_related(
            "tags",
            "subdomain__platforms",
            "resource_links__resource",
            "resource_links__version",
        )

    def prepare(self, articles: list[Article]) -> None:
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
