"""Anti-spam: posting rates (stricter for new members, per IP too), link caps, duplicates."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community import services
from community.models import Question

pytestmark = pytest.mark.django_db

# One second into a day: every fixed window (15 s, minute, hour, day) starts together,
# so a test's requests can never straddle a window boundary and flake.
FROZEN = 86400 * 20833 + 1


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    import types

    import core.ratelimit

    monkeypatch.setattr(core.ratelimit, "time", types.SimpleNamespace(time=lambda: FROZEN))


@pytest.fixture
def default_rates(settings):
    settings.HUIJU_RATE_LIMITS = {}


def ask_as(user, n, ip=None):
    return services.question_ask(
        author=user,
        title=f"Rate limited question number {n}",
        body=f"The body of rate limited question {n}.",
        tags=["limits"],
        ip=ip,
    )


def test_one_question_per_15_seconds(default_rates, asker):
    ask_as(asker, 1)
    with pytest.raises(services.RateLimited) as error:
        ask_as(asker, 2)
    assert 0 < error.value.retry_after <= 15
    assert Question.objects.count() == 1


def test_new_members_are_limited_more_strictly(settings, newbie, asker):
    settings.HUIJU_RATE_LIMITS = {"question": {"member": "3/m", "new": "1/m", "ip": "100/m"}}
    ask_as(asker, 1)
    ask_as(asker, 2)  # an established member may ask again within the minute
    ask_as(newbie, 3)
    with pytest.raises(services.RateLimited):
        ask_as(newbie, 4)


def test_per_ip_limit_across_accounts(settings, make_user):
    settings.HUIJU_RATE_LIMITS = {"question": {"member": "100/m", "new": "100/m", "ip": "2/h"}}
    users = [make_user(f"sock{i}", reputation=100) for i in range(3)]
    ask_as(users[0], 1, ip="203.0.113.9")
    ask_as(users[1], 2, ip="203.0.113.9")
    with pytest.raises(services.RateLimited):
        ask_as(users[2], 3, ip="203.0.113.9")
    ask_as(users[2], 4, ip="198.51.100.1")


def test_invalid_input_does_not_spend_the_rate(default_rates, asker):
    with pytest.raises(ValidationError):
        services.question_ask(author=asker, title="short", body="x", tags=["a"])
    ask_as(asker, 1)


def test_votes_and_comments_are_rate_limited(settings, ask, answer_to, make_user):
    settings.HUIJU_RATE_LIMITS = {
        "vote": {"member": "2/m", "new": "1/m", "ip": "100/m"},
        "comment": {"member": "1/m", "new": "1/m", "ip": "100/m"},
    }
    question = ask()
    answers = [answer_to(question, author=make_user(f"ans{i}", reputation=10)) for i in range(3)]
    voter = make_user("fastvoter", reputation=500)
    services.vote_cast(user=voter, post=answers[0], value=1)
    services.vote_cast(user=voter, post=answers[1], value=1)
    with pytest.raises(services.RateLimited):
        services.vote_cast(user=voter, post=answers[2], value=1)
    services.comment_create(author=voter, question=question, body="First comment here")
    with pytest.raises(services.RateLimited):
        services.comment_create(author=voter, question=question, body="Second comment here")


def test_new_members_may_post_at_most_two_links(newbie, asker):
    body = (
        "See https://a.example [a](https://a.example) [b](https://b.example) [c](https://c.example)"
    )
    with pytest.raises(ValidationError) as error:
        services.question_ask(author=newbie, title="Which link is right?", body=body, tags=["x"])
    assert "body" in error.value.message_dict
    services.question_ask(author=asker, title="Which link is right?", body=body, tags=["x"])
    two = "Compare [a](https://a.example) with ![img](https://b.example/x.png) please."
    services.question_ask(author=newbie, title="Two links are fine", body=two, tags=["x"])


def test_duplicate_content_is_blocked(ask, answer_to, asker, answerer):
    first = ask(title="Same question posted twice", body="Exactly the same body text here.")
    with pytest.raises(ValidationError):
        ask(title="Same question posted twice again", body="Exactly  the same body TEXT here.")
    answer_to(first, body="Same answer body for the test.")
    with pytest.raises(ValidationError):
        answer_to(first, body="Same answer body for the test.")
    other = ask()
    answer_to(other, body="Same answer body for the test.")  # another question is fine
    services.comment_create(author=answerer, question=first, body="Same comment")
    with pytest.raises(ValidationError):
        services.comment_create(author=answerer, question=first, body="same comment")


def test_rate_limited_page_says_when_to_retry(default_rates, client, asker, answerer, ask):
    question = ask()
    client.force_login(answerer)
    url = reverse("community:answer_create", args=[question.pk])
    client.post(url, {"body": "The first answer, long enough."})
    response = client.post(url, {"body": "A second answer right away, long enough."})
    assert response.status_code == 400
    assert "A second answer right away" in response.content.decode()  # nothing lost
    vote_url = reverse("community:vote", args=["question", question.pk])
    for _ in range(30):
        client.post(vote_url, {"value": "1"})
    limited = client.post(vote_url, {"value": "0"}, headers={"Accept": "application/json"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
