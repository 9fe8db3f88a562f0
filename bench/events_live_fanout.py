"""Live-room fan-out benchmark: N WebSocket clients in one room of a Daphne server.

Starts Daphne (one process, the Redis channel layer) on a free port, connects N
clients to one live session (most as guests, ``--senders`` as signed-in members),
and has the members ask questions and upvote at a steady ``--rate`` for
``--duration`` seconds. Every client records when each broadcast arrives; the
latency of a broadcast at a client is arrival time minus the moment the member
sent the request. Prints, per N: p50/p95/p99 fan-out latency, frames delivered
per second, and the share of deliveries within 500 ms; then the largest N at
which 95 % of broadcasts arrive within 500 ms and whether the target
(1,000 clients, p99 ≤ 250 ms) is met.

    DATABASE_URL=postgres://… REDIS_URL=redis://…/4 \\
        python bench/events_live_fanout.py --clients 100,500,1000,1500 --duration 15

Needs PostgreSQL (the database is migrated first) and Redis; run from the repo root.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict, deque
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_ENV = {
    "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-not-for-production"),
    "HTTPS": "0",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CHANNEL_LAYER_PREFIX": "huiju-bench",
    "CACHE_KEY_PREFIX": "huiju-bench",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(BENCH_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(senders: int) -> tuple[str, list[str]]:
    """Create a live session and ``senders`` members; return its slug and their cookies."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from events.models import LiveSession
    from knowledge.models import Platform, Subdomain

    call_command("migrate", verbosity=0)
    subdomain, _ = Subdomain.objects.get_or_create(
        slug="bench", defaults={"name_zh_hans": "基准", "name_zh_hant": "基準", "name_en": "Bench"}
    )
    platform, _ = Platform.objects.get_or_create(
        slug="bench",
        defaults={
            "subdomain": subdomain,
            "name_zh_hans": "基准",
            "name_zh_hant": "基準",
            "name_en": "Bench",
            "year_designated": 2017,
        },
    )
    now = timezone.now()
    session = LiveSession.objects.create(
        slug=f"bench-{int(time.time())}",
        title="Fan-out benchmark",
        platform=platform,
        subdomain=subdomain,
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        status=LiveSession.Status.LIVE,
    )
    cookies = []
    for index in range(senders):
        user, _ = User.objects.get_or_create(username=f"bench_member_{index}")
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies["sessionid"].value)
    return session.slug, cookies


class Stats:
    def __init__(self) -> None:
        self.ask_sent: dict[str, float] = {}
        self.vote_sent: dict[int, deque[float]] = defaultdict(deque)
        self.vote_time: dict[tuple[int, int], float] = {}
        self.latencies: list[float] = []
        self.by_kind: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.delivered = 0
        self.measuring = False

    def sent_time(self, frame: dict) -> float | None:
        if frame["type"] == "question.new":
            body = frame["question"]["body_html"]
            start = body.find("bench-")
            if start < 0:
                return None
            return self.ask_sent.get(body[start : body.find(" ", start)])
        if frame["type"] == "question.votes":
            key = (frame["id"], frame["vote_count"])
            if key not in self.vote_time:
                queue = self.vote_sent.get(frame["id"])
                if not queue:
                    return None
                self.vote_time[key] = queue.popleft()  # votes on a question commit in order
            return self.vote_time[key]
        return None


async def client(url: str, origin: str, cookie: str | None, stats: Stats, ready, stop) -> None:
    import websockets

    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    async with websockets.connect(
        url, origin=origin, additional_headers=headers, max_queue=None, ping_interval=None
    ) as ws:
        await ws.send(json.dumps({"type": "sync", "last_seq": None}))
        ready()
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
            except TimeoutError:
                continue
            now = time.perf_counter()
            if '"seq"' not in raw or not stats.measuring:
                continue
            frame = json.loads(raw)
            sent = stats.sent_time(frame)
            if sent is not None:
                stats.latencies.append(now - sent)
                stats.by_kind[frame["type"]].append(now - sent)
                stats.delivered += 1


async def sender_loop(url, origin, cookies, stats: Stats, rate: float, duration: float) -> int:
    """Members ask (1 in 5) and upvote (4 in 5) questions at ``rate`` requests per second."""
    import websockets

    sockets = [
        await websockets.connect(
            url, origin=origin, additional_headers={"Cookie": f"sessionid={c}"}
        )
        for c in cookies
    ]
    voted: set[tuple[int, int]] = set()
    questions: list[int] = []
    pending_asks: dict[int, str] = {}
    sent = 0

    async def drain(index, ws):
        async for raw in ws:
            frame = json.loads(raw)
            if (
                frame.get("type") == "ack"
                and "question_id" in frame
                and frame.get("ref") in pending_asks
            ):
                pending_asks.pop(frame["ref"])
                questions.append(frame["question_id"])

    drains = [asyncio.create_task(drain(i, ws)) for i, ws in enumerate(sockets)]
    start = time.perf_counter()
    interval = 1 / rate
    ref = asks = votes = 0
    while time.perf_counter() - start < duration:
        ref += 1
        # Round-robin asks and votes separately, so each member stays within its limits.
        index = votes % len(sockets)
        choices = [q for q in questions[-20:] if (index, q) not in voted]
        if ref % 5 == 1 or not choices:
            index = asks % len(sockets)
            asks += 1
            token = f"bench-{ref}"
            pending_asks[ref] = token
            stats.ask_sent[token] = time.perf_counter()
            await sockets[index].send(
                json.dumps({"type": "ask", "body": f"{token} how fast is fan-out?", "ref": ref})
            )
        else:
            votes += 1
            question = random.choice(choices)
            voted.add((index, question))
            stats.vote_sent[question].append(time.perf_counter())
            await sockets[index].send(
                json.dumps({"type": "vote", "question_id": question, "ref": ref})
            )
        sent += 1
        await asyncio.sleep(max(0, start + ref * interval - time.perf_counter()))
    await asyncio.sleep(2)  # let the last broadcasts arrive
    for task in drains:
        task.cancel()
    for ws in sockets:
        await ws.close()
    return sent


async def run_level(port: int, slug: str, cookies, clients: int, rate: float, duration: float):
    url = f"ws://127.0.0.1:{port}/ws/live/{slug}/"
    origin = f"http://127.0.0.1:{port}"
    stats = Stats()
    stop = asyncio.Event()
    connected = 0

    def ready():
        nonlocal connected
        connected += 1

    tasks = []
    for index in range(clients):
        tasks.append(asyncio.create_task(client(url, origin, None, stats, ready, stop)))
        if index % 100 == 99:
            await asyncio.sleep(0.2)  # connect in waves, like an audience arriving
    deadline = time.perf_counter() + 60
    while connected < clients and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(2)
    stats.measuring = True
    began = time.perf_counter()
    sent = await sender_loop(url, origin, cookies, stats, rate, duration)
    elapsed = time.perf_counter() - began
    stats.measuring = False
    stop.set()
    # Closing handshakes can stall under load; never let them hold up the figures.
    await asyncio.wait(tasks, timeout=15)
    for task in tasks:
        task.cancel()
    lat_ms = [value * 1000 for value in stats.latencies]
    if os.environ.get("BENCH_DEBUG"):
        for kind, values in stats.by_kind.items():
            print(kind, len(values), "p50", percentile(values, 50) * 1000)
        print("errors", dict(stats.errors))
    expected = sent * clients  # every listening client should get every broadcast
    within = sum(1 for value in lat_ms if value <= 500)
    return {
        "clients": clients,
        "connected": connected,
        "requests": sent,
        "delivered": stats.delivered,
        "expected": expected,
        "per_second": stats.delivered / elapsed,
        "p50": percentile(lat_ms, 50),
        "p95": percentile(lat_ms, 95),
        "p99": percentile(lat_ms, 99),
        "mean": statistics.fmean(lat_ms) if lat_ms else float("nan"),
        "within_500": within / expected if expected else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="100,250,500,1000,1500,2000")
    parser.add_argument("--senders", type=int, default=40)
    parser.add_argument("--rate", type=float, default=10.0, help="requests per second in total")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per level")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the benchmark needs both.")

    slug, cookies = prepare(args.senders)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            *(
                ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]]
                if os.environ.get("BENCH_PROFILE")
                else []
            ),
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env={**os.environ, **BENCH_ENV},
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"Daphne (1 process, Redis layer) on :{port}; room {slug}; {args.senders} members "
            f"sending {args.rate:g} req/s (1/5 asks, 4/5 upvotes) for {args.duration:g} s per level"
        )
        print(
            f"{'clients':>8} {'conn':>6} {'req':>5} {'delivered':>10} {'frames/s':>9} "
            f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'≤500ms':>7}"
        )
        results = []
        for clients in [int(n) for n in args.clients.split(",")]:
            result = asyncio.run(run_level(port, slug, cookies, clients, args.rate, args.duration))
            results.append(result)
            print(
                f"{result['clients']:>8} {result['connected']:>6} {result['requests']:>5} "
                f"{result['delivered']:>10} {result['per_second']:>9.0f} {result['p50']:>8.1f} "
                f"{result['p95']:>8.1f} {result['p99']:>8.1f} {result['within_500']:>7.1%}",
                flush=True,
            )
        good = [r["clients"] for r in results if r["within_500"] >= 0.95]
        print(f"Largest N with 95% of broadcasts within 500 ms: {max(good) if good else 'none'}")
        at_1000 = next((r for r in results if r["clients"] == 1000), None)
        if at_1000:
            verdict = (
                "met" if at_1000["p99"] <= 250 and at_1000["within_500"] >= 0.95 else "NOT met"
            )
            print(f"Target (1,000 clients, p99 ≤ 250 ms): {verdict} (p99 {at_1000['p99']:.0f} ms)")
    finally:
        server.send_signal(2)  # SIGINT: Daphne stops cleanly (and a profile is written)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
