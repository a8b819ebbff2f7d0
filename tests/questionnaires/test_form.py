"""The SIPAS questionnaire of forms/ loads and says what domain.md says."""

import unicodedata

from satisfaction.questionnaires.types import CommentQuestion, questions
from tests.questionnaires.helpers import real


def test_five_elements_in_order():
    q = real()
    assert (q.key, q.version) == ("sipas-services", 1)
    assert [e.key for e in q.elements] == ["access", "procedure", "staff", "result", "feedback"]
    assert [len(e.items) for e in q.elements] == [5, 4, 5, 3, 3]
    assert 18 <= len(q.items) <= 22
    assert all(item.key.startswith(e.key + ".") for e in q.elements for item in e.items)


def test_keys_unique_and_answer_keys_in_printed_order():
    q = real()
    keys = [e.key for e in q.elements] + list(q.item_keys) + list(q.expectation_keys)
    assert len(keys) == len(set(keys))
    assert q.answer_keys == q.item_keys + q.expectation_keys + ("comment",)
    assert [question.key for question in questions(q)] == list(q.answer_keys)
    assert 5 <= len(q.expectations) <= 7


def test_not_applicable_only_on_feedback_items():
    q = real()
    with_na = {item.key for item in q.items if item.allow_na}
    assert with_na == {item.key for item in q.elements[-1].items}
    assert q.satisfaction_scale.not_applicable.text("vi") == "Không áp dụng"
    assert q.elements[-1].note is not None


def test_scales_and_scoring_follow_the_domain():
    q = real()
    labels = {c.value: (c.label.vi, c.label.en) for c in q.satisfaction_scale.choices}
    assert labels == {
        1: ("Rất không hài lòng", "Very dissatisfied"),
        2: ("Không hài lòng", "Dissatisfied"),
        3: ("Bình thường", "Neutral"),
        4: ("Hài lòng", "Satisfied"),
        5: ("Rất hài lòng", "Very satisfied"),
    }
    expectation = [(c.value, c.label.vi, c.label.en) for c in q.expectation_scale.choices]
    assert expectation == [(3, "Rất nhiều", "Very much"), (2, "Nhiều", "Much"), (1, "Ít", "Little")]
    assert (q.scoring.rule, q.scoring.positive, q.scoring.exclude) == ("top-two", (4, 5), ("na",))
    assert q.scoring.expectation_positive == (2, 3)
    assert q.comment.max_length == 1000


def _all_texts(q):
    yield q.title
    yield q.intro
    yield q.satisfaction_scale.instruction
    yield q.expectation_scale.instruction
    for element in q.elements:
        yield element.title
        yield from (item.text for item in element.items)
    yield from (e.text for e in q.expectations)
    yield q.comment.prompt


def test_texts_in_both_languages_with_vietnamese_diacritics():
    q = real()
    for text in _all_texts(q):
        assert text.vi and text.en, text
        assert text.vi != text.en, text
        assert unicodedata.is_normalized("NFC", text.vi), text.vi
        assert not text.vi.isascii(), text.vi  # plain ASCII would mean lost diacritics
        assert text.en.isascii() or "“" in text.en, text.en
    assert "hài lòng" in q.satisfaction_scale.instruction.vi
    assert "ẩn danh" in q.intro.vi and "khoảng 5 phút" in q.intro.vi
    assert "anonymous" in q.intro.en and "5 minutes" in q.intro.en


def test_comment_question_uses_the_form_limit():
    question = questions(real())[-1]
    assert isinstance(question, CommentQuestion) and question.max_length == 1000
