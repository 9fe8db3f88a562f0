"""Page query counts do not grow with the data (checked at two sizes)."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from community.models import Answer, Comment, Question, QuestionTag, Tag, Vote

pytestmark = pytest.mark.django_db

_n = itertools.count()


def make_thread(author, others, *, answers: int, comments: int, tags) -> Question:
    """A question with ``answers`` answers of ``comments`` comments each (bulk, no services)."""
    n = next(_n)
    question = Question.objects.create(
        author=author, title=f"Thread {n}", body="body", body_html="<p>body</p>"
    )
    for position, tag in enumerate(tags):
        QuestionTag.objects.create(
            question=question, tag=tag, position=position, question_created_at=question.created_at
        )
    made = Answer.objects.bulk_create(
        Answer(question=question, author=others[i % len(others)], body="a", body_html="<p>a</p>")
        for i in range(answers)
    )
    Comment.objects.bulk_create(
        Comment(answer=answer, author=others[(i + j) % len(others)], body="c", body_html="<p>c</p>")
        for i, answer in enumerate(made)
        for j in range(comments)
    )
    Comment.objects.bulk_create(
        Comment(question=question, author=others[j % len(others)], body="c", body_html="c")
        for j in range(comments)
    )
    Vote.objects.bulk_create(
        Vote(user=others[i % len(others)], answer=answer, value=1) for i, answer in enumerate(made)
    )
    Question.objects.filter(pk=question.pk).update(answer_count=answers)
    return question


@pytest.fixture
def people(make_user, subdomain):
    from knowledge.models import Platform

    staff = make_user("staffer")
    Platform.objects.get().staff.add(staff)
    return make_user("author"), [staff, *(make_user(f"p{i}") for i in range(5))]


def count_queries(client, url, expected: int, assert_num_queries) -> int:
    with assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return expected


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        ("anonymous", 2),
        ("anonymous-uncached", 9),
        ("signed-in", 10),
        ("signed-in-uncached", 16),
    ],
)
def test_question_page_queries_are_fixed(
    client, people, reader, expected, django_assert_num_queries
):
    """Anonymous readers get the whole thread from the cache: question and follower count.
    Signed in, with the post fragments cached: session, user, moderator check, question,
    follow state with the follower count, answer skeleton, the member's votes and
    comments, inbox count, profile. Uncached fragments add the full thread (question, tags, comments,
    answers, answer comments, resources) — a fixed six whatever the thread's size."""
    from community import selectors

    author, others = people
    tags = [Tag.objects.create(name=f"t{i}") for i in range(3)]
    if reader.startswith("signed-in"):
        client.force_login(others[1])
    small = make_thread(author, others, answers=2, comments=1, tags=tags[:1])
    large = make_thread(author, others, answers=30, comments=5, tags=tags)
    for thread in (small, large):  # warm caches (site, session, thread) and count the view
        client.get(thread.get_absolute_url())
    for thread in (small, large):
        if reader.endswith("uncached"):
            selectors.thread_changed(thread.pk)
        count_queries(client, thread.get_absolute_url(), expected, django_assert_num_queries)


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [("question_list", 3), ("tag_detail", 6), ("question_list_subdomain", 4), ("tag_list", 2)],
)
def test_list_pages_queries_are_fixed(
    client, people, subdomain, url_name, expected, django_assert_num_queries
):
    """Anonymous: count, page, tags (+ the tag/sub-domain itself, synonyms, followers)."""
    from community import selectors

    author, others = people
    tag = Tag.objects.create(name="shared")
    kwargs = {"tag_detail": {"slug": "shared"}, "question_list_subdomain": {"slug": subdomain.slug}}
    url = reverse(f"community:{url_name}", kwargs=kwargs.get(url_name))

    def add(count):
        for _ in range(count):
            question = make_thread(author, others, answers=1, comments=0, tags=[tag])
            Question.objects.filter(pk=question.pk).update(subdomain=subdomain)
            Tag.objects.create(name=f"extra{next(_n)}")

    add(2)
    client.get(url)
    selectors.lists_changed()  # the list total is cached; count it in both measurements
    count_queries(client, url, expected, django_assert_num_queries)
    add(40)  # more than a page
    selectors.lists_changed()
    count_queries(client, url, expected, django_assert_num_queries)
