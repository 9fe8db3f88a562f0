"""Benchmark search indexing's own Python: documents built and analysed per second.

Writes no search index (and nothing else): for each registered kind (or
``--kind``) it times, separately,

- **build**: ``adapter.iter_documents()`` — the queries and ``to_document``;
- **es**: ``search.documents.to_source`` — the Elasticsearch ``_source`` body;
- **db**: ``search.backends.database.entry_from_document`` — the database row
  (an unsaved ``SearchEntry``),

and prints documents/s per stage and overall (build + es is the Elasticsearch
rebuild's Python, build + db the database backend's). The kind is read twice,
once per backend stage, with the analysis caches emptied in between, so neither
stage profits from the other's work. Queries are counted per ``iter_documents``
batch (N+1 shows as a count growing with the batch size).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiju_idx_bench SECRET_KEY=x HTTPS=0 \\
        python bench/index_build.py [--kind question] [--limit 20000] [--profile]

Target (issue 5): Elasticsearch reindex ≥ 2,000 documents/s.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-not-for-production"),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TARGET = 2_000.0
CHUNK = 500


class QueryCounter:
    """``connection.execute_wrapper`` that counts statements (works with DEBUG off)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def clear_caches() -> None:
    from search import text as analysis

    clear = getattr(analysis, "clear_caches", None)
    if clear:
        clear()


def cold(stage):
    """``stage`` with the analysis caches emptied before each document."""

    def run(document):
        clear_caches()
        return stage(document)

    return run


def timed_pass(adapter, limit: int | None, stage, chunk_size: int) -> tuple[int, float, float, int]:
    """Documents, build seconds, ``stage`` seconds and queries for one read of a kind."""
    from django.db import connection

    counter = QueryCounter()
    documents = adapter.iter_documents(chunk_size=chunk_size)
    if limit:
        documents = itertools.islice(documents, limit)
    count = 0
    build = stage_seconds = 0.0
    with connection.execute_wrapper(counter):
        while True:
            started = time.perf_counter()
            batch = list(itertools.islice(documents, chunk_size))
            build += time.perf_counter() - started
            if not batch:
                break
            if stage is not None:
                started = time.perf_counter()
                for document in batch:
                    stage(document)
                stage_seconds += time.perf_counter() - started
            count += len(batch)
    return count, build, stage_seconds, counter.count


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>9,.0f}/s" if seconds > 0 else "        -  "


def bench_kind(name: str, adapter, args) -> dict:
    from search.backends.database import entry_from_document
    from search.documents import to_source

    es_stage, db_stage = to_source, entry_from_document
    if args.cold:
        es_stage, db_stage = cold(to_source), cold(entry_from_document)
    clear_caches()
    count, build_es, es, queries = timed_pass(adapter, args.limit, es_stage, args.chunk_size)
    clear_caches()
    _, build_db, db, _ = timed_pass(adapter, args.limit, db_stage, args.chunk_size)
    batches = max(1, -(-count // args.chunk_size))
    build = min(build_es, build_db)
    print(
        f"{name:<14}{count:>8,}  build {rate(count, build)}  es {rate(count, es)}  "
        f"db {rate(count, db)}  | build+es {rate(count, build_es + es)}  "
        f"build+db {rate(count, build_db + db)}  | {queries / batches:.1f} queries/batch"
    )
    return {"count": count, "build": build, "es": build_es + es, "db": build_db + db}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kind", action="append", dest="kinds", help="only this kind (repeatable)")
    parser.add_argument("--limit", type=int, default=None, help="at most this many per kind")
    parser.add_argument("--chunk-size", type=int, default=CHUNK, help="iter_documents batch")
    parser.add_argument("--profile", action="store_true", help="print a per-function profile")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the analysis caches before each document: a lower bound for text that "
        "never repeats (the generated corpus reuses a few hundred bodies)",
    )
    parser.add_argument("--top", type=int, default=25, help="functions in the profile")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from search import registry
    from search import text as analysis

    analysis.tokens("預熱 jieba 词典")  # load the dictionaries before timing
    known = registry.kinds()
    names = args.kinds or list(known)
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise SystemExit(f"unknown kind(s): {', '.join(unknown)}; known: {', '.join(known)}")
    print(
        f"database {connection.vendor} {connection.settings_dict['NAME']}, "
        f"batch {args.chunk_size}, limit {args.limit or 'none'}"
        + (", analysis caches emptied before each document" if args.cold else "")
    )
    profiler = cProfile.Profile() if args.profile else None
    totals = {"count": 0, "build": 0.0, "es": 0.0, "db": 0.0}
    if profiler:
        profiler.enable()
    for name in names:
        result = bench_kind(name, known[name], args)
        for key in totals:
            totals[key] += result[key]
    if profiler:
        profiler.disable()
    count = totals["count"]
    print(
        f"{'all':<14}{count:>8,}  build {rate(count, totals['build'])}  "
        f"| build+es (Elasticsearch) {rate(count, totals['es'])}  "
        f"build+db (database) {rate(count, totals['db'])}  target {TARGET:,.0f}/s"
        + ("  (profiled: slower)" if profiler else "")
    )
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
