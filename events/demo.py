"""Demo live sessions: one live now, upcoming ones, and an archived one with answers."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.demo import DemoContext
from events import services
from events.models import LiveSession
from knowledge.models import OpenResource

# slug, platform, host, title, description, starts in (hours), state, questions
SESSIONS = [
    (
        "apollo-perception-office-hours",
        "baidu",
        "baidu_staff",
        "Apollo 感知模块答疑：激光雷达与相机融合",
        "百度 Apollo 工程师在线回答 **感知模块** 的问题：传感器标定、点云检测、多传感器融合。\n\n"
        "请在提问时写明 Apollo 版本。",
        -0.25,
        "live",
        [
            ("zhang_wei", "Apollo 9.0 的激光雷达—相机外参标定有推荐流程吗？", False, "answer"),
            ("alex_dev", "Can the perception module run on an NVIDIA Orin dev kit?", False, None),
            ("li_na", "点云检测模型支持导出到 TensorRT 吗？", True, None),
        ],
    ),
    (
        "iflytek-asr-streaming-qa",
        "iflytek",
        "iflytek_staff",
        "讯飞开放平台：流式语音识别接入答疑",
        "讲解流式语音识别 API 的鉴权、断句与热词，现场回答接入中的问题。",
        48,
        "scheduled",
        [("chen_jie", "熱詞表有數量上限嗎？對識別延遲有影響嗎？", False, None)],
    ),
    (
        "tencent-medical-imaging-segmentation",
        "tencent",
        "tencent_staff",
        "医疗影像分割模型使用答疑",
        "面向开发者介绍医疗影像分割的数据准备与 DICOM 处理。",
        24 * 7,
        "scheduled",
        [],
    ),
    (
        "sensetime-openmmlab-detection-recap",
        "sensetime",
        "sensetime_staff",
        "商汤 OpenMMLab 目标检测实践答疑（回放）",
        "上一期直播答疑：训练配置、数据增强与部署。已回答的问题已整理成社区问答。",
        -24 * 10,
        "archived",
        [
            (
                "alex_dev",
                "How do I fine-tune a detector on a small custom dataset?",
                False,
                "answer",
            ),
            ("zhang_wei", "部署到边缘设备时推荐哪种量化方式？", False, "answer"),
        ],
    ),
]

ANSWERS = {
    "Apollo 9.0 的激光雷达—相机外参标定有推荐流程吗？": "先用标定板完成相机内参，再用 Apollo 自带的外参标定工具做激光雷达—相机联合标定；标定后在可视化工具里检查投影是否对齐。",
    "How do I fine-tune a detector on a small custom dataset?": "Start from a COCO-pretrained checkpoint, freeze the backbone for the first epochs, lower the learning rate and use strong augmentation.",
    "部署到边缘设备时推荐哪种量化方式？": "优先尝试训练后 INT8 量化并用少量校准数据；精度下降明显时再考虑量化感知训练。",
}


def load(ctx: DemoContext) -> None:
    platforms = ctx.data.get("platforms", {})
    now = timezone.now().replace(second=0, microsecond=0)
    for slug, platform_slug, host_name, title, description, hours, state, questions in SESSIONS:
        platform = platforms.get(platform_slug)
        host = ctx.users.get(host_name)
        if platform is None or host is None:
            continue
        starts = now + timedelta(hours=hours)
        session, created = LiveSession.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "description": description,
                "platform": platform,
                "subdomain": platform.subdomain,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=1, minutes=30),
            },
        )
        session.hosts.add(host)
        if ctx.users.get("moderator"):
            session.moderators.add(ctx.users["moderator"])
        session.resources.add(*OpenResource.objects.filter(platform=platform)[:3])
        for member in ("zhang_wei", "li_na", "alex_dev"):
            if member in ctx.users and session.status in {"scheduled", "live"}:
                services.registration_create(session=session, user=ctx.users[member])
        if not created:
            ctx.log(f"kept live session {slug} ({session.status})")
            continue
        if state in {"live", "archived"}:
            session = services.session_start(session=session, user=host)
        for author_name, body, anonymous, action in questions:
            author = ctx.users.get(author_name)
            if author is None:
                continue
            question = services.question_ask(
                session=session, user=author, body=body, anonymous=anonymous
            )
            for voter in ("li_na", "alex_dev", "chen_jie")[: len(body) % 3 + 1]:
                if voter in ctx.users and voter != author_name:
                    services.question_vote(question=question, user=ctx.users[voter])
            if action == "answer":
                services.question_answer(question=question, user=host, answer=ANSWERS[body])
        if state == "archived":
            session = services.session_end(session=session, user=host)
            session = services.session_archive(session=session, user=host)
        ctx.log(f"created live session {slug} ({session.status})")
