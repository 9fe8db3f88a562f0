"""What the Q&A shows on sub-domain, resource and profile pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community import services

pytestmark = pytest.mark.django_db


def test_subdomain_page_lists_newest_and_unanswered(client, ask, answer_to, subdomain):
    answered = ask(title="Answered question in the subdomain", subdomain=subdomain)
    answer_to(answered)
    waiting = ask(title="Waiting question in the subdomain", subdomain=subdomain)
    elsewhere = ask(title="A question somewhere else entirely")
    html = client.get(subdomain.get_absolute_url()).content.decode()
    assert answered.title in html and waiting.title in html
    assert elsewhere.title not in html
    assert f"?subdomain={subdomain.slug}" in html


def test_resource_page_offers_ask_about_this_resource(client, ask, resource):
    question = ask(title="Apollo question linked to the resource", resources=[(resource, None)])
    html = client.get(resource.get_absolute_url()).content.decode()
    assert question.title in html
    assert reverse("community:question_ask") + "?resource=apollo" in html


def test_profile_shows_reputation_history_and_activity(client, ask, answer_to, voter):
    question = ask(title="A question that earns reputation")
    answer = answer_to(question)
    services.vote_cast(user=voter, post=answer, value=1)
    html = client.get(answer.author.get_absolute_url()).content.decode()
    assert "+10" in html
    assert question.title in html


def test_platform_staff_answers_carry_the_verified_badge(client, ask, make_user, subdomain):
    from knowledge.models import Platform

    staff = make_user("apollo_engineer", reputation=100)
    Platform.objects.get().staff.add(staff)
    question = ask()
    services.answer_create(question=question, author=staff, body="Official answer: upgrade to 9.0.")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "badge--verified" in html


def test_resource_slot_narrows_to_the_version_viewed(rf, ask, resource):
    from community.slots import resource_questions

    version = resource.versions.get()
    on_version = ask(title="Question about version 9.0", resources=[(resource, version)])
    general = ask(title="Question about Apollo in general", resources=[(resource, None)])
    _, everything = resource_questions(rf.get("/"), resource=resource, version=None)
    _, narrowed = resource_questions(rf.get("/"), resource=resource, version=version)
    assert {q.pk for q in everything["newest"]} == {on_version.pk, general.pk}
    assert [q.pk for q in narrowed["newest"]] == [on_version.pk]
