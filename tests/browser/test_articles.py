"""Experience articles end to end: write with a previewed code block, comment, vote, notify."""

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


def test_write_comment_vote_and_notify(new_page, make_user, password):
    from community.models import Article

    make_user("writer", reputation=20)
    make_user("reader", reputation=60)

    page = new_page(locale="en-US")
    sign_in(page, "writer", password)
    page.goto("/en/articles/")
    page.get_by_role("link", name="Write an article").first.click()
    page.get_by_label("Title").fill("Running Apollo perception on a Jetson Orin")
    body = (
        "## Steps\n\nBuild only the perception target, it saves hours on the board:\n\n"
        "```bash\n./apollo.sh build_opt_gpu perception\n```\n\n"
        "Then regenerate the TensorRT engines on the Orin itself."
    )
    page.get_by_role("textbox", name="Article").fill(body)
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#body-preview")
    preview.locator("pre.highlight").wait_for()
    assert "build_opt_gpu" in preview.inner_text()
    page.get_by_role("combobox", name="Tags").fill("apollo jetson")
    page.get_by_role("button", name="Publish your article").click()
    page.wait_for_url(re.compile(r"/en/articles/\d+/$"))
    article = Article.objects.get()
    assert page.locator(".qa-body pre.highlight").is_visible()

    reader = new_page(locale="en-US")
    sign_in(reader, "reader", password)
    reader.goto(f"/en/articles/{article.pk}/")
    reader.get_by_text("Add a comment").click()
    reader.get_by_role("textbox", name="Comment").fill("Which JetPack version did you use?")
    reader.get_by_role("button", name="Add comment").click()
    reader.wait_for_url(re.compile(r"#comment-\d+$"))
    assert "Which JetPack version" in reader.locator(".qa-comments").inner_text()
    # The up-vote updates the score in place, without a reload.
    reader.locator("#article").get_by_role("button", name=re.compile("Vote up")).click()
    reader.locator("#article [data-score]").filter(has_text="1").wait_for()

    page.reload()
    assert page.locator("#article [data-score]").inner_text() == "1"
    inbox = page.locator(".account-nav__inbox")
    assert inbox.locator(".badge").inner_text() != ""
    inbox.click()
    page.wait_for_load_state()
    assert page.get_by_text(re.compile("commented on your post")).first.is_visible()
    assert "Running Apollo perception on a Jetson Orin" in page.content()
