"""Moderation end to end: a member flags an answer as spam, a moderator deletes it from the
queue, and other readers no longer see it."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def relaxed_rates(settings):
    from community.conf import DEFAULT_RATE_LIMITS

    settings.HUIJU_RATE_LIMITS = {
        action: dict.fromkeys(tiers, "1000/s") for action, tiers in DEFAULT_RATE_LIMITS.items()
    }


def sign_in(page, username, password):
    page.goto("/en/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_flag_spam_and_moderator_deletes_it(new_page, make_user, password):
    from django.contrib.auth.models import Group

    from accounts.roles import MODERATORS_GROUP
    from community import services
    from community.models import Answer, Flag

    asker = make_user("asker", reputation=20)
    spammer = make_user("spammer", reputation=20)
    make_user("reader", reputation=50)
    moderator = make_user("moderator", reputation=1)
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    question = services.question_ask(
        author=asker,
        title="How do I calibrate the lidar in Apollo?",
        body="The calibration tool exits without writing any output file.",
        tags=["apollo"],
    )
    spam = services.answer_create(
        question=question, author=spammer, body="Cheap watches at a great price, buy now!"
    )

    reader = new_page(locale="en-US")
    sign_in(reader, "reader", password)
    reader.goto(f"/en/questions/{question.pk}/")
    reader.locator(f"#answer-{spam.pk}").get_by_role("link", name="Flag").click()
    reader.get_by_label("Spam").check()
    reader.get_by_role("button", name="Flag").click()
    reader.wait_for_url(re.compile(rf"/en/questions/{question.pk}/"))
    assert "a moderator will look at your flag" in reader.content()
    assert Flag.objects.get().answer_id == spam.pk

    mod = new_page(locale="en-US")
    sign_in(mod, "moderator", password)
    mod.goto("/en/moderation/")
    card = mod.locator(f"#flagged-answer-{spam.pk}")
    assert "Spam (1)" in card.inner_text()
    card.get_by_label("Note for the log (optional)").fill("Watch spam")
    card.get_by_role("button", name="Helpful, delete the post").click()
    mod.wait_for_load_state()
    assert "No pending flags" in mod.content()
    assert Answer.objects.get(pk=spam.pk).is_deleted
    mod.goto("/en/moderation/log/")
    assert "Watch spam" in mod.locator("table").inner_text()

    reader.goto(f"/en/questions/{question.pk}/")
    assert reader.locator(f"#answer-{spam.pk}").count() == 0
    anonymous = new_page(locale="en-US")
    anonymous.goto(f"/en/questions/{question.pk}/")
    assert anonymous.locator(f"#answer-{spam.pk}").count() == 0
    assert "Cheap watches" not in anonymous.content()
