"""The query language parser: operators, phrases, tags and odd input."""

import pytest

from search.query import MAX_QUERY_LENGTH, parse


def test_free_text_only():
    query = parse("自动驾驶 仿真 install")
    assert query.words == ["自动驾驶", "仿真", "install"]
    assert not query.has_filters and not query.warnings


def test_every_operator_together():
    query = parse(
        'apollo "point cloud" [激光雷达] is:question is:unanswered user:li_hua '
        "subdomain:autonomous-driving resource:apollo@9.0 score:3"
    )
    assert query.words == ["apollo"]
    assert query.phrases == ["point cloud"]
    assert query.tags == ["激光雷达"]
    assert query.kinds == ["question"]
    assert query.answered is False
    assert query.users == ["li_hua"]
    assert query.subdomains == ["autonomous-driving"]
    assert query.resources == ["apollo@9.0"]
    assert query.min_score == 3


@pytest.mark.parametrize(
    ("text", "kinds", "answered", "accepted"),
    [
        ("is:answer", ["answer"], None, None),
        ("is:article is:tutorial", ["article", "tutorial"], None, None),
        ("is:resource is:collaboration is:live", ["resource", "collaboration", "live"], None, None),
        ("is:answered", [], True, None),
        ("is:accepted", [], None, True),
        ("IS:Question", ["question"], None, None),
    ],
)
def test_is_operator(text, kinds, answered, accepted):
    query = parse(text)
    assert (query.kinds, query.answered, query.accepted) == (kinds, answered, accepted)


def test_resource_without_version_and_negative_score():
    query = parse("resource:Apollo score:-2")
    assert query.resources == ["apollo"]
    assert query.min_score == -2


def test_unknown_operators_and_bad_values_stay_text():
    query = parse("foo:bar is:banana score:many http://x.cn")
    assert query.words == ["foo:bar", "is:banana", "score:many", "http://x.cn"]
    assert "bad_operator:is" in query.warnings and "bad_operator:score" in query.warnings
    assert not query.has_filters


def test_unbalanced_quote_keeps_the_words():
    query = parse('"自动驾驶 仿真')
    assert query.phrases == []
    assert query.words == ["自动驾驶", "仿真"]
    assert "unbalanced_quote" in query.warnings


def test_unbalanced_bracket_keeps_the_word():
    query = parse("[apollo install")
    assert query.tags == []
    assert query.words == ["apollo", "install"]
    assert "unbalanced_bracket" in query.warnings


def test_chinese_punctuation_quotes_and_full_width_forms():
    query = parse("“自动驾驶 仿真”【语音识别】 is：question ［asr］")
    assert query.phrases == ["自动驾驶 仿真"]
    assert query.tags == ["语音识别", "asr"]
    assert query.kinds == ["question"]


def test_quoted_operator_value():
    spaced = parse('user:"li hua"')
    assert spaced.users == [] and "bad_operator:user" in spaced.warnings
    assert parse('user:"lihua"').users == ["lihua"]


def test_control_characters_and_huge_input_never_raise():
    query = parse("apollo\x00\x07\u200b 仿真" + "x" * 10_000)
    assert query.words[0] == "apollo"
    assert "truncated" in query.warnings
    assert len(query.raw) <= MAX_QUERY_LENGTH


@pytest.mark.parametrize("text", ["", "   ", '""', "[]", ":", "is:", '"', "[", "】", "“"])
def test_degenerate_input(text):
    query = parse(text)
    assert query.is_empty or query.words


def test_duplicates_are_collapsed():
    query = parse("[a] [a] is:question is:question")
    assert query.tags == ["a"] and query.kinds == ["question"]


def test_text_joins_words_and_phrases():
    assert parse('a "b c" d').text == "a d b c"
