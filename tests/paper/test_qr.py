"""The fast QR encoder gives exactly the symbol the qrcode package gives, at a fixed version."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satisfaction.paper import codes
from satisfaction.paper.qr import QrStamp, reference_modules, stamp_for, survey_url
from satisfaction.paper.render import qr_stamp

BASE = "https://khaosat.dichvucong.example.vn"
STAMP = stamp_for(BASE, codes.LENGTH)
data_characters = st.text(alphabet=codes.ALPHABET, min_size=12, max_size=12)


@settings(max_examples=60, deadline=None)
@given(data_characters)
def test_symbols_equal_the_reference_encoder(data):
    code = data + codes.check_character(data)
    expected = reference_modules(
        survey_url(BASE, code).encode(), STAMP.version, STAMP.level, STAMP.mask
    )
    assert STAMP.modules(code) == expected


def test_version_is_the_smallest_that_holds_the_url():
    assert STAMP.version == 4 and STAMP.size == 33  # 49 bytes at level M
    short = QrStamp("https://a.vn/s/", codes.LENGTH)
    assert short.version < STAMP.version


def test_image_rows_are_padded_bytes():
    image = STAMP.image_bytes(codes.new_code())
    assert len(image) == STAMP.size * STAMP.row_bytes
    assert all(byte & 0x7F == 0 for byte in image[STAMP.row_bytes - 1 :: STAMP.row_bytes])


def test_runs_paint_the_same_modules_as_the_image():
    code = codes.new_code()
    step = 1.0
    painted = [[False] * STAMP.size for _ in range(STAMP.size)]
    operators = STAMP.runs_operators(code, 0, 0, STAMP.size * step)
    for x, y, w, _h in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re", operators):
        row = STAMP.size - 1 - round(float(y))
        for column in range(round(float(x)), round(float(x) + float(w))):
            painted[row][column] = True
    assert painted == STAMP.modules(code)


def test_image_operators_are_an_inline_stencil():
    operators = STAMP.image_operators(codes.new_code(), 10, 20, 60)
    assert operators.startswith("q 0 g 60.000 0 0 60.000 10.000 20.000 cm BI /IM true")
    assert operators.endswith("> EI Q")


def test_stamps_are_cached_per_base_url():
    assert stamp_for(BASE, codes.LENGTH) is STAMP
    assert survey_url(BASE + "/", "ABC") == f"{BASE}/s/ABC"


@pytest.mark.parametrize(("length", "version"), [(46, 4), (47, 5), (68, 5)])
def test_base_urls_up_to_68_characters_print_with_big_enough_modules(length, version):
    base = "https://" + "k" * (length - 8)  # 46 fills version 4 to the last byte
    stamp = qr_stamp(base)
    assert stamp.version == version
    for code in (codes.new_code() for _ in range(5)):
        data = survey_url(base, code).encode()
        assert stamp.modules(code) == reference_modules(data, version, "M", stamp.mask)


def test_a_longer_base_url_is_refused():
    with pytest.raises(ValueError, match="too long"):
        qr_stamp("https://" + "k" * 61)
