"""Question types parse raw answers, offer their choices and score themselves."""

from dataclasses import replace

import pytest

from satisfaction.core.errors import InputError
from satisfaction.questionnaires.definition import ScoringRule
from satisfaction.questionnaires.types import (
    NA,
    CommentQuestion,
    ExpectationQuestion,
    SatisfactionQuestion,
    answer_keys,
    parse_answers,
    questions,
)
from tests.questionnaires.helpers import mini


def by_key(questionnaire=None):
    return {q.key: q for q in questions(questionnaire or mini())}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("5", 5),
        (" 4 ", 4),
        ("04", 4),
        (3, 3),
        (2.0, 2),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_satisfaction_parses_values(raw, expected):
    assert by_key()["staff.courtesy"].parse(raw) == expected


@pytest.mark.parametrize("raw", ["0", "6", "x", "4.5", "-1", "４", True, 4.5, "NA", "na"])
def test_satisfaction_refuses_bad_values_naming_the_item(raw):
    with pytest.raises(InputError) as caught:
        by_key()["staff.courtesy"].parse(raw)
    assert [p.where for p in caught.value.problems] == ["staff.courtesy"]


@pytest.mark.parametrize("raw", ["NA", "na", " Na "])
def test_not_applicable_where_allowed(raw):
    assert by_key()["feedback.reply"].parse(raw) == NA


def test_questions_are_built_once_per_questionnaire_object():
    questionnaire = mini()
    first, again = questions(questionnaire), questions(questionnaire)
    assert [q.key for q in first] == list(questionnaire.answer_keys)
    assert all(a is b for a, b in zip(first, again, strict=True))
    first.pop()  # each caller gets a list of its own
    assert len(questions(questionnaire)) == len(again)
    assert questions(mini())[0] is not again[0]  # another questionnaire, its own questions
    assert answer_keys(questionnaire) == frozenset(questionnaire.answer_keys)


def test_choices_per_locale():
    questions_ = by_key()
    assert [o.value for o in questions_["staff.courtesy"].choices()] == [1, 2, 3, 4, 5]
    reply = questions_["feedback.reply"].choices("en")
    assert [(o.value, o.label) for o in reply][-2:] == [
        (5, "Very satisfied"),
        (NA, "Not applicable"),
    ]
    assert questions_["feedback.reply"].choices("vi")[0].label == "Rất không hài lòng"
    # Lowest first, as every scale runs on the printed form (the file lists 3, 2, 1).
    assert [o.label for o in questions_["expect.faster"].choices("en_GB")] == [
        "Little",
        "Much",
        "Very much",
    ]
    assert questions_["comment"].choices() == []
    assert questions_["staff.courtesy"].prompt("en") == "Officials were polite."
    assert questions_["comment"].prompt() == "Góp ý khác?"


def test_expectation_parses_its_scale_only():
    question = by_key()["expect.faster"]
    assert isinstance(question, ExpectationQuestion)
    assert [question.parse(v) for v in ("3", "2", "1", "")] == [3, 2, 1, None]
    for raw in ("4", "0", "NA"):
        with pytest.raises(InputError) as caught:
            question.parse(raw)
        assert caught.value.problems[0].where == "expect.faster"


def test_comment_is_cleaned_and_limited():
    question = by_key()["comment"]
    assert isinstance(question, CommentQuestion)
    assert question.parse("  Tốt\r\nlắm\x00 ") == "Tốt\nlắm"
    assert question.parse("   ") is None
    assert question.parse(None) is None
    assert question.parse("x" * 20) == "x" * 20
    with pytest.raises(InputError) as caught:
        question.parse("x" * 21)
    assert caught.value.problems[0].where == "comment"


def test_top_two_scoring():
    courtesy, reply = by_key()["staff.courtesy"], by_key()["feedback.reply"]
    assert [courtesy.score(v) for v in (1, 2, 3, 4, 5, None)] == [0, 0, 0, 100, 100, None]
    assert [courtesy.is_positive(v) for v in (3, 4, 5, None)] == [False, True, True, False]
    assert reply.counts(NA) is False and reply.score(NA) is None
    assert reply.counts(3) is True


def test_expectation_reports_much_or_more():
    faster = by_key()["expect.faster"]
    assert [faster.score(v) for v in (3, 2, 1, None)] == [100, 100, 0, None]


def test_mean_scoring_rescales_to_percent():
    q = mini()
    q = replace(q, scoring=replace(q.scoring, rule="mean"))
    courtesy = by_key(q)["staff.courtesy"]
    assert [courtesy.score(v) for v in (1, 2, 3, 4, 5, None)] == [0, 25, 50, 75, 100, None]


def test_exclusions_follow_the_rule():
    q = mini()
    neutral_out = replace(q, scoring=ScoringRule("top-two", (4, 5), ("na", "neutral")))
    assert by_key(neutral_out)["staff.courtesy"].counts(3) is False
    na_counted = replace(q, scoring=ScoringRule("top-two", (4, 5), ()))
    reply = by_key(na_counted)["feedback.reply"]
    assert isinstance(reply, SatisfactionQuestion)
    assert reply.counts(NA) is True and reply.score(NA) == 0


def test_parse_answers_reports_every_problem():
    raw = {
        "staff.courtesy": "5",
        "staff.answers": "9",
        "feedback.reply": "NA",
        "expect.faster": "4",
        "comment": " ok ",
    }
    with pytest.raises(InputError) as caught:
        parse_answers(mini(), raw)
    assert [p.where for p in caught.value.problems] == ["staff.answers", "expect.faster"]
    raw.update({"staff.answers": "", "expect.faster": "3"})
    assert parse_answers(mini(), raw) == {
        "staff.courtesy": 5,
        "staff.answers": None,
        "feedback.reply": NA,
        "expect.faster": 3,
        "comment": "ok",
    }
