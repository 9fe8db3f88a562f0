"""The fifteen sub-domains and their lead platforms (public facts: the Ministry of
Science and Technology's lists of national AI open innovation platforms, 2017–2019)."""

from __future__ import annotations

from core.demo import DemoContext
from knowledge.models import Platform, Subdomain

# slug, (zh-hans, zh-hant, en), platform slug, (zh-hans, zh-hant, en), year, website
PLATFORMS = [
    (
        "autonomous-driving",
        ("自动驾驶", "自動駕駛", "Autonomous driving"),
        "baidu",
        ("百度", "百度", "Baidu"),
        2017,
        "https://www.baidu.com/",
    ),
    (
        "city-brain",
        ("城市大脑", "城市大腦", "City brain"),
        "alibaba-cloud",
        ("阿里云", "阿里雲", "Alibaba Cloud"),
        2017,
        "https://www.aliyun.com/",
    ),
    (
        "medical-imaging",
        ("医疗影像", "醫療影像", "Medical imaging"),
        "tencent",
        ("腾讯", "騰訊", "Tencent"),
        2017,
        "https://www.tencent.com/",
    ),
    (
        "intelligent-voice",
        ("智能语音", "智能語音", "Intelligent voice"),
        "iflytek",
        ("科大讯飞", "科大訊飛", "iFLYTEK"),
        2017,
        "https://www.iflytek.com/",
    ),
    (
        "intelligent-vision",
        ("智能视觉", "智能視覺", "Intelligent vision"),
        "sensetime",
        ("商汤", "商湯", "SenseTime"),
        2018,
        "https://www.sensetime.com/",
    ),
    (
        "visual-computing",
        ("视觉计算", "視覺計算", "Visual computing"),
        "yitu",
        ("依图", "依圖", "YITU Technology"),
        2019,
        "https://www.yitutech.com/",
    ),
    (
        "marketing-intelligence",
        ("营销智能", "營銷智能", "Marketing intelligence"),
        "mininglamp",
        ("明略", "明略", "Mininglamp"),
        2019,
        "https://www.mininglamp.com/",
    ),
    (
        "basic-software-hardware",
        ("基础软硬件", "基礎軟硬體", "Basic software and hardware"),
        "huawei",
        ("华为", "華為", "Huawei"),
        2019,
        "https://www.huawei.com/",
    ),
    (
        "inclusive-finance",
        ("普惠金融", "普惠金融", "Inclusive finance"),
        "ping-an",
        ("中国平安", "中國平安", "Ping An"),
        2019,
        "https://www.pingan.com/",
    ),
    (
        "video-perception",
        ("视频感知", "視頻感知", "Video perception"),
        "hikvision",
        ("海康威视", "海康威視", "Hikvision"),
        2019,
        "https://www.hikvision.com/",
    ),
    (
        "smart-supply-chain",
        ("智能供应链", "智能供應鏈", "Smart supply chain"),
        "jd",
        ("京东", "京東", "JD.com"),
        2019,
        "https://www.jd.com/",
    ),
    (
        "image-perception",
        ("图像感知", "圖像感知", "Image perception"),
        "megvii",
        ("旷视", "曠視", "Megvii"),
        2019,
        "https://www.megvii.com/",
    ),
    (
        "security-brain",
        ("安全大脑", "安全大腦", "Security brain"),
        "qihoo-360",
        ("360", "360", "Qihoo 360"),
        2019,
        "https://www.360.cn/",
    ),
    (
        "smart-education",
        ("智慧教育", "智慧教育", "Smart education"),
        "tal",
        ("好未来", "好未來", "TAL Education"),
        2019,
        "https://www.100tal.com/",
    ),
    (
        "smart-home",
        ("智能家居", "智能家居", "Smart home"),
        "xiaomi",
        ("小米", "小米", "Xiaomi"),
        2019,
        "https://www.mi.com/",
    ),
]

STAFF = {
    "baidu": "baidu_staff",
    "iflytek": "iflytek_staff",
    "sensetime": "sensetime_staff",
    "tencent": "tencent_staff",
}


def load(ctx: DemoContext) -> None:
    for order, (slug, names, platform_slug, org_names, year, website) in enumerate(PLATFORMS):
        subdomain, _ = Subdomain.objects.update_or_create(
            slug=slug,
            defaults={
                "name_zh_hans": names[0],
                "name_zh_hant": names[1],
                "name_en": names[2],
                "description_zh_hans": f"国家新一代人工智能开放创新平台 · {names[0]}，由{org_names[0]}牵头建设。",
                "description_zh_hant": f"國家新一代人工智能開放創新平臺 · {names[1]}，由{org_names[1]}牽頭建設。",
                "description_en": (
                    f"National new-generation AI open innovation platform for "
                    f"{names[2].lower()}, led by {org_names[2]}."
                ),
                "sort_order": order,
            },
        )
        platform, _ = Platform.objects.update_or_create(
            slug=platform_slug,
            defaults={
                "subdomain": subdomain,
                "name_zh_hans": org_names[0],
                "name_zh_hant": org_names[1],
                "name_en": org_names[2],
                "year_designated": year,
                "website": website,
            },
        )
        staff_username = STAFF.get(platform_slug)
        if staff_username and staff_username in ctx.users:
            platform.staff.add(ctx.users[staff_username])
        ctx.data.setdefault("platforms", {})[platform_slug] = platform
        ctx.data.setdefault("subdomains", {})[slug] = subdomain
    ctx.log(f"{len(PLATFORMS)} sub-domains and platforms")
