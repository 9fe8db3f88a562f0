"""Search benchmark: indexing rate, query latency (p50/p95) and relevance (P@3, MRR).

Run from the repository root against a throw-away database (it writes, then
removes, documents whose ids start with ``bench-``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiju_bench \\
        python bench/search_bench.py --docs 100000 --queries 200

``--from-database`` measures the database's own content instead — the
100,000-question corpus of ``bench/community_generate.py``: every registered kind
is rebuilt through ``search_reindex``'s code path (documents from the models,
analysis, bulk writes; the reported rate), then queried with that corpus's
vocabulary::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huiju_bench \
        python bench/community_generate.py --questions 100000
    DATABASE_URL=… python bench/search_bench.py --from-database --queries 200

With ``ELASTICSEARCH_URL`` set, ``--backend elasticsearch`` measures Elasticsearch
in uniquely named indices (deleted afterwards) and reports the reindex rate.
Targets (issue 5): database p95 ≤ 50 ms on the 100,000-question corpus;
Elasticsearch reindex ≥ 2,000 documents/s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from search.backends.base import SearchRequest  # noqa: E402
from search.query import parse  # noqa: E402
from search.registry import SearchDocument  # noqa: E402

ZH_TOPICS = [
    "自动驾驶", "仿真", "激光雷达", "点云", "感知", "规划", "交通信号", "城市大脑", "医疗影像",
    "肺结节", "分割", "语音识别", "方言", "语音合成", "人脸识别", "活体检测", "目标检测", "量化",
    "行人重识别", "供应链", "库存", "风控", "可解释性", "作文批改", "智能家居", "恶意流量",
    "低光照", "用户画像", "知识图谱", "昇腾", "算子", "数据集", "模型训练", "部署", "推理加速",
]  # fmt: skip
ZH_FILLER = [
    "如何", "解决", "报错", "安装", "配置", "性能", "准确率", "下降", "优化", "数据", "接口",
    "版本", "升级", "文档", "示例", "训练", "微调", "显存", "不足", "延迟", "问题", "方法",
]  # fmt: skip
HANT = {"自动驾驶": "自動駕駛", "语音识别": "語音識別", "医疗影像": "醫療影像", "数据集": "資料集"}
EN_TOPICS = [
    "autonomous driving", "simulation", "lidar", "point cloud", "perception", "traffic signal",
    "medical imaging", "segmentation", "speech recognition", "dialect", "face recognition",
    "object detection", "quantization", "supply chain", "credit risk", "smart home", "malware",
    "knowledge graph", "npu", "operator", "dataset", "training", "deployment", "latency",
]  # fmt: skip
EN_FILLER = [
    "how", "fix", "error", "install", "configure", "slow", "accuracy", "drop", "improve", "data",
    "api", "version", "upgrade", "docs", "example", "fine-tune", "memory", "gpu", "timeout",
]  # fmt: skip
KINDS = ["question"] * 7 + ["answer"] * 2 + ["tutorial", "article", "resource"]
SUBDOMAINS = [
    "autonomous-driving",
    "city-brain",
    "medical-imaging",
    "intelligent-voice",
    "intelligent-vision",
]


def make_documents(count: int, seed: int = 7) -> list[SearchDocument]:
    rng = random.Random(seed)
    now = timezone.now()
    documents = []
    for i in range(count):
        chinese = rng.random() < 0.6
        if chinese:
            words = rng.sample(ZH_TOPICS, 2) + rng.sample(ZH_FILLER, 3)
            title = "".join(words[:4]) + "？"
            body = "，".join("".join(rng.sample(ZH_TOPICS + ZH_FILLER, 5)) for _ in range(8)) + "。"
            if rng.random() < 0.2:
                for simplified, traditional in HANT.items():
                    title, body = (
                        title.replace(simplified, traditional),
                        body.replace(simplified, traditional),
                    )
        else:
            words = rng.sample(EN_TOPICS, 2) + rng.sample(EN_FILLER, 3)
            title = " ".join(words).capitalize()
            body = ". ".join(" ".join(rng.sample(EN_TOPICS + EN_FILLER, 6)) for _ in range(6)) + "."
        created = now - timedelta(days=rng.randint(0, 1500))
        documents.append(
            SearchDocument(
                kind=rng.choice(KINDS),
                object_id=f"bench-{i}",
                url=f"/bench/{i}/",
                title=title,
                body=body,
                tags=rng.sample(ZH_TOPICS[:10] + ["apollo", "pytorch", "asr", "docker"], 2),
                subdomain=rng.choice(SUBDOMAINS),
                platform=rng.choice(["baidu", "tencent", "iflytek", "sensetime", "alibaba-cloud"]),
                author=f"user{rng.randint(1, 5000)}",
                score=max(int(rng.gauss(2, 4)), -3),
                answered=rng.random() < 0.6,
                accepted=rng.random() < 0.3,
                created_at=created,
                updated_at=created,
            )
        )
    return documents


def make_queries(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    shapes = [
        lambda: rng.choice(ZH_TOPICS),
        lambda: f"{rng.choice(ZH_TOPICS)} {rng.choice(ZH_FILLER)}",
        lambda: rng.choice(list(HANT.values())),
        lambda: rng.choice(EN_TOPICS),
        lambda: f"{rng.choice(EN_TOPICS)} {rng.choice(EN_FILLER)}",
        lambda: f"[{rng.choice(['apollo', 'pytorch', 'asr'])}] {rng.choice(ZH_TOPICS)}",
        lambda: f"is:question is:unanswered {rng.choice(EN_TOPICS)}",
        lambda: f"{rng.choice(ZH_TOPICS)} score:3",
        lambda: f'"{rng.choice(EN_TOPICS)}"',
        lambda: f"subdomain:{rng.choice(SUBDOMAINS)} {rng.choice(ZH_FILLER)}",
    ]
    return [rng.choice(shapes)() for _ in range(count)]


def make_corpus_queries(count: int, seed: int = 11) -> list[str]:
    """Mixed queries in the vocabulary of ``bench/community_generate.py``."""
    from bench.community_generate import TOPICS_EN, TOPICS_ZH
    from knowledge.models import Subdomain

    rng = random.Random(seed)
    subdomains = list(Subdomain.objects.values_list("slug", flat=True)) or SUBDOMAINS
    zh_words = [
        "报错",
        "排查",
        "处理",
        "显存",
        "不足",
        "性能",
        "对比",
        "部署",
        "精度",
        "下降",
        "环境",
    ]
    en_words = ["configure", "crashes", "slow", "export", "upgrading", "model", "output"]
    tags = ["apollo", "pytorch", "docker", "cuda", "python", "onnx"]
    shapes = [
        lambda: rng.choice(TOPICS_ZH),
        lambda: f"{rng.choice(TOPICS_ZH)} {rng.choice(zh_words)}",
        lambda: rng.choice(["自動駕駛", "語音識別", "醫療影像", "點雲", "目標檢測"]),
        lambda: rng.choice(TOPICS_EN),
        lambda: f"{rng.choice(TOPICS_EN)} {rng.choice(en_words)}",
        lambda: f"[{rng.choice(tags)}] {rng.choice(TOPICS_ZH + TOPICS_EN)}",
        lambda: f"is:question is:unanswered {rng.choice(TOPICS_EN)}",
        lambda: f"{rng.choice(TOPICS_ZH)} score:3",
        lambda: f'"{rng.choice(["shape mismatch", "fresh container", "batch size", "清理缓存"])}"',
        lambda: f"subdomain:{rng.choice(subdomains)} {rng.choice(zh_words)}",
    ]
    return [rng.choice(shapes)() for _ in range(count)]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def make_backend(name: str):
    if name == "elasticsearch":
        from search.backends.elasticsearch import ElasticsearchBackend

        if not settings.ELASTICSEARCH_URL:
            sys.exit("ELASTICSEARCH_URL is not set")
        prefix = f"huiju-bench-{uuid.uuid4().hex[:6]}"
        return ElasticsearchBackend({**settings.SEARCH, "INDEX_PREFIX": prefix, "TIMEOUT": 30})
    from search.backends.database import DatabaseBackend

    return DatabaseBackend(settings.SEARCH)


def relevance(backend) -> None:
    """P@3 and MRR of the judged queries over the judged corpus alone, as in the test suite.

    The database backend indexes that corpus in a transaction that first removes every
    other entry and is rolled back: mixed into 275,000 generated documents, newer
    generated ones outrank the judged answers of a few queries (``[apollo] docker``).
    """
    from django.db import transaction

    from search.models import SearchEntry

    if backend.name != "database":
        _relevance(backend)
        return
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        _relevance(backend)
        transaction.set_rollback(True)


def _relevance(backend) -> None:
    from tests.search.conftest import corpus_documents
    from tests.search.relevance import evaluate

    documents = corpus_documents()
    for document in documents:
        document.object_id = f"bench-rel-{document.object_id}"
    by_kind: dict[str, list[SearchDocument]] = {}
    for document in documents:
        by_kind.setdefault(document.kind, []).append(document)
    for kind, docs in by_kind.items():
        backend.rebuild(kind, docs) if backend.name == "elasticsearch" else backend.index(docs)

    def run(text: str) -> list[str]:
        query = parse(text)
        if backend.name == "elasticsearch" and not query.kinds:
            query.kinds = list(by_kind)
        hits = backend.search(SearchRequest(query)).hits
        if not hits and len(text.split()) > 1:
            hits = backend.search(SearchRequest(query, match_any=True)).hits
        return [h.document.object_id.removeprefix("bench-rel-") for h in hits]

    evaluation = evaluate(run)
    print(
        f"relevance ({evaluation.queries} judged queries): "
        f"P@3 {evaluation.precision_at_3:.3f}  MRR {evaluation.mrr:.3f}"
    )
    for query, expected, found in evaluation.misses:
        print(f"  miss: {query!r} expected {expected} got {found}")
    backend.delete([(d.kind, d.object_id) for d in documents])


def from_database(backend, *, reindex: bool) -> list[str]:
    """Rebuild every registered kind from the models (timed); the kinds indexed."""
    from search import registry
    from search.services import index_rebuild

    kinds = list(registry.kinds())
    if reindex:
        total, started = 0, time.perf_counter()
        for kind in kinds:
            began = time.perf_counter()
            count = index_rebuild(kind=kind, backend=backend)
            seconds = time.perf_counter() - began
            total += count
            print(f"  rebuilt {kind}: {count:,} documents in {seconds:.1f}s", flush=True)
        elapsed = time.perf_counter() - started
        print(
            f"indexing (search_reindex, every kind): {total:,} documents in {elapsed:.1f}s = "
            f"{total / elapsed:,.0f} docs/s"
        )
    counts = backend.counts()
    print(
        f"corpus: {sum(counts.values()):,} documents ("
        + ", ".join(f"{kind} {n:,}" for kind, n in sorted(counts.items()))
        + ")"
    )
    return sorted(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--docs", type=int, default=10_000, help="generated documents (100000 for the target)"
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backend", choices=["database", "elasticsearch"], default="database")
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="untimed passes over the queries first (steady state, not a cold cache)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated documents")
    parser.add_argument("--skip-relevance", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="query documents kept by an earlier --keep run"
    )
    parser.add_argument(
        "--from-database",
        action="store_true",
        help="rebuild and query the database's own content (bench/community_generate.py)",
    )
    parser.add_argument(
        "--no-reindex", action="store_true", help="with --from-database: query the index as is"
    )
    args = parser.parse_args()

    from django.db import connection

    backend = make_backend(args.backend)
    print(f"backend {backend.name} · database {connection.vendor} · {os.cpu_count()} CPUs")
    if not args.skip_relevance:
        relevance(backend)

    if args.from_database:
        documents = from_database(backend, reindex=not args.no_reindex)
        queries = make_corpus_queries(args.queries)
    else:
        documents = make_documents(args.docs)
        queries = make_queries(args.queries)
    started = time.perf_counter()
    if args.from_database:
        pass  # rebuilt (and timed) above
    elif args.reuse:
        print("indexing: skipped (--reuse)")
    elif backend.name == "elasticsearch":
        for kind in sorted({d.kind for d in documents}):
            backend.rebuild(kind, (d for d in documents if d.kind == kind))
    else:
        for start in range(0, len(documents), 1000):
            backend.index(documents[start : start + 1000])
            print(
                f"\r  indexed {min(start + 1000, len(documents))}/{len(documents)}",
                end="",
                flush=True,
            )
        print()
    elapsed = time.perf_counter() - started
    if not (args.reuse or args.from_database):
        print(
            f"indexing: {len(documents)} documents in {elapsed:.1f}s = "
            f"{len(documents) / elapsed:,.0f} docs/s"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does soon after a rebuild
            cursor.execute("VACUUM ANALYZE search_searchentry")

    kinds = documents if args.from_database else sorted({d.kind for d in documents})
    for _ in range(args.warmup):
        for text in queries:
            query = parse(text)
            if backend.name == "elasticsearch" and not query.kinds:
                query.kinds = kinds
            backend.search(SearchRequest(query))
    runs = (
        ("page + facets", True, "relevance"),
        ("page only", False, "relevance"),
        ("by votes, page + facets", True, "votes"),
    )
    timings: dict[str, list[float]] = {label: [] for label, _, _ in runs}
    totals, slowest = [], []
    for text in queries:
        for label, facets, sort in runs:
            query = parse(text)
            if backend.name == "elasticsearch" and not query.kinds:
                query.kinds = kinds
            request = SearchRequest(query, with_facets=facets, sort=sort)
            began = time.perf_counter()
            result = backend.search(request)
            if not result.total and len(query.text.split()) > 1:
                request.match_any = True
                result = backend.search(request)
            timings[label].append((time.perf_counter() - began) * 1000)
            if label == "page + facets":
                totals.append(result.total)
                slowest.append((timings[label][-1], text, result.total))
    for label, values in timings.items():
        print(
            f"queries ({label}, {len(values)}): p50 {percentile(values, 0.5):.1f} ms  "
            f"p95 {percentile(values, 0.95):.1f} ms  max {max(values):.1f} ms"
        )
    print(f"  median hits per query: {statistics.median(totals):,.0f}")
    for ms, text, total in sorted(slowest, reverse=True)[:5]:
        print(f"  slow: {ms:.1f} ms  {text!r} ({total:,} hits)")

    if not args.keep and not args.from_database:
        if backend.name == "elasticsearch":
            backend.client.indices.delete(index=f"{backend.prefix}-*", ignore_unavailable=True)
        else:
            from search.models import SearchEntry

            SearchEntry.objects.filter(object_id__startswith="bench-").delete()


if __name__ == "__main__":
    main()
