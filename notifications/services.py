"""Writing notifications: create, fan out to followers, mark read, email digests."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from notifications.kinds import get_kind
from notifications.models import Notification, NotificationPreference

MAX_MENTIONS = 10
MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.-]{1,149})")


def _clip(text: str, length: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _opted_out(user_ids: Iterable[int], kind: str, channel: str) -> set[int]:
    return set(
        NotificationPreference.objects.filter(
            user_id__in=list(user_ids), kind=kind, **{channel: False}
        ).values_list("user_id", flat=True)
    )


def notify_many(
    *,
    recipients: Iterable,
    kind: str,
    target_url: str,
    target_title: str = "",
    excerpt: str = "",
    actor=None,
) -> int:
    """Notify each recipient once; never the actor, never inactive members or those opted out."""
    by_id = {user.pk: user for user in recipients if user is not None and user.is_active}
    if actor is not None:
        by_id.pop(actor.pk, None)
    if not by_id:
        return 0
    wanted = set(by_id) - _opted_out(by_id, kind, "in_site")
    Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            kind=kind,
            actor=actor,
            target_url=target_url[:500],
            target_title=_clip(target_title, 300),
            excerpt=_clip(excerpt, 300),
        )
        for user_id in sorted(wanted)
    )
    return len(wanted)


def notify(
    *, recipient, kind: str, target_url: str, target_title: str = "", excerpt: str = "", actor=None
) -> bool:
    """Notify one member; returns whether a notification was created."""
    return bool(
        notify_many(
            recipients=[recipient],
            kind=kind,
            target_url=target_url,
            target_title=target_title,
            excerpt=excerpt,
            actor=actor,
        )
    )


def extract_mentions(text: str) -> list[str]:
    """``@username`` mentions in Markdown source, outside code, in order, at most 10."""
    without_code = re.sub(r"```.*?```|`[^`\n]*`", " ", text or "", flags=re.DOTALL)
    seen: dict[str, None] = {}
    for name in MENTION.findall(without_code):
        seen.setdefault(name.rstrip(".-").lower(), None)
    return list(seen)[:MAX_MENTIONS]


def notify_mentions(
    *, text: str, actor, target_url: str, target_title: str = "", exclude: Iterable = ()
) -> int:
    """Notify members mentioned in ``text`` (except ``exclude``, already told another way)."""
    names = extract_mentions(text)
    if not names:
        return 0
    matches = Q()
    for name in names:
        matches |= Q(username__iexact=name)
    users = get_user_model().objects.filter(matches)
    skip = {user.pk for user in exclude if user is not None}
    return notify_many(
        recipients=[user for user in users if user.pk not in skip],
        kind="mention",
        actor=actor,
        target_url=target_url,
        target_title=target_title,
        excerpt=text,
    )


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the member's notifications (all, or ``ids``) read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_update(*, user, choices: dict[str, tuple[bool, bool]]) -> None:
    """Store ``{kind: (in_site, email)}``; rows equal to the defaults are removed."""
    for kind, (in_site, email) in choices.items():
        default_email = get_kind(kind).email_default
        if in_site and email == default_email:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"in_site": in_site, "email": email}
            )


def _emailed_kinds(user_id: int, overrides: dict[tuple[int, str], bool], kind: str) -> bool:
    return overrides.get((user_id, kind), get_kind(kind).email_default)


def digest_send(*, since: datetime | None = None, stdout=None) -> int:
    """Email each member one digest of their unread, not yet emailed notifications.

    Idempotent: notifications are stamped ``emailed_at`` in the same transaction as
    the send is recorded, so a second run sends nothing new. Returns emails sent.
    """
    pending = Notification.objects.filter(
        emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True
    ).exclude(recipient__email="")
    if since is not None:
        pending = pending.filter(created_at__gte=since)
    grouped: dict[int, list[Notification]] = defaultdict(list)
    for item in pending.select_related("recipient__profile", "actor__profile").order_by(
        "recipient_id", "-created_at"
    ):
        grouped[item.recipient_id].append(item)
    overrides = {
        (pref.user_id, pref.kind): pref.email
        for pref in NotificationPreference.objects.filter(user_id__in=list(grouped))
    }
    sent = 0
    total = len(grouped)
    for index, (user_id, items) in enumerate(grouped.items(), start=1):
        wanted = [n for n in items if _emailed_kinds(user_id, overrides, n.kind)]
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                emailed_at=timezone.now()
            )
            if wanted:
                _send_digest(wanted[0].recipient, wanted)
                sent += 1
        if stdout is not None and (index % 100 == 0 or index == total):
            stdout.write(f"  digests: {index}/{total} members processed, {sent} sent")
    return sent


def _send_digest(user, items: list[Notification]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "items": items,
            "site_url": settings.SITE_URL,
            "preferences_url": settings.SITE_URL + "/settings/notifications/",
        }
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + ngettext(
            "%(count)d new notification", "%(count)d new notifications", len(items)
        ) % {"count": len(items)}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("notifications/email/digest.txt", context),
            to=[user.email],
            headers={"List-Unsubscribe": f"<{context['preferences_url']}>"},
        )
        message.attach_alternative(
            render_to_string("notifications/email/digest.html", context), "text/html"
        )
        message.send()
