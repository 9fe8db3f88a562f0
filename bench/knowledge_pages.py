"""Benchmark the knowledge pages at growing catalogue sizes; prints queries and timings.

Runs in a throw-away test database (``test_<name>``, created and destroyed here), so
it never touches real data:

    DATABASE_URL=postgres://... python bench/knowledge_pages.py [--sizes 10 100 500] [--repeat 20]

For each size it creates one sub-domain with that many resources and tutorials
(each tutorial with code blocks and resource cards) and reports, per page, the
SQL query count and the median/95th-percentile render time through Django's
test client.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 300])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connections
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    connection = connections["default"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from django.test import Client

        client = Client()
        print(f"{'size':>6} {'page':<10} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
        for size in args.sizes:
            urls = _populate(size)
            for name, url in urls.items():
                client.get(url)  # warm caches
                queries: list[str] = []

                def count(execute, sql, *rest, queries=queries):
                    queries.append(sql)
                    return execute(sql, *rest)

                with connection.execute_wrapper(count):
                    response = client.get(url)
                assert response.status_code == 200, (name, url, response.status_code)
                timings = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                timings.sort()
                p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
                print(
                    f"{size:>6} {name:<10} {len(queries):>7} "
                    f"{statistics.median(timings):>10.1f} {p95:>8.1f}",
                    flush=True,
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def _populate(size: int) -> dict[str, str]:
    """One sub-domain with ``size`` resources and ``size`` published tutorials."""
    from django.utils import translation

    from knowledge.models import (
        OpenResource,
        Platform,
        ResourceVersion,
        Subdomain,
        TutorialIndexPage,
        TutorialPage,
    )
    from knowledge.services import subdomain_page_ensure

    subdomain = Subdomain.objects.create(
        slug=f"bench-{size}", name_zh_hans="基准", name_zh_hant="基準", name_en=f"Bench {size}"
    )
    platform = Platform.objects.create(
        slug=f"bench-{size}",
        subdomain=subdomain,
        name_zh_hans="平台",
        name_zh_hant="平臺",
        name_en="Platform",
        year_designated=2019,
    )
    kinds = OpenResource.Kind.values
    resources = OpenResource.objects.bulk_create(
        OpenResource(
            platform=platform,
            slug=f"bench-{size}-{i}",
            name=f"Resource {i}",
            kind=kinds[i % len(kinds)],
            summary_en="A benchmark resource.",
        )
        for i in range(size)
    )
    ResourceVersion.objects.bulk_create(
        ResourceVersion(resource=r, version=f"{v}.0", sort_order=v)
        for r in resources
        for v in range(3)
    )
    index = TutorialIndexPage.objects.child_of(subdomain_page_ensure(subdomain=subdomain)).get()
    tutorial = None
    for i in range(size):
        blocks = [{"type": "text", "value": f"<h2>Step {i}</h2><p>{'文字' * 200}</p>"}]
        for resource in resources[i % size : i % size + 5]:
            blocks.append(
                {
                    "type": "resource",
                    "value": {"resource": resource.pk, "version": "1.0", "note": ""},
                }
            )
            blocks.append(
                {
                    "type": "code",
                    "value": {"language": "python", "code": "print('hi')\n" * 10, "caption": ""},
                }
            )
        tutorial = TutorialPage(
            title=f"Tutorial {i}", slug=f"t-{i}", summary="Bench.", body=json.dumps(blocks)
        )
        index.add_child(instance=tutorial)
        tutorial.tags.add("bench", f"tag-{i % 10}")
        tutorial.save_revision().publish()
    with translation.override("zh-hans"):
        index_url, tutorial_url = index.url, tutorial.url
    return {
        "landing": f"/en/d/{subdomain.slug}/",
        "resource": f"/en/resources/{resources[0].slug}/",
        "listing": "/en/tutorials/",
        "catalogue": "/en/resources/",
        "index": f"/en{index_url}",
        "tutorial": f"/en{tutorial_url}",
    }


if __name__ == "__main__":
    main()
