"""A visitor opens the home page, switches language, and signs in."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def subdomain(db):
    from knowledge.models import Platform, Subdomain

    subdomain = Subdomain.objects.create(
        slug="intelligent-voice",
        name_zh_hans="智能语音",
        name_zh_hant="智能語音",
        name_en="Intelligent voice",
    )
    Platform.objects.create(
        slug="iflytek",
        subdomain=subdomain,
        name_zh_hans="科大讯飞",
        name_zh_hant="科大訊飛",
        name_en="iFLYTEK",
        year_designated=2017,
    )
    return subdomain


def test_home_language_switch_and_sign_in(page, subdomain, make_user, password):
    make_user("lin_dev")

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="智能语音").first.is_visible()

    # The switcher submits itself on change (JavaScript), keeping the page.
    page.get_by_label("语言").select_option("zh-hant")
    page.wait_for_url("**/zh-hant/")
    assert page.locator("html").get_attribute("lang") == "zh-hant"
    assert page.get_by_role("link", name="智能語音").first.is_visible()

    page.get_by_label("語言").select_option("en")
    page.wait_for_url("**/en/")
    assert page.get_by_role("link", name="Intelligent voice").first.is_visible()

    page.get_by_role("link", name="Sign in").click()
    page.locator("#id_login").fill("lin_dev")
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/en/")
    assert page.get_by_text("lin_dev").first.is_visible()

    # Signing out is a POST from the account menu.
    page.get_by_text("lin_dev").first.click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Sign in").is_visible()


def test_language_switcher_works_without_javascript(browser, live_server, subdomain):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_label("语言").select_option("en")
        page.get_by_role("button", name="切换").click()
        page.wait_for_url("**/en/")
        assert page.get_by_role("link", name="Intelligent voice").first.is_visible()
    finally:
        context.close()
