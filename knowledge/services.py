"""Writes for the knowledge app: tutorial links, and the CMS set-up of groups and workflow.

``knowledge_setup`` is idempotent: it makes sure every sub-domain has its page
(with a tutorial index), every platform a CMS group whose members are exactly its
staff and who may edit only their own sub-domain's pages, and that sub-domain
pages go through the "Moderator approval" workflow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from accounts.roles import MODERATORS_GROUP
from knowledge.models import (
    HomePage,
    OpenResource,
    Platform,
    Subdomain,
    SubdomainPage,
    TutorialIndexPage,
    TutorialPage,
    TutorialResource,
)

logger = logging.getLogger(__name__)

WORKFLOW_NAME = "Moderator approval"
STAFF_PAGE_PERMISSIONS = ["add_page", "change_page"]
MODERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
SNIPPET_MODELS = ["openresource", "tutorialseries"]
IMAGE_PERMISSIONS = ["add_image", "choose_image"]


def platform_group_name(platform: Platform) -> str:
    return f"Platform staff: {platform.slug}"


@transaction.atomic
def tutorial_links_sync(*, tutorial: TutorialPage) -> list[TutorialResource]:
    """Store which resources the tutorial's live body links to (rebuilt on each publish)."""
    links = tutorial.body_resource_links() if tutorial.live else []
    existing = set(
        OpenResource.objects.filter(pk__in=[rid for rid, _ in links]).values_list("pk", flat=True)
    )
    TutorialResource.objects.filter(tutorial=tutorial).delete()
    return TutorialResource.objects.bulk_create(
        [
            TutorialResource(tutorial=tutorial, resource_id=resource_id, version=version[:40])
            for resource_id, version in links
            if resource_id in existing
        ]
    )


@dataclass
class SetupReport:
    created: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.created.append(message)


def _permissions(app_label: str, codenames: list[str]) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def subdomain_page_ensure(
    *, subdomain: Subdomain, report: SetupReport | None = None
) -> SubdomainPage:
    """The sub-domain's page under the home page, with a tutorial index, both published."""
    report = report or SetupReport()
    page = SubdomainPage.objects.filter(subdomain=subdomain).first()
    if page is None:
        home = HomePage.objects.first()
        if home is None:
            raise RuntimeError("No HomePage: run migrations first.")
        page = SubdomainPage(
            title=subdomain.name_zh_hans or subdomain.name_en,
            slug=subdomain.slug,
            subdomain=subdomain,
            intro="",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        report.add(f"page for sub-domain {subdomain.slug}")
    if not TutorialIndexPage.objects.child_of(page).exists():
        index = TutorialIndexPage(title="教程 Tutorials", slug="tutorials")
        page.add_child(instance=index)
        index.save_revision().publish()
        report.add(f"tutorial index for {subdomain.slug}")
    return page


def moderators_ensure(*, report: SetupReport | None = None) -> Group:
    """The Moderators group may review and publish every page and manage the catalogue."""
    report = report or SetupReport()
    group, created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    if created:
        report.add("Moderators group")
    group.permissions.add(
        *_permissions("wagtailadmin", ["access_admin"]),
        *_permissions(
            "knowledge",
            [
                f"{action}_{model}"
                for model in SNIPPET_MODELS
                for action in ("add", "change", "delete")
            ],
        ),
    )
    home = HomePage.objects.first()
    if home is not None:
        for permission in _permissions("wagtailcore", MODERATOR_PAGE_PERMISSIONS):
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
    _collection_permissions(group)
    return group


def _collection_permissions(group: Group) -> None:
    root = Collection.get_first_root_node()
    if root is None:
        return
    for permission in _permissions("wagtailimages", IMAGE_PERMISSIONS):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


def platform_group_ensure(*, platform: Platform, report: SetupReport | None = None) -> Group:
    """The platform's CMS group: its staff, editing only their own sub-domain's pages.

    Members may add and change (not publish) pages under their sub-domain page, and
    add/change their own platform's resources and series (see knowledge.permissions).
    """
    report = report or SetupReport()
    group, created = Group.objects.get_or_create(name=platform_group_name(platform))
    if created:
        report.add(f"group {group.name}")
    group.permissions.set(
        [
            *_permissions("wagtailadmin", ["access_admin"]),
            *_permissions(
                "knowledge",
                [
                    f"{action}_{model}"
                    for model in SNIPPET_MODELS
                    for action in ("add", "change", "delete")
                ],
            ),
        ]
    )
    page = subdomain_page_ensure(subdomain=platform.subdomain, report=report)
    wanted = _permissions("wagtailcore", STAFF_PAGE_PERMISSIONS)
    GroupPagePermission.objects.filter(group=group).exclude(
        page=page, permission__in=wanted
    ).delete()
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    _collection_permissions(group)
    platform_group_sync_members(platform=platform, group=group)
    return group


def platform_group_sync_members(*, platform: Platform, group: Group | None = None) -> None:
    """Make the group's members exactly the platform's staff."""
    group = group or Group.objects.filter(name=platform_group_name(platform)).first()
    if group is None:
        return
    group.user_set.set(platform.staff.all())


def moderation_workflow_ensure(*, report: SetupReport | None = None) -> Workflow:
    """A "Moderator approval" workflow (one GroupApprovalTask) on every sub-domain page."""
    report = report or SetupReport()
    moderators = moderators_ensure(report=report)
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
        report.add("moderator approval task")
    task.groups.add(moderators)
    workflow, created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if created:
        report.add("moderator approval workflow")
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in SubdomainPage.objects.all():
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def knowledge_setup(*, report: SetupReport | None = None) -> SetupReport:
    """Ensure pages, groups, permissions and the workflow for every sub-domain and platform."""
    report = report or SetupReport()
    with transaction.atomic():
        for subdomain in Subdomain.objects.all():
            subdomain_page_ensure(subdomain=subdomain, report=report)
        for platform in Platform.objects.select_related("subdomain"):
            platform_group_ensure(platform=platform, report=report)
        moderation_workflow_ensure(report=report)
    return report
