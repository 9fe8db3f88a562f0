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
