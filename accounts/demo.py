"""Demo users with roles: an admin, a moderator, platform staff and ordinary members."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import MODERATORS_GROUP
from core.demo import DEMO_PASSWORD, DemoContext

# username, role, display name, organisation, skills, bio
DEMO_USERS = [
    ("admin", "admin", "管理员 Admin", "Huiju", ["Django", "Wagtail"], "Site administrator."),
    (
        "moderator",
        "moderator",
        "林静 Lin Jing",
        "Huiju",
        ["社区运营", "NLP"],
        "Community moderator. 负责问答质量与重复问题合并。",
    ),
    (
        "baidu_staff",
        "staff:baidu",
        "百度 Apollo 工程师",
        "百度",
        ["自动驾驶", "Apollo", "C++"],
        "Baidu autonomous-driving platform engineer.",
    ),
    (
        "iflytek_staff",
        "staff:iflytek",
        "讯飞开放平台工程师",
        "科大讯飞",
        ["语音识别", "ASR", "TTS"],
        "iFLYTEK open platform engineer.",
    ),
    (
        "sensetime_staff",
        "staff:sensetime",
        "商汤视觉工程师",
        "商汤",
        ["计算机视觉", "OpenMMLab", "PyTorch"],
        "SenseTime intelligent vision platform engineer.",
    ),
    (
        "tencent_staff",
        "staff:tencent",
        "腾讯医疗影像工程师",
        "腾讯",
        ["医疗影像", "分割", "DICOM"],
        "Tencent medical imaging platform engineer.",
    ),
    (
        "zhang_wei",
        "member",
        "张伟",
        "自由开发者",
        ["Python", "PyTorch", "点云"],
        "做自动驾驶感知的独立开发者。",
    ),
    (
        "li_na",
        "member",
        "李娜",
        "杭州某初创公司",
        ["城市计算", "时空数据", "Go"],
        "Startup CTO working on traffic analytics.",
    ),
    (
        "chen_jie",
        "member",
        "陳傑",
        "台北某實驗室",
        ["語音合成", "Kaldi", "Rust"],
        "研究語音合成的工程師。",
    ),
    (
        "alex_dev",
        "member",
        "Alex Morgan",
        "Open-source contributor",
        ["TensorFlow", "MLOps", "Kubernetes"],
        "ML engineer interested in edge deployment.",
    ),
]


def load(ctx: DemoContext) -> None:
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    roles = []
    for username, role, display_name, organisation, skills, bio in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        user.email = f"{username}@example.com"
        user.is_superuser = user.is_staff = role == "admin"
        if role == "moderator":
            user.is_staff = True  # may open the CMS to review pages
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        profile = user.profile
        profile.display_name = display_name
        profile.organisation = organisation
        profile.skills = skills
        profile.bio = bio
        profile.save()
        if role in {"admin", "moderator"}:
            user.groups.add(moderators)
        ctx.users[username] = user
        roles.append((username, role))
        ctx.log(f"{'created' if created else 'updated'} user {username} ({role})")
    ctx.data["user_roles"] = roles
