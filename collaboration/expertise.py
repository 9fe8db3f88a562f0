"""Who is a good match for a post, and why: listed skills, platform staff, proven expertise.

Evidence comes from three places:

- the skills members list on their profile (matched through the shared
  :class:`~collaboration.models.Skill` vocabulary);
- platform staff of the platforms whose resources a post links;
- proven expertise from the Q&A forum: accepted answers and up-votes per tag,
  sub-domain and platform resource, computed by :func:`expertise_rows` in one
  aggregate (UNION ALL) query. A board skill and a Q&A tag are the same word
  when their normalized names match (``3D 检测`` ↔ ``3d-检测``).

The forum part needs ``community`` to provide ``Question``/``Answer``; without it
:data:`COMMUNITY_EXPERTISE` is False, the directory hides the expertise filter
and suggestions rest on the first two kinds of evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collaboration.models import MemberSkill, normalize_skill

try:  # the Q&A app may not have landed yet
    from community.models import Answer
except ImportError:  # pragma: no cover - depends on the other app
    Answer = None

User = get_user_model()

COMMUNITY_EXPERTISE = Answer is not None and hasattr(Answer, "is_accepted")

SKILL_WEIGHT = 10.0
PLATFORM_STAFF_WEIGHT = 15.0
ACCEPTED_WEIGHT = 10.0
UPVOTE_WEIGHT = 1.0
DIMENSION_WEIGHT = {"tag": 1.0, "resource": 1.0, "subdomain": 0.5}
MAX_ROWS = 300


def tag_name(skill_name: str) -> str:
    """The Q&A tag spelling of a skill: lower case, words joined by hyphens."""
    return "-".join(normalize_skill(skill_name).split())


@dataclass(frozen=True)
class ExpertiseRow:
    """Accepted answers and up-votes of one member in one tag, sub-domain or resource."""

    user_id: int
    dimension: str  # "tag", "subdomain" or "resource"
    key: str  # tag name, sub-domain slug or resource slug
    accepted: int
    upvotes: int

    @property
    def weight(self) -> float:
        return DIMENSION_WEIGHT[self.dimension] * (
            ACCEPTED_WEIGHT * self.accepted + UPVOTE_WEIGHT * self.upvotes
        )


def _proven_answers():
    """Live answers on live questions that were accepted or up-voted."""
    return Answer.objects.filter(
        Q(is_accepted=True) | Q(score__gt=0),
        is_deleted=False,
        question__is_deleted=False,
        author__is_active=True,
    )


def _grouped(queryset, dimension: str, key: str):
    return (
        queryset.annotate(
            dimension=Value(dimension, output_field=CharField()),
            key=F(key),
        )
        .values("author_id", "dimension", "key")
        .annotate(
            accepted=Count("pk", filter=Q(is_accepted=True)),
            upvotes=Coalesce(Sum("score", filter=Q(score__gt=0)), 0, output_field=IntegerField()),
        )
        # No Meta ordering: SQLite refuses ORDER BY inside the parts of a UNION.
        .order_by()
    )


def expertise_rows(
    *,
    user_ids: Iterable[int] | None = None,
    exclude_user_id: int | None = None,
    tags: Iterable[str] | None = None,
    subdomain_ids: Iterable[int] | None = None,
    resource_ids: Iterable[int] | None = None,
    dimensions: Iterable[str] = ("tag", "subdomain", "resource"),
    limit: int = MAX_ROWS,
) -> list[ExpertiseRow]:
    """Per member and tag/sub-domain/resource: accepted answers and up-votes, strongest first.

    One query (a UNION ALL of one GROUP BY per dimension). ``None`` filters mean
    "any"; an empty list means "none" and leaves that dimension out.
    """
    if not COMMUNITY_EXPERTISE:
        return []
    base = _proven_answers()
    if user_ids is not None:
        base = base.filter(author_id__in=list(user_ids))
    if exclude_user_id is not None:
        base = base.exclude(author_id=exclude_user_id)
    dimensions = set(dimensions)
    parts = []
    if "tag" in dimensions and (tags is None or tags):
        # One filter() per multi-valued join, or Django joins the table twice.
        tagged = (
            base.filter(question__question_tags__tag__name__in=list(tags))
            if tags is not None
            else base.filter(question__question_tags__tag__isnull=False)
        )
        parts.append(_grouped(tagged, "tag", "question__question_tags__tag__name"))
    if "subdomain" in dimensions and (subdomain_ids is None or subdomain_ids):
        in_subdomain = base.filter(question__subdomain__isnull=False)
        if subdomain_ids is not None:
            in_subdomain = in_subdomain.filter(question__subdomain_id__in=list(subdomain_ids))
        parts.append(_grouped(in_subdomain, "subdomain", "question__subdomain__slug"))
    if "resource" in dimensions and (resource_ids is None or resource_ids):
        linked = (
            base.filter(question__resource_links__resource_id__in=list(resource_ids))
            if resource_ids is not None
            else base.filter(question__resource_links__isnull=False)
        )
        parts.append(_grouped(linked, "resource", "question__resource_links__resource__slug"))
    if not parts:
        return []
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = query.order_by("-accepted", "-upvotes", "author_id", "key")[:limit]
    return [
        ExpertiseRow(
            user_id=row["author_id"],
            dimension=row["dimension"],
            key=row["key"],
            accepted=row["accepted"],
            upvotes=row["upvotes"],
        )
        for row in rows
    ]


def describe(row: ExpertiseRow, label: str) -> str:
    """``3 accepted answers in [lidar]`` / ``12 up-votes on answers about Apollo``."""
    where = f"[{label}]" if row.dimension == "tag" else label
    if row.accepted:
        return ngettext(
            "%(count)d accepted answer in %(where)s",
            "%(count)d accepted answers in %(where)s",
            row.accepted,
        ) % {"count": row.accepted, "where": where}
    return ngettext(
        "%(count)d up-vote on answers in %(where)s",
        "%(count)d up-votes on answers in %(where)s",
        row.upvotes,
    ) % {"count": row.upvotes, "where": where}


def has_expertise_q(name: str) -> Q:
    """Members with an accepted or up-voted answer in the tag ``name``."""
    if not COMMUNITY_EXPERTISE or not name:
        return Q()
    return Q(
        Exists(
            _proven_answers().filter(
                author_id=OuterRef("pk"), question__question_tags__tag__name=tag_name(name)
            )
        )
    )


def in_subdomain_q(subdomain) -> Q:
    """Members with an accepted or up-voted answer in ``subdomain``."""
    if not COMMUNITY_EXPERTISE:
        return Q(pk__in=[])
    return Q(
        Exists(_proven_answers().filter(author_id=OuterRef("pk"), question__subdomain=subdomain))
    )


@dataclass
class Ranked:
    user_id: int
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def rank_candidates(*, post, skill_ids: list[int], limit: int) -> list[Ranked]:
    """Rank members for ``post`` by proven expertise, listed skills and platform staff."""
    ranked: dict[int, Ranked] = {}
    skills = list(post.skills.all())
    resources = list(post.resources.all())
    # 1. Proven expertise in the post's skills (as tags), sub-domain and resources.
    tag_labels = {tag_name(skill.name): skill.name for skill in skills}
    resource_labels = {resource.slug: resource.name for resource in resources}
    for row in expertise_rows(
        exclude_user_id=post.author_id,
        tags=list(tag_labels),
        subdomain_ids=[post.subdomain_id],
        resource_ids=[resource.pk for resource in resources],
    ):
        entry = ranked.setdefault(row.user_id, Ranked(row.user_id))
        entry.score += row.weight
        label = {
            "tag": lambda key: key,
            "subdomain": lambda key: post.subdomain.name,
            "resource": lambda key: resource_labels.get(key, key),
        }[row.dimension](row.key)
        entry.reasons.append(describe(row, label))
    # 2. Listed skills.
    if skill_ids:
        rows = (
            MemberSkill.objects.filter(skill_id__in=skill_ids, user__is_active=True)
            .exclude(user_id=post.author_id)
            .values("user_id")
            .annotate(matches=Count("id"))
            .order_by("-matches", "-user__reputation", "user_id")[: limit * 3]
        )
        counts = {row["user_id"]: row["matches"] for row in rows}
        names: dict[int, list[str]] = defaultdict(list)
        for user_id, name in (
            MemberSkill.objects.filter(user_id__in=list(counts), skill_id__in=skill_ids)
            .order_by("skill__name")
            .values_list("user_id", "skill__name")
        ):
            names[user_id].append(name)
        for user_id, count in counts.items():
            entry = ranked.setdefault(user_id, Ranked(user_id))
            entry.score += SKILL_WEIGHT * count
            entry.reasons.append(
                ngettext(
                    "Lists %(count)d wanted skill: %(skills)s",
                    "Lists %(count)d wanted skills: %(skills)s",
                    count,
                )
                % {"count": count, "skills": ", ".join(names[user_id])}
            )
    # 3. Staff of the platforms that publish the linked resources.
    platforms = {resource.platform_id: (resource.platform, resource) for resource in resources}
    if platforms:
        from knowledge.models import Platform

        staff = (
            Platform.staff.through.objects.filter(
                platform_id__in=list(platforms), user__is_active=True
            )
            .exclude(user_id=post.author_id)
            .values_list("user_id", "platform_id")
        )
        for user_id, platform_id in staff:
            platform, resource = platforms[platform_id]
            entry = ranked.setdefault(user_id, Ranked(user_id))
            entry.score += PLATFORM_STAFF_WEIGHT
            entry.reasons.append(
                _("Verified staff of %(platform)s, which publishes %(resource)s")
                % {"platform": platform.name, "resource": resource.name}
            )
    return sorted(ranked.values(), key=lambda r: (-r.score, r.user_id))[:limit]


def expertise_by_user(*, user_ids: list[int], per_user: int = 3) -> dict[int, list[ExpertiseRow]]:
    """The strongest tag expertise of each member (for directory rows), in one query."""
    found: dict[int, list[ExpertiseRow]] = defaultdict(list)
    if not user_ids:
        return found
    for row in expertise_rows(user_ids=user_ids, dimensions=("tag",), limit=len(user_ids) * 20):
        if len(found[row.user_id]) < per_user:
            found[row.user_id].append(row)
    return found


def member_expertise(*, user, per_dimension: int = 5) -> dict[str, list[ExpertiseRow]]:
    """A member's proven expertise grouped by dimension (for their profile)."""
    grouped: dict[str, list[ExpertiseRow]] = defaultdict(list)
    for row in expertise_rows(user_ids=[user.pk]):
        if len(grouped[row.dimension]) < per_dimension:
            grouped[row.dimension].append(row)
    return grouped


def qa_tags_for(skills) -> dict[int, object]:
    """``{skill.pk: Tag}`` for the skills that are also Q&A tags (synonyms resolved), one query."""
    if not COMMUNITY_EXPERTISE:
        return {}
    from community.models import Tag

    by_name = {tag_name(skill.name): skill.pk for skill in skills}
    if not by_name:
        return {}
    found = {}
    for tag in Tag.objects.filter(name__in=list(by_name)).select_related("canonical"):
        found[by_name[tag.name]] = tag.canonical or tag
    return found
