"""Contract tests for the Q&A endpoints: success, denied, invalid, not found, query counts."""

import itertools

import pytest

from community import services
from community.models import Answer, Comment, Question, Tag

pytestmark = pytest.mark.django_db

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def relaxed_rate_limits(settings):
    from community.conf import DEFAULT_RATE_LIMITS

    settings.HUIJU_RATE_LIMITS = {
        action: dict.fromkeys(tiers, "10000/s") for action, tiers in DEFAULT_RATE_LIMITS.items()
    }


@pytest.fixture
def asker(make_user):
    return make_user("asker", reputation=200)


@pytest.fixture
def answerer(make_user):
    return make_user("answerer", reputation=200)


@pytest.fixture
def ask(asker):
    def make(author=None, tags=("python",), **fields):
        n = next(_n)
        fields.setdefault("title", f"How do I build the perception module, case {n}?")
        fields.setdefault("body", f"I followed the guide but the build fails at step {n}. Why?")
        return services.question_ask(author=author or asker, tags=list(tags), **fields)

    return make


@pytest.fixture
def thread(ask, asker, answerer):
    question = ask(tags=("python", "lidar"))
    answer = services.answer_create(
        question=question, author=answerer, body="Install the toolchain first, it works."
    )
    services.comment_create(author=answerer, question=question, body="Which version?")
    services.comment_create(author=asker, answer=answer, body="Thanks, that fixed it!")
    return question, answer


def test_question_list_detail_and_etag(api, thread):
    question, answer = thread
    data = api.get("/api/v1/questions/").json()
    assert [q["id"] for q in data["results"]] == [question.pk]
    assert data["results"][0]["tags"] == ["python", "lidar"]
    assert data["results"][0]["author"] == "asker"
    detail = api.get(f"/api/v1/questions/{question.pk}/")
    body = detail.json()
    assert body["answers"][0]["id"] == answer.pk
    assert body["answers"][0]["comments"][0]["body"] == "Thanks, that fixed it!"
    assert body["comments"][0]["body"] == "Which version?"
    assert "email" not in detail.content.decode()
    assert (
        api.get(f"/api/v1/questions/{question.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code
        == 304
    )
    assert api.get("/api/v1/questions/999999/").status_code == 404


def test_deleted_posts_are_never_served(api, thread, make_user):
    question, answer = thread
    Comment.objects.filter(answer=answer).update(is_deleted=True)
    detail = api.get(f"/api/v1/questions/{question.pk}/").json()
    assert detail["answers"][0]["comments"] == []
    Answer.objects.filter(pk=answer.pk).update(is_deleted=True)
    assert api.get(f"/api/v1/answers/{answer.pk}/").status_code == 404
    assert api.get(f"/api/v1/questions/{question.pk}/").json()["answers"] == []
    Question.objects.filter(pk=question.pk).update(is_deleted=True)
    assert api.get(f"/api/v1/questions/{question.pk}/").status_code == 404
    assert api.get("/api/v1/questions/").json()["results"] == []
    assert api.get("/api/v1/comments/").json()["results"] == []


def test_question_filters(api, ask, catalogue):
    from knowledge.models import Subdomain

    driving = Subdomain.objects.get(slug="autonomous-driving")
    tagged = ask(tags=("lidar",), subdomain=driving)
    about = ask(resources=[(catalogue["apollo"], None)])
    plain = ask()
    ids = lambda url: [q["id"] for q in api.get(url).json()["results"]]  # noqa: E731
    assert ids("/api/v1/questions/?tag=lidar") == [tagged.pk]
    assert ids("/api/v1/questions/?subdomain=autonomous-driving") == [tagged.pk]
    assert ids("/api/v1/questions/?resource=apollo") == [about.pk]
    assert ids("/api/v1/questions/?status=open") == [plain.pk, about.pk, tagged.pk]
    assert ids("/api/v1/questions/?status=answered") == []
    assert ids("/api/v1/questions/?sort=unanswered&page_size=2") == [plain.pk, about.pk]
    assert ids("/api/v1/questions/?since=2999-01-01T00:00:00Z") == []
    for bad in ("tag=nope", "subdomain=nope", "status=nope", "sort=nope", "since=x"):
        assert api.get(f"/api/v1/questions/?{bad}").status_code == 400, bad


def test_question_list_query_count_is_bounded(api, ask, django_assert_num_queries):
    ask(tags=("python", "lidar"))
    with django_assert_num_queries(2):  # page + tags
        assert len(api.get("/api/v1/questions/").json()["results"]) == 1
    for _ in range(6):
        ask(tags=("python", "lidar", "ros"))
    with django_assert_num_queries(2):
        assert len(api.get("/api/v1/questions/").json()["results"]) == 7


def test_ask_with_write_token(api, bearer, asker, catalogue):
    response = api.post(
        "/api/v1/questions/",
        {
            "title": "How do I calibrate the lidar in Apollo 9?",
            "body": "The calibration tool exits without output. What am I missing?",
            "tags": ["lidar", "apollo"],
            "subdomain": "autonomous-driving",
            "resources": ["apollo"],
        },
        format="json",
        **bearer(asker, ["read", "write"]),
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["tags"] == ["lidar", "apollo"] and data["resources"][0]["resource"] == "apollo"
    assert Question.objects.get(pk=data["id"]).author == asker


def test_ask_denied_and_invalid(api, bearer, asker, make_user):
    payload = {"title": "A question title long enough?", "body": "x" * 40, "tags": ["python"]}
    assert api.post("/api/v1/questions/", payload, format="json").status_code in (401, 403)
    read_only = bearer(asker, ["read"])
    assert api.post("/api/v1/questions/", payload, format="json", **read_only).status_code == 403
    write = bearer(asker, ["write"])
    short = api.post("/api/v1/questions/", {**payload, "body": "short"}, format="json", **write)
    assert short.status_code == 400 and "body" in short.json()
    no_tags = api.post("/api/v1/questions/", {**payload, "tags": []}, format="json", **write)
    assert no_tags.status_code == 400
    missing = api.post("/api/v1/questions/", {"title": "t"}, format="json", **write)
    assert missing.status_code == 400 and "body" in missing.json()
    nobody = make_user("nobody", reputation=0)
    denied = api.post("/api/v1/questions/", payload, format="json", **bearer(nobody, ["write"]))
    assert denied.status_code == 403
    assert not Question.objects.exists()


def test_rate_limited_ask_is_429_with_retry_after(api, bearer, asker, settings):
    from community.conf import DEFAULT_RATE_LIMITS

    settings.HUIJU_RATE_LIMITS = {
        **{a: dict.fromkeys(t, "10000/s") for a, t in DEFAULT_RATE_LIMITS.items()},
        "question": {"member": "1/h", "new": "1/h", "ip": "100/h"},
    }
    write = bearer(asker, ["write"])
    for n, expected in ((1, 201), (2, 429)):
        response = api.post(
            "/api/v1/questions/",
            {
                "title": f"Rate limited question number {n}?",
                "body": f"Body text {n} " * 5,
                "tags": ["python"],
            },
            format="json",
            **write,
        )
        assert response.status_code == expected
    assert int(response["Retry-After"]) > 0


def test_answer_comment_vote_accept(api, bearer, ask, asker, answerer, make_user):
    question = ask()
    writer = bearer(answerer, ["write"])
    created = api.post(
        f"/api/v1/questions/{question.pk}/answers/",
        {"body": "Rebuild with the GPU flag enabled."},
        format="json",
        **writer,
    )
    assert created.status_code == 201
    answer_id = created.json()["id"]
    comment = api.post(
        f"/api/v1/answers/{answer_id}/comments/", {"body": "Tried it."}, format="json", **writer
    )
    assert comment.status_code == 201 and comment.json()["answer"] == answer_id
    on_question = api.post(
        f"/api/v1/questions/{question.pk}/comments/", {"body": "Which OS?"}, format="json", **writer
    )
    assert on_question.status_code == 201
    vote = api.post(f"/api/v1/questions/{question.pk}/vote/", {"value": 1}, format="json", **writer)
    assert vote.status_code == 200 and vote.json() == {"value": 1, "score": 1}
    retract = api.post(
        f"/api/v1/questions/{question.pk}/vote/", {"value": 0}, format="json", **writer
    )
    assert retract.json()["score"] == 0
    # Only the asker may accept.
    assert api.post(f"/api/v1/answers/{answer_id}/accept/", **writer).status_code == 403
    accepted = api.post(f"/api/v1/answers/{answer_id}/accept/", **bearer(asker, ["write"]))
    assert accepted.status_code == 200 and accepted.json()["is_accepted"] is True
    assert Question.objects.get(pk=question.pk).accepted_answer_id == answer_id
    listed = api.get(f"/api/v1/answers/?question={question.pk}").json()["results"]
    assert [a["id"] for a in listed] == [answer_id]
    assert len(api.get(f"/api/v1/comments/?question={question.pk}").json()["results"]) == 1


def test_write_errors(api, bearer, ask, asker, answerer):
    question = ask()
    writer = bearer(answerer, ["write"])
    read_only = bearer(answerer, ["read"])
    url = f"/api/v1/questions/{question.pk}/"
    assert (
        api.post(url + "answers/", {"body": "Long enough answer."}, **read_only).status_code == 403
    )
    assert api.post(url + "answers/", {"body": "Long enough answer."}).status_code in (401, 403)
    assert api.post(url + "answers/", {"body": "no"}, format="json", **writer).status_code == 400
    assert api.post(url + "vote/", {"value": 5}, format="json", **writer).status_code == 400
    own = api.post(url + "vote/", {"value": 1}, format="json", **bearer(asker, ["write"]))
    assert own.status_code == 400  # cannot vote on one's own post
    assert api.post(url + "comments/", {"body": ""}, format="json", **writer).status_code == 400
    for missing in ("/api/v1/questions/999999/vote/", "/api/v1/answers/999999/accept/"):
        assert api.post(missing, {"value": 1}, format="json", **writer).status_code == 404
    assert api.get("/api/v1/answers/999999/").status_code == 404
    assert api.get("/api/v1/comments/999999/").status_code == 404
    assert api.get("/api/v1/answers/?question=x").status_code == 400


def test_tags_with_synonyms(api, ask):
    ask(tags=("python",))
    python = Tag.objects.get(name="python")
    Tag.objects.create(name="py", slug="py", canonical=python)
    listed = api.get("/api/v1/tags/").json()["results"]
    assert [t["name"] for t in listed] == ["python"] and listed[0]["synonyms"] == ["py"]
    detail = api.get(f"/api/v1/tags/{python.slug}/").json()
    assert detail["synonyms"] == ["py"] and detail["question_count"] == 1
    assert api.get("/api/v1/tags/py/").json()["canonical"] == "python"
    assert api.get("/api/v1/tags/nope/").status_code == 404
    assert [t["name"] for t in api.get("/api/v1/tags/?q=pyt").json()["results"]] == ["python"]


def _grow(ask, answerer, n):
    for _ in range(n):
        question = ask(tags=("python", f"topic-{next(_n)}"))
        answer = services.answer_create(
            question=question, author=answerer, body="Install the toolchain first, it works."
        )
        services.comment_create(author=answerer, question=question, body="Which version?")
        services.comment_create(author=answerer, answer=answer, body="Works on 9.0 too.")
    return question


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/answers/", 2),  # page + comments
        ("/api/v1/comments/", 1),
        ("/api/v1/tags/", 2),  # page + synonyms
    ],
)
def test_list_query_counts_do_not_grow(api, ask, answerer, url, queries, django_assert_num_queries):
    _grow(ask, answerer, 1)
    with django_assert_num_queries(queries):
        small = len(api.get(url).json()["results"])
    _grow(ask, answerer, 5)
    with django_assert_num_queries(queries):
        assert len(api.get(url).json()["results"]) > small


def test_thread_query_count_does_not_grow_with_answers(
    api, ask, answerer, make_user, django_assert_num_queries
):
    question = _grow(ask, answerer, 1)
    url = f"/api/v1/questions/{question.pk}/"
    with django_assert_num_queries(6):
        api.get(url)
    for n in range(4):
        other = make_user(f"helper{n}", reputation=200)
        answer = services.answer_create(
            question=question, author=other, body=f"Another fix {n} here."
        )
        services.comment_create(author=other, answer=answer, body=f"Note {n} on it.")
    with django_assert_num_queries(6):
        assert len(api.get(url).json()["answers"]) == 5


def test_closed_question_refuses_answers_and_votes_are_rate_limited(
    api, bearer, ask, answerer, settings
):
    from community.conf import DEFAULT_RATE_LIMITS

    question = ask()
    writer = bearer(answerer, ["write"])
    settings.HUIJU_RATE_LIMITS = {
        **{a: dict.fromkeys(t, "10000/s") for a, t in DEFAULT_RATE_LIMITS.items()},
        "vote": {"member": "1/h", "new": "1/h", "ip": "100/h"},
    }
    url = f"/api/v1/questions/{question.pk}/"
    assert api.post(url + "vote/", {"value": 1}, format="json", **writer).status_code == 200
    limited = api.post(url + "vote/", {"value": 0}, format="json", **writer)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert Question.objects.get(pk=question.pk).score == 1  # the refused retraction changed nothing
    Question.objects.filter(pk=question.pk).update(status="closed")
    refused = api.post(
        url + "answers/", {"body": "A late but long answer."}, format="json", **writer
    )
    assert refused.status_code == 403
    assert not Answer.objects.filter(question=question).exists()
