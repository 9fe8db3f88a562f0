"""Platform staff edit only their own sub-domain's pages and their own platform's resources."""

from __future__ import annotations

import pytest
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from accounts.roles import MODERATORS_GROUP
from knowledge.models import OpenResource, SubdomainPage, TutorialIndexPage, TutorialPage
from knowledge.services import WORKFLOW_NAME, knowledge_setup, platform_group_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_platforms(make_platform, make_user, make_resource):
    """Platforms A and B, each with one staff member and one resource, set up for the CMS."""
    a, b = make_platform("alpha"), make_platform("beta")
    staff_a, staff_b = make_user("staff_a"), make_user("staff_b")
    a.staff.add(staff_a)
    b.staff.add(staff_b)
    make_resource(a, slug="alpha-data", name="Alpha data")
    make_resource(b, slug="beta-data", name="Beta data")
    knowledge_setup()
    return a, b, staff_a, staff_b


@pytest.fixture
def moderator(make_user):
    from django.contrib.auth.models import Group

    user = make_user("mod")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def _denied(response) -> bool:
    """Wagtail's admin answers PermissionDenied with 403, or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] in {"/cms/", "/cms/login/"}
    )


def _index(platform) -> TutorialIndexPage:
    return TutorialIndexPage.objects.child_of(
        SubdomainPage.objects.get(subdomain=platform.subdomain)
    ).get()


def test_setup_is_idempotent_and_scopes_each_group_to_its_subdomain_page(two_platforms):
    a, b, staff_a, _ = two_platforms
    counts = (
        GroupPagePermission.objects.count(),
        Page.objects.count(),
        WorkflowPage.objects.count(),
    )
    report = knowledge_setup()
    assert report.created == []
    assert counts == (
        GroupPagePermission.objects.count(),
        Page.objects.count(),
        WorkflowPage.objects.count(),
    )

    group = staff_a.groups.get(name=platform_group_name(a))
    pages = set(GroupPagePermission.objects.filter(group=group).values_list("page_id", flat=True))
    assert pages == {SubdomainPage.objects.get(subdomain=a.subdomain).pk}
    codenames = set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page"}  # publishing goes through moderation
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    for page in SubdomainPage.objects.all():
        assert page.get_workflow() == workflow


def test_staff_list_changes_follow_into_the_cms_group(
    two_platforms, make_user, django_capture_on_commit_callbacks
):
    a, _, staff_a, _ = two_platforms
    newcomer = make_user("newcomer")
    with django_capture_on_commit_callbacks(execute=True):
        a.staff.add(newcomer)
    assert newcomer.groups.filter(name=platform_group_name(a)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        a.staff.remove(staff_a)
    assert not staff_a.groups.filter(name=platform_group_name(a)).exists()


def test_new_subdomain_and_platform_get_pages_and_a_group(
    make_platform, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        platform = make_platform("gamma")
    page = SubdomainPage.objects.get(subdomain=platform.subdomain)
    assert TutorialIndexPage.objects.child_of(page).exists()
    assert page.get_workflow().name == WORKFLOW_NAME
    assert GroupPagePermission.objects.filter(
        group__name=platform_group_name(platform), page=page
    ).exists()


def test_staff_cannot_edit_another_platforms_pages(client, two_platforms, make_tutorial):
    a, b, staff_a, _ = two_platforms
    own = make_tutorial(a.subdomain)
    other = make_tutorial(b.subdomain)
    client.force_login(staff_a)
    assert client.get(f"/cms/pages/{own.pk}/edit/").status_code == 200
    assert _denied(client.get(f"/cms/pages/{other.pk}/edit/"))
    own_landing = SubdomainPage.objects.get(subdomain=a.subdomain)
    response = client.get(f"/cms/pages/{own_landing.pk}/edit/")
    assert response.status_code == 200
    assert "subdomain" not in response.context["form"].fields  # cannot re-point the page
    assert _denied(client.get(f"/cms/pages/add/knowledge/tutorialpage/{_index(b).pk}/"))
    assert client.get(f"/cms/pages/add/knowledge/tutorialpage/{_index(a).pk}/").status_code == 200
    # Nor edit the other platform's page by posting to it.
    response = client.post(
        f"/cms/pages/{other.pk}/edit/", {"title": "Hijacked", "slug": other.slug}
    )
    assert _denied(response)
    other.refresh_from_db()
    assert other.title != "Hijacked" and other.get_latest_revision().content["title"] != "Hijacked"


def test_staff_cannot_edit_or_delete_another_platforms_resources(client, two_platforms):
    _, _, staff_a, _ = two_platforms
    alpha = OpenResource.objects.get(slug="alpha-data")
    beta = OpenResource.objects.get(slug="beta-data")
    client.force_login(staff_a)
    base = "/cms/snippets/knowledge/openresource"
    assert client.get(f"{base}/edit/{alpha.pk}/").status_code == 200
    assert _denied(client.get(f"{base}/edit/{beta.pk}/"))
    assert _denied(client.post(f"{base}/edit/{beta.pk}/", {"name": "Hijacked"}))
    assert _denied(client.get(f"{base}/delete/{beta.pk}/"))
    assert _denied(client.post(f"{base}/delete/{beta.pk}/"))
    assert OpenResource.objects.filter(pk=beta.pk, name="Beta data").exists()
    listing = client.get(f"{base}/").content.decode()
    assert "Alpha data" in listing and "Beta data" not in listing


def _resource_form(platform, **overrides):
    data = {
        "platform": platform.pk,
        "name": "New model",
        "slug": "new-model",
        "kind": "model",
        "access": "open",
        "licence": "MIT",
        "summary_zh_hans": "",
        "summary_zh_hant": "",
        "summary_en": "A model.",
        "url": "",
        "docs_url": "",
        "tags": "",
        "versions": inline_formset([{"version": "1.0", "released_on": "", "notes": ""}]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_staff_create_resources_only_for_their_own_platform(client, two_platforms):
    a, b, staff_a, _ = two_platforms
    client.force_login(staff_a)
    base = "/cms/snippets/knowledge/openresource"
    form = client.get(f"{base}/add/").context["form"]
    assert list(form.fields["platform"].queryset) == [a]

    response = client.post(f"{base}/add/", _resource_form(b))
    assert response.status_code == 200  # re-rendered with an error, nothing saved
    assert "platform" in response.context["form"].errors
    assert not OpenResource.objects.filter(slug="new-model").exists()

    response = client.post(f"{base}/add/", _resource_form(a))
    assert response.status_code == 302
    created = OpenResource.objects.get(slug="new-model")
    assert created.platform == a
    assert list(created.versions.values_list("version", flat=True)) == ["1.0"]


def test_moderators_edit_every_resource(client, two_platforms, moderator):
    beta = OpenResource.objects.get(slug="beta-data")
    client.force_login(moderator)
    assert client.get(f"/cms/snippets/knowledge/openresource/edit/{beta.pk}/").status_code == 200


def test_resource_list_filters_by_subdomain_kind_and_access(
    client, two_platforms, moderator, make_resource
):
    a, b, _, _ = two_platforms
    make_resource(a, slug="alpha-api", name="Alpha API", kind="api", access="apply")
    client.force_login(moderator)
    base = "/cms/snippets/knowledge/openresource/"
    body = client.get(base, {"subdomain": b.subdomain.pk}).content.decode()
    assert "Beta data" in body and "Alpha data" not in body
    body = client.get(base, {"kind": "api"}).content.decode()
    assert "Alpha API" in body and "Alpha data" not in body
    body = client.get(base, {"access": "apply", "platform": a.pk}).content.decode()
    assert "Alpha API" in body and "Alpha data" not in body
    body = client.get(base, {"q": "Beta"}).content.decode()
    assert "Beta data" in body and "Alpha API" not in body


def _tutorial_form(title: str, resource: OpenResource, action: str) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": "first-steps",
            "summary": "Install and run it.",
            "level": "beginner",
            "estimated_minutes": "20",
            "content_language": "en",
            "prerequisites": "",
            "series": "",
            "series_order": "1",
            "tags": "python",
            "body": streamfield(
                [
                    ("text", rich_text("<h2>Install</h2><p>Run this.</p>")),
                    ("code", {"language": "bash", "code": "pip install <pkg>", "caption": ""}),
                    ("resource", {"resource": resource.pk, "version": "1.0", "note": ""}),
                ]
            ),
        }
    )
    data[action] = "1"
    return data


def test_submit_then_moderator_approves_then_published(client, two_platforms, moderator):
    a, _, staff_a, _ = two_platforms
    resource = OpenResource.objects.get(slug="alpha-data")
    index = _index(a)

    client.force_login(staff_a)
    response = client.post(
        f"/cms/pages/add/knowledge/tutorialpage/{index.pk}/",
        _tutorial_form("First steps", resource, "action-submit"),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    tutorial = TutorialPage.objects.get(slug="first-steps")
    assert not tutorial.live
    assert tutorial.workflow_in_progress
    assert client.get("/sd-alpha/tutorials/first-steps/").status_code == 404  # not yet public
    # Staff cannot approve their own submission.
    task_state = tutorial.current_workflow_task_state
    approve = f"/cms/pages/workflow/action/{tutorial.pk}/approve/{task_state.pk}/"
    assert _denied(client.post(approve, {"comment": ""}))

    client.force_login(moderator)
    response = client.post(approve, {"comment": "Looks good"})
    assert response.status_code in {200, 302}
    tutorial.refresh_from_db()
    assert tutorial.live
    assert not tutorial.workflow_in_progress

    client.logout()
    page = client.get(tutorial.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "First steps" in body
    assert "<pkg>" not in body and "pkg" in body  # the code block is escaped
    assert "Alpha data" in body
    # Publishing stored the resource link: the resource page lists the tutorial.
    assert "First steps" in client.get(resource.get_absolute_url()).content.decode()


def test_staff_cannot_publish_directly(client, two_platforms):
    a, _, staff_a, _ = two_platforms
    resource = OpenResource.objects.get(slug="alpha-data")
    client.force_login(staff_a)
    client.post(
        f"/cms/pages/add/knowledge/tutorialpage/{_index(a).pk}/",
        _tutorial_form("Sneaky", resource, "action-publish"),
    )
    tutorial = TutorialPage.objects.filter(slug="first-steps").first()
    assert tutorial is None or not tutorial.live


def test_platform_moved_to_another_subdomain_is_rescoped(
    two_platforms, make_platform, django_capture_on_commit_callbacks
):
    a, _, _, _ = two_platforms
    with django_capture_on_commit_callbacks(execute=True):
        other = make_platform("delta")
        a.subdomain = other.subdomain
        a.save()
    group_pages = set(
        GroupPagePermission.objects.filter(group__name=platform_group_name(a)).values_list(
            "page_id", flat=True
        )
    )
    assert group_pages == {SubdomainPage.objects.get(subdomain=other.subdomain).pk}


def test_staff_edit_only_their_own_subdomains_series(client, two_platforms):
    from knowledge.models import TutorialSeries

    a, b, staff_a, _ = two_platforms
    own = TutorialSeries.objects.create(slug="own", title="Own series", subdomain=a.subdomain)
    other = TutorialSeries.objects.create(slug="other", title="Other series", subdomain=b.subdomain)
    client.force_login(staff_a)
    base = "/cms/snippets/knowledge/tutorialseries"
    assert client.get(f"{base}/edit/{own.pk}/").status_code == 200
    assert _denied(client.get(f"{base}/edit/{other.pk}/"))
    listing = client.get(f"{base}/").content.decode()
    assert "Own series" in listing and "Other series" not in listing
    form = client.get(f"{base}/add/").context["form"]
    assert list(form.fields["subdomain"].queryset) == [a.subdomain]
