"""The fifteen sub-domains and their lead platforms (public facts: the Ministry of
Science and Technology's lists of national AI open innovation platforms, 2017–2019)."""

from __future__ import annotations

import json

from core.demo import DemoContext
from core.translations import to_traditional
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
    load_catalogue(ctx)


# Open resources (public facts: names, kinds, licences and addresses as the platforms publish them).
# platform, slug, name, kind, licence, access, url, docs url, (zh-hans, en) summary, tags, versions
RESOURCES = [
    (
        "baidu",
        "apollo",
        "Apollo",
        "toolkit",
        "Apache-2.0",
        "open",
        "https://github.com/ApolloAuto/apollo",
        "https://apollo.baidu.com/",
        (
            "百度 Apollo 开源自动驾驶平台：感知、预测、规划、控制等模块与仿真工具。",
            "Baidu's open-source autonomous driving platform: perception, prediction, planning, control and simulation tools.",
        ),
        ["自动驾驶", "c++", "ros"],
        ["8.0", "9.0"],
    ),
    (
        "baidu",
        "apolloscape",
        "ApolloScape",
        "dataset",
        "",
        "apply",
        "https://apolloscape.auto/",
        "",
        (
            "面向自动驾驶研究的大规模数据集，包含场景解析、车道线、轨迹等任务。",
            "A large-scale dataset for autonomous driving research: scene parsing, lane marks, trajectories and more.",
        ),
        ["数据集", "自动驾驶"],
        [],
    ),
    (
        "iflytek",
        "iflytek-asr-api",
        "讯飞语音听写 API",
        "api",
        "",
        "apply",
        "https://www.xfyun.cn/services/voicedictation",
        "https://www.xfyun.cn/doc/",
        (
            "讯飞开放平台的语音听写接口，通过 WebSocket 把短音频实时转写为文字。",
            "iFLYTEK Open Platform's dictation API: real-time speech-to-text for short audio over WebSocket.",
        ),
        ["语音识别", "asr", "websocket"],
        ["v2"],
    ),
    (
        "iflytek",
        "iflytek-tts-api",
        "讯飞语音合成 API",
        "api",
        "",
        "apply",
        "https://www.xfyun.cn/services/online_tts",
        "https://www.xfyun.cn/doc/",
        (
            "讯飞开放平台的在线语音合成接口，把文字转换为自然的语音。",
            "iFLYTEK Open Platform's online text-to-speech API.",
        ),
        ["语音合成", "tts"],
        [],
    ),
    (
        "sensetime",
        "mmdetection",
        "MMDetection",
        "toolkit",
        "Apache-2.0",
        "open",
        "https://github.com/open-mmlab/mmdetection",
        "https://mmdetection.readthedocs.io/",
        (
            "OpenMMLab 的目标检测工具箱，基于 PyTorch，提供大量检测模型与配置。",
            "OpenMMLab's object detection toolbox built on PyTorch, with many detection models and configs.",
        ),
        ["计算机视觉", "pytorch", "目标检测"],
        ["3.0.0"],
    ),
    (
        "sensetime",
        "mmcv",
        "MMCV",
        "algorithm",
        "Apache-2.0",
        "open",
        "https://github.com/open-mmlab/mmcv",
        "https://mmcv.readthedocs.io/",
        (
            "OpenMMLab 的计算机视觉基础库，提供图像处理、算子与训练工具。",
            "OpenMMLab's foundational computer-vision library: image processing, CUDA ops and training utilities.",
        ),
        ["计算机视觉", "pytorch"],
        [],
    ),
    (
        "huawei",
        "mindspore",
        "MindSpore",
        "toolkit",
        "Apache-2.0",
        "open",
        "https://www.mindspore.cn/",
        "https://www.mindspore.cn/docs/",
        (
            "华为开源的全场景深度学习框架，支持端、边、云部署。",
            "Huawei's open-source deep learning framework for device, edge and cloud.",
        ),
        ["深度学习", "框架", "python"],
        ["2.0.0"],
    ),
    (
        "huawei",
        "modelarts",
        "ModelArts",
        "api",
        "",
        "apply",
        "https://www.huaweicloud.com/product/modelarts.html",
        "",
        (
            "华为云一站式 AI 开发平台：数据标注、训练与模型部署。",
            "Huawei Cloud's one-stop AI development platform: labelling, training and deployment.",
        ),
        ["云服务", "mlops"],
        [],
    ),
    (
        "megvii",
        "megengine",
        "MegEngine",
        "toolkit",
        "Apache-2.0",
        "open",
        "https://github.com/MegEngine/MegEngine",
        "https://www.megengine.org.cn/",
        (
            "旷视开源的深度学习框架，训练与推理一体。",
            "Megvii's open-source deep learning framework, unifying training and inference.",
        ),
        ["深度学习", "框架"],
        [],
    ),
    (
        "megvii",
        "yolox",
        "YOLOX",
        "model",
        "Apache-2.0",
        "open",
        "https://github.com/Megvii-BaseDetection/YOLOX",
        "",
        (
            "旷视开源的无锚框 YOLO 系列目标检测器。",
            "Megvii's anchor-free YOLO-series object detector.",
        ),
        ["目标检测", "pytorch"],
        [],
    ),
    (
        "xiaomi",
        "mace",
        "MACE",
        "middleware",
        "Apache-2.0",
        "open",
        "https://github.com/XiaoMi/mace",
        "https://mace.readthedocs.io/",
        (
            "小米开源的移动端深度学习推理框架（Mobile AI Compute Engine）。",
            "Xiaomi's Mobile AI Compute Engine: deep learning inference on mobile devices.",
        ),
        ["端侧推理", "移动端"],
        [],
    ),
    (
        "xiaomi",
        "xiaomi-iot-docs",
        "小米 IoT 开发者平台",
        "sdk",
        "",
        "apply",
        "https://iot.mi.com/",
        "https://iot.mi.com/new/doc/",
        (
            "接入米家生态的智能硬件开发文档与 SDK。",
            "Documentation and SDKs for connecting smart devices to the Mi Home ecosystem.",
        ),
        ["智能家居", "iot"],
        [],
    ),
]


def _p(text: str) -> str:
    return f"<p>{text}</p>"


# platform, slug, title, language, level, minutes, summary, tags, (series slug, title, place), prerequisites, blocks
TUTORIALS = [
    (
        "baidu",
        "apollo-quick-start",
        "用 Docker 跑起 Apollo 开发环境",
        "zh-hans",
        "beginner",
        45,
        "从克隆代码到进入开发容器：准备一台 Linux 机器，第一次构建 Apollo。",
        ["自动驾驶", "docker"],
        ("apollo-basics", "Apollo 入门", 1),
        "一台 x86_64 Linux 主机\n已安装 Docker\n约 50 GB 可用磁盘",
        [
            (
                "text",
                "<h2>准备主机</h2>"
                + _p("确认 Docker 可以在不使用 sudo 的情况下运行，并预留足够的磁盘空间。"),
            ),
            (
                "code",
                {
                    "language": "bash",
                    "code": "docker run --rm hello-world\ndf -h .",
                    "caption": "检查 Docker 与磁盘",
                },
            ),
            ("text", "<h2>获取代码</h2>" + _p("克隆仓库后，进入目录，启动开发容器。")),
            (
                "code",
                {
                    "language": "bash",
                    "code": "git clone https://github.com/ApolloAuto/apollo.git\ncd apollo",
                    "caption": "",
                },
            ),
            ("callout", {"kind": "tip", "text": _p("首次拉取镜像较慢，可以先在空闲时段完成。")}),
            ("resource", {"resource": "apollo", "version": "9.0", "note": ""}),
            ("text", "<h2>下一步</h2>" + _p("容器就绪后，按照官方文档选择要构建的模块。")),
        ],
    ),
    (
        "baidu",
        "apolloscape-first-look",
        "A first look at the ApolloScape dataset",
        "en",
        "intermediate",
        30,
        "Apply for access, download one task's data and inspect it with a few lines of Python.",
        ["dataset", "python"],
        ("apollo-basics", "Apollo 入门", 2),
        "Python 3.10+\nBasic NumPy",
        [
            (
                "text",
                "<h2>Choose a task</h2>"
                + _p(
                    "The dataset is organised by task. Pick one and read its licence terms before downloading."
                ),
            ),
            (
                "resource",
                {
                    "resource": "apolloscape",
                    "version": "",
                    "note": "Access is granted on application.",
                },
            ),
            (
                "text",
                "<h2>Inspect the files</h2>"
                + _p("List the images and labels, then load one label file."),
            ),
            (
                "code",
                {
                    "language": "python",
                    "code": "from pathlib import Path\n\nroot = Path('data')\nfor path in sorted(root.rglob('*'))[:10]:\n    print(path)",
                    "caption": "List the first files",
                },
            ),
            (
                "callout",
                {
                    "kind": "note",
                    "text": _p("Keep the original directory layout: evaluation scripts expect it."),
                },
            ),
        ],
    ),
    (
        "iflytek",
        "dictation-api-python",
        "用 Python 调用讯飞语音听写接口",
        "zh-hans",
        "beginner",
        25,
        "申请应用凭证，按接口文档生成鉴权地址，通过 WebSocket 发送音频并读取识别结果。",
        ["语音识别", "python", "websocket"],
        None,
        "已注册讯飞开放平台账号\nPython 3.10+",
        [
            ("resource", {"resource": "iflytek-asr-api", "version": "v2", "note": ""}),
            (
                "text",
                "<h2>准备凭证</h2>"
                + _p("在控制台创建应用，记下 APPID、APIKey 和 APISecret，不要写进代码仓库。"),
            ),
            (
                "code",
                {
                    "language": "bash",
                    "code": "export XF_APPID=...\nexport XF_API_KEY=...\nexport XF_API_SECRET=...",
                    "caption": "用环境变量保存凭证",
                },
            ),
            (
                "text",
                "<h2>发送音频</h2>" + _p("按文档要求的采样率与编码分帧发送，最后一帧标记结束。"),
            ),
            (
                "code",
                {
                    "language": "python",
                    "code": "import os\n\nappid = os.environ['XF_APPID']\nprint('using app', appid)",
                    "caption": "",
                },
            ),
            ("callout", {"kind": "warning", "text": _p("鉴权地址有时效，请在发送前即时生成。")}),
        ],
    ),
    (
        "iflytek",
        "tts-batch-en",
        "Batch text-to-speech with the iFLYTEK TTS API",
        "en",
        "intermediate",
        20,
        "Turn a folder of text files into audio files, one request per file, with retries.",
        ["tts", "python"],
        None,
        "An iFLYTEK Open Platform app\nPython 3.10+",
        [
            ("resource", {"resource": "iflytek-tts-api", "version": "", "note": ""}),
            (
                "text",
                "<h2>Plan the batch</h2>"
                + _p("Split long texts at sentence boundaries and keep each request small."),
            ),
            (
                "code",
                {
                    "language": "python",
                    "code": "from pathlib import Path\n\nfor text_file in Path('texts').glob('*.txt'):\n    print(text_file.stem, len(text_file.read_text()))",
                    "caption": "",
                },
            ),
            (
                "callout",
                {
                    "kind": "tip",
                    "text": _p(
                        "Retry with back-off on rate-limit responses instead of failing the batch."
                    ),
                },
            ),
        ],
    ),
    (
        "sensetime",
        "mmdetection-inference",
        "用 MMDetection 做第一次目标检测推理",
        "zh-hans",
        "beginner",
        30,
        "安装 MMDetection，加载预训练配置，对一张图片做推理并保存可视化结果。",
        ["目标检测", "pytorch"],
        None,
        "Python 3.8+\nPyTorch",
        [
            (
                "text",
                "<h2>安装</h2>"
                + _p("建议在虚拟环境中按官方文档安装 MMEngine、MMCV 和 MMDetection。"),
            ),
            (
                "code",
                {
                    "language": "bash",
                    "code": "python -m venv .venv\n. .venv/bin/activate\npip install -U openmim\nmim install mmengine",
                    "caption": "",
                },
            ),
            ("resource", {"resource": "mmdetection", "version": "3.0.0", "note": ""}),
            ("text", "<h2>推理</h2>" + _p("选择一个配置文件与对应权重，调用推理接口。")),
            ("resource", {"resource": "mmcv", "version": "", "note": "MMDetection 依赖 MMCV。"}),
        ],
    ),
    (
        "sensetime",
        "mmdetection-custom-dataset",
        "Training MMDetection on your own COCO-format dataset",
        "en",
        "advanced",
        90,
        "Convert your labels to COCO format, write a config that inherits a base model, and train.",
        ["object detection", "pytorch"],
        None,
        "A working MMDetection install\nA labelled dataset",
        [
            (
                "text",
                "<h2>Convert the labels</h2>"
                + _p("COCO JSON needs images, annotations and categories."),
            ),
            (
                "code",
                {
                    "language": "json",
                    "code": '{"images": [], "annotations": [], "categories": [{"id": 1, "name": "car"}]}',
                    "caption": "The three top-level keys",
                },
            ),
            ("resource", {"resource": "mmdetection", "version": "3.0.0", "note": ""}),
            (
                "text",
                "<h2>Write the config</h2>"
                + _p("Inherit a base config and override the dataset paths and class names."),
            ),
        ],
    ),
    (
        "huawei",
        "mindspore-first-network",
        "用 MindSpore 训练第一个网络",
        "zh-hans",
        "beginner",
        40,
        "安装 MindSpore，定义一个小网络，在示例数据上完成训练与评估。",
        ["深度学习", "python"],
        None,
        "Python 3.9+",
        [
            ("resource", {"resource": "mindspore", "version": "2.0.0", "note": ""}),
            ("text", "<h2>安装</h2>" + _p("按官网的安装指引选择与硬件匹配的版本。")),
            (
                "code",
                {
                    "language": "python",
                    "code": "import mindspore\n\nprint(mindspore.__version__)",
                    "caption": "确认安装成功",
                },
            ),
            ("text", "<h2>定义网络</h2>" + _p("从一个两层全连接网络开始，再逐步替换为卷积网络。")),
        ],
    ),
    (
        "huawei",
        "modelarts-deploy-en",
        "Deploying a trained model as an online service",
        "en",
        "intermediate",
        35,
        "Package a trained model, register it and deploy it as a real-time inference endpoint.",
        ["mlops", "deployment"],
        None,
        "A trained model\nA cloud account",
        [
            ("resource", {"resource": "modelarts", "version": "", "note": ""}),
            (
                "text",
                "<h2>Package the model</h2>"
                + _p("Keep the model file, inference code and dependency list together."),
            ),
            (
                "callout",
                {
                    "kind": "warning",
                    "text": _p(
                        "Stop test endpoints when you are done: they are billed while running."
                    ),
                },
            ),
        ],
    ),
]


def _load_resources(ctx: DemoContext) -> dict[str, int]:
    from wagtail.models import ReferenceIndex

    from knowledge.models import OpenResource, ResourceVersion

    ids = {}
    for (
        platform_slug,
        slug,
        name,
        kind,
        licence,
        access,
        url,
        docs_url,
        summary,
        tags,
        versions,
    ) in RESOURCES:
        resource, _ = OpenResource.objects.update_or_create(
            slug=slug,
            defaults={
                "platform": ctx.data["platforms"][platform_slug],
                "name": name,
                "kind": kind,
                "licence": licence,
                "access": access,
                "url": url,
                "docs_url": docs_url,
                "summary_zh_hans": summary[0],
                "summary_zh_hant": to_traditional(summary[0]),
                "summary_en": summary[1],
            },
        )
        resource.tags.set(tags)
        resource.save()  # a ClusterableModel writes its tags after its own post_save
        ReferenceIndex.create_or_update_for_object(resource)
        for order, version in enumerate(versions):
            ResourceVersion.objects.update_or_create(
                resource=resource, version=version, defaults={"sort_order": order}
            )
        ids[slug] = resource.pk
    ctx.log(f"{len(RESOURCES)} open resources")
    return ids


def _load_tutorials(ctx: DemoContext, resource_ids: dict[str, int]) -> None:
    from knowledge.models import SubdomainPage, TutorialIndexPage, TutorialPage, TutorialSeries

    for (
        platform_slug,
        slug,
        title,
        language,
        level,
        minutes,
        summary,
        tags,
        series,
        prerequisites,
        blocks,
    ) in TUTORIALS:
        platform = ctx.data["platforms"][platform_slug]
        index = TutorialIndexPage.objects.child_of(
            SubdomainPage.objects.get(subdomain=platform.subdomain)
        ).get()
        series_obj = None
        if series:
            series_obj, _ = TutorialSeries.objects.update_or_create(
                slug=series[0], defaults={"title": series[1], "subdomain": platform.subdomain}
            )
        body = []
        for kind, value in blocks:
            if kind == "resource":
                value = {**value, "resource": resource_ids[value["resource"]]}
            body.append({"type": kind, "value": value})
        tutorial = TutorialPage.objects.child_of(index).filter(slug=slug).first()
        fields = {
            "title": title,
            "summary": summary,
            "content_language": language,
            "level": level,
            "estimated_minutes": minutes,
            "prerequisites": prerequisites,
            "series": series_obj,
            "series_order": series[2] if series else 1,
            "body": json.dumps(body),
        }
        if tutorial is None:
            tutorial = TutorialPage(slug=slug, **fields)
            index.add_child(instance=tutorial)
        elif _unchanged(tutorial, fields, body, tags):
            continue  # no new revision when nothing changed: running again creates nothing
        else:
            for name, value in fields.items():
                setattr(tutorial, name, value)
        tutorial.tags.set(tags)
        tutorial.save_revision(user=ctx.users.get(STAFF.get(platform_slug, ""))).publish()
    ctx.log(f"{len(TUTORIALS)} tutorials")


def _unchanged(tutorial, fields: dict, body: list[dict], tags: list[str]) -> bool:
    current_body = [{"type": b["type"], "value": b["value"]} for b in tutorial.body.raw_data]
    scalars = {k: v for k, v in fields.items() if k != "body"}
    return (
        tutorial.live
        and not tutorial.has_unpublished_changes
        and current_body == body
        and all(getattr(tutorial, k) == v for k, v in scalars.items())
        and sorted(t.name for t in tutorial.tags.all()) == sorted(tags)
    )


def load_catalogue(ctx: DemoContext) -> None:
    """Resources, CMS pages/groups/workflow and tutorials for the demo platforms."""
    from knowledge.services import knowledge_setup

    resource_ids = _load_resources(ctx)
    report = knowledge_setup()
    ctx.log(f"CMS set-up: {len(report.created)} created")
    _load_tutorials(ctx, resource_ids)
