"""Generate a large Q&A data set for benchmarks: 100,000 questions by default.

Mixed Chinese/English questions with 1–5 tags (a few tags are very popular, most
are rare), 0–5 answers each (some accepted), comments on questions and answers,
and votes; counters (score, answer_count, comment_count, question_count) are then
set from the rows with SQL so the data is consistent. Bodies are Markdown rendered
through core.markdown (a pool of rendered bodies is reused for speed).

    DATABASE_URL=postgres://… python bench/community_generate.py --questions 100000

Run from the repository root on a throw-away PostgreSQL database (it adds rows,
it does not delete any). Prints progress and the time each phase took.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BATCH = 5000

TOPICS_ZH = [
    "自动驾驶", "点云", "激光雷达", "语音识别", "语音合成", "目标检测", "图像分割", "医疗影像",
    "城市大脑", "交通预测", "知识图谱", "推荐系统", "联邦学习", "模型压缩", "边缘部署", "OCR",
]  # fmt: skip
TOPICS_EN = [
    "apollo", "cyber-rt", "pytorch", "tensorflow", "onnx", "tensorrt", "cuda", "docker",
    "kubernetes", "python", "c++", "rust", "go", "mmdetection", "paddle", "dicom", "asr", "tts",
    "websocket", "grpc", "bazel", "ros2", "opencv", "numpy",
]  # fmt: skip
TITLES_ZH = [
    "{a} 在 {b} 环境下报错，如何排查？",
    "如何用 {a} 处理 {b} 数据？",
    "{a} 训练时显存不足怎么办（{b}）",
    "{a} 与 {b} 的性能对比有没有基准数据？",
    "部署 {a} 模型到 {b} 时精度下降",
]
TITLES_EN = [
    "How do I configure {a} together with {b}?",
    "{a} crashes on start-up when {b} is enabled",
    "Why is {a} so slow with {b} on a 2-core machine?",
    "Best way to export a {a} model for {b}",
    "Unexpected output from {a} after upgrading {b}",
]
BODY_ZH = (
    "我在使用 **{a}** 时遇到了问题。环境：Ubuntu 22.04，{b}。\n\n"
    "复现步骤：\n\n1. 安装依赖\n2. 运行下面的代码\n\n```python\nimport {mod}\n\n"
    "model = {mod}.load('checkpoint-{n}.pt')\nprint(model(data))\n```\n\n"
    "报错信息如下：\n\n```text\nRuntimeError: shape mismatch at layer {n}\n```\n\n"
    "请问应该如何解决？已经尝试过重新安装，但问题依旧。"
)
BODY_EN = (
    "I am trying to use **{a}** with {b}. The setup is a fresh container.\n\n"
    "| step | result |\n|---|---|\n| install | ok |\n| run | fails |\n\n"
    "```python\nimport {mod}\n\nclient = {mod}.Client(timeout={n})\nclient.run()\n```\n\n"
    "It fails with `TimeoutError` after {n} seconds. What am I missing?"
)
ANSWER_BODIES = [
    "检查一下版本是否匹配，然后清理缓存重新编译：\n\n```bash\nmake clean && make -j2\n```",
    "Set the environment variable before starting the process; the default is too small.",
    "这是已知问题，升级到最新版本即可解决。也可以临时把 batch size 调小。",
    "You need to pass the config explicitly:\n\n```python\nrun(config='prod.yaml')\n```",
    "我遇到过同样的问题，原因是数据预处理和训练时不一致，统一归一化参数后就好了。",
]
COMMENTS = ["谢谢，有用！", "Which version are you on?", "能贴一下完整日志吗？", "+1, same here."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--tags", type=int, default=600)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--years", type=float, default=3.0, help="questions are spread over this many past years"
    )
    args = parser.parse_args()

    import django

    django.setup()
    generate(args)


def _restore_dates(table: str, column: str, ids: list[int], dates: list) -> None:
    """Set ``column`` back to the generated dates (``auto_now_add`` replaced them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} t SET {column} = v.value "  # noqa: S608 - names are constants
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, value) WHERE t.id = v.id",
            [ids, dates],
        )


def phase(name: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {name}: {now - started:.1f} s", flush=True)
    return now


def generate(args) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Profile, User
    from community.models import Answer, Comment, Question, QuestionTag, Tag, Vote, tag_slug
    from core.markdown import render_markdown
    from knowledge.models import Subdomain

    rng = random.Random(args.seed)
    run = f"b{int(time.time())}"
    started = time.perf_counter()
    print(f"Generating {args.questions:,} questions (run {run})…", flush=True)

    users = User.objects.bulk_create(
        [User(username=f"{run}u{i}", password="!", reputation=rng.randint(1, 5000))  # noqa: S106 - unusable
         for i in range(args.users)],
        batch_size=BATCH,
    )  # fmt: skip
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=f"开发者 {i}") for i, u in enumerate(users)],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    started = phase(f"{len(users):,} users", started)

    base_names = TOPICS_EN + TOPICS_ZH
    names = base_names + [
        f"{rng.choice(base_names)}-{run}-{i}" for i in range(max(0, args.tags - len(base_names)))
    ]
    existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
    Tag.objects.bulk_create(
        [Tag(name=n, slug=tag_slug(n)) for n in names if n not in existing],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    tags = list(Tag.objects.filter(name__in=names).values_list("pk", flat=True))
    # Zipf-like popularity: the first tags are used far more often.
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(tags))]
    subdomains = list(Subdomain.objects.values_list("pk", flat=True)) or [None]
    started = phase(f"{len(tags):,} tags", started)

    pool = []
    for n in range(200):
        a, b = rng.choice(TOPICS_EN), rng.choice(TOPICS_ZH + TOPICS_EN)
        template = BODY_ZH if n % 2 == 0 else BODY_EN
        body = template.format(a=a, b=b, mod=a.replace("-", "_").replace("+", "p"), n=n)
        pool.append((body, str(render_markdown(body))))
    answer_pool = [(text, str(render_markdown(text))) for text in ANSWER_BODIES]
    comment_pool = [(text, str(render_markdown(text))) for text in COMMENTS]

    now = timezone.now()
    span = int(args.years * 365 * 24 * 3600)
    done = 0
    while done < args.questions:
        size = min(BATCH, args.questions - done)
        with transaction.atomic():
            questions = []
            for i in range(size):
                a, b = rng.choice(TOPICS_EN), rng.choice(TOPICS_ZH + TOPICS_EN)
                zh = rng.random() < 0.6
                title = rng.choice(TITLES_ZH if zh else TITLES_EN).format(a=a, b=b)
                body, html = pool[rng.randrange(len(pool))]
                # Questions arrive in time order (as on a real site), a little jittered.
                age = span * (1 - (done + i) / args.questions) + rng.randrange(3600)
                created = now - timedelta(seconds=age)
                questions.append(
                    Question(
                        author_id=rng.choice(users).pk,
                        title=f"{title} #{done + i}",
                        body=body,
                        body_html=html,
                        subdomain_id=rng.choice(subdomains),
                        view_count=rng.randint(0, 5000),
                        created_at=created,
                        last_activity_at=created + timedelta(hours=rng.randint(0, 500)),
                    )
                )
            # auto_now_add overwrites the generated dates: put them back.
            asked = [q.created_at for q in questions]
            active = [q.last_activity_at for q in questions]
            questions = Question.objects.bulk_create(questions, batch_size=BATCH)
            ids = [q.pk for q in questions]
            _restore_dates("community_question", "created_at", ids, asked)
            _restore_dates("community_question", "last_activity_at", ids, active)
            for question, created in zip(questions, asked, strict=True):
                question.created_at = created
            links, answers, comments, votes = [], [], [], []
            for question in questions:
                chosen = set(rng.choices(tags, weights=weights, k=rng.randint(1, 5)))
                links += [
                    QuestionTag(
                        question=question,
                        tag_id=tag_id,
                        position=position,
                        question_created_at=question.created_at,
                    )
                    for position, tag_id in enumerate(chosen)
                ]
                for _ in range(rng.choice([0, 0, 1, 1, 2, 2, 3, 5])):
                    text, html = answer_pool[rng.randrange(len(answer_pool))]
                    answers.append(
                        Answer(
                            question=question,
                            author_id=rng.choice(users).pk,
                            body=text,
                            body_html=html,
                            created_at=question.created_at + timedelta(hours=rng.randint(1, 400)),
                        )
                    )
                if rng.random() < 0.3:
                    text, html = comment_pool[rng.randrange(len(comment_pool))]
                    comments.append(
                        Comment(question=question, author_id=rng.choice(users).pk, body=text,
                                body_html=html)
                    )  # fmt: skip
                for voter in rng.sample(users, rng.choice([0, 0, 1, 2, 4])):
                    if voter.pk != question.author_id:
                        votes.append(
                            Vote(user=voter, question=question, value=rng.choice([1, 1, 1, -1]))
                        )
            QuestionTag.objects.bulk_create(links, batch_size=BATCH)
            answered = [a.created_at for a in answers]
            answers = Answer.objects.bulk_create(answers, batch_size=BATCH)
            _restore_dates("community_answer", "created_at", [a.pk for a in answers], answered)
            for answer in answers:
                if rng.random() < 0.4:
                    text, html = comment_pool[rng.randrange(len(comment_pool))]
                    comments.append(
                        Comment(answer=answer, author_id=rng.choice(users).pk, body=text,
                                body_html=html)
                    )  # fmt: skip
                for voter in rng.sample(users, rng.choice([0, 1, 1, 2, 3])):
                    if voter.pk != answer.author_id:
                        votes.append(Vote(user=voter, answer=answer, value=rng.choice([1, 1, -1])))
            Comment.objects.bulk_create(comments, batch_size=BATCH)
            Vote.objects.bulk_create(votes, batch_size=BATCH)
        done += size
        elapsed = time.perf_counter() - started
        print(f"  questions: {done:,}/{args.questions:,} ({elapsed:.0f} s)", flush=True)

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE community_question q SET answer_count = a.n FROM (
              SELECT question_id, count(*) n FROM community_answer GROUP BY question_id
            ) a WHERE a.question_id = q.id AND q.answer_count <> a.n
            """
        )
        for table in ("question", "answer"):
            cursor.execute(
                f"""
                UPDATE community_{table} p SET score = v.s FROM (
                  SELECT {table}_id AS id, sum(value) s FROM community_vote
                  WHERE {table}_id IS NOT NULL GROUP BY {table}_id
                ) v WHERE v.id = p.id AND p.score <> v.s
                """  # noqa: S608 - table names are constants
            )
            cursor.execute(
                f"""
                UPDATE community_{table} p SET comment_count = c.n FROM (
                  SELECT {table}_id AS id, count(*) n FROM community_comment
                  WHERE {table}_id IS NOT NULL GROUP BY {table}_id
                ) c WHERE c.id = p.id AND p.comment_count <> c.n
                """  # noqa: S608 - table names are constants
            )
        # Accept the best answer of about a third of the answered questions.
        cursor.execute(
            """
            WITH best AS (
              SELECT DISTINCT ON (question_id) question_id, id FROM community_answer
              WHERE score > 0 ORDER BY question_id, score DESC, id
            ), chosen AS (SELECT * FROM best WHERE id % 3 = 0)
            UPDATE community_question q SET accepted_answer_id = chosen.id, status = 'answered'
            FROM chosen WHERE chosen.question_id = q.id AND q.accepted_answer_id IS NULL
            """
        )
        cursor.execute(
            """
            UPDATE community_answer a SET is_accepted = true FROM community_question q
            WHERE q.accepted_answer_id = a.id AND NOT a.is_accepted
            """
        )
        cursor.execute(
            """
            UPDATE community_tag t SET question_count = c.n FROM (
              SELECT qt.tag_id, count(*) n FROM community_questiontag qt
              JOIN community_question q ON q.id = qt.question_id AND NOT q.is_deleted
              GROUP BY qt.tag_id
            ) c WHERE c.tag_id = t.id
            """
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    phase("counters, accepted answers, ANALYZE", started)
    print(
        "Totals: "
        + ", ".join(
            f"{model.__name__.lower()}s {model.objects.count():,}"
            for model in (Question, Answer, Comment, Vote, Tag, User)
        )
    )
    print(
        "Reputation is not recomputed for generated members; run "
        "`manage.py recompute_reputation` if you need it consistent."
    )


if __name__ == "__main__":
    main()
