"""Q&A end to end: ask with tags and a previewed code block, answer, vote, accept."""

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


def test_ask_answer_vote_accept(new_page, make_user, password):
    from community.models import Question, Tag

    make_user("asker", reputation=20)
    make_user("helper", reputation=30)
    Tag.objects.create(name="apollo", wiki_excerpt="Baidu Apollo", question_count=3)

    page = new_page(locale="en-US")
    sign_in(page, "asker", password)
    page.goto("/en/questions/")
    page.get_by_role("link", name="Ask a question").first.click()
    page.get_by_label("Title").fill("Apollo build fails with a CUDA error")
    body = "The build stops here:\n\n```bash\n./apollo.sh build_opt_gpu\n```\n\nWhat is missing?"
    page.get_by_label("Details").fill(body)
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#body-preview")
    preview.locator("pre.highlight").wait_for()
    assert "./apollo.sh" in preview.inner_text()

    tags = page.get_by_role("combobox", name="Tags")
    tags.press_sequentially("apo")
    page.get_by_role("option", name=re.compile("apollo")).click()
    tags.press_sequentially("cuda")
    assert tags.input_value() == "apollo cuda"
    page.get_by_role("button", name="Post your question").click()
    page.wait_for_url(re.compile(r"/en/questions/\d+/$"))
    question = Question.objects.get()
    assert sorted(question.tags.values_list("name", flat=True)) == ["apollo", "cuda"]
    assert page.locator(".qa-body pre.highlight").is_visible()

    helper = new_page(locale="en-US")
    sign_in(helper, "helper", password)
    helper.goto(f"/en/questions/{question.pk}/")
    helper.get_by_role("textbox", name="Your answer").fill(
        "Start the container with `--gpus all`; it fixed this for me."
    )
    helper.get_by_role("button", name="Post your answer").click()
    helper.wait_for_url(re.compile(r"#answer-\d+$"))
    # The helper up-votes the question; the score updates in place without a reload.
    helper.locator("#question").get_by_role("button", name=re.compile("Vote up")).click()
    helper.locator("#question [data-score]").filter(has_text="1").wait_for()

    page.reload()
    answer_block = page.locator(".qa-answer").first
    assert "--gpus all" in answer_block.inner_text()
    answer_block.get_by_role("button", name=re.compile("Vote up")).click()
    answer_block.locator("[data-score]").filter(has_text="1").wait_for()
    answer_block.get_by_role("button", name=re.compile("Accept")).click()
    page.wait_for_load_state()
    assert page.get_by_text("Accepted answer").first.is_visible()

    helper.goto("/en/users/helper/")
    # 30 to start, +10 for the up-vote, +15 for the accepted answer.
    assert "55" in helper.locator("dd").first.inner_text()
    assert "+15" in helper.locator(".qa-rep-history").inner_text()
