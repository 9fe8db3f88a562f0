"""Benchmark the Q&A pages: question page, newest list and a tag page.

Requests go through the whole Django stack in-process (middleware, sessions,
templates, the database) with Django's test client, so the figures are server
time without network or web-server overhead. Prints p50/p95/max per page and
requests per second for one process; run ``bench/community_generate.py`` first.

    DATABASE_URL=postgres://… REDIS_URL=redis://… python bench/community_pages.py --requests 300

Target (issue 4): question page p50 ≤ 15 ms at 100,000 questions on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-not-for-production"),
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TARGET_MS = 15.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def measure(client, urls: list[str], warmup: int) -> list[float]:
    for url in urls[:warmup]:
        client.get(url)
    timings = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page kind")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Max, Min
    from django.test import Client
    from django.test.utils import override_settings

    from community.models import Answer, Comment, Question, Tag

    # Serve static URLs without a collectstatic manifest (they are not fetched here).
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    rng = random.Random(args.seed)
    total = Question.objects.filter(is_deleted=False).count()
    bounds = Question.objects.aggregate(low=Min("pk"), high=Max("pk"))
    print(
        f"Data: {total:,} questions, {Answer.objects.count():,} answers, "
        f"{Comment.objects.count():,} comments, {Tag.objects.count():,} tags; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    answered = list(
        Question.objects.filter(is_deleted=False, answer_count__gte=2)
        .filter(pk__gte=rng.randint(bounds["low"], bounds["high"]))
        .values_list("pk", flat=True)[: args.requests]
    )
    popular = Tag.objects.order_by("-question_count").first()
    middle = Tag.objects.filter(question_count__gt=50).order_by("question_count").first() or popular
    hot = [f"/questions/{pk}/" for pk in answered[:20]]
    pages = {
        "baseline: privileges page (no queries)": ["/privileges/"] * args.requests,
        "question page, first view (cold)": [f"/questions/{pk}/" for pk in answered],
        "question page, anonymous (cached thread)": (hot * (args.requests // 20 + 1))[
            : args.requests
        ],
        "question page, signed in (cached fragments)": (hot * (args.requests // 20 + 1))[
            : args.requests
        ],
        "newest list (page 1), anonymous": ["/questions/"] * args.requests,
        "newest list (page 1), signed in": ["/questions/"] * args.requests,
        "newest list (page 50)": ["/questions/?page=50"] * args.requests,
        "votes list": ["/questions/?sort=votes"] * args.requests,
        f"tag page [{popular.name}] ({popular.question_count:,} q)": [popular.get_absolute_url()]
        * args.requests,
        f"tag page [{middle.name}] ({middle.question_count:,} q)": [middle.get_absolute_url()]
        * args.requests,
    }
    from accounts.models import User
    from community.selectors import thread_changed

    for pk in answered:  # make the "first view" rows really cold
        thread_changed(pk)

    anonymous, member = Client(), Client()
    member.force_login(User.objects.filter(is_active=True).order_by("pk").first())
    print(f"{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>8}")
    results = {}
    for name, urls in pages.items():
        client = member if "signed in" in name else anonymous
        warmup = 0 if "cold" in name else min(20, len(urls))
        timings = measure(client, urls, warmup=warmup)
        p50, p95 = statistics.median(timings), percentile(timings, 95)
        rps = len(timings) / (sum(timings) / 1000)
        results[name] = p50
        print(f"{name:44} {p50:8.1f} {p95:8.1f} {max(timings):8.1f} {rps:8.0f}")
    for name in (
        "question page, anonymous (cached thread)",
        "question page, signed in (cached fragments)",
        "question page, first view (cold)",
    ):
        verdict = "met" if results[name] <= TARGET_MS else "NOT met"
        print(f"Target p50 ≤ {TARGET_MS:.0f} ms for {name}: {verdict}")


if __name__ == "__main__":
    main()
