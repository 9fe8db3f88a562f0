"""Writes of the search app: the indexing outbox and full rebuilds.

Saves and deletes of watched models add outbox rows *in the same transaction*
as the change (so a crash cannot lose an update); ``outbox_drain`` applies them
to the backend later — from ``manage.py search_drain --loop``, or straight after
the commit when ``SEARCH["DRAIN_ON_COMMIT"]`` is on (the embedded default, so
the demo is live without a worker). A failing backend never fails the write:
the row stays, with ``attempts`` and an exponentially later ``next_attempt_at``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from search import registry
from search.backends import get_backend
from search.backends.base import Progress, SearchBackend
from search.models import SearchOutbox

logger = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 5
RETRY_MAX_SECONDS = 3600


@dataclass
class DrainReport:
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.indexed + self.deleted + self.failed


def retry_delay(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … capped at an hour."""
    seconds = RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, RETRY_MAX_SECONDS))


def outbox_enqueue(*, items: Iterable[tuple[str, str, str]]) -> None:
    """Queue ``(kind, object_id, op)`` index changes in the current transaction."""
    now = timezone.now()
    rows = {
        (kind, str(object_id)): SearchOutbox(
            kind=kind,
            object_id=str(object_id),
            op=op,
            attempts=0,
            enqueued_at=now,
            next_attempt_at=now,
            last_error="",
        )
        for kind, object_id, op in items
    }
    if not rows:
        return
    SearchOutbox.objects.bulk_create(
        list(rows.values()),
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["op", "attempts", "enqueued_at", "next_attempt_at", "last_error"],
    )
    if settings.SEARCH.get("DRAIN_ON_COMMIT"):
        keys = list(rows)
        transaction.on_commit(lambda: _drain_after_commit(keys))


def _drain_after_commit(keys: list[tuple[str, str]]) -> None:
    try:
        outbox_drain(keys=keys)
    except Exception:  # the write has committed; the worker retries later
        logger.exception("search: draining after commit failed; rows stay in the outbox")


def outbox_drain(
    *,
    limit: int = 500,
    keys: list[tuple[str, str]] | None = None,
    backend: SearchBackend | None = None,
    now: datetime | None = None,
) -> DrainReport:
    """Apply up to ``limit`` due outbox rows (or just ``keys``); failures are rescheduled."""
    backend = backend or get_backend()
    now = now or timezone.now()
    report = DrainReport()
    with transaction.atomic():
        due = SearchOutbox.objects.filter(next_attempt_at__lte=now)
        if keys is not None:
            wanted = defaultdict(list)
            for kind, object_id in keys:
                wanted[kind].append(object_id)
            due = due.filter(kind__in=list(wanted))
        rows = list(
            due.select_for_update(skip_locked=True).order_by("next_attempt_at", "id")[:limit]
        )
        if keys is not None:
            key_set = set(keys)
            rows = [row for row in rows if (row.kind, row.object_id) in key_set]
        by_kind: dict[str, list[SearchOutbox]] = defaultdict(list)
        for row in rows:
            by_kind[row.kind].append(row)
        done: list[int] = []
        for kind, kind_rows in by_kind.items():
            try:
                indexed, deleted = _apply(backend, kind, kind_rows)
            except Exception as error:
                message = f"{type(error).__name__}: {error}"[:1000]
                logger.warning("search: %s rows of %s failed: %s", len(kind_rows), kind, message)
                report.failed += len(kind_rows)
                report.errors.append(message)
                for row in kind_rows:
                    row.attempts += 1
                    row.last_error = message
                    row.next_attempt_at = now + retry_delay(row.attempts)
                SearchOutbox.objects.bulk_update(
                    kind_rows, ["attempts", "last_error", "next_attempt_at"]
                )
                continue
            report.indexed += indexed
            report.deleted += deleted
            done.extend(row.pk for row in kind_rows)
        if done:
            SearchOutbox.objects.filter(pk__in=done).delete()
    return report


def _apply(backend: SearchBackend, kind: str, rows: list[SearchOutbox]) -> tuple[int, int]:
    adapter = registry.kinds().get(kind)
    delete_ids = {row.object_id for row in rows if row.op == SearchOutbox.Op.DELETE}
    upsert_ids = {row.object_id for row in rows} - delete_ids
    documents = []
    if adapter is None:  # the kind is no longer registered: remove what is left
        delete_ids |= upsert_ids
    elif upsert_ids:
        documents, gone = adapter.documents(upsert_ids)
        delete_ids |= gone
    backend.index(documents)
    backend.delete([(kind, object_id) for object_id in sorted(delete_ids)])
    return len(documents), len(delete_ids)


def index_rebuild(
    *, kind: str, backend: SearchBackend | None = None, progress: Progress | None = None
) -> int:
    """Rebuild one kind from the database (outbox rows for it become redundant)."""
    backend = backend or get_backend()
    adapter = registry.get_kind(kind)
    started = timezone.now()
    count = backend.rebuild(kind, adapter.iter_documents(), progress)
    SearchOutbox.objects.filter(kind=kind, enqueued_at__lt=started).delete()
    return count


# --- signal receivers (connected in SearchConfig.ready) ---------------------------


def connect_signals() -> None:
    """Connect every registered kind's watched models to the outbox."""
    from django.db.models.signals import post_delete, post_save

    watchers: dict[type, list[tuple[str, object, bool]]] = defaultdict(list)
    for name, adapter in registry.kinds().items():
        for model, ids_of in adapter.watched().items():
            watchers[model].append((name, ids_of, model is adapter.model))

    for model, entries in watchers.items():

        def on_change(sender, instance, entries=entries, deleted=False, **kwargs):
            if kwargs.get("raw"):
                return  # fixture loading
            items = []
            for name, ids_of, primary in entries:
                op = SearchOutbox.Op.DELETE if deleted and primary else SearchOutbox.Op.UPSERT
                try:
                    ids = list(ids_of(instance))
                except Exception:  # a half-deleted relation must not break the write
                    logger.exception("search: cannot tell what %r affects", instance)
                    continue
                items.extend((name, str(i), op) for i in ids if i is not None)
            outbox_enqueue(items=items)

        def on_delete(sender, instance, on_change=on_change, **kwargs):
            on_change(sender, instance, deleted=True, **kwargs)

        uid = f"search.outbox.{model._meta.label}"
        post_save.connect(on_change, sender=model, weak=False, dispatch_uid=f"{uid}.save")
        post_delete.connect(on_delete, sender=model, weak=False, dispatch_uid=f"{uid}.delete")
