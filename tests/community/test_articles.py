"""Experience articles: writing, editing, votes and reputation, comments, deletion, pages."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from community import services
from community.models import (
    Article,
    ArticleTag,
    Comment,
    Flag,
    ModerationAction,
    ReputationEvent,
    Revision,
    Tag,
    Vote,
)
from notifications.models import Notification

pytestmark = pytest.mark.django_db

_n = itertools.count(1)
BODY = (
    "## What we built\n\nWe ran the perception module on an embedded board. "
    "These are the steps and the problems we met on the way.\n\n"
    "```bash\n./apollo.sh build_opt_gpu perception\n```\n"
)


@pytest.fixture
def write(asker):
    def make(author=None, tags=("apollo",), **fields):
        n = next(_n)
        fields.setdefault("title", f"Running Apollo perception on a Jetson board, part {n}")
        fields.setdefault("body", f"{BODY}\nPart {n}.")
        return services.article_create(author=author or asker, tags=list(tags), **fields)

    return make


def en_get(client, target):
    """GET a page in English (object or path), so assertions can read its wording."""
    with translation.override("en"):
        path = target if isinstance(target, str) else target.get_absolute_url()
        if not path.startswith("/en/"):
            path = f"/en{path}"
        return client.get(path)


def refresh(obj):
    obj.refresh_from_db()
    return obj


# --- services ------------------------------------------------------------------------------


def test_article_create_keeps_tags_revision_and_renders_code(write, subdomain, resource):
    Tag.objects.create(name="jetson")
    synonym = Tag.objects.create(name="nvidia-jetson", canonical=Tag.objects.get(name="jetson"))
    article = write(
        tags=["apollo", synonym.name, "感知"],
        subdomain=subdomain,
        resources=[(resource, resource.versions.get())],
    )
    assert [t.name for t in article.tags.order_by("article_tags__position")] == [
        "apollo",
        "jetson",
        "感知",
    ]
    assert '<pre class="highlight"' in article.body_html or "<pre" in article.body_html
    assert article.resource_links.get().version.version == "9.0"
    assert Revision.objects.get(article=article).number == 1
    assert Tag.objects.get(name="apollo").question_count == 0  # questions-only counter


def test_article_validation(write):
    with pytest.raises(ValidationError) as error:
        write(title="short", body="too short")
    assert {"title", "body"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        write(tags=[f"t{i}" for i in range(6)])
    assert not Article.objects.exists()


def test_new_members_link_cap_and_duplicate_block(write, newbie):
    links = " ".join(f"[l{i}](https://example.com/{i})" for i in range(3))
    with pytest.raises(ValidationError):
        write(author=newbie, body=f"{BODY}\n{links}")
    article = write(author=newbie)
    with pytest.raises(ValidationError) as error:
        write(author=newbie, body=article.body)
    assert set(error.value.message_dict) == {"body"}


def test_suspended_members_cannot_write(write, asker):
    from datetime import timedelta

    from django.utils import timezone

    asker.suspended_until = timezone.now() + timedelta(days=1)
    asker.save()
    with pytest.raises(PermissionDenied):
        write()


def test_votes_move_score_and_reputation_like_answers(write, asker, voter, settings):
    settings.HUIJU_REPUTATION = {"article_upvoted": 7}
    article = write()
    before = refresh(asker).reputation
    assert services.vote_cast(user=voter, post=article, value=1).score == 1
    assert refresh(asker).reputation == before + 7
    assert ReputationEvent.objects.get(kind="article_upvoted").article == article
    services.vote_cast(user=voter, post=article, value=-1)
    assert refresh(article).score == -1
    assert refresh(asker).reputation == before - 2
    assert refresh(voter).reputation == 500  # no down-vote cost, as for questions
    services.vote_cast(user=voter, post=article, value=0)
    assert refresh(asker).reputation == before and refresh(article).score == 0


def test_recompute_agrees_with_article_votes(write, make_user):
    author, fan, critic = make_user("writer"), make_user("fan"), make_user("critic")
    for member in (fan, critic):
        services.reputation_adjust(user=member, points=200)  # in the ledger, so recompute keeps it
    article = write(author=author)
    services.vote_cast(user=fan, post=article, value=1)
    services.vote_cast(user=critic, post=article, value=-1)
    assert refresh(author).reputation == 1 + 10 - 2
    changes = services.reputation_recompute(apply=False)
    assert not {author.pk, fan.pk, critic.pk} & set(changes)


def test_no_self_votes_and_one_vote_per_member(write, asker, voter):
    article = write()
    with pytest.raises(ValidationError):
        services.vote_cast(user=asker, post=article, value=1)
    services.vote_cast(user=voter, post=article, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=voter, article=article, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():  # one post per vote
        Vote.objects.create(user=voter, article=article, question_id=None, answer_id=1, value=1)


def test_comments_notify_the_author_and_mentions(
    write, asker, voter, make_user, django_capture_on_commit_callbacks
):
    article = write()
    make_user("li_na")
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(
            author=voter, article=article, body="Very useful, thanks @li_na for the tip!"
        )
    assert refresh(article).comment_count == 1
    assert comment.get_absolute_url() == f"{article.get_absolute_url()}#comment-{comment.pk}"
    note = Notification.objects.get(recipient=asker, kind="comment")
    assert note.target_title == article.title
    assert Notification.objects.filter(recipient__username="li_na", kind="mention").exists()
    services.comment_delete(comment=comment, user=voter)
    assert refresh(article).comment_count == 0


def test_mentions_in_the_article_notify(write, make_user, django_capture_on_commit_callbacks):
    make_user("zhang_wei")
    with django_capture_on_commit_callbacks(execute=True):
        article = write(body=f"{BODY}\nThanks to @zhang_wei for reviewing.")
    note = Notification.objects.get(recipient__username="zhang_wei", kind="mention")
    assert note.target_url == article.get_absolute_url()


def test_edit_keeps_revisions_and_rollback(write, asker):
    article = write(tags=["apollo"])
    revision = services.article_edit(
        article=article,
        editor=asker,
        title=article.title,
        body=article.body + "\n\nUpdate: INT8 works too.",
        tags=["apollo", "tensorrt"],
        comment="INT8 result",
        base_revision=1,
    )
    assert revision.number == 2 and revision.tags == ["apollo", "tensorrt"]
    assert list(ArticleTag.objects.filter(article=article).values_list("tag__name", flat=True)) == [
        "apollo",
        "tensorrt",
    ]
    assert (
        services.article_edit(
            article=refresh(article),
            editor=asker,
            title=article.title,
            body=article.body,
            tags=["apollo", "tensorrt"],
        )
        is None
    )
    with pytest.raises(ValidationError):  # someone saved revision 2 meanwhile
        services.article_edit(
            article=article,
            editor=asker,
            title=article.title,
            body=article.body + " again",
            tags=["apollo"],
            base_revision=1,
        )
    back = services.revision_rollback(
        revision=Revision.objects.get(article=article, number=1), user=asker
    )
    assert back.number == 3 and refresh(article).edited_at is not None
    assert "INT8" not in refresh(article).body


def test_only_author_or_moderator_edits(write, voter, moderator, make_user):
    article = write()
    expert = make_user("expert", reputation=5_000)  # edit_others does not reach articles
    for editor in (voter, expert):
        with pytest.raises(PermissionDenied):
            services.article_edit(
                article=article, editor=editor, title=article.title, body=BODY + "x", tags=["a"]
            )
    revision = services.article_edit(
        article=article, editor=moderator, title=article.title, body=BODY + "fixed", tags=["a"]
    )
    assert revision.author == moderator


def test_soft_delete_by_author_and_moderator_with_audit(write, asker, voter, moderator):
    mine = write()
    with pytest.raises(PermissionDenied):
        services.post_delete(post=mine, user=voter)
    services.post_delete(post=mine, user=asker)
    assert refresh(mine).is_deleted and mine.deleted_by == asker
    assert not ModerationAction.objects.exists()  # the author's own deletion is not moderation
    other = write()
    services.post_delete(post=other, user=moderator, reason="spam")
    action = ModerationAction.objects.get()
    assert action.article == other and action.action == "deleted"
    services.post_undelete(post=refresh(other), user=moderator)
    assert not refresh(other).is_deleted
    assert ModerationAction.objects.filter(article=other, action="undeleted").exists()


def test_flagging_an_article_reaches_the_queue(write, voter, moderator, client):
    from community.moderation import flag_create, flags_resolve

    article = write()
    flag = flag_create(reporter=voter, post=article, reason=Flag.Reason.SPAM)
    assert flag.article == article
    with pytest.raises(ValidationError):
        flag_create(reporter=voter, post=article, reason=Flag.Reason.SPAM)
    with pytest.raises(ValidationError):  # only questions duplicate others
        flag_create(reporter=moderator, post=article, reason=Flag.Reason.DUPLICATE)
    client.force_login(moderator)
    page = client.get(reverse("community:moderation_queue")).content.decode()
    assert article.title in page and f"flagged-article-{article.pk}" in page
    assert flags_resolve(moderator=moderator, post=article, helpful=True, delete=True) == 1
    assert refresh(article).is_deleted


def test_flag_a_comment_on_an_article(write, voter, answerer, moderator, client):
    from community.moderation import flag_create

    article = write()
    comment = services.comment_create(author=answerer, article=article, body="Buy cheap GPUs now")
    flag_create(reporter=voter, post=comment, reason=Flag.Reason.SPAM)
    client.force_login(moderator)
    page = client.get(reverse("community:moderation_queue")).content.decode()
    assert article.title in page


# --- pages -----------------------------------------------------------------------------------


def test_article_pages(client, write, subdomain, voter):
    article = write(subdomain=subdomain, tags=["apollo", "jetson"])
    other = write(tags=["asr"])
    services.vote_cast(user=voter, post=other, value=1)
    listing = client.get(reverse("community:article_list")).content.decode()
    assert article.title in listing and other.title in listing
    by_votes = client.get(reverse("community:article_list") + "?sort=votes").content.decode()
    assert by_votes.index(other.title) < by_votes.index(article.title)
    in_subdomain = client.get(reverse("community:article_list_subdomain", args=[subdomain.slug]))
    assert article.title in in_subdomain.content.decode()
    assert other.title not in in_subdomain.content.decode()
    tagged = client.get(reverse("community:article_list_tag", args=["jetson"])).content.decode()
    assert article.title in tagged and other.title not in tagged
    detail = client.get(article.get_absolute_url()).content.decode()
    assert "<pre" in detail and "apollo.sh" in detail
    assert refresh(article).view_count == 1


def test_synonym_tag_redirects(client, write):
    write(tags=["apollo"])
    Tag.objects.create(name="baidu-apollo", canonical=Tag.objects.get(name="apollo"))
    response = client.get(reverse("community:article_list_tag", args=["baidu-apollo"]))
    assert response.status_code == 301
    assert response["Location"].endswith(reverse("community:article_list_tag", args=["apollo"]))


def test_deleted_article_is_404_except_for_moderators(client, write, asker, moderator):
    article = write()
    services.post_delete(post=article, user=asker)
    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(moderator)
    assert "only moderators see it" in en_get(client, article).content.decode()
    assert article.title not in client.get(reverse("community:article_list")).content.decode()


def test_write_article_through_the_form(client, asker, subdomain):
    client.force_login(asker)
    url = reverse("community:article_create")
    assert client.get(url + f"?subdomain={subdomain.slug}").status_code == 200
    response = client.post(
        url,
        {
            "title": "Our first month with the streaming ASR API",
            "body": BODY,
            "tags": "asr websocket",
            "subdomain": subdomain.pk,
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.subdomain == subdomain
    bad = client.post(url, {"title": "x", "body": "y", "tags": "asr"})
    assert bad.status_code == 400 and Article.objects.count() == 1


def test_edit_page_refuses_non_authors(client, write, voter, asker):
    article = write()
    edit = reverse("community:article_edit", args=[article.pk])
    client.force_login(voter)
    assert client.get(edit).status_code == 403
    response = client.post(edit, {"title": "Hijacked title here", "body": BODY, "tags": "x"})
    assert response.status_code == 403 and refresh(article).title != "Hijacked title here"
    client.force_login(asker)
    page = client.get(edit)
    assert page.status_code == 200 and 'name="base_revision"' in page.content.decode()
    response = client.post(
        edit,
        {
            "title": article.title,
            "body": BODY + "\nEdited.",
            "tags": "apollo",
            "comment": "typo",
            "base_revision": 1,
        },
    )
    assert response.status_code == 302 and refresh(article).edited_at is not None
    revisions = en_get(client, reverse("community:revisions", args=["article", article.pk]))
    assert revisions.status_code == 200 and "Revision 2" in revisions.content.decode()


def test_vote_comment_and_delete_views(client, write, voter, asker):
    article = write()
    client.force_login(voter)
    response = client.post(
        reverse("community:vote", args=["article", article.pk]),
        {"value": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.json() == {"score": 1, "value": 1}
    response = client.post(
        reverse("community:comment_create", args=["article", article.pk]),
        {"body": "Which JetPack version did you use?"},
    )
    comment = Comment.objects.get()
    assert comment.article == article and response["Location"].endswith(f"#comment-{comment.pk}")
    assert (
        client.post(reverse("community:post_delete", args=["article", article.pk])).status_code
        == 302
    )
    assert not refresh(article).is_deleted  # refused, with a message
    client.force_login(asker)
    client.post(reverse("community:post_delete", args=["article", article.pk]))
    assert refresh(article).is_deleted


def test_writes_are_post_only_and_need_csrf(write, voter):
    article = write()
    client = Client(enforce_csrf_checks=True)
    client.force_login(voter)
    for name in ("vote", "comment_create", "post_delete"):
        url = reverse(f"community:{name}", args=["article", article.pk])
        assert client.get(url).status_code == 405
        assert client.post(url, {"value": "1", "body": "Nice write-up!"}).status_code == 403
    assert not Vote.objects.exists() and not Comment.objects.exists()
    assert not refresh(article).is_deleted
    response = client.post(
        reverse("community:article_create"),
        {"title": "A perfectly fine title", "body": BODY, "tags": "apollo"},
    )
    assert response.status_code == 403 and Article.objects.count() == 1


def test_anonymous_readers_are_sent_to_sign_in(client, write):
    article = write()
    for url in (
        reverse("community:article_create"),
        reverse("community:article_edit", args=[article.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert "Sign in to vote" in en_get(client, article).content.decode()


def test_subdomain_slot_and_profile_list_articles(client, rf, write, subdomain, asker):
    from core.slots import providers

    article = write(subdomain=subdomain)
    request = rf.get("/")
    request.user = asker
    rendered = [provider(request, subdomain=subdomain) for provider in providers("subdomain_page")]
    articles = [slot[1] for slot in rendered if slot and slot[0].endswith("articles.html")]
    assert articles[0]["articles"] == [article]
    profile = en_get(client, asker).content.decode()
    assert article.title in profile and "1 article" in profile


def test_xss_payloads_in_an_article_stay_inert(client, asker, voter):
    from tests.community.test_xss import PAYLOADS, problems_in

    article = services.article_create(
        author=asker,
        title='"><script>alert(1)</script><img src=x onerror=alert(1)>',
        body="Long enough introduction to pass the minimum.\n\n" + "\n\n".join(PAYLOADS),
        tags=["xss"],
    )
    for index, payload in enumerate(PAYLOADS[:8]):
        services.comment_create(author=voter, article=article, body=f"{payload} #{index}")
    html = client.get(article.get_absolute_url()).content.decode()
    main = html.split('id="article"', 1)[1].split("</main>", 1)[0]
    assert problems_in(main, allow_forms=True) == []
    assert "<script>alert(1)" not in html
    assert "<script>alert(1)" not in client.get(reverse("community:article_list")).content.decode()


def test_flag_an_article_through_the_form(client, write, voter):
    article = write()
    url = reverse("community:flag", args=["article", article.pk])
    client.force_login(voter)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert Flag.objects.get().article == article


def test_question_lists_link_to_articles(client, write, ask):
    write(tags=["apollo"])
    ask(tags=["apollo"])
    page = client.get(reverse("community:tag_detail", args=["apollo"])).content.decode()
    assert reverse("community:article_list_tag", args=["apollo"]) in page
    assert (
        reverse("community:article_list")
        in client.get(reverse("community:question_list")).content.decode()
    )
