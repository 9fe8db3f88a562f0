"""Read endpoints for experience articles: list with filters, detail, deleted ones hidden."""

import pytest

from community import services

pytestmark = pytest.mark.django_db

BODY = (
    "A long enough experience report about running the perception stack on an "
    "embedded board, with the commands that worked.\n\n```bash\nmake perception\n```"
)


@pytest.fixture(autouse=True)
def relaxed_rate_limits(settings):
    from community.conf import DEFAULT_RATE_LIMITS

    settings.HUIJU_RATE_LIMITS = {
        action: dict.fromkeys(tiers, "10000/s") for action, tiers in DEFAULT_RATE_LIMITS.items()
    }


@pytest.fixture
def writer(make_user):
    return make_user("writer", reputation=200)


def write(author, n, **fields):
    return services.article_create(
        author=author, title=f"Experience report number {n}", body=f"{BODY}\n{n}", **fields
    )


def test_article_list_detail_and_filters(api, writer, make_user, catalogue):
    subdomain = catalogue["baidu"].subdomain
    first = write(writer, 1, tags=["apollo"], subdomain=subdomain)
    second = write(writer, 2, tags=["asr"])
    services.vote_cast(user=make_user("fan", reputation=100), post=second, value=1)
    services.comment_create(author=writer, article=first, body="Update: works on 9.0 too.")
    data = api.get("/api/v1/articles/").json()
    assert [a["id"] for a in data["results"]] == [second.pk, first.pk]
    assert data["results"][1]["tags"] == ["apollo"] and "body" not in data["results"][0]
    by_votes = api.get("/api/v1/articles/?sort=votes").json()["results"]
    assert by_votes[0]["id"] == second.pk
    tagged = api.get("/api/v1/articles/?tag=apollo").json()["results"]
    assert [a["id"] for a in tagged] == [first.pk]
    assert api.get("/api/v1/articles/?sort=nope").status_code == 400
    assert api.get("/api/v1/articles/?tag=missing").status_code == 400
    detail = api.get(f"/api/v1/articles/{first.pk}/").json()
    assert detail["author"] == "writer" and "<pre" in detail["body_html"]
    assert detail["comments"][0]["article"] == first.pk
    comments = api.get(f"/api/v1/comments/?article={first.pk}").json()["results"]
    assert [c["body"] for c in comments] == ["Update: works on 9.0 too."]


def test_deleted_articles_are_not_served(api, writer):
    article = write(writer, 3, tags=["apollo"])
    services.comment_create(author=writer, article=article, body="A note on the setup.")
    services.post_delete(post=article, user=writer)
    assert api.get("/api/v1/articles/").json()["results"] == []
    assert api.get(f"/api/v1/articles/{article.pk}/").status_code == 404
    assert api.get("/api/v1/comments/").json()["results"] == []


def test_article_list_query_count_is_bounded(api, writer, django_assert_num_queries):
    write(writer, 4, tags=["a", "b"])
    with django_assert_num_queries(2):  # page + tags
        api.get("/api/v1/articles/")
    for n in range(5, 15):
        write(writer, n, tags=["a", "b", "c"])
    with django_assert_num_queries(2):
        api.get("/api/v1/articles/")
