"""Demo data step: (re)build the search index once every app's demo content exists."""

from __future__ import annotations

from core.demo import DemoContext
from search import registry
from search.services import index_rebuild


def load(ctx: DemoContext) -> None:
    """Nothing to create: the index is built from other apps' content after commit."""


def after_commit(ctx: DemoContext) -> None:
    counts = []
    for kind in registry.kinds():
        try:
            counts.append(f"{kind} {index_rebuild(kind=kind)}")
        except Exception as error:  # e.g. Elasticsearch down: the demo still works
            ctx.log(
                f"search index for {kind} not rebuilt ({type(error).__name__}); "
                "run manage.py search_reindex later"
            )
    ctx.log("search index: " + ", ".join(counts))
