"""A questionnaire round-trips through plain data, and texts fall back to Vietnamese."""

import json

import pytest
from babel import Locale

from satisfaction.questionnaires.definition import LocalText, Questionnaire
from tests.questionnaires.helpers import mini, real


@pytest.mark.parametrize("load", [mini, real])
def test_to_dict_round_trips_through_json(load):
    q = load()
    data = json.loads(json.dumps(q.to_dict(), ensure_ascii=False))
    assert Questionnaire.from_dict(data) == q
    assert Questionnaire.from_dict(data).content_hash() == q.content_hash()


def test_to_dict_has_the_contract_structure():
    data = real().to_dict()
    assert {"key", "version", "elements", "expectations"} <= data.keys()
    assert {"title", "intro", "scales", "scoring", "comment"} <= data.keys()
    assert data["elements"][0]["items"][0]["key"] == "access.info"
    assert data["elements"][0]["items"][0]["text"]["vi"]
    assert all({"key", "title", "items"} <= element.keys() for element in data["elements"])
    assert all({"key", "text"} <= expectation.keys() for expectation in data["expectations"])
    assert set(data["scales"]) == {"satisfaction", "expectation"}


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (None, "Xin chào"),
        ("vi", "Xin chào"),
        ("en", "Hello"),
        ("en_GB", "Hello"),
        ("en-US", "Hello"),
        (Locale("en"), "Hello"),
        (Locale("vi"), "Xin chào"),
        ("fr", "Xin chào"),
    ],
)
def test_text_falls_back_to_vietnamese(locale, expected):
    assert LocalText(vi="Xin chào", en="Hello").text(locale) == expected


def test_helpers_follow_printed_order():
    q = mini()
    assert q.item_keys == ("staff.courtesy", "staff.answers", "feedback.reply")
    assert q.answer_keys == q.item_keys + ("expect.faster", "comment")
    assert q.element_of("feedback.reply").key == "feedback"
    with pytest.raises(KeyError):
        q.element_of("nothing")
