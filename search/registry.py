"""What can be searched: each app registers a :class:`SearchKind` in ``<app>/searchables.py``.

``SearchConfig.ready()`` imports every installed app's ``searchables`` module,
then connects ``post_save``/``post_delete`` of the models each kind watches to
the outbox, so indexing follows the database without apps calling search code.

Example (``community/searchables.py``)::

    from search.registry import SearchDocument, SearchKind, register

    from community.models import Answer, Question


    @register
    class QuestionKind(SearchKind):
        kind = "question"
        label = _("Question")
        model = Question

        def get_queryset(self):
            return Question.objects.select_related("author", "subdomain").prefetch_related("tags")

        def to_document(self, question) -> SearchDocument | None:
            if question.is_deleted:
                return None  # removed from the index
            return SearchDocument(
                kind=self.kind, object_id=str(question.pk), url=question.get_absolute_url(),
                title=question.title, body=question.body, tags=[t.name for t in question.tags.all()],
                subdomain=question.subdomain.slug if question.subdomain else "",
                author=question.author.username, score=question.score,
                answered=question.answer_count > 0, accepted=question.accepted_answer_id is not None,
                created_at=question.created_at, updated_at=question.updated_at,
            )

        # Saves of these models re-index the questions they belong to.
        def watched(self):
            return {Question: lambda q: [q.pk], Answer: lambda a: [a.question_id]}

``to_document`` returning ``None`` (deleted, hidden, unpublished, private) removes
the object from every backend; the outbox calls it again on every change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass
class SearchDocument:
    """The backend-neutral form of one searchable object."""

    kind: str
    object_id: str
    url: str
    title: str
    body: str = ""
    tags: list[str] = field(default_factory=list)
    subdomain: str = ""  # Subdomain.slug
    platform: str = ""  # Platform.slug
    resources: list[str] = field(default_factory=list)  # "slug" and "slug@version"
    author: str = ""  # username
    score: int = 0
    answered: bool = False
    accepted: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    is_public: bool = True
    language: str = ""  # "zh-hans", "zh-hant", "en" or "" (mixed/unknown)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.object_id)


class SearchKind:
    """Adapter between one model and the search index (subclass and ``@register``)."""

    kind: str = ""
    label = _("Item")
    model: type[models.Model]
    #: Larger is listed first among the kind facet's values.
    order: int = 50

    def get_queryset(self) -> models.QuerySet:
        """Every object that may be indexed, with related data prefetched."""
        return self.model._default_manager.all()

    def to_document(self, obj) -> SearchDocument | None:
        """The document for ``obj``, or None when it must not be found."""
        raise NotImplementedError

    def watched(self) -> dict[type[models.Model], Callable[[models.Model], Iterable]]:
        """Models whose saves/deletes make documents of this kind dirty → their object ids."""
        return {self.model: lambda obj: [obj.pk]}

    def prepare(self, objects: list[models.Model]) -> None:
        """Load, for a whole batch at once, what ``to_document`` would query per object."""

    def documents(self, ids: Iterable) -> tuple[list[SearchDocument], set[str]]:
        """Documents for ``ids`` and the ids that must be removed (gone or not public)."""
        wanted = {str(i) for i in ids}
        found: list[SearchDocument] = []
        objects = list(self.get_queryset().filter(pk__in=list(wanted)))
        self.prepare(objects)
        for obj in objects:
            document = self.to_document(obj)
            if document is not None and document.is_public:
                found.append(document)
        return found, wanted - {d.object_id for d in found}

    def iter_documents(self, *, chunk_size: int = 500) -> Iterable[SearchDocument]:
        """Every public document of this kind, for a full rebuild."""
        queryset = self.get_queryset().order_by("pk")
        last = None
        while True:
            page = queryset if last is None else queryset.filter(pk__gt=last)
            batch = list(page[:chunk_size])
            if not batch:
                return
            self.prepare(batch)
            for obj in batch:
                document = self.to_document(obj)
                if document is not None and document.is_public:
                    yield document
            last = batch[-1].pk

    def count(self) -> int:
        return self.get_queryset().count()


_kinds: dict[str, SearchKind] = {}


def register(cls: type[SearchKind]) -> type[SearchKind]:
    """Class decorator: make a kind searchable (idempotent)."""
    if not cls.kind:
        raise ValueError(f"{cls.__name__} needs a 'kind'")
    _kinds[cls.kind] = cls()
    return cls


def kinds() -> dict[str, SearchKind]:
    return dict(sorted(_kinds.items(), key=lambda item: (-item[1].order, item[0])))


def get_kind(name: str) -> SearchKind:
    return _kinds[name]


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("searchables")
