"""The printed form read as an older citizen would: font sizes taken from the PDF itself."""

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from satisfaction.paper import assets
from satisfaction.paper.codes import group

BODY = 11  # every paragraph and question, and the code under the QR
LEGEND = 9  # what each number means, the words over "not applicable"
SMALLEST = 8  # the form's key and fingerprint in the footer


def _sized_text(page: pdfium.PdfPage) -> tuple[str, list[float]]:
    """Return the page's characters (blanks left out) and the font size of each."""
    textpage = page.get_textpage()
    chars, sizes = [], []
    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
        if char.isspace() or char == "\x00":
            continue
        chars.append(char)
        sizes.append(pdfium_c.FPDFText_GetFontSize(textpage.raw, index))
    textpage.close()
    return "".join(chars), sizes


@pytest.fixture(scope="module")
def pages(rendered) -> list[tuple[str, list[float]]]:
    """Return the first copy's two pages as sized text."""
    document = pdfium.PdfDocument(rendered.data)
    found = [_sized_text(document[index]) for index in range(2)]
    document.close()
    return found


def _size_of(pages, phrase: str) -> float:
    """Return the smallest font size of a phrase wherever it is printed (it must be)."""
    needle = "".join(phrase.split())
    sizes = []
    for text, page_sizes in pages:
        start = text.find(needle)
        while start >= 0:
            sizes += page_sizes[start : start + len(needle)]
            start = text.find(needle, start + 1)
    assert sizes, f"not printed: {phrase}"
    return min(sizes)


def test_questions_and_paragraphs_are_at_least_11_pt(pages, questionnaire):
    phrases = [item.text.vi for item in questionnaire.items]
    phrases += [e.text.vi for e in questionnaire.expectations]
    phrases += [questionnaire.intro.vi, questionnaire.comment.prompt.vi]
    phrases += [assets.text(key) for key in ("how_online", "how_paper", "marking_rule", "thanks")]
    phrases += [assets.text("anonymity")]
    for phrase in phrases:
        assert _size_of(pages, phrase) >= BODY, phrase


def test_the_code_under_the_qr_is_at_least_11_pt(pages, copies):
    assert _size_of(pages, group(copies[0].code)) >= BODY


def test_every_meaning_and_number_is_printed_at_9_pt_or_more(pages, questionnaire):
    scales = [questionnaire.satisfaction_scale, questionnaire.expectation_scale]
    for choice in [c for scale in scales for c in scale.choices]:
        assert _size_of(pages, f"{choice.value} = {choice.label.vi}") >= LEGEND
    assert _size_of(pages, questionnaire.satisfaction_scale.not_applicable.vi) >= LEGEND


def test_nothing_is_printed_smaller_than_8_pt(pages):
    for _, sizes in pages:
        assert min(sizes) >= SMALLEST
