"""Who is a good match for a post, and why.

Today the evidence is what members list (profile skills, matched through the
shared :class:`~collaboration.models.Skill` vocabulary) and who speaks for the
platforms whose resources a post links. Proven expertise from the Q&A forum
(accepted answers and up-votes per tag, sub-domain and resource) plugs in here
once ``community`` provides questions and answers; until then
:data:`COMMUNITY_EXPERTISE` is False and the directory hides that filter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collaboration.models import MemberSkill

User = get_user_model()

COMMUNITY_EXPERTISE = False

SKILL_WEIGHT = 10.0
PLATFORM_STAFF_WEIGHT = 15.0


@dataclass
class Ranked:
    user_id: int
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def has_expertise_q(name: str) -> Q:
    """Members with proven expertise in ``name`` (no filter until the Q&A app provides it)."""
    return Q()


def in_subdomain_q(subdomain) -> Q:
    """Members with proven expertise in ``subdomain`` (matches nobody until the Q&A app lands)."""
    return Q(pk__in=[])


def rank_candidates(*, post, skill_ids: list[int], limit: int) -> list[Ranked]:
    """Rank members for ``post``: matching listed skills, and staff of linked resources' platforms."""
    ranked: dict[int, Ranked] = {}
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
    platforms = {
        resource.platform_id: (resource.platform, resource) for resource in post.resources.all()
    }
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
