"""Writes on the collaboration board. Each service checks permission, owns its
transaction and hands notifications to ``transaction.on_commit``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_moderator
from collaboration.models import (
    Alert,
    CollaborationPost,
    Flag,
    Interest,
    InterestEvent,
    MemberSkill,
    Organisation,
    OrganisationMembership,
    Skill,
    normalize_skill,
)
from core.markdown import markdown_to_text
from core.ratelimit import hit
from notifications.services import notify, notify_many

MAX_POST_SKILLS = 10
MAX_SKILL_LENGTH = 40
MAX_EXPIRY_DAYS = 365

RATE_POST = "5/h"
RATE_INTEREST = "10/h"
RATE_FLAG = "10/h"


class CollaborationError(Exception):
    """A request the board refuses, with a message for the member."""


class RateLimited(CollaborationError):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _check_can_write(user) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    if user.is_suspended:
        raise PermissionDenied(_("Your account is suspended."))


def _limit(user, action: str, rate: str) -> None:
    result = hit(f"collab:{action}:{user.pk}", rate)
    if not result.allowed:
        raise RateLimited(
            _("You are doing that too often. Try again in %(seconds)d seconds.")
            % {"seconds": result.retry_after},
            result.retry_after,
        )


# --- skills ------------------------------------------------------------------


def skills_resolve(*, names: Iterable[str]) -> list[Skill]:
    """The Skill rows for ``names`` (created when new), once each, in the order given."""
    wanted: dict[str, str] = {}
    for raw in names:
        name = " ".join((raw or "").split())[:MAX_SKILL_LENGTH]
        if name:
            wanted.setdefault(normalize_skill(name), name)
    if not wanted:
        return []
    existing = {skill.key: skill for skill in Skill.objects.filter(key__in=list(wanted))}
    for key, name in wanted.items():
        if key not in existing:
            skill, _created = Skill.objects.get_or_create(key=key, defaults={"name": name})
            existing[key] = skill
    return [existing[key] for key in wanted]


def member_skills_sync(*, user, names: Iterable[str]) -> None:
    """Make the member's normalized skills equal ``names`` (their profile's list)."""
    with transaction.atomic():
        skills = skills_resolve(names=names)
        keep = {skill.pk for skill in skills}
        MemberSkill.objects.filter(user=user).exclude(skill_id__in=keep).delete()
        have = set(MemberSkill.objects.filter(user=user).values_list("skill_id", flat=True))
        MemberSkill.objects.bulk_create(
            [MemberSkill(user=user, skill_id=pk) for pk in keep - have], ignore_conflicts=True
        )


# --- posts -------------------------------------------------------------------

POST_FIELDS = (
    "kind",
    "title",
    "description",
    "subdomain",
    "organisation",
    "stage",
    "engagement",
    "location",
    "remote",
    "expires_on",
    *CollaborationPost.CONTACT_FIELDS,
)


def _validate_post(*, author, data: dict, resources: list) -> None:
    if data.get("kind") == CollaborationPost.Kind.PILOT and not resources:
        raise CollaborationError(_("Choose the platform resource you want to pilot on."))
    contacts = [data.get(name) for name in CollaborationPost.CONTACT_FIELDS]
    if not any(contacts):
        raise CollaborationError(_("Give at least one way to contact you."))
    expires_on: datetime.date = data["expires_on"]
    today = timezone.localdate()
    if expires_on < today:
        raise CollaborationError(_("The expiry date cannot be in the past."))
    if expires_on > today + datetime.timedelta(days=MAX_EXPIRY_DAYS):
        raise CollaborationError(_("A post can run for at most a year."))
    organisation = data.get("organisation")
    if organisation is not None and not organisation.memberships.filter(user=author).exists():
        raise CollaborationError(_("You can only post for an organisation you belong to."))


def post_create(
    *, author, data: dict, skills: Iterable[str] = (), resources: Iterable = ()
) -> CollaborationPost:
    """Publish a post; members whose alerts match are notified after commit."""
    _check_can_write(author)
    skill_names, resources = list(skills), list(resources)
    _validate_post(author=author, data=data, resources=resources)
    _limit(author, "post", RATE_POST)
    with transaction.atomic():
        post = CollaborationPost.objects.create(
            author=author, **{name: data[name] for name in POST_FIELDS if name in data}
        )
        post.skills.set(skills_resolve(names=skill_names[:MAX_POST_SKILLS]))
        post.resources.set(resources)
        transaction.on_commit(lambda: _notify_alerts(post.pk))
    return post


def post_update(
    *, post: CollaborationPost, actor, data: dict, skills: Iterable[str], resources: Iterable
) -> CollaborationPost:
    """Edit a post (author only)."""
    _check_can_write(actor)
    if actor.pk != post.author_id:
        raise PermissionDenied
    resources = list(resources)
    _validate_post(author=actor, data=data, resources=resources)
    with transaction.atomic():
        for name in POST_FIELDS:
            if name in data:
                setattr(post, name, data[name])
        post.save()
        post.skills.set(skills_resolve(names=list(skills)[:MAX_POST_SKILLS]))
        post.resources.set(resources)
    return post


def post_close(*, post: CollaborationPost, actor) -> CollaborationPost:
    """Close a post to new interest (author or moderator). Pending interests stay decidable."""
    _check_can_write(actor)
    if actor.pk != post.author_id and not is_moderator(actor):
        raise PermissionDenied
    if post.status != CollaborationPost.Status.CLOSED:
        post.status = CollaborationPost.Status.CLOSED
        post.closed_at = timezone.now()
        post.save(update_fields=["status", "closed_at", "updated_at"])
    return post


def post_reopen(*, post: CollaborationPost, actor) -> CollaborationPost:
    """Reopen a closed post (author only; the expiry date must still be ahead)."""
    _check_can_write(actor)
    if actor.pk != post.author_id:
        raise PermissionDenied
    if post.is_expired:
        raise CollaborationError(_("This post has expired; edit its expiry date first."))
    post.status = CollaborationPost.Status.OPEN
    post.closed_at = None
    post.save(update_fields=["status", "closed_at", "updated_at"])
    return post


def _notify_alerts(post_id: int) -> int:
    post = CollaborationPost.objects.select_related("author", "subdomain").get(pk=post_id)
    if not post.is_open:
        return 0
    skill_ids = list(post.skills.values_list("pk", flat=True))
    alerts = Alert.objects.filter(
        Q(subdomains=post.subdomain_id) | Q(skills__in=skill_ids)
    ).values_list("user_id", flat=True)
    from django.contrib.auth import get_user_model

    recipients = get_user_model().objects.filter(pk__in=alerts.distinct(), is_active=True)
    return notify_many(
        recipients=list(recipients),
        kind="collaboration_match",
        actor=post.author,
        target_url=post.get_absolute_url(),
        target_title=post.title,
        excerpt=markdown_to_text(post.description),
    )


def posts_remind_expiring(*, days: int = 3, today: datetime.date | None = None) -> int:
    """Tell authors once per expiry date that their open post expires within ``days``.

    Idempotent: ``expiry_reminded_for`` records the date reminded of, so running
    again sends nothing, while extending the post re-arms the reminder.
    """
    today = today or timezone.localdate()
    due = (
        CollaborationPost.objects.live(today)
        .filter(expires_on__lte=today + datetime.timedelta(days=days))
        .exclude(expiry_reminded_for=F("expires_on"))
        .select_related("author")
    )
    sent = 0
    for post in due:
        with transaction.atomic():
            updated = (
                CollaborationPost.objects.filter(pk=post.pk)
                .exclude(expiry_reminded_for=F("expires_on"))
                .update(expiry_reminded_for=F("expires_on"))
            )
            if updated:
                sent += notify(
                    recipient=post.author,
                    kind="collaboration_expiring",
                    target_url=reverse("collaboration:post_edit", args=[post.pk]),
                    target_title=post.title,
                )
    return sent


# --- interest ----------------------------------------------------------------


def interest_express(
    *, post: CollaborationPost, member, message: str, contacts: dict[str, str]
) -> Interest:
    """Tell the author ``member`` is interested; refused on closed, expired or own posts."""
    _check_can_write(member)
    if member.pk == post.author_id:
        raise CollaborationError(_("You cannot express interest in your own post."))
    if post.hidden_at is not None or post.status != CollaborationPost.Status.OPEN:
        raise CollaborationError(_("This post is closed and no longer accepts interest."))
    if post.is_expired:
        raise CollaborationError(_("This post has expired and no longer accepts interest."))
    message = (message or "").strip()
    if not message:
        raise CollaborationError(_("Write a short message to the author."))
    contacts = {name: (contacts.get(name) or "").strip() for name in Interest.CONTACT_FIELDS}
    if not any(contacts.values()):
        raise CollaborationError(_("Give at least one way to contact you."))
    if Interest.objects.filter(post=post, member=member).exists():
        raise CollaborationError(_("You have already expressed interest in this post."))
    _limit(member, "interest", RATE_INTEREST)
    try:
        with transaction.atomic():
            interest = Interest.objects.create(
                post=post, member=member, message=message, **contacts
            )
            InterestEvent.objects.create(
                interest=interest, actor=member, action=InterestEvent.Action.EXPRESSED
            )
    except IntegrityError as error:  # a double submit racing the check above
        raise CollaborationError(_("You have already expressed interest in this post.")) from error
    author = post.author
    transaction.on_commit(
        lambda: notify(
            recipient=author,
            kind="collaboration",
            actor=member,
            target_url=post.get_absolute_url() + "#interests",
            target_title=post.title,
            excerpt=markdown_to_text(message),
        )
    )
    return interest


def interest_decide(*, interest: Interest, actor, accept: bool) -> Interest:
    """The author accepts (sharing contact details both ways) or declines an interest."""
    _check_can_write(actor)
    post = interest.post
    if actor.pk != post.author_id:
        raise PermissionDenied
    target = Interest.Status.ACCEPTED if accept else Interest.Status.DECLINED
    with transaction.atomic():
        locked = Interest.objects.select_for_update().get(pk=interest.pk)
        if locked.status == Interest.Status.WITHDRAWN:
            raise CollaborationError(_("The member has withdrawn this interest."))
        if locked.status == target:
            return locked
        if locked.status == Interest.Status.ACCEPTED:
            raise CollaborationError(_("Contact details have already been shared."))
        locked.status = target
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        InterestEvent.objects.create(
            interest=locked,
            actor=actor,
            action=InterestEvent.Action.ACCEPTED if accept else InterestEvent.Action.DECLINED,
        )
    member = interest.member
    transaction.on_commit(
        lambda: notify(
            recipient=member,
            kind="collaboration",
            actor=actor,
            target_url=post.get_absolute_url(),
            target_title=post.title,
            excerpt=(
                _("Your interest was accepted: contact details are now shared.")
                if accept
                else _("Your interest was declined.")
            ),
        )
    )
    locked.post = post
    return locked


def interest_withdraw(*, interest: Interest, actor) -> Interest:
    """The member withdraws a pending interest."""
    _check_can_write(actor)
    if actor.pk != interest.member_id:
        raise PermissionDenied
    if interest.status != Interest.Status.PENDING:
        raise CollaborationError(_("Only a pending interest can be withdrawn."))
    with transaction.atomic():
        interest.status = Interest.Status.WITHDRAWN
        interest.decided_at = timezone.now()
        interest.save(update_fields=["status", "decided_at"])
        InterestEvent.objects.create(
            interest=interest, actor=actor, action=InterestEvent.Action.WITHDRAWN
        )
    return interest


# --- flags -------------------------------------------------------------------


def flag_create(*, post: CollaborationPost, reporter, reason: str, note: str = "") -> Flag:
    """Report a post to moderators (once per member and post)."""
    _check_can_write(reporter)
    if reporter.pk == post.author_id:
        raise CollaborationError(_("You cannot flag your own post."))
    if reason not in Flag.Reason.values:
        raise CollaborationError(_("Choose a reason."))
    if Flag.objects.filter(post=post, reporter=reporter).exists():
        raise CollaborationError(_("You have already flagged this post."))
    _limit(reporter, "flag", RATE_FLAG)
    try:
        with transaction.atomic():
            return Flag.objects.create(
                post=post, reporter=reporter, reason=reason, note=(note or "").strip()[:500]
            )
    except IntegrityError as error:
        raise CollaborationError(_("You have already flagged this post.")) from error


def flag_review(*, flags: Iterable[Flag], moderator, hide_post: bool) -> int:
    """Resolve flags: hide their posts (``hide_post``) or dismiss them. Moderators only."""
    if not is_moderator(moderator):
        raise PermissionDenied
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for flag in flags:
            flag.status = Flag.Status.ACTIONED if hide_post else Flag.Status.DISMISSED
            flag.reviewed_by = moderator
            flag.reviewed_at = now
            flag.save(update_fields=["status", "reviewed_by", "reviewed_at"])
            if hide_post:
                CollaborationPost.objects.filter(pk=flag.post_id, hidden_at__isnull=True).update(
                    hidden_at=now
                )
                Flag.objects.filter(post_id=flag.post_id, status=Flag.Status.OPEN).update(
                    status=Flag.Status.ACTIONED, reviewed_by=moderator, reviewed_at=now
                )
            count += 1
    return count


# --- alerts and organisations -----------------------------------------------


def alert_update(*, user, skills: Iterable[str], subdomains: Iterable) -> Alert | None:
    """Set the member's alert; with no skills and no sub-domains the alert is removed."""
    _check_can_write(user)
    skill_rows = skills_resolve(names=list(skills)[:20])
    subdomains = list(subdomains)
    with transaction.atomic():
        if not skill_rows and not subdomains:
            Alert.objects.filter(user=user).delete()
            return None
        alert, _created = Alert.objects.get_or_create(user=user)
        alert.skills.set(skill_rows)
        alert.subdomains.set(subdomains)
        alert.save(update_fields=["updated_at"])
    return alert


def organisation_create(
    *, creator, name: str, kind: str, website: str = "", description: str = ""
) -> Organisation:
    """List an organisation (unverified until an admin checks it); the creator administers it."""
    _check_can_write(creator)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name.strip(),
            kind=kind,
            website=website,
            description=description,
            created_by=creator,
        )
        OrganisationMembership.objects.create(
            organisation=organisation, user=creator, role=OrganisationMembership.Role.ADMIN
        )
    return organisation


def organisation_member_add(*, organisation: Organisation, actor, user) -> OrganisationMembership:
    """An organisation administrator adds a member."""
    _check_can_write(actor)
    if not organisation.memberships.filter(
        user=actor, role=OrganisationMembership.Role.ADMIN
    ).exists():
        raise PermissionDenied
    membership, _created = OrganisationMembership.objects.get_or_create(
        organisation=organisation, user=user
    )
    return membership


def organisation_leave(*, organisation: Organisation, user) -> None:
    """Leave an organisation; the last administrator cannot leave while others remain."""
    _check_can_write(user)
    membership = organisation.memberships.filter(user=user).first()
    if membership is None:
        return
    admins = organisation.memberships.filter(role=OrganisationMembership.Role.ADMIN)
    others = organisation.memberships.exclude(user=user)
    if (
        membership.role == OrganisationMembership.Role.ADMIN
        and admins.count() == 1
        and others.exists()
    ):
        raise CollaborationError(_("Make another member an administrator before you leave."))
    membership.delete()
