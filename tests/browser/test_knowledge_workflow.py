"""A platform engineer writes a tutorial in the CMS, a moderator approves it, readers see it."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cms_setup(make_user):
    from django.contrib.auth.models import Group
    from wagtail.users.models import UserProfile

    from accounts.roles import MODERATORS_GROUP
    from knowledge.models import OpenResource, Platform, Subdomain
    from knowledge.services import knowledge_setup

    subdomain = Subdomain.objects.create(
        slug="intelligent-voice",
        name_zh_hans="智能语音",
        name_zh_hant="智能語音",
        name_en="Intelligent voice",
    )
    platform = Platform.objects.create(
        slug="iflytek",
        subdomain=subdomain,
        name_zh_hans="科大讯飞",
        name_zh_hant="科大訊飛",
        name_en="iFLYTEK",
        year_designated=2017,
    )
    staff = make_user("iflytek_staff")
    platform.staff.add(staff)
    moderator = make_user("moderator")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    for user in (staff, moderator):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
    OpenResource.objects.create(
        platform=platform,
        slug="asr-api",
        name="Dictation API",
        kind="api",
        summary_en="Speech to text over WebSocket.",
    )
    knowledge_setup()
    return subdomain, staff, moderator


def _sign_in(page, username, password):
    page.goto("/cms/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/cms/$"))


def test_staff_writes_moderator_approves_readers_see_it(new_page, cms_setup, password):
    from knowledge.models import SubdomainPage, TutorialIndexPage, TutorialPage

    subdomain, staff, moderator = cms_setup
    index = TutorialIndexPage.objects.child_of(SubdomainPage.objects.get(subdomain=subdomain)).get()

    # The platform engineer writes the tutorial.
    editor = new_page("en-US")
    editor.set_default_timeout(30_000)  # the CMS is heavy on a shared 2-core machine
    _sign_in(editor, staff.username, password)
    editor.goto(f"/cms/pages/add/knowledge/tutorialpage/{index.pk}/")
    editor.locator("#id_title").fill("Dictation in ten lines")
    editor.locator("#id_summary").fill("Send audio, read the transcript.")

    editor.locator(
        "[data-streamfield-stream-container] button[title='Insert a block']"
    ).first.click()
    editor.get_by_role("option", name="Code").click()
    editor.locator("select[name='body-0-value-language']").select_option("python")
    editor.locator("textarea[name='body-0-value-code']").fill("print('<hello>')")

    editor.locator("button[title='Insert a block']").last.click()
    editor.get_by_role("option", name="Resource link").click()
    # The chooser button can be clicked before Wagtail's chooser script is wired
    # to it; then no modal opens. Click again until the modal lists the resource.
    choose = editor.locator("[data-chooser-action-choose]").last
    resource_link = editor.locator(".modal").get_by_role("link", name="Dictation API")
    for _attempt in range(3):
        choose.click()
        try:
            resource_link.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeoutError:
            editor.keyboard.press("Escape")
    resource_link.click()
    editor.locator("input[name='body-1-value-version']").fill("v2")

    editor.get_by_role("button", name="More actions").last.click()
    editor.get_by_role("button", name=re.compile("Submit to Moderator approval")).click()
    editor.wait_for_url(re.compile(r".*/cms/pages/\d+/(edit/)?$"))

    tutorial = TutorialPage.objects.get(title="Dictation in ten lines")
    assert not tutorial.live and tutorial.workflow_in_progress

    # The moderator approves it.
    reviewer = new_page("en-US")
    reviewer.set_default_timeout(30_000)
    _sign_in(reviewer, moderator.username, password)
    reviewer.goto(f"/cms/pages/{tutorial.pk}/edit/")
    reviewer.get_by_role("button", name="More actions").last.click()
    reviewer.get_by_role("button", name="Approve and Publish", exact=True).click()
    for _ in range(50):  # the admin posts the action from JavaScript, then redirects
        tutorial.refresh_from_db()
        if tutorial.live:
            break
        reviewer.wait_for_timeout(200)
    assert tutorial.live and not tutorial.workflow_in_progress

    # Anyone can read it, with the code escaped and the resource card.
    reader = new_page("en-US")
    with translation.override("en"):
        reader.goto(tutorial.url)
    assert reader.get_by_role("heading", name="Dictation in ten lines").is_visible()
    assert reader.locator("pre code").inner_text().strip() == "print('<hello>')"
    assert reader.get_by_role("link", name="Dictation API").is_visible()
    assert reader.get_by_role("button", name="Copy").is_visible()
