"""Articles: page query counts at two sizes, search, and the posting rate limits."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from community import selectors, services
from community.models import Answer, Article, ArticleTag, Comment, Question, QuestionTag, Tag, Vote

pytestmark = pytest.mark.django_db

_n = itertools.count(1)
BODY = (
    "A long enough experience report about running the perception stack on an "
    "embedded board, with the commands that worked.\n\n```bash\nmake perception\n```"
)


def make_article(author, others, *, comments: int, tags, subdomain=None) -> Article:
    """An article with ``comments`` comments and a vote from each other member (bulk)."""
    n = next(_n)
    article = Article.objects.create(
        author=author, title=f"Article {n}", body=BODY, body_html="<p>x</p>", subdomain=subdomain
    )
    ArticleTag.objects.bulk_create(
        ArticleTag(article=article, tag=tag, position=i) for i, tag in enumerate(tags)
    )
    Comment.objects.bulk_create(
        Comment(article=article, author=others[j % len(others)], body="c", body_html="c")
        for j in range(comments)
    )
    Vote.objects.bulk_create(Vote(user=user, article=article, value=1) for user in others)
    return article


@pytest.fixture
def people(make_user):
    return make_user("author"), [make_user(f"p{i}") for i in range(5)]


@pytest.mark.parametrize(("reader", "expected"), [("anonymous", 4), ("signed-in", 10)])
def test_article_page_queries_are_fixed(
    client, people, reader, expected, django_assert_num_queries
):
    """Article (+ tags, comments, resources), view count, the reader's vote; signed in
    also session, user, moderator check and inbox count."""
    author, others = people
    tags = [Tag.objects.create(name=f"t{i}") for i in range(4)]
    if reader == "signed-in":
        client.force_login(others[0])
    small = make_article(author, others, comments=1, tags=tags[:1])
    large = make_article(author, others, comments=40, tags=tags)
    for article in (small, large):  # warm the site caches; count the views
        client.get(article.get_absolute_url())
    for article in (small, large):
        with django_assert_num_queries(expected):
            response = client.get(article.get_absolute_url())
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [("article_list", 3), ("article_list_subdomain", 4), ("article_list_tag", 4)],
)
def test_article_lists_queries_are_fixed(
    client, people, subdomain, url_name, expected, django_assert_num_queries
):
    """Count, page, tags (+ the sub-domain or tag itself)."""
    author, others = people
    tag = Tag.objects.create(name="shared")
    kwargs = {
        "article_list_tag": {"slug": "shared"},
        "article_list_subdomain": {"slug": subdomain.slug},
    }
    url = reverse(f"community:{url_name}", kwargs=kwargs.get(url_name))

    def add(count):
        for _ in range(count):
            make_article(author, others[:2], comments=2, tags=[tag], subdomain=subdomain)

    add(2)
    client.get(url)
    for size in (3, 40):  # more than a page the second time
        add(size)
        selectors.lists_changed()  # list totals are cached; count them in both measurements
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


def test_profile_queries_are_fixed(client, people, django_assert_num_queries):
    """User, staff check, top tags, badges, activity (3 lists, 3 counts), reputation
    history, and the collaboration app's two slot queries: 13 at any size."""
    from community.models import BadgeAward

    author, others = people
    tags = [Tag.objects.create(name=f"pt{i}") for i in range(6)]

    def grow(count):
        for i in range(count):
            question = Question.objects.create(
                author=others[0], title=f"Q{next(_n)}", body="b", body_html="b"
            )
            QuestionTag.objects.create(
                question=question,
                tag=tags[i % len(tags)],
                position=0,
                question_created_at=question.created_at,
            )
            Answer.objects.create(
                question=question, author=author, body="a", body_html="a", score=i
            )
            make_article(author, others[:1], comments=0, tags=tags[:2])

    grow(2)
    BadgeAward.objects.create(user=author, badge="helper")
    url = author.get_absolute_url()
    client.get(url)
    for size in (2, 30):
        grow(size)
        with django_assert_num_queries(13):
            assert client.get(url).status_code == 200
    page = client.get(url).content.decode()
    assert "pt0" in page  # a top tag


# --- search ----------------------------------------------------------------------------------


def _ids(text):
    from search.selectors import search_query

    return [(hit.kind, hit.object_id) for hit in search_query(text, {}).hits]


def test_articles_are_searchable_and_deleted_ones_never_found(
    asker, voter, moderator, subdomain, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(
            author=asker,
            title="Jetson Orin 上部署感知模块的經驗",
            body=BODY + "\n\n关键是重新生成 TensorRT 引擎。",
            tags=["apollo", "jetson"],
            subdomain=subdomain,
        )
    key = ("article", str(article.pk))
    assert key in _ids("TensorRT 引擎")
    assert _ids("is:article [jetson]") == [key]
    assert _ids("is:article user:asker subdomain:autonomous-driving") == [key]
    assert _ids("is:question TensorRT") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(user=voter, post=article, value=1)
    assert _ids("is:article score:1") == [key]
    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(post=article, user=asker)
    assert _ids("TensorRT") == [] and _ids("is:article") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.post_undelete(post=article, user=moderator)
    assert _ids("is:article") == [key]


def test_reindex_skips_deleted_articles(asker):
    from search.registry import get_kind

    kept = services.article_create(
        author=asker, title="An article that stays online", body=BODY, tags=["a"]
    )
    gone = services.article_create(
        author=asker, title="An article that was removed", body=BODY + " 2", tags=["a"]
    )
    services.post_delete(post=gone, user=asker)
    ids = [doc.object_id for doc in get_kind("article").iter_documents()]
    assert ids == [str(kept.pk)]


# --- rate limits (frozen clock, as in test_limits.py) --------------------------------------------

FROZEN = 86400 * 20833 + 1


@pytest.fixture
def frozen_clock(monkeypatch):
    import types

    import core.ratelimit

    monkeypatch.setattr(core.ratelimit, "time", types.SimpleNamespace(time=lambda: FROZEN))


def _write(user, n, ip=None):
    return services.article_create(
        author=user,
        title=f"Rate limited article number {n}",
        body=f"{BODY}\n\nVariant {n}.",
        tags=["limits"],
        ip=ip,
    )


def test_article_posting_is_rate_limited(settings, frozen_clock, asker, newbie):
    settings.HUIJU_RATE_LIMITS = {}  # the defaults
    _write(asker, 1)
    with pytest.raises(services.RateLimited) as error:
        _write(asker, 2)
    assert 0 < error.value.retry_after <= 60
    _write(newbie, 3)
    with pytest.raises(services.RateLimited) as error:
        _write(newbie, 4)
    assert 60 < error.value.retry_after <= 600  # new members wait ten minutes
    assert Article.objects.count() == 2


def test_article_daily_and_ip_limits(settings, frozen_clock, make_user):
    settings.HUIJU_RATE_LIMITS = {
        "article": {"member": "100/s", "new": "100/s", "ip": "2/h"},
        "article_daily": {"member": "3/d", "new": "1/d"},
    }
    users = [make_user(f"sock{i}", reputation=100) for i in range(3)]
    _write(users[0], 1, ip="203.0.113.9")
    _write(users[1], 2, ip="203.0.113.9")
    with pytest.raises(services.RateLimited):
        _write(users[2], 3, ip="203.0.113.9")
    for n in range(4, 6):
        _write(users[2], n)
    _write(users[2], 6)
    with pytest.raises(services.RateLimited):
        _write(users[2], 7)


def test_rate_limited_form_answers_with_the_message(settings, frozen_clock, client, asker):
    settings.HUIJU_RATE_LIMITS = {"article": {"member": "1/m", "new": "1/m", "ip": "100/m"}}
    client.force_login(asker)
    url = reverse("community:article_create")
    data = {"title": "First of two quick articles", "body": BODY, "tags": "apollo"}
    assert client.post(url, data).status_code == 302
    response = client.post(
        url, {**data, "title": "Second of two quick articles", "body": BODY + "!"}
    )
    assert response.status_code == 400 and Article.objects.count() == 1


def test_article_feed(client, asker):
    from django.utils.html import escape

    article = services.article_create(
        author=asker, title="Feeds: <b>bold</b> claims & tips", body=BODY, tags=["apollo"]
    )
    response = client.get(reverse("community:article_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert f"/articles/{article.pk}/" in xml and "<b>bold</b>" not in xml
    assert escape("make perception") in xml or "make perception" in xml
    assert '<category term="apollo"' in xml
