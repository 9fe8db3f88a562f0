"""Analysis shared by the backends: folding, segmentation, stemming."""

import pytest

from search import text


def test_fold_traditional_to_simplified_with_mainland_phrasing():
    assert text.fold("自動駕駛 軟體 資料集 Apollo") == "自动驾驶 软件 数据集 apollo"


def test_fold_normalises_width_and_drops_control_characters():
    assert text.fold("ＡＢＣ１２３\x00\u200b") == "abc123  "


def test_jieba_search_mode_gives_words_and_sub_words():
    tokens = text.tokens("城市大腦交通信號")
    assert {"城市", "大脑", "交通", "信号", "交通信号"} <= set(tokens)


def test_both_scripts_give_the_same_tokens():
    assert text.tokens("語音識別模型") == text.tokens("语音识别模型")


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("models", "model"),
        ("running", "run"),
        ("tested", "test"),
        ("libraries", "library"),
        ("classes", "class"),
        ("status", "status"),
        ("is", "is"),
        ("c++", "c++"),
    ],
)
def test_light_english_stemming(word, stem):
    assert text.stem(word) == stem


def test_stop_words_are_dropped_and_code_tokens_kept():
    assert text.tokens("How to install the SDK for C++ and node.js 9.0") == [
        "install",
        "sdk",
        "c++",
        "node.js",
        "9.0",
    ]


def test_query_terms_carry_sub_words_for_long_chinese_words():
    terms = text.query_terms("如何使用交通信号数据")
    tokens = [term.token for term in terms]
    assert "如何" not in tokens  # a stop word
    signal = next(term for term in terms if term.token == "交通信号")
    assert set(signal.parts) >= {"交通", "信号"}


def test_segment_is_space_joined_tokens():
    assert text.segment("Running Models") == "run model"


# The folding OpenCC tw2sp (opencc-python-reimplemented) gives today, pinned: a
# different converter or dictionary would change what the index stores.
FOLDED = {
    "自動駕駛": "自动驾驶",
    "軟體": "软件",
    "資料集": "数据集",
    "語音識別": "语音识别",
    "醫療影像": "医疗影像",
    "城市大腦": "城市大脑",
    "雷射雷達": "激光雷达",  # tw2sp alone: 雷射雷达 (DOMAIN_WORDS)
    "光達": "激光雷达",
    "物件偵測": "目标检测",
    "語音辨識": "语音识别",
    "邊緣運算": "边缘计算",
    "模型推論": "模型推理",
    "醫療影像分割": "医疗影像分割",  # 影像 is mainland usage too
    "介面": "接口",
    "透過": "通过",
    "網路": "网络",
    "滑鼠": "鼠标",
    "程式": "程序",
    "記憶體": "内存",
    "即時": "即时",
    "社群": "社群",
    "怎麼": "怎么",
    "怎么": "怎么",  # tw2sp alone gives 怎幺: Simplified 么 read as the variant of 幺
    "什麼東西": "什么东西",
    "什么东西": "什么东西",
    "幺": "幺",
    "薴": "苎",  # tw2sp alone gives 苧, which it would turn into 苎 the next time
}


@pytest.mark.parametrize(("traditional", "simplified"), FOLDED.items())
def test_fold_of_fixed_traditional_strings(traditional, simplified):
    assert text.fold(traditional) == simplified


def test_taiwan_and_mainland_ai_words_meet():
    for taiwan, mainland in [("雷射雷達", "激光雷达"), ("光達", "激光雷達"), ("人臉辨識", "人脸识别"),
                             ("物件偵測", "目标检测"), ("雲端運算", "云计算")]:  # fmt: skip
        assert text.tokens(taiwan) == text.tokens(mainland)
    for output in text.DOMAIN_WORDS.values():  # replacements are final
        assert text.fold(output) == output


def test_simplified_and_traditional_stop_words_meet_and_are_dropped():
    assert text.tokens("怎麼 安裝") == text.tokens("怎么 安装") == ["安装"]
    assert text.tokens("什么是 量化") == text.tokens("什麼是 量化")


def test_folding_is_idempotent_for_every_common_ideograph():
    """A folded document folded again (a reindex of stored text) must not change."""
    ideographs = " ".join(chr(code) for code in range(0x4E00, 0xA000))
    once = text.fold(ideographs)
    assert text.fold(once) == once


MIXED = [
    "在自動駕駛場景下，我們用 Apollo 的感知模組訓練點雲分割模型（資料集來自官方軟體）。",
    "```python\nprint('語音識別')  # 註解\n```\n記憶體不足 OOM，怎麼辦？",
    "醫療影像-分割.模型?評估!指標*《介面》「透過」網路 — 滑鼠、程式；",
    "𠁞 Ｔ恤 café 雷射雷達\u3000即時\t社群",
    "A" * 100 + "資料集" * 40 + "。" + "軟體" * 50,
]


@pytest.mark.parametrize("sample", MIXED)
def test_piecewise_cached_folding_equals_the_converter(sample):
    cleaned = text.clean(sample)
    expected = text._domain_words(text._converter().convert(cleaned))
    text.clear_caches()
    assert text._to_simplified(cleaned) == expected
    assert text._to_simplified(cleaned) == expected  # from the cache


def test_converter_dictionaries_hold_no_ascii():
    """ASCII pieces skip the converter; that is only right while no key has ASCII."""
    for group in text._converter()._dict_chain_data:
        for _max, _min, mapping in group:
            assert not any(key.isascii() for key in mapping)


@pytest.mark.parametrize("sample", MIXED)
def test_cached_analysis_equals_uncached_analysis(sample, monkeypatch):
    text.clear_caches()
    cached = [text.tokens(sample), text.tokens(sample), text.query_terms(sample)]
    monkeypatch.setattr(text, "CACHE_MAX_LENGTH", 0)  # every piece and run bypasses the caches
    uncached = [text.tokens(sample), text.tokens(sample), text.query_terms(sample)]
    assert cached == uncached


def test_warm_up_loads_the_segmenter_and_converter_in_the_background():
    text._jieba.cache_clear()
    text.warm_up_in_background().join(timeout=60)
    assert text._jieba.cache_info().currsize == 1
    assert text._converter.cache_info().currsize == 1


def test_server_entry_points_warm_up_analysis(monkeypatch):
    import importlib

    started = []
    monkeypatch.setattr(text, "warm_up_in_background", lambda: started.append(True))
    modules = [importlib.import_module(name) for name in ("config.wsgi", "config.asgi")]
    started.clear()  # a first import has run them already
    for module in modules:
        importlib.reload(module)
    assert started == [True, True]
