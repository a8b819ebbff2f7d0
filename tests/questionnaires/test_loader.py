"""Questionnaire files are refused with every problem, each naming the file and the field."""

import pytest

from satisfaction.core.errors import InputError
from satisfaction.questionnaires.loader import find_file, load_dir, load_file
from tests.questionnaires.helpers import MINI, edited, mini, write_form

EXPECTATION_SCALE = MINI[MINI.index("[scales.expectation]") : MINI.index("[[elements]]")]

BAD = {
    "missing field": (
        'key = "staff"\ntitle = { vi = "Công chức", en = "Officials" }\n',
        'key = "staff"\n',
        "elements[0].title",
    ),
    "missing version": ("version = 1\n", "", "version"),
    "version not a number": ("version = 1\n", 'version = "1"\n', "version"),
    "duplicate item key": (
        'key = "staff.answers"',
        'key = "staff.courtesy"',
        "elements[0].items[1].key",
    ),
    "expectation key used by an element": (
        'key = "expect.faster"',
        'key = "staff"',
        "expectations[0].key",
    ),
    "reserved key": ('key = "expect.faster"', 'key = "comment"', "expectations[0].key"),
    "bad key": ('key = "staff.courtesy"', 'key = "Staff Courtesy"', "elements[0].items[0].key"),
    "bad questionnaire key": ('key = "mini"', 'key = "Mini"', "key"),
    "missing English": (', en = "Officials were polite."', "", "elements[0].items[0].text.en"),
    "empty English": ('en = "Officials were polite."', 'en = "  "', "elements[0].items[0].text.en"),
    "text not a table": (
        'text = { vi = "Nhanh hơn", en = "Faster" }',
        'text = "Nhanh hơn"',
        "expectations[0].text",
    ),
    "unknown field": ("allow_na = true", "allow_NA = true", "elements[1].items[0].allow_NA"),
    "allow_na not a boolean": (
        "allow_na = true",
        'allow_na = "yes"',
        "elements[1].items[0].allow_na",
    ),
    "unknown rule": ('rule = "top-two"', 'rule = "median"', "scoring.rule"),
    "mean counting NA": ('rule = "top-two"', 'rule = "mean"\nexclude = []', "scoring.exclude"),
    "positive off the scale": (
        'rule = "top-two"',
        'rule = "top-two"\npositive = [4, 6]',
        "scoring.positive[1]",
    ),
    "neutral both excluded and positive": (
        'rule = "top-two"\n',
        'rule = "top-two"\npositive = [3, 4, 5]\nexclude = ["na", "neutral"]\n',
        "scoring.positive",
    ),
    "gap in scale": ("{ value = 3, label", "{ value = 7, label", "scales.satisfaction.choices"),
    "repeated scale value": (
        "{ value = 2, label",
        "{ value = 1, label",
        "scales.satisfaction.choices[1]",
    ),
    "scale value not a number": (
        "{ value = 4, label",
        '{ value = "4", label',
        "scales.satisfaction.choices[3].value",
    ),
    "neutral off the scale": ("neutral = 3", "neutral = 9", "scales.satisfaction.neutral"),
    "missing NA label": (
        'not_applicable = { vi = "Không áp dụng", en = "Not applicable" }\n',
        "",
        "scales.satisfaction.not_applicable",
    ),
    "missing expectation scale": (EXPECTATION_SCALE, "", "scales.expectation"),
    "max_length zero": ("max_length = 20", "max_length = 0", "comment.max_length"),
    "syntax error": ("version = 1", "version = = 1", "line 3"),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_bad_definition_refused_naming_file_and_field(tmp_path, case):
    old, new, field = case
    path = write_form(tmp_path / "forms", edited(old, new))
    with pytest.raises(InputError) as caught:
        load_file(path)
    wheres = [p.where for p in caught.value.problems]
    assert f"forms/mini.v1.toml: {field}" in wheres, caught.value.problems


@pytest.mark.parametrize(
    ("name", "field"), [("mini.v2.toml", "version"), ("other.v1.toml", "key"), ("mini.toml", "key")]
)
def test_file_name_must_match_key_and_version(tmp_path, name, field):
    path = write_form(tmp_path / "forms", MINI, name)
    with pytest.raises(InputError) as caught:
        load_file(path)
    assert [p.where for p in caught.value.problems] == [f"forms/{name}: {field}"]
    assert "mini.v1.toml" in caught.value.problems[0].message


def test_excluding_neutral_needs_a_neutral_value(tmp_path):
    text = edited('rule = "top-two"\n', 'rule = "top-two"\nexclude = ["na", "neutral"]\n')
    path = write_form(tmp_path / "forms", edited("neutral = 3\n", "", text))
    with pytest.raises(InputError) as caught:
        load_file(path)
    assert [p.where for p in caught.value.problems] == ["forms/mini.v1.toml: scoring.exclude"]


def test_every_problem_is_reported_at_once(tmp_path):
    text = edited('rule = "top-two"', 'rule = "median"')
    text = edited(', en = "Officials were polite."', "", text)
    text = edited('key = "staff.answers"', 'key = "staff.courtesy"', text)
    path = write_form(tmp_path / "forms", text)
    with pytest.raises(InputError) as caught:
        load_file(path)
    fields = {p.where.split(": ", 1)[1] for p in caught.value.problems}
    assert {"scoring.rule", "elements[0].items[0].text.en", "elements[0].items[1].key"} <= fields


def test_no_elements_refused(tmp_path):
    text = edited(
        "version = 1\n", "version = 1\nelements = []\n", MINI[: MINI.index("[[elements]]")]
    )
    text = edited(EXPECTATION_SCALE, "", text)
    with pytest.raises(InputError) as caught:
        load_file(write_form(tmp_path / "forms", text))
    assert [p.where for p in caught.value.problems] == ["forms/mini.v1.toml: elements"]


def test_bom_crlf_and_decomposed_text_load_as_the_same_questionnaire(tmp_path):
    import unicodedata

    text = unicodedata.normalize("NFD", MINI).replace("\n", "\r\n")
    path = tmp_path / "forms" / "mini.v1.toml"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    loaded = load_file(path)
    assert loaded == mini()
    assert loaded.content_hash() == mini().content_hash()


def test_not_utf8_refused(tmp_path):
    path = tmp_path / "forms" / "mini.v1.toml"
    path.parent.mkdir()
    path.write_bytes(MINI.encode("cp1258", errors="replace"))
    with pytest.raises(InputError) as caught:
        load_file(path)
    assert caught.value.problems[0].where == "forms/mini.v1.toml"


def test_comments_and_layout_do_not_change_the_hash(tmp_path):
    text = "# a new comment\n\n" + edited('key = "mini"', 'key    =    "mini"   # same')
    assert load_file(write_form(tmp_path / "forms", text)).content_hash() == mini().content_hash()
    changed = edited("Cán bộ lịch sự.", "Cán bộ rất lịch sự.")
    assert (
        load_file(write_form(tmp_path / "other", changed)).content_hash() != mini().content_hash()
    )


def test_load_dir_reports_problems_of_every_file(tmp_path):
    forms = tmp_path / "forms"
    write_form(forms, edited('rule = "top-two"', 'rule = "x"'))
    write_form(forms, edited('key = "mini"', 'key = "other"').replace("= = ", ""), "other.v1.toml")
    write_form(forms, "version = = 1", "broken.v1.toml")
    (forms / "README.md").write_text("not a form")
    with pytest.raises(InputError) as caught:
        load_dir(forms)
    wheres = [p.where for p in caught.value.problems]
    assert wheres == ["forms/broken.v1.toml: line 1", "forms/mini.v1.toml: scoring.rule"]


def test_load_dir_refuses_missing_or_empty_folder(tmp_path):
    for folder in (tmp_path / "absent", tmp_path):
        with pytest.raises(InputError) as caught:
            load_dir(folder)
        assert caught.value.problems[0].where == folder.name
    assert str(tmp_path.parent) not in str(caught.value)


def test_find_file_picks_the_latest_or_the_asked_version(tmp_path):
    write_form(tmp_path, MINI)
    write_form(tmp_path, edited("version = 1", "version = 2"), "mini.v2.toml")
    write_form(tmp_path, MINI, "minimal.v5.toml")
    assert find_file(tmp_path, "mini").name == "mini.v2.toml"
    assert find_file(tmp_path, "mini", 1).name == "mini.v1.toml"
