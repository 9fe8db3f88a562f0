"""Demo collaboration posts, organisations, interests and an alert (idempotent)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from collaboration.models import (
    Alert,
    CollaborationPost,
    Interest,
    InterestEvent,
    Organisation,
    OrganisationMembership,
)
from collaboration.services import skills_resolve
from core.demo import DemoContext
from knowledge.models import OpenResource, Platform, Subdomain

ORGANISATIONS = [
    # name, kind, website, verified, platform slug, members (username, role)
    (
        "城脉科技 CityPulse",
        "startup",
        "https://citypulse.example.com/",
        True,
        None,
        [("li_na", "admin")],
    ),
    (
        "百度 Apollo 开放平台",
        "platform",
        "https://apollo.baidu.com/",
        True,
        "baidu",
        [("baidu_staff", "admin")],
    ),
    ("EdgeVoice Lab", "startup", "", False, None, [("alex_dev", "admin")]),
]

# author, kind, title, subdomain, skills, resource slugs, stage, engagement, location, remote,
# organisation, contacts, description
POSTS = [
    (
        "li_na",
        "seeking",
        "寻找时空图神经网络合伙人：城市交通流预测",
        "city-brain",
        ["时空数据", "图神经网络", "PyTorch", "Go"],
        [],
        "prototype",
        "cofounder",
        "杭州",
        True,
        "城脉科技 CityPulse",
        {"contact_wechat": "citypulse_lina", "contact_email": "li_na@example.com"},
        "我们做城市路口级的交通流预测，已有 3 个区的原型。\n\n"
        "**需要**：熟悉时空图神经网络（STGCN、Graph WaveNet 等）的合伙人，负责模型与训练平台。\n\n"
        "- 数据：脱敏的卡口与信号灯数据\n- 目标：在城市大脑开放平台上完成试点\n",
    ),
    (
        "zhang_wei",
        "offering",
        "Offering: LiDAR point-cloud perception for pilots",
        "autonomous-driving",
        ["点云", "PyTorch", "3D 检测"],
        ["apollo"],
        "production",
        "contract",
        "",
        True,
        None,
        {"contact_email": "zhang_wei@example.com", "contact_link": "https://github.com/example"},
        "Five years of LiDAR perception (PointPillars, CenterPoint), production deployments on "
        "Apollo. Available for contract work on detection, tracking and data pipelines.\n",
    ),
    (
        "alex_dev",
        "pilot",
        "Pilot wanted: on-device ASR for factory floors",
        "intelligent-voice",
        ["ASR", "MLOps", "Kubernetes"],
        ["iflytek-asr"],
        "pilot",
        "part_time",
        "Shenzhen",
        False,
        "EdgeVoice Lab",
        {"contact_email": "alex_dev@example.com", "contact_phone": "+86 138 0000 0000"},
        "We run noisy-environment speech commands on edge boxes and want a **pilot** on the "
        "iFLYTEK open platform's ASR with a manufacturing partner.\n",
    ),
    (
        "chen_jie",
        "seeking",
        "研究合作：低资源方言语音合成",
        "intelligent-voice",
        ["語音合成", "Kaldi", "Rust"],
        [],
        "idea",
        "research",
        "台北",
        True,
        None,
        {"contact_email": "chen_jie@example.com"},
        "希望與高校或研究所合作，研究閩南語、客家話的低資源語音合成，成果開源。\n",
    ),
]

# member, post author, status, message, contacts
INTERESTS = [
    (
        "zhang_wei",
        "li_na",
        "accepted",
        "我做过路网图上的轨迹预测，可以聊聊模型部分。",
        {"contact_wechat": "zw_pointcloud"},
    ),
    (
        "alex_dev",
        "li_na",
        "pending",
        "Happy to help with the training platform and MLOps side.",
        {"contact_email": "alex_dev@example.com"},
    ),
    (
        "chen_jie",
        "alex_dev",
        "pending",
        "我們實驗室有嘈雜環境語音資料，可以一起試點。",
        {"contact_email": "chen_jie@example.com"},
    ),
]


def load(ctx: DemoContext) -> None:
    users = ctx.users
    if not users:
        ctx.log("no demo users; skipped")
        return
    organisations = {}
    for name, kind, website, verified, platform_slug, members in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "website": website,
                "verified": verified,
                "platform": Platform.objects.filter(slug=platform_slug).first()
                if platform_slug
                else None,
                "created_by": users.get(members[0][0]),
            },
        )
        for username, role in members:
            if username in users:
                OrganisationMembership.objects.update_or_create(
                    organisation=organisation, user=users[username], defaults={"role": role}
                )
        organisations[name] = organisation
    posts = {}
    expires = timezone.localdate() + datetime.timedelta(days=90)
    for (
        author, kind, title, subdomain_slug, skills, resources, stage, engagement, location,
        remote, organisation, contacts, description,
    ) in POSTS:  # fmt: skip
        subdomain = Subdomain.objects.filter(slug=subdomain_slug).first()
        if subdomain is None or author not in users:
            continue
        post, _ = CollaborationPost.objects.update_or_create(
            author=users[author],
            title=title,
            defaults={
                "kind": kind,
                "description": description,
                "subdomain": subdomain,
                "stage": stage,
                "engagement": engagement,
                "location": location,
                "remote": remote,
                "expires_on": expires,
                "status": CollaborationPost.Status.OPEN,
                "organisation": organisations.get(organisation),
                **dict.fromkeys(CollaborationPost.CONTACT_FIELDS, ""),
                **contacts,
            },
        )
        post.skills.set(skills_resolve(names=skills))
        post.resources.set(OpenResource.objects.filter(slug__in=resources))
        posts[author] = post
    for member, author, status, message, contacts in INTERESTS:
        if member not in users or author not in posts:
            continue
        interest, created = Interest.objects.update_or_create(
            post=posts[author],
            member=users[member],
            defaults={
                "message": message,
                "status": status,
                "decided_at": timezone.now() if status != "pending" else None,
                **contacts,
            },
        )
        if created:
            InterestEvent.objects.create(
                interest=interest, actor=users[member], action=InterestEvent.Action.EXPRESSED
            )
            if status == "accepted":
                InterestEvent.objects.create(
                    interest=interest, actor=users[author], action=InterestEvent.Action.ACCEPTED
                )
    if "zhang_wei" in users:
        alert, _ = Alert.objects.get_or_create(user=users["zhang_wei"])
        alert.skills.set(skills_resolve(names=["点云", "激光雷达"]))
        alert.subdomains.set(Subdomain.objects.filter(slug="autonomous-driving"))
    ctx.log(
        f"{len(organisations)} organisations, {len(posts)} collaboration posts, "
        f"{len(INTERESTS)} interests"
    )
