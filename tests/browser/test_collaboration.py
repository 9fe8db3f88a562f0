"""A startup posts, a developer expresses interest, the startup accepts, both see contacts."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def subdomain(db):
    from knowledge.models import Platform, Subdomain

    subdomain = Subdomain.objects.create(
        slug="autonomous-driving",
        name_zh_hans="自动驾驶",
        name_zh_hant="自動駕駛",
        name_en="Autonomous driving",
    )
    Platform.objects.create(
        slug="baidu",
        subdomain=subdomain,
        name_zh_hans="百度",
        name_zh_hant="百度",
        name_en="Baidu",
        year_designated=2017,
    )
    return subdomain


def sign_in(page, username, password):
    page.goto("/en/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_startup_posts_developer_interested_startup_accepts(
    new_page, subdomain, make_user, password
):
    make_user("startup_cto")
    make_user("lidar_dev")
    startup, developer = new_page("en-US"), new_page("en-US")

    # The startup publishes a post with its WeChat ID as the contact.
    sign_in(startup, "startup_cto", password)
    startup.goto("/en/collaborate/")
    startup.get_by_role("link", name="New post").click()
    startup.get_by_label("Kind").select_option("seeking")
    startup.get_by_label("Title").fill("Seeking a lidar perception co-founder")
    startup.get_by_label("Description").fill("We have a **prototype** and a pilot site.")
    startup.get_by_label("Sub-domain").select_option(label="Autonomous driving")
    startup.get_by_label("Skills").fill("点云, PyTorch")
    startup.get_by_label("Stage").select_option("prototype")
    startup.get_by_label("Engagement").select_option("cofounder")
    startup.get_by_label("WeChat ID").fill("wx_startup_cto")
    startup.get_by_role("button", name="Publish").click()
    startup.wait_for_url("**/en/collaborate/*/")
    post_url = startup.url
    assert startup.get_by_role("heading", name="Seeking a lidar perception co-founder").is_visible()

    # The developer finds it on the board and expresses interest; no contact shown yet.
    sign_in(developer, "lidar_dev", password)
    developer.goto("/en/collaborate/?skill=点云")
    developer.get_by_role("link", name="Seeking a lidar perception co-founder").click()
    assert "wx_startup_cto" not in developer.content()
    developer.get_by_label("Message").fill("I built PointPillars pipelines for 3 years.")
    developer.locator("#id_contact_wechat").fill("wx_lidar_dev")
    developer.get_by_role("button", name="Express interest").click()
    developer.wait_for_load_state()
    assert developer.get_by_text("The author has been told").is_visible()
    assert "wx_startup_cto" not in developer.content()

    # The startup sees the interest (inbox badge, then the post) and accepts.
    startup.goto("/en/inbox/")
    assert startup.get_by_text("Seeking a lidar perception co-founder").first.is_visible()
    startup.goto(post_url)
    assert "PointPillars" in startup.content()
    assert "wx_lidar_dev" not in startup.content()
    startup.get_by_role("button", name="Accept and share contact details").click()
    startup.wait_for_load_state()
    assert startup.get_by_text("wx_lidar_dev").is_visible()

    # Both now see each other's contact details.
    developer.goto(post_url)
    assert developer.get_by_text("wx_startup_cto").is_visible()
    assert developer.get_by_text("Accepted", exact=True).is_visible()
