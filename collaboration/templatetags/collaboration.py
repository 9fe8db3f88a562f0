"""``{% member_badge user %}``: the verified platform-staff and organisation badges.

Usable on any page that shows a member; prefetch ``platforms`` (and
``organisations`` into ``verified_organisations``, see
``collaboration.selectors``) to keep lists free of per-row queries.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("collaboration/partials/member_badge.html")
def member_badge(member):
    if member is None:
        return {"platforms": [], "organisations": []}
    organisations = getattr(member, "verified_organisations", None)
    if organisations is None:
        organisations = [o for o in member.organisations.all() if o.verified]
    return {
        "member": member,
        "platforms": list(member.platforms.all()),
        "organisations": organisations,
    }
