"""question.about_resource and answer.accepted, emitted from the Q&A forum."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from community import services as community
from knowledge.models import OpenResource, ResourceVersion
from webhooks.models import WebhookDelivery, WebhookEndpoint


@pytest.fixture
def hooks(platforms):
    baidu = WebhookEndpoint.objects.create(
        platform=platforms["baidu"],
        url="https://hooks.baidu.example/x",
        events=["question.about_resource", "answer.accepted"],
    )
    iflytek = WebhookEndpoint.objects.create(
        platform=platforms["iflytek"],
        url="https://hooks.iflytek.example/x",
        events=["question.about_resource", "answer.accepted"],
    )
    return {"baidu": baidu, "iflytek": iflytek}


@pytest.fixture
def asr(platforms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return OpenResource.objects.create(
            platform=platforms["iflytek"], slug="asr", name="ASR API", kind="api"
        )


def _ask(make_user, resources, django_capture_on_commit_callbacks, **extra):
    asker = make_user("asker", reputation=200)
    with django_capture_on_commit_callbacks(execute=True):
        question = community.question_ask(
            author=asker,
            title="Apollo lidar driver with the ASR wake word?",
            body="We run Apollo 9.0 perception with a custom lidar and need **help**.",
            tags=["apollo", "lidar"],
            resources=resources,
            **extra,
        )
    return asker, question


def test_a_question_about_resources_reaches_each_resources_platform(
    platforms, hooks, asr, make_user, django_capture_on_commit_callbacks
):
    apollo = platforms["apollo"]
    version = ResourceVersion.objects.create(resource=apollo, version="9.0")
    _asker, question = _ask(
        make_user, [(apollo, version), (asr, None)], django_capture_on_commit_callbacks
    )

    baidu = hooks["baidu"].deliveries.get()
    iflytek = hooks["iflytek"].deliveries.get()
    assert baidu.event == iflytek.event == "question.about_resource"
    data = baidu.payload["data"]
    assert data["resource"]["slug"] == "apollo" and data["resource"]["version"] == "9.0"
    assert iflytek.payload["data"]["resource"]["slug"] == "asr"
    assert data["question"]["id"] == question.pk
    assert data["question"]["title"] == question.title
    assert data["question"]["url"].endswith(f"/questions/{question.pk}/")  # no language prefix
    assert data["question"]["tags"] == ["apollo", "lidar"]
    assert data["question"]["author"]["username"] == "asker"
    assert "**" not in data["question"]["excerpt"]


def test_a_question_without_resources_emits_nothing(
    hooks, make_user, django_capture_on_commit_callbacks
):
    _ask(make_user, [], django_capture_on_commit_callbacks)
    assert not WebhookDelivery.objects.exists()


def test_an_accepted_answer_reaches_the_platforms_of_the_questions_resources(
    platforms, hooks, make_user, django_capture_on_commit_callbacks
):
    asker, question = _ask(
        make_user, [(platforms["apollo"], None)], django_capture_on_commit_callbacks
    )
    WebhookDelivery.objects.all().delete()
    answerer = make_user("answerer", reputation=200)
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = community.answer_create(
            question=question, author=answerer, body="Add a driver under modules/drivers/lidar."
        )
    with django_capture_on_commit_callbacks(execute=True):
        community.answer_accept(answer=answer, user=asker)

    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint == hooks["baidu"]
    assert delivery.event == "answer.accepted"
    data = delivery.payload["data"]
    assert data["answer"]["id"] == answer.pk
    assert data["answer"]["author"]["username"] == "answerer"
    assert data["answer"]["url"].endswith(f"#answer-{answer.pk}")
    assert data["question"]["id"] == question.pk
    assert [r["slug"] for r in data["resources"]] == ["apollo"]
