"""Contact details are released only after the author accepts, and only to the two parties.

Every channel a post goes out on is checked: the detail page (anonymous, other
members, a pending or declined responder), the list, the API, the RSS feed, the
notifications and the slots on other pages.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from collaboration import services

from .conftest import AUTHOR_CONTACTS, MEMBER_CONTACTS

SECRETS = [*AUTHOR_CONTACTS.values(), *MEMBER_CONTACTS.values()]


def leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def author_secrets_in(text: str) -> bool:
    return all(value in text for value in AUTHOR_CONTACTS.values())


def member_secrets_in(text: str) -> bool:
    return all(value in text for value in MEMBER_CONTACTS.values())


@pytest.fixture
def interest(post, developer):
    return services.interest_express(
        post=post, member=developer, message="Keen to help", contacts=MEMBER_CONTACTS
    )


def page(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_nothing_leaks_before_acceptance(client, post, interest, founder, developer, make_user):
    url = post.get_absolute_url()
    outsider = make_user("outsider")
    assert leaked(page(client, None, url)) == []
    assert leaked(page(client, outsider, url)) == []
    # The pending responder sees neither the author's details nor (needlessly) their own.
    assert not author_secrets_in(page(client, developer, url))
    # The author sees their own details (to check them) but not the responder's.
    author_view = page(client, founder, url)
    assert author_secrets_in(author_view)
    assert not any(value in author_view for value in MEMBER_CONTACTS.values())
    assert "Keen to help" in author_view
    for listing in (reverse("collaboration:post_list"), reverse("collaboration:feed")):
        for viewer in (None, outsider, developer, founder):
            assert leaked(page(client, viewer, listing)) == []


def test_acceptance_shares_both_ways_and_only_with_the_two_parties(
    client, post, interest, founder, developer, make_user
):
    services.interest_decide(interest=interest, actor=founder, accept=True)
    url = post.get_absolute_url()
    assert author_secrets_in(page(client, developer, url))
    assert member_secrets_in(page(client, founder, url))
    # A second, pending responder still sees nothing.
    other = make_user("other")
    services.interest_express(
        post=post, member=other, message="me too", contacts={"contact_email": "o@x.cn"}
    )
    assert leaked(page(client, other, url)) == []
    assert leaked(page(client, None, url)) == []


def test_declined_responder_never_sees_contacts(client, post, interest, founder, developer):
    services.interest_decide(interest=interest, actor=founder, accept=False)
    assert not author_secrets_in(page(client, developer, post.get_absolute_url()))
    assert not any(
        v in page(client, founder, post.get_absolute_url()) for v in MEMBER_CONTACTS.values()
    )


def test_private_pages_are_not_cached(client, post, interest, founder):
    client.force_login(founder)
    assert "no-store" in client.get(post.get_absolute_url())["Cache-Control"]


def test_notifications_carry_no_contact_details(
    post, interest, founder, developer, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        services.interest_decide(interest=interest, actor=founder, accept=True)
        services.interest_express(
            post=post,
            member=founder.__class__.objects.create_user("third"),
            message="x",
            contacts={"contact_email": "third@x.cn"},
        )
    for note in Notification.objects.all():
        assert leaked(f"{note.target_url} {note.target_title} {note.excerpt}") == []


def test_api_never_exposes_contacts_in_posts(post, interest, founder, developer):
    api = APIClient()
    for user in (None, developer, founder):
        api.force_authenticate(user)
        listing = api.get("/api/v1/collaboration/posts/")
        detail = api.get(f"/api/v1/collaboration/posts/{post.pk}/")
        assert listing.status_code == 200 and detail.status_code == 200
        assert listing.json()["results"][0]["title"] == post.title
        assert leaked(listing.content.decode() + detail.content.decode()) == []


def test_api_contacts_endpoint_only_after_acceptance(post, interest, founder, developer, make_user):
    api = APIClient()
    url = f"/api/v1/collaboration/posts/{post.pk}/contacts/"
    assert api.get(url).status_code in (401, 403)
    api.force_authenticate(make_user("nosy"))
    assert api.get(url).status_code == 404
    api.force_authenticate(developer)
    assert api.get(url).status_code == 404  # pending: nothing to see yet
    api.force_authenticate(founder)
    own = api.get(url).json()
    assert {c["value"] for c in own["author"]} == set(AUTHOR_CONTACTS.values())
    assert own["interests"] == []
    services.interest_decide(interest=interest, actor=founder, accept=True)
    data = api.get(url).json()
    assert {c["value"] for c in data["interests"][0]["contacts"]} == set(MEMBER_CONTACTS.values())
    api.force_authenticate(developer)
    shared = api.get(url)
    assert shared.status_code == 200 and shared["Cache-Control"] == "private, no-store"
    assert {c["value"] for c in shared.json()["author"]} == set(AUTHOR_CONTACTS.values())
    assert shared.json()["interests"] == []


def test_slots_on_other_pages_carry_no_contacts(client, post, driving, founder):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = founder
    html = Template(
        '{% load huiju %}{% render_slot "subdomain_page" subdomain=s %}{% render_slot "profile_page" member=m %}'
    ).render(Context({"s": driving, "m": founder, "request": request}))
    assert post.title in html
    assert leaked(html) == []
