"""Badges: a few clear milestones, each defined once by the query that says who earned it.

The same query serves both ways of awarding, so they cannot disagree:

- :func:`badges_check` runs after the events that can earn a badge (services queue
  it with ``transaction.on_commit``), only for the members involved and only for
  badges they do not hold yet; a new award notifies its member.
- :func:`badges_backfill` (``manage.py award_badges``) asks every query for every
  member and adds the missing awards, dated when the milestone was reached where
  the data says so. It is idempotent and sends no notifications.

One :class:`~community.models.BadgeAward` row per member and badge (a unique
constraint), so concurrent checks cannot award twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from community.models import Answer, Article, BadgeAward, Question, Revision

NICE_SCORE = 10
RISING_STAR_REPUTATION = 100

# {user_id: (when, url, title)}; when/url/title may be None/"" where the data has none.
Earned = dict[int, tuple[datetime | None, str, str]]


@dataclass(frozen=True)
class Badge:
    key: str
    name: Promise
    description: Promise
    level: str  # "bronze" or "silver"
    earned: Callable[[Sequence[int] | None], Earned]


def _only(queryset: QuerySet, user_ids: Sequence[int] | None, field: str = "author_id"):
    return queryset if user_ids is None else queryset.filter(**{f"{field}__in": list(user_ids)})


def _first(queryset: QuerySet, user_ids, field: str = "author_id", date: str = "created_at"):
    """Members with at least one row, dated by their first."""
    rows = (
        _only(queryset, user_ids, field)
        .exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(first=Min(date))
        .order_by()
    )
    return {row[field]: (row["first"], "", "") for row in rows}


def _first_post(queryset: QuerySet, user_ids, *, title: Callable) -> Earned:
    """Members with at least one matching post, with their oldest one as the reason."""
    earned: Earned = {}
    for post in _only(queryset, user_ids).exclude(author__isnull=True).order_by("created_at", "pk"):
        if post.author_id not in earned:
            earned[post.author_id] = (post.created_at, post.get_absolute_url(), title(post))
    return earned


def _student(user_ids) -> Earned:
    return _first(Question.objects.filter(is_deleted=False), user_ids)


def _helper(user_ids) -> Earned:
    return _first(Answer.objects.filter(is_deleted=False, question__is_deleted=False), user_ids)


def _solver(user_ids) -> Earned:
    accepted = (
        Answer.objects.filter(is_accepted=True, is_deleted=False)
        .exclude(question__author_id=F("author_id"))
        .select_related("question")
    )
    return _first_post(accepted, user_ids, title=lambda answer: answer.question.title)


def _scholar(user_ids) -> Earned:
    questions = Question.objects.filter(is_deleted=False, accepted_answer__isnull=False).exclude(
        accepted_answer__author_id=F("author_id")
    )
    return _first_post(questions, user_ids, title=lambda question: question.title)


def _writer(user_ids) -> Earned:
    return _first(Article.objects.filter(is_deleted=False), user_ids)


def _editor(user_ids) -> Earned:
    """A revision after the first, by someone other than the post's author (approved
    suggested edits are credited to their suggester)."""
    of_others = (
        Q(question__isnull=False) & ~Q(question__author_id=F("author_id"))
        | Q(answer__isnull=False) & ~Q(answer__author_id=F("author_id"))
        | Q(article__isnull=False) & ~Q(article__author_id=F("author_id"))
    )
    return _first(Revision.objects.filter(of_others, number__gt=1), user_ids)


def _nice(model, user_ids, *, title: Callable) -> Earned:
    queryset = model.objects.filter(is_deleted=False, score__gte=NICE_SCORE)
    if model is Answer:
        queryset = queryset.select_related("question")
    return _first_post(queryset, user_ids, title=title)


def _rising_star(user_ids) -> Earned:
    members = get_user_model().objects.filter(reputation__gte=RISING_STAR_REPUTATION)
    return dict.fromkeys(
        _only(members, user_ids, "pk").values_list("pk", flat=True), (None, "", "")
    )


BADGES: dict[str, Badge] = {
    badge.key: badge
    for badge in [
        Badge("student", _("Student"), _("Asked a first question."), "bronze", _student),
        Badge("helper", _("Helper"), _("Posted a first answer."), "bronze", _helper),
        Badge(
            "scholar",
            _("Scholar"),
            _("Asked a question and accepted someone's answer."),
            "bronze",
            _scholar,
        ),
        Badge(
            "solver",
            _("Problem solver"),
            _("Wrote an answer the asker accepted."),
            "bronze",
            _solver,
        ),
        Badge("writer", _("Writer"), _("Published a first experience article."), "bronze", _writer),
        Badge(
            "editor",
            _("Editor"),
            _("Improved someone else's post (an edit or an approved suggested edit)."),
            "bronze",
            _editor,
        ),
        Badge(
            "nice_question",
            _("Nice question"),
            _("A question with a score of 10 or more."),
            "silver",
            lambda ids: _nice(Question, ids, title=lambda q: q.title),
        ),
        Badge(
            "nice_answer",
            _("Nice answer"),
            _("An answer with a score of 10 or more."),
            "silver",
            lambda ids: _nice(Answer, ids, title=lambda a: a.question.title),
        ),
        Badge(
            "nice_article",
            _("Nice article"),
            _("An experience article with a score of 10 or more."),
            "silver",
            lambda ids: _nice(Article, ids, title=lambda a: a.title),
        ),
        Badge(
            "rising_star",
            _("Rising star"),
            _("Earned 100 reputation."),
            "silver",
            _rising_star,
        ),
    ]
}


def badge_url(key: str) -> str:
    return f"{reverse('community:badge_list')}#badge-{key}"


def badges_check(*, user_ids: Iterable[int], keys: Sequence[str] | None = None) -> list:
    """Award ``keys`` (default: every badge) to those of ``user_ids`` who now qualify.

    Returns the new awards; each member is notified of theirs.
    """
    from notifications.services import notify

    ids = sorted(set(user_ids))
    keys = [key for key in (keys or BADGES) if key in BADGES]
    if not ids or not keys:
        return []
    held = set(
        BadgeAward.objects.filter(user_id__in=ids, badge__in=keys).values_list("user_id", "badge")
    )
    created = []
    for key in keys:
        wanted = [pk for pk in ids if (pk, key) not in held]
        if not wanted:
            continue
        for user_id, (_when, url, title) in BADGES[key].earned(wanted).items():
            try:
                with transaction.atomic():
                    award = BadgeAward.objects.create(
                        user_id=user_id, badge=key, target_url=url[:500], target_title=title[:300]
                    )
            except IntegrityError:  # a concurrent check awarded it first
                continue
            created.append(award)
    if created:
        users = get_user_model().objects.in_bulk([award.user_id for award in created])
        with translation.override(settings.LANGUAGE_CODE):
            for award in created:
                notify(
                    recipient=users[award.user_id],
                    kind="badge",
                    target_url=badge_url(award.badge),
                    target_title=str(BADGES[award.badge].name),
                )
    return created


def badges_backfill(*, stdout=None) -> int:
    """Add every award the data says is earned and missing; returns how many were added."""
    added = 0
    for index, badge in enumerate(BADGES.values(), start=1):
        held = set(BadgeAward.objects.filter(badge=badge.key).values_list("user_id", flat=True))
        now = timezone.now()
        missing = [
            BadgeAward(
                user_id=user_id,
                badge=badge.key,
                awarded_at=when or now,
                target_url=url[:500],
                target_title=title[:300],
            )
            for user_id, (when, url, title) in badge.earned(None).items()
            if user_id not in held
        ]
        BadgeAward.objects.bulk_create(missing, batch_size=1000, ignore_conflicts=True)
        added += len(missing)
        if stdout is not None:
            stdout.write(f"  [{index}/{len(BADGES)}] {badge.key}: {len(missing)} added")
    return added
