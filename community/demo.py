"""Demo Q&A: about twenty threads in Chinese and English on the platforms' open resources.

Idempotent: a thread whose title exists is left alone. Content goes through the
services (so counters, revisions and reputation are real), with posting limits off
and starting reputation granted as ledger adjustments, so ``recompute_reputation``
agrees with the result. Questions link to a platform's open resource when the
knowledge demo has one (matched by keyword, else the platform's first resource).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone

from core.demo import DemoContext

UNLIMITED = {
    action: {"member": "100000/s", "new": "100000/s", "ip": "100000/s"}
    for action in ("question", "question_daily", "answer", "comment", "vote", "preview")
}

# Starting reputation so demo members can vote, comment and (for staff) edit.
STARTING_REPUTATION = {
    "moderator": 12000,
    "baidu_staff": 2600,
    "iflytek_staff": 2300,
    "sensetime_staff": 2100,
    "tencent_staff": 1800,
    "zhang_wei": 420,
    "li_na": 260,
    "chen_jie": 180,
    "alex_dev": 340,
}

TAG_WIKIS = {
    "apollo": (
        "百度 Apollo 自动驾驶开放平台相关问题：编译、Cyber RT、感知、规划与仿真。",
        "**Apollo** 是百度牵头的自动驾驶开放平台。提问时请写明 Apollo 版本、操作系统和 Docker 镜像。",
    ),
    "asr": (
        "Automatic speech recognition: streaming and file transcription, accuracy, latency.",
        "Include the audio format (sample rate, channels, encoding) and the SDK or API version.",
    ),
    "mmdetection": (
        "OpenMMLab 目标检测工具箱：配置文件、训练、评测与部署。",
        "",
    ),
    "dicom": ("DICOM 医学影像文件的读取、匿名化与窗宽窗位处理。", ""),
    "pytorch": ("Questions about PyTorch itself, not just models written in it.", ""),
}
SYNONYMS = {"语音识别": "asr", "speech-recognition": "asr", "torch": "pytorch"}

# (asker, sub-domain, platform, resource keyword, title, body, tags,
#  question voters, [(answerer, body, up-voters, down-voters, accepted)], [(commenter, text)])
THREADS = [
    (
        "zhang_wei",
        "autonomous-driving",
        "baidu",
        "apollo",
        "Apollo 9.0 在 Ubuntu 22.04 上编译报错：bazel 找不到 CUDA",
        "按照官方文档在 Docker 容器里执行：\n\n```bash\n./apollo.sh build_opt_gpu\n```\n\n"
        "报错：\n\n```text\nERROR: no such package '@local_config_cuda//cuda'\n```\n\n"
        "宿主机驱动是 535，`nvidia-smi` 在容器里能正常输出。请问还需要配置什么？",
        ["apollo", "bazel", "cuda"],
        ["li_na", "alex_dev", "chen_jie"],
        [
            (
                "baidu_staff",
                "这个错误通常是容器里没有设置 CUDA 相关的环境变量，bazel 的 `local_config_cuda` 规则找不到工具链。\n\n"
                "1. 确认使用的是带 GPU 的开发镜像，并用 `--gpus all` 启动；\n"
                "2. 在容器内检查 `echo $TF_CUDA_PATHS` 与 `ls /usr/local/cuda`；\n"
                "3. 清理缓存后重试：\n\n```bash\nbazel clean --expunge\n./apollo.sh build_opt_gpu\n```",
                ["zhang_wei", "li_na", "alex_dev"],
                [],
                True,
            ),
            (
                "alex_dev",
                "Same here. In my case the container was started without `--gpus all`, so the CUDA "
                "toolkit path existed but the driver libraries were missing.",
                ["zhang_wei"],
                [],
                False,
            ),
        ],
        [("li_na", "你用的是哪个版本的 Docker？20.10 之前需要 nvidia-docker2。")],
    ),
    (
        "alex_dev",
        "autonomous-driving",
        "baidu",
        "cyber",
        "How do I record only two channels with cyber_recorder?",
        "I want a small record file with just the localization and chassis channels. "
        "`cyber_recorder record -a` records everything and the files get huge. What is the "
        "right flag?",
        ["apollo", "cyber-rt"],
        ["zhang_wei"],
        [
            (
                "zhang_wei",
                "Use `-c` once per channel:\n\n```bash\ncyber_recorder record \\\n"
                "  -c /apollo/localization/pose \\\n  -c /apollo/canbus/chassis\n```\n\n"
                "`cyber_recorder info file.record` then shows only those two channels.",
                ["alex_dev", "baidu_staff"],
                [],
                True,
            ),
        ],
        [],
    ),
    (
        "li_na",
        "autonomous-driving",
        "baidu",
        "apollo",
        "Apollo 感知模块如何替换成自己训练的激光雷达检测模型？",
        "我们用自己的数据训练了一个 PointPillars 模型，想在 Apollo 里替换默认的激光雷达检测。"
        "需要改哪些配置文件？模型需要转换成什么格式？",
        ["apollo", "点云", "感知"],
        ["zhang_wei", "chen_jie"],
        [
            (
                "baidu_staff",
                "大致步骤：\n\n1. 将模型导出为 ONNX，再按部署所用的推理后端转换；\n"
                "2. 在感知模块的 lidar detection 配置中修改模型路径和输入参数（点云范围、体素大小需要和训练时一致）；\n"
                "3. 用录制的数据包回放验证。\n\n训练和部署的预处理参数不一致是最常见的问题。",
                ["li_na", "zhang_wei"],
                [],
                False,
            ),
        ],
        [("zhang_wei", "训练时的点云坐标系和 Apollo 的车辆坐标系一致吗？")],
    ),
    (
        "chen_jie",
        "intelligent-voice",
        "iflytek",
        "",
        "語音聽寫 WebSocket 介面回傳 10165 錯誤是什麼意思？",
        "我用 Python 連線語音聽寫的 WebSocket 介面，第一幀送出後就收到 code 10165。"
        "音訊是 16k、16bit、單聲道 PCM。請問是鑑權的問題還是音訊格式的問題？",
        ["asr", "websocket", "python"],
        ["zhang_wei", "alex_dev"],
        [
            (
                "iflytek_staff",
                "這類錯誤碼通常表示會話參數不正確，而不是鑑權失敗（鑑權失敗在握手階段就會被拒絕）。"
                "請檢查第一幀是否帶上了完整的 `common`、`business` 參數，`status` 是否為 0，"
                "以及 `format` 是否與實際取樣率一致（例如 `audio/L16;rate=16000`）。",
                ["chen_jie", "zhang_wei"],
                [],
                True,
            ),
        ],
        [("alex_dev", "Could you post the JSON of the first frame (without your key)?")],
    ),
    (
        "alex_dev",
        "intelligent-voice",
        "iflytek",
        "",
        "Streaming ASR latency grows over a long session",
        "In a 30-minute streaming session the partial results lag further and further behind "
        "the audio. I send 40 ms frames as fast as I read them from a file. Is there a "
        "recommended pacing?",
        ["asr", "streaming", "latency"],
        ["chen_jie"],
        [
            (
                "chen_jie",
                "If you read from a file, pace the frames in real time (sleep ~40 ms between "
                "frames). Sending faster than real time fills the server-side buffer, and "
                "results then trail the audio by however much you are ahead.",
                ["alex_dev", "iflytek_staff"],
                [],
                True,
            ),
            (
                "iflytek_staff",
                "补充：长时间会话建议按句或按静音切分，每段重新建立会话，可以避免累积延迟，也便于断线重连。",
                ["alex_dev"],
                [],
                False,
            ),
        ],
        [],
    ),
    (
        "zhang_wei",
        "intelligent-vision",
        "sensetime",
        "mmdet",
        "MMDetection 训练自定义数据集时 loss 一直是 nan",
        "使用 Faster R-CNN 配置训练 COCO 格式的自定义数据集，前几个 iteration loss 就变成 nan。"
        "学习率是默认的 0.02，单卡训练，batch size 2。",
        ["mmdetection", "pytorch", "目标检测"],
        ["li_na", "alex_dev", "chen_jie"],
        [
            (
                "sensetime_staff",
                "默认学习率 0.02 是按 8 卡 × 每卡 2 张图设置的。单卡 batch size 2 时应按线性缩放把学习率降到 0.0025：\n\n"
                "```python\noptim_wrapper = dict(optimizer=dict(lr=0.0025))\n```\n\n"
                "另外请检查标注里是否有宽或高为 0 的框，这也会导致 nan。",
                ["zhang_wei", "li_na", "alex_dev"],
                [],
                True,
            ),
        ],
        [("li_na", "标注是用什么工具导出的？有些工具会导出负坐标。")],
    ),
    (
        "li_na",
        "intelligent-vision",
        "sensetime",
        "mmdet",
        "How to export an MMDetection model to ONNX with dynamic input size?",
        "I need to deploy a RetinaNet model with variable image sizes. The exported ONNX model "
        "only accepts the size I used during export. Which option controls this?",
        ["mmdetection", "onnx", "deployment"],
        ["alex_dev"],
        [
            (
                "alex_dev",
                "With MMDeploy pick a *dynamic* deploy config (the file names contain `dynamic`); "
                "it declares dynamic axes for height and width. Static configs fix the shape.",
                ["li_na"],
                [],
                True,
            ),
        ],
        [],
    ),
    (
        "chen_jie",
        "medical-imaging",
        "tencent",
        "",
        "读取 DICOM 序列时如何按正确的切片顺序排序？",
        "用 pydicom 读取一个 CT 序列，按文件名排序后三维重建出来层面是乱的。应该用哪个标签排序？",
        ["dicom", "python", "医疗影像"],
        ["zhang_wei", "li_na"],
        [
            (
                "tencent_staff",
                "不要依赖文件名或 `InstanceNumber`，应按 `ImagePositionPatient` 在切片法向量上的投影排序：\n\n"
                "```python\nimport numpy as np\n\n"
                "def slice_key(ds):\n"
                "    row, col = np.array(ds.ImageOrientationPatient).reshape(2, 3)\n"
                "    normal = np.cross(row, col)\n"
                "    return float(np.dot(normal, ds.ImagePositionPatient))\n\n"
                "slices.sort(key=slice_key)\n```",
                ["chen_jie", "zhang_wei", "li_na"],
                [],
                True,
            ),
        ],
        [],
    ),
    (
        "alex_dev",
        "medical-imaging",
        "tencent",
        "",
        "Is it safe to share DICOM files after removing the PatientName tag?",
        "We want to publish a few CT scans with a bug report. Is deleting PatientName and "
        "PatientID enough?",
        ["dicom", "privacy"],
        ["chen_jie"],
        [
            (
                "tencent_staff",
                "No. Identifying data also lives in dates, institution names, device serial numbers, "
                "private tags and sometimes burned into the pixels. Use a de-identification profile "
                "(DICOM PS3.15 Annex E) with a tool that implements it, and check the images "
                "visually for burned-in text.",
                ["alex_dev", "chen_jie"],
                [],
                True,
            ),
        ],
        [("chen_jie", "Also check the file names, they often contain the patient ID.")],
    ),
    (
        "li_na",
        "city-brain",
        "alibaba-cloud",
        "",
        "城市交通流量预测：GPS 轨迹数据如何匹配到路网？",
        "我们有出租车 GPS 点（约 30 秒一个点），需要匹配到 OpenStreetMap 路网上计算路段速度。"
        "简单的最近邻匹配在路口附近误差很大，有什么成熟的方法？",
        ["地图匹配", "时空数据", "交通"],
        ["zhang_wei"],
        [
            (
                "zhang_wei",
                "低频 GPS 推荐用基于隐马尔可夫模型（HMM）的地图匹配：观测概率用点到路段的距离，"
                "转移概率用路网最短路距离与直线距离之差。开源实现有 FMM、Valhalla 的 Meili 等。",
                ["li_na"],
                [],
                True,
            ),
        ],
        [],
    ),
    (
        "zhang_wei",
        "city-brain",
        "alibaba-cloud",
        "",
        "How do you evaluate a traffic signal optimisation before deploying it?",
        "We have a model that proposes new signal timings for a corridor. Before testing on "
        "real intersections, what evaluation is expected? Is simulation (SUMO) enough?",
        ["交通", "simulation", "sumo"],
        ["li_na", "alex_dev"],
        [],
        [("li_na", "Which metrics do you optimise for: delay, queue length, or throughput?")],
    ),
    (
        "chen_jie",
        "intelligent-voice",
        "iflytek",
        "",
        "TTS 合成的音频开头有爆音怎么处理？",
        "调用语音合成接口得到 PCM，直接拼接播放时每段开头有“啪”的一声。是接口的问题还是播放端的问题？",
        ["tts", "音频"],
        ["alex_dev"],
        [
            (
                "iflytek_staff",
                "多数情况是播放端的问题：拼接时如果把 WAV 头也当作 PCM 数据播放会产生爆音；"
                "另外段与段之间样本值跳变也会有咔哒声，可以在每段首尾做几毫秒的淡入淡出。",
                ["chen_jie"],
                [],
                False,
            ),
        ],
        [],
    ),
    (
        "alex_dev",
        "autonomous-driving",
        "baidu",
        "apollo",
        "Dreamview shows 'No route' although the map is loaded",
        "I loaded the demo map in Dreamview, set a routing request by clicking two points, and "
        "routing answers 'No route'. Modules Routing and Planning are on.",
        ["apollo", "dreamview", "routing"],
        [],
        [],
        [],
    ),
    (
        "zhang_wei",
        "intelligent-vision",
        "sensetime",
        "",
        "多目标跟踪中 ID switch 过多，应该调哪些参数？",
        "用检测 + 卡尔曼滤波 + 匈牙利匹配做行人跟踪，遮挡后经常换 ID。有什么实用的调参经验？",
        ["多目标跟踪", "计算机视觉"],
        ["li_na", "chen_jie"],
        [
            (
                "sensetime_staff",
                "可以从三方面入手：\n\n- 加入外观特征（ReID）参与匹配，遮挡后重新关联更可靠；\n"
                "- 延长轨迹的最大丢失帧数，让短暂遮挡的目标不被立即删除；\n"
                "- 两阶段关联：先匹配高置信度检测，再用低置信度检测匹配剩余轨迹。",
                ["zhang_wei", "li_na"],
                [],
                True,
            ),
        ],
        [],
    ),
    (
        "li_na",
        "intelligent-voice",
        "iflytek",
        "",
        "Which sample rate should I use for call-centre recordings?",
        "Our recordings are 8 kHz telephone audio. Should we upsample to 16 kHz before "
        "recognition, or is there an 8 kHz model?",
        ["asr", "音频"],
        ["chen_jie"],
        [
            (
                "chen_jie",
                "Do not upsample: it adds no information and can hurt accuracy. Use a model or "
                "engine option meant for 8 kHz telephone audio if one is offered; otherwise test "
                "both on a labelled sample of your own calls before deciding.",
                ["li_na", "alex_dev"],
                [],
                False,
            ),
        ],
        [],
    ),
    (
        "chen_jie",
        "medical-imaging",
        "tencent",
        "",
        "肺结节分割模型在不同医院的数据上效果差异很大",
        "在 A 医院的数据上 Dice 0.85，换到 B 医院只有 0.6。两家的 CT 层厚不同（1mm 与 5mm）。"
        "应该怎么做域适应？",
        ["医疗影像", "分割", "pytorch"],
        ["zhang_wei", "alex_dev"],
        [
            (
                "tencent_staff",
                "层厚差异是首要因素。建议先统一重采样到相同体素间距，再统一窗宽窗位与强度归一化；"
                "训练时加入层厚、噪声和对比度的数据增强。如果能拿到少量 B 医院的标注，做微调通常比无监督域适应更有效。",
                ["chen_jie", "zhang_wei"],
                [],
                True,
            ),
        ],
        [("zhang_wei", "5mm 层厚下小结节本身就可能只出现在一两层上，评测时要分大小统计。")],
    ),
    (
        "alex_dev",
        "intelligent-vision",
        "sensetime",
        "mmdet",
        "torch.cuda.OutOfMemoryError when evaluating, but training works",
        "Training with batch size 2 fits in 12 GB, but the validation step after the first "
        "epoch runs out of GPU memory. Why would evaluation need more memory than training?",
        ["pytorch", "mmdetection", "cuda"],
        ["zhang_wei"],
        [
            (
                "zhang_wei",
                "Validation often runs at a larger test scale and keeps all detections for the "
                "metric. Lower the test image scale, set the val dataloader batch size to 1, and "
                "make sure evaluation runs under `torch.no_grad()` (the runner does this unless a "
                "custom hook changes it).",
                ["alex_dev"],
                [],
                True,
            ),
        ],
        [],
    ),
    (
        "li_na",
        "autonomous-driving",
        "baidu",
        "apollo",
        "Apollo 仿真场景如何批量回放并统计接管次数？",
        "我们有几百个 record 文件，想批量回放并统计规划模块的异常和人工接管次数，有推荐的做法吗？",
        ["apollo", "仿真"],
        [],
        [],
        [],
    ),
    (
        "zhang_wei",
        "intelligent-voice",
        "iflytek",
        "",
        "离线语音唤醒 SDK 支持自定义唤醒词吗？",
        "@iflytek_staff 我们做智能家居设备，想用自己的品牌名作为唤醒词。离线唤醒能否自定义，需要提供多少录音？",
        ["语音唤醒", "sdk"],
        ["chen_jie"],
        [],
        [],
    ),
    (
        "chen_jie",
        "intelligent-vision",
        "sensetime",
        "",
        "OCR 识别繁体中文时准确率明显下降",
        "同一个 OCR 模型识别简体文档效果很好，换成繁体的扫描件准确率明显下降，是否需要单独的字典？",
        ["ocr", "繁体中文"],
        ["zhang_wei", "li_na"],
        [
            (
                "sensetime_staff",
                "识别模型的输出字典决定了能识别的字符集。如果字典里没有繁体字形，模型只能输出相近的简体或错字。"
                "需要使用包含繁体字的字典并用繁体语料训练或微调，仅在后处理做简繁转换无法解决漏字问题。",
                ["chen_jie", "zhang_wei"],
                [],
                True,
            ),
        ],
        [],
    ),
]


# (author, sub-domain, platform, resource keyword, title, body, tags, up-voters, [(commenter, text)])
ARTICLES = [
    (
        "zhang_wei",
        "autonomous-driving",
        "baidu",
        "apollo",
        "在 Jetson Orin 上跑通 Apollo 感知模块的完整记录",
        "## 背景\n\n我们团队要在 Jetson AGX Orin 上验证 Apollo 的相机感知，官方镜像是 x86 的，"
        "下面记录从编译到出检测框的全过程和踩过的坑。\n\n## 1. 准备镜像\n\n"
        "使用 aarch64 的开发镜像，并确认 JetPack 版本与 CUDA 对应：\n\n"
        "```bash\ncat /etc/nv_tegra_release\nnvcc --version\n```\n\n"
        "## 2. 只编译感知\n\n全量编译在 Orin 上要数小时，只编译需要的目标即可：\n\n"
        "```bash\n./apollo.sh build_opt_gpu perception\n```\n\n"
        "## 3. 遇到的问题\n\n- TensorRT 引擎必须在 Orin 上重新生成，x86 上导出的不能用；\n"
        "- 内存不足时给 bazel 加 `--jobs=4`。\n\n## 总结\n\n"
        "整体可行，单路相机检测约 25 FPS。欢迎补充更好的做法。",
        ["apollo", "jetson", "感知"],
        ["li_na", "alex_dev", "chen_jie"],
        [("alex_dev", "Great write-up. Did you try INT8 calibration for the detector?")],
    ),
    (
        "alex_dev",
        "intelligent-voice",
        "iflytek",
        "",
        "Streaming speech recognition over WebSocket: what we learned in production",
        "We moved our call-centre transcription from file uploads to the streaming API. "
        "Three lessons after a month in production:\n\n"
        "1. **Send 40 ms frames.** Larger frames add latency, smaller ones add overhead.\n"
        "2. **Reconnect with back-off** and resume from the last final result.\n"
        "3. **Keep audio at 16 kHz mono PCM**; resampling on the server side costs accuracy.\n\n"
        "```python\nFRAME_MS = 40\nframe_bytes = 16000 * 2 * FRAME_MS // 1000  # 16-bit mono\n"
        'for chunk in iter(lambda: audio.read(frame_bytes), b""):\n    ws.send(chunk)\n```\n\n'
        "Latency to the first partial result dropped from 1.8 s to 0.4 s.",
        ["asr", "websocket", "python"],
        ["zhang_wei", "iflytek_staff"],
        [("zhang_wei", "40 ms 这个经验很有用，我们之前用 200 ms 一帧，延迟明显。")],
    ),
    (
        "li_na",
        "medical-imaging",
        "tencent",
        "",
        "DICOM 影像预处理流水线：匿名化、重采样与窗宽窗位",
        "做医学影像模型时，预处理决定了一半的效果。我们的流水线分三步：\n\n"
        "1. **匿名化**：删除患者姓名、ID 等标签，保留扫描参数；\n"
        "2. **重采样**到统一体素间距（1×1×1 mm）；\n"
        "3. **窗宽窗位**：肺窗 (-600, 1500)，纵隔窗 (40, 400)。\n\n"
        "```python\nimport numpy as np\n\n"
        "def window(image, level, width):\n    low, high = level - width / 2, level + width / 2\n"
        "    return np.clip((image - low) / (high - low), 0, 1)\n```\n\n"
        "注意：匿名化之后务必抽查，部分设备会把信息写进私有标签。",
        ["dicom", "医学影像", "python"],
        ["chen_jie", "tencent_staff"],
        [],
    ),
]


def _load_articles(users, subdomains, platforms) -> int:
    from community import services
    from community.models import Article

    created = 0
    for (
        author,
        subdomain_slug,
        platform_slug,
        keyword,
        title,
        body,
        tags,
        voters,
        comments,
    ) in ARTICLES:
        if author not in users or Article.objects.filter(title=title).exists():
            continue
        resource = _resource_for(platforms.get(platform_slug), keyword) if keyword else None
        article = services.article_create(
            author=users[author],
            title=title,
            body=body,
            tags=tags,
            subdomain=subdomains.get(subdomain_slug),
            resources=[(resource, None)] if resource else [],
            enforce_limits=False,
        )
        for voter in voters:
            if voter in users and voter != author:
                services.vote_cast(user=users[voter], post=article, value=1)
        for commenter, text in comments:
            if commenter in users:
                services.comment_create(author=users[commenter], article=article, body=text)
        created += 1
    return created


def _resource_for(platform, keyword: str):
    from knowledge.models import OpenResource

    if platform is None:
        return None
    resources = OpenResource.objects.filter(platform=platform)
    if keyword:
        match = resources.filter(Q(slug__icontains=keyword) | Q(name__icontains=keyword)).first()
        if match is not None:
            return match
    return resources.order_by("pk").first()


def load(ctx: DemoContext) -> None:
    from accounts.models import User
    from community import services
    from community.models import Answer, Comment, Question, ReputationEvent, Tag
    from knowledge.models import Platform, Subdomain

    users = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    if not users:
        ctx.log("no demo users; skipped")
        return
    for username, points in STARTING_REPUTATION.items():
        user = users.get(username)
        if user and not ReputationEvent.objects.filter(user=user, kind="adjustment").exists():
            services.reputation_adjust(user=user, points=points - 1)

    subdomains = {s.slug: s for s in Subdomain.objects.all()}
    platforms = {p.slug: p for p in Platform.objects.all()}
    created = 0
    now = timezone.now()
    with override_settings(HUIJU_RATE_LIMITS=UNLIMITED):
        for index, thread in enumerate(THREADS):
            asker, subdomain_slug, platform_slug, keyword, title, body, tags = thread[:7]
            voters, answers, comments = thread[7:]
            if Question.objects.filter(title=title).exists() or asker not in users:
                continue
            resource = _resource_for(platforms.get(platform_slug), keyword)
            question = services.question_ask(
                author=users[asker],
                title=title,
                body=body,
                tags=tags,
                subdomain=subdomains.get(subdomain_slug),
                resources=[(resource, None)] if resource else [],
                enforce_limits=False,
            )
            asked_at = now - timedelta(days=len(THREADS) - index, hours=index % 7)
            for voter in voters:
                if voter in users:
                    services.vote_cast(user=users[voter], post=question, value=1)
            for text_author, text in comments:
                if text_author in users:
                    services.comment_create(author=users[text_author], question=question, body=text)
            for offset, (author, text, ups, downs, accepted) in enumerate(answers, start=1):
                if author not in users:
                    continue
                answer = services.answer_create(
                    question=question, author=users[author], body=text, enforce_limits=False
                )
                Answer.objects.filter(pk=answer.pk).update(
                    created_at=asked_at + timedelta(hours=offset * 3)
                )
                for voter in ups:
                    if voter in users and voter != author:
                        services.vote_cast(user=users[voter], post=answer, value=1)
                for voter in downs:
                    if voter in users and voter != author:
                        services.vote_cast(user=users[voter], post=answer, value=-1)
                if accepted:
                    services.answer_accept(answer=answer, user=users[asker])
            last = asked_at + timedelta(hours=3 * max(len(answers), 0) + 1)
            Question.objects.filter(pk=question.pk).update(
                created_at=asked_at, last_activity_at=last, view_count=17 + index * 13
            )
            question.question_tags.update(question_created_at=asked_at)
            Comment.objects.filter(question=question).update(
                created_at=asked_at + timedelta(minutes=40)
            )
            created += 1

    for name, (excerpt, wiki) in TAG_WIKIS.items():
        tag = Tag.objects.filter(name=name).first()
        if tag is not None and not tag.wiki_excerpt:
            services.tag_wiki_edit(tag=tag, editor=users["moderator"], excerpt=excerpt, body=wiki)
    for synonym, canonical_name in SYNONYMS.items():
        canonical = Tag.objects.filter(name=canonical_name).first()
        if canonical is not None and not Tag.objects.filter(name=synonym).exists():
            Tag.objects.create(name=synonym, canonical=canonical)
    with override_settings(HUIJU_RATE_LIMITS=UNLIMITED):
        articles = _load_articles(users, subdomains, platforms)
    from community.badges import badges_backfill

    badges = badges_backfill()
    ctx.log(f"{created} Q&A threads created ({len(THREADS)} in the demo set)")
    ctx.log(
        f"{articles} articles created ({len(ARTICLES)} in the demo set), {badges} badges awarded"
    )


def _usernames() -> set[str]:
    names = set(STARTING_REPUTATION)
    for thread in THREADS:
        names.add(thread[0])
        names.update(thread[7])
        for answer in thread[8]:
            names.add(answer[0])
            names.update(answer[2])
            names.update(answer[3])
        names.update(author for author, _text in thread[9])
    for article in ARTICLES:
        names.add(article[0])
        names.update(article[7])
        names.update(commenter for commenter, _text in article[8])
    return names
