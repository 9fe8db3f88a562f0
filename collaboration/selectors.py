"""Reads for the collaboration board, with their joins and prefetches done."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.roles import is_moderator
from collaboration.models import (
    CollaborationPost,
    Interest,
    InterestEvent,
    MemberSkill,
    Organisation,
    Skill,
    normalize_skill,
)
from knowledge.models import OpenResource, Platform, Subdomain

User = get_user_model()

CONTACT_FIELDS = CollaborationPost.CONTACT_FIELDS


def _badge_prefetch(prefix: str = "") -> list:
    """Prefetches the member badge needs: the member's platforms and verified organisations."""
    return [
        Prefetch(f"{prefix}platforms", queryset=Platform.objects.order_by("slug")),
        Prefetch(
            f"{prefix}organisations",
            queryset=Organisation.objects.filter(verified=True).order_by("name"),
            to_attr="verified_organisations",
        ),
    ]


@dataclass(frozen=True)
class PostFilters:
    subdomain: str = ""
    skill: str = ""
    kind: str = ""
    stage: str = ""
    engagement: str = ""
    remote: bool = False
    include_closed: bool = False

    @property
    def active(self) -> bool:
        return any(
            [self.subdomain, self.skill, self.kind, self.stage, self.engagement, self.remote]
        )


def post_list(*, filters: PostFilters) -> QuerySet[CollaborationPost]:
    """Posts for the board, newest first; open and unexpired unless ``include_closed``."""
    posts = (
        CollaborationPost.objects.visible()
        if filters.include_closed
        else CollaborationPost.objects.live()
    )
    if filters.subdomain:
        posts = posts.filter(subdomain__slug=filters.subdomain)
    if filters.skill:
        posts = posts.filter(
            Exists(
                CollaborationPost.skills.through.objects.filter(
                    collaborationpost_id=OuterRef("pk"), skill__key=normalize_skill(filters.skill)
                )
            )
        )
    if filters.kind:
        posts = posts.filter(kind=filters.kind)
    if filters.stage:
        posts = posts.filter(stage=filters.stage)
    if filters.engagement:
        posts = posts.filter(engagement=filters.engagement)
    if filters.remote:
        posts = posts.filter(remote=True)
    return (
        posts.defer(*CONTACT_FIELDS)
        .select_related("author__profile", "subdomain", "organisation")
        .prefetch_related("skills", *_badge_prefetch("author__"))
        .annotate(
            interest_count=Coalesce(
                Subquery(
                    Interest.objects.filter(post=OuterRef("pk"))
                    .exclude(status=Interest.Status.WITHDRAWN)
                    .values("post")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-created_at", "-id")
    )


POPULAR_SKILLS_TTL = 300


def popular_skills(*, limit: int = 20) -> list[Skill]:
    """Skills most used by live posts (for the filter list); cached for a few minutes."""

    def compute() -> list[Skill]:
        return list(
            Skill.objects.filter(posts__in=CollaborationPost.objects.live())
            .annotate(post_count=Count("posts"))
            .order_by("-post_count", "name")[:limit]
        )

    return cache.get_or_set(f"collab:popular-skills:{limit}", compute, POPULAR_SKILLS_TTL)


def post_get(*, pk: int, viewer) -> CollaborationPost:
    """One post for its page; hidden posts only for their author and moderators (else 404)."""
    posts = CollaborationPost.objects.select_related(
        "author__profile", "subdomain", "organisation"
    ).prefetch_related(
        "skills",
        Prefetch(
            "resources", queryset=OpenResource.objects.select_related("platform").order_by("name")
        ),
        *_badge_prefetch("author__"),
    )
    post = get_object_or_404(posts, pk=pk)
    if post.hidden_at is not None and not (
        getattr(viewer, "pk", None) == post.author_id or is_moderator(viewer)
    ):
        from django.http import Http404

        raise Http404
    return post


def interest_of(*, post: CollaborationPost, member) -> Interest | None:
    if not getattr(member, "is_authenticated", False) or member.pk == post.author_id:
        return None
    return Interest.objects.filter(post=post, member=member).first()


def interests_for_author(*, post: CollaborationPost) -> list[Interest]:
    """All interests in a post, with responders and the event log, for the author's view."""
    interests = list(
        Interest.objects.filter(post=post)
        .select_related("member__profile")
        .prefetch_related(
            *_badge_prefetch("member__"),
            Prefetch("events", queryset=InterestEvent.objects.select_related("actor__profile")),
        )
        .order_by("status", "-created_at")
    )
    for interest in interests:
        interest.post = post  # avoids one query per interest in the privacy check
    return interests


def events_for(*, interest: Interest) -> list[InterestEvent]:
    return list(interest.events.select_related("actor__profile"))


def posts_of(*, author) -> QuerySet[CollaborationPost]:
    """The author's posts with interest counts per status (for their dashboard)."""
    return (
        CollaborationPost.objects.filter(author=author)
        .defer(*CONTACT_FIELDS)
        .select_related("subdomain")
        .annotate(
            pending_count=Count("interests", filter=Q(interests__status=Interest.Status.PENDING)),
            accepted_count=Count("interests", filter=Q(interests__status=Interest.Status.ACCEPTED)),
        )
    )


def interests_sent_by(*, member) -> QuerySet[Interest]:
    return Interest.objects.filter(member=member).select_related(
        "post__subdomain", "post__author__profile"
    )


@dataclass
class Suggestion:
    """A member suggested for a post, and the reasons why."""

    member: object
    score: float
    reasons: list[str] = field(default_factory=list)


def suggested_people(*, post: CollaborationPost, limit: int = 5) -> list[Suggestion]:
    """Members whose listed skills match the post's, ranked by overlap then reputation.

    One aggregate query ranks candidates, one fetches their matching skill names and
    one loads the members with badges. Community expertise is added by
    :func:`collaboration.expertise.add_expertise` when the Q&A app provides it.
    """
    from collaboration import expertise

    skill_ids = [skill.pk for skill in post.skills.all()]
    ranked = expertise.rank_candidates(post=post, skill_ids=skill_ids, limit=limit)
    if not ranked:
        return []
    members = {
        user.pk: user
        for user in User.objects.filter(pk__in=[r.user_id for r in ranked])
        .select_related("profile")
        .prefetch_related(*_badge_prefetch())
    }
    return [
        Suggestion(member=members[r.user_id], score=r.score, reasons=r.reasons)
        for r in ranked
        if r.user_id in members
    ]


@dataclass(frozen=True)
class PeopleFilters:
    skill: str = ""
    subdomain: str = ""
    expertise: str = ""  # a tag/skill name with proven expertise from the community

    @property
    def active(self) -> bool:
        return bool(self.skill or self.subdomain or self.expertise)


def people_directory(*, filters: PeopleFilters) -> QuerySet:
    """Active members for the people directory, filtered by skill, sub-domain and expertise."""
    from collaboration import expertise

    people = User.objects.filter(is_active=True)
    if filters.skill:
        people = people.filter(
            Exists(
                MemberSkill.objects.filter(
                    user_id=OuterRef("pk"), skill__key=normalize_skill(filters.skill)
                )
            )
        )
    if filters.subdomain:
        subdomain = Subdomain.objects.filter(slug=filters.subdomain).first()
        if subdomain is None:
            return people.none()
        people = people.filter(
            Q(
                Exists(
                    CollaborationPost.objects.visible().filter(
                        author_id=OuterRef("pk"), subdomain=subdomain
                    )
                )
            )
            | Q(
                Exists(
                    Platform.staff.through.objects.filter(
                        user_id=OuterRef("pk"), platform__subdomain=subdomain
                    )
                )
            )
            | Q(expertise.in_subdomain_q(subdomain))
        )
    if filters.expertise:
        people = people.filter(expertise.has_expertise_q(filters.expertise))
    return (
        people.select_related("profile")
        .prefetch_related(
            Prefetch("collaboration_skills", queryset=MemberSkill.objects.select_related("skill")),
            *_badge_prefetch(),
        )
        .order_by("-reputation", "username")
    )


def organisation_get(*, slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("platform"), slug=slug)


def organisation_members(*, organisation: Organisation) -> QuerySet:
    return (
        organisation.memberships.select_related("user__profile")
        .prefetch_related(*_badge_prefetch("user__"))
        .order_by("role", "joined_at")
    )
