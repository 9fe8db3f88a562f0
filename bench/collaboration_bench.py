"""Collaboration board at scale: generate members, posts and interests, then time the pages.

Run against a throw-away database (it adds rows; ``--clean`` removes them):

    DEBUG=1 DATABASE_URL=postgres://… python bench/collaboration_bench.py --posts 20000 --members 5000

Prints generation time, then p50/p95 latency and query counts of the board list
(unfiltered and filtered), a post page seen by its author (interests and
suggested people), and the people directory filtered by skill.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Profile, User  # noqa: E402
from collaboration.models import (  # noqa: E402
    CollaborationPost,
    Interest,
    MemberSkill,
    Skill,
)
from knowledge.models import Subdomain  # noqa: E402

PREFIX = "bench_collab_"
SKILLS = [f"skill-{i}" for i in range(300)] + ["PyTorch", "点云", "ASR", "Go", "Rust"]


def generate(posts: int, members: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    subdomains = list(Subdomain.objects.all()) or [
        Subdomain.objects.create(
            slug=f"{PREFIX}sub", name_zh_hans="测试", name_zh_hant="測試", name_en="Bench"
        )
    ]
    started = time.perf_counter()
    with transaction.atomic():
        skills = {s.key: s for s in Skill.objects.all()}
        Skill.objects.bulk_create(
            [Skill(name=n, key=n.casefold()) for n in SKILLS if n.casefold() not in skills],
            ignore_conflicts=True,
        )
        skills = list(Skill.objects.filter(key__in=[n.casefold() for n in SKILLS]))
        users = User.objects.bulk_create(
            [
                User(username=f"{PREFIX}{i}", email=f"{PREFIX}{i}@example.com")
                for i in range(members)
            ]
        )
        Profile.objects.bulk_create([Profile(user=u) for u in users], ignore_conflicts=True)
        MemberSkill.objects.bulk_create(
            [
                MemberSkill(user=u, skill=s)
                for u in users
                for s in rng.sample(skills, rng.randint(1, 6))
            ],
            ignore_conflicts=True,
        )
        today = timezone.localdate()
        created = CollaborationPost.objects.bulk_create(
            [
                CollaborationPost(
                    author=rng.choice(users),
                    kind=rng.choice(CollaborationPost.Kind.values),
                    title=f"Bench post {i}",
                    description="Looking for **partners**.",
                    subdomain=rng.choice(subdomains),
                    stage=rng.choice(CollaborationPost.Stage.values),
                    engagement=rng.choice(CollaborationPost.Engagement.values),
                    remote=rng.random() < 0.4,
                    expires_on=today + datetime.timedelta(days=rng.randint(-30, 120)),
                    status="closed" if rng.random() < 0.15 else "open",
                    contact_email="bench@example.com",
                )
                for i in range(posts)
            ],
            batch_size=2000,
        )
        through = CollaborationPost.skills.through
        through.objects.bulk_create(
            [
                through(collaborationpost_id=p.pk, skill_id=s.pk)
                for p in created
                for s in rng.sample(skills, rng.randint(1, 4))
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        Interest.objects.bulk_create(
            [
                Interest(post=p, member=m, message="Interested", contact_email="m@example.com")
                for p in created[: posts // 2]
                for m in rng.sample(users, 3)
                if m.pk != p.author_id
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
    print(
        f"generated {members} members, {posts} posts in {time.perf_counter() - started:.1f}s",
        flush=True,
    )


def clean() -> None:
    CollaborationPost.objects.filter(author__username__startswith=PREFIX).delete()
    User.objects.filter(username__startswith=PREFIX).delete()
    Subdomain.objects.filter(slug__startswith=PREFIX).delete()


def measure(client: Client, label: str, url: str, runs: int) -> None:
    timings, queries = [], 0
    client.get(url)  # warm caches
    for _ in range(runs):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(context)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"{label:<38} p50 {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   "
        f"{queries:3d} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="Keep earlier generated rows.")
    parser.add_argument("--clean", action="store_true", help="Remove generated rows and exit.")
    args = parser.parse_args()
    if args.clean or not args.reuse:
        clean()
        if args.clean:
            print("removed generated rows")
            return
    if not args.reuse:
        generate(args.posts, args.members)
    print(f"database: {connection.vendor}, posts: {CollaborationPost.objects.count()}")
    client = Client(HTTP_HOST="127.0.0.1")
    author_post = (
        CollaborationPost.objects.live()
        .filter(author__username__startswith=PREFIX, interests__isnull=False)
        .first()
    )
    measure(client, "board list", "/en/collaborate/", args.runs)
    measure(
        client, "board list, skill + remote", "/en/collaborate/?skill=PyTorch&remote=on", args.runs
    )
    measure(client, "board list, page 20", "/en/collaborate/?page=20", args.runs)
    measure(client, "people, skill filter", "/en/collaborate/people/?skill=点云", args.runs)
    client.force_login(author_post.author)
    measure(client, "post page as author (suggestions)", author_post.get_absolute_url(), args.runs)
    measure(client, "API list", "/api/v1/collaboration/posts/?skill=Go", args.runs)


if __name__ == "__main__":
    main()
