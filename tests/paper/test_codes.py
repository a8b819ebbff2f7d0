"""Form codes: randomness, grouping, forgiving typing and the check character."""

import itertools

import pytest

from satisfaction.paper import codes


def test_new_codes_are_well_formed_and_distinct():
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    for code in itertools.islice(made, 50):
        assert len(code) == 13 and set(code) <= set(codes.ALPHABET)
        assert codes.normalize(code) == code


def test_grouping_and_forgiving_typing():
    code = codes.new_code()
    grouped = codes.group(code)
    assert [len(p) for p in grouped.split("-")] == [4, 4, 4, 1]
    assert codes.normalize(grouped) == code
    assert codes.normalize(" " + grouped.lower().replace("-", " ") + " ") == code


def test_confusable_letters_fold_to_digits():
    data = "0011AB2C3D41"
    code = data + codes.check_character(data)
    typed = "Oo1i-ab2c-3d4L-" + code[-1]
    assert codes.normalize(typed) == code


def test_every_single_wrong_character_is_caught():
    code = codes.new_code()
    for position in range(codes.LENGTH):
        for char in codes.ALPHABET:
            if char == code[position]:
                continue
            typo = code[:position] + char + code[position + 1 :]
            with pytest.raises(codes.CodeError) as caught:
                codes.normalize(typo)
            assert caught.value.reason == "check"


def test_every_swap_of_neighbours_is_caught():
    for _ in range(200):
        code = codes.new_code()
        for i in range(codes.LENGTH - 1):
            if code[i] == code[i + 1]:
                continue
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            with pytest.raises(codes.CodeError):
                codes.normalize(swapped)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "short"),
        ("7KQ2-M9XD-4TPA", "short"),
        ("7KQ2-M9XD-4TPA-ZZ", "long"),
        ("7KQ2-M9XD-4TPA-U", "character"),
        ("7KQ2-M9XD-4T#A-Z", "character"),
    ],
)
def test_malformed_codes(typed, reason):
    with pytest.raises(codes.CodeError) as caught:
        codes.normalize(typed)
    assert caught.value.reason == reason


def test_a_malformed_code_says_what_and_where():
    with pytest.raises(codes.CodeError) as caught:
        codes.normalize("7kq2 m9xd")
    assert (caught.value.reason, caught.value.typed) == ("short", 8)
    with pytest.raises(codes.CodeError) as caught:
        codes.normalize("7KQ2-M9XD-4tpa-u")
    assert caught.value.character == "u"  # as typed
    with pytest.raises(codes.CodeError) as caught:
        codes.normalize("7KQ2\u200bM9XD-4TPA-Z")
    assert caught.value.character == "U+200B"  # would not show
