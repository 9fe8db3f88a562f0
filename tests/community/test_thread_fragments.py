"""The question page assembles its thread from per-post fragments shared between readers
with the same viewer state (community.thread): each reader still sees their own votes,
actions and comments, and every form carries that reader's own, valid CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from community import services, thread

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def question(ask):
    return ask()


@pytest.fixture
def url(question):
    with translation.override("en"):
        return question.get_absolute_url()


def answer_block(html: str, answer) -> str:
    return html.split(f'id="answer-{answer.pk}"')[1].split('class="qa-post ')[0]


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert thread.CSRF_PLACEHOLDER not in html
    return html


def test_readers_sharing_fragments_see_their_own_votes(
    url, question, answer_to, voter, make_user, django_capture_on_commit_callbacks
):
    answer = answer_to(question)
    other = make_user("other", reputation=500)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=voter, post=answer, value=1)
    mine, theirs = Client(), Client()
    mine.force_login(voter)
    theirs.force_login(other)
    for _ in range(2):  # the second round comes from the fragment cache
        assert 'aria-pressed="true"' in answer_block(page(mine, url), answer)
        assert 'aria-pressed="true"' not in answer_block(page(theirs, url), answer)


def test_forms_carry_the_readers_own_valid_token(url, question, answer_to, voter, make_user):
    answer = answer_to(question)
    other = make_user("other", reputation=500)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(other)
    second.force_login(voter)
    page(first, url)  # caches the fragments for this viewer state
    html = page(second, url)  # same state: served from the cache
    tokens = TOKEN.findall(answer_block(html, answer))  # masked per request, never shared
    assert tokens
    response = second.post(
        f"/en/posts/answer/{answer.pk}/vote/", {"value": "1", "csrfmiddlewaretoken": tokens[0]}
    )
    assert response.status_code in (200, 302)
    answer.refresh_from_db()
    assert answer.score == 1


def test_comment_authors_get_their_delete_button_from_shared_fragments(
    url, question, answer_to, voter, make_user, django_capture_on_commit_callbacks
):
    answer = answer_to(question)
    other = make_user("other", reputation=500)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(author=voter, answer=answer, body="Which version?")
    reader, author = Client(), Client()
    reader.force_login(other)
    author.force_login(voter)
    delete = f'action="/en/comments/{comment.pk}/delete/"'
    for _ in range(2):
        assert delete not in page(reader, url)
        assert delete in page(author, url)


def test_fragments_follow_writes(
    url, question, answer_to, voter, asker, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(voter)
    assert "No answers yet" in page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_to(question, body="An answer that must show up for members.")
    html = page(client, url)
    assert "An answer that must show up for members." in html
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(answer=answer, user=asker)
    assert "qa-answer--accepted" in page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_edit(answer=answer, editor=answer.author, body="Edited for members.")
    html = page(client, url)
    assert "Edited for members." in html
    assert "An answer that must show up for members." not in html


def test_the_asker_gets_accept_buttons_others_do_not(url, question, answer_to, asker, voter):
    answer = answer_to(question)
    accept = f'action="/en/answers/{answer.pk}/accept/"'
    owner, reader = Client(), Client()
    owner.force_login(asker)
    reader.force_login(voter)
    for _ in range(2):
        assert accept not in page(reader, url)
        assert accept in page(owner, url)


def test_follow_state_and_count_are_per_reader(url, question, voter, make_user):
    follower, reader = Client(), Client()
    follower.force_login(voter)
    reader.force_login(make_user("other", reputation=500))
    page(follower, url), page(reader, url)  # cache both readers' fragments
    services.question_follow(question=question, user=voter)
    mine, theirs = page(follower, url), page(reader, url)
    assert 'name="follow" value="0"' in mine and 'name="follow" value="1"' in theirs
    for html in (mine, theirs):
        assert "<dt>Followers</dt><dd>2</dd>" in html  # with the asker, who follows
