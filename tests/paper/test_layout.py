"""The layout of the printed form: the JSON contract, a snapshot, and the rules of paper design."""

import dataclasses
import itertools
import json
import os
from pathlib import Path

import pytest

from satisfaction.paper import assets
from satisfaction.paper.flow import column_centre
from satisfaction.paper.geometry import Rect
from satisfaction.paper.layout import layout_for
from satisfaction.questionnaires.types import NA

SNAPSHOT = Path(__file__).resolve().parents[1] / "data" / "layout-sipas-services-v1.json"
A4 = (210, 297)
MARGIN = 10
BOX_GAP = 2  # no text closer to a box
MIN_FONT = 11  # question text and every paragraph an older reader must read
TOLERANCE = 1e-6


def test_layout_json_follows_the_contract(layout, questionnaire):
    data = layout.to_json()
    assert list(data)[:5] == ["questionnaire", "version", "fingerprint", "page_size_mm", "pages"]
    assert (data["questionnaire"], data["version"]) == ("sipas-services", 1)
    assert data["page_size_mm"] == [210, 297]
    assert [page["page"] for page in data["pages"]] == [1, 2]
    for page in data["pages"]:
        assert set(page) == {"page", "markers", "qr", "boxes"}
        assert len(page["markers"]) == 5
        assert all(set(m) == {"x", "y", "w", "h"} for m in page["markers"] + [page["qr"]])
        assert all(set(b) == {"item", "value", "x", "y", "w", "h"} for b in page["boxes"])
    assert data["marking_rule"]["filled_box"] == "answer"
    assert data["marking_rule"]["several_marks"] == "review"
    assert data["comment_box"]["page"] == 2
    json.dumps(data, allow_nan=False)  # plain JSON


def test_layout_json_matches_the_snapshot(layout):
    """Regenerate on purpose: UPDATE_SNAPSHOTS=1 pytest tests/paper/test_layout.py"""
    text = json.dumps(layout.to_json(), indent=1, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(text, encoding="utf-8")
    if not SNAPSHOT.exists():
        pytest.fail(f"no snapshot {SNAPSHOT.name}: write it with UPDATE_SNAPSHOTS=1")
    assert SNAPSHOT.read_text(encoding="utf-8") == text, "the layout moved: see the docstring"


def test_every_answer_has_exactly_one_box(layout, questionnaire):
    boxes = [(box.item, box.value) for page in layout.pages for box in page.boxes]
    assert len(boxes) == len(set(boxes))
    expected = []
    for item in questionnaire.items:
        values = [1, 2, 3, 4, 5] + ([NA] if item.allow_na else [])
        expected += [(item.key, value) for value in values]
    expected += [(key, value) for key in questionnaire.expectation_keys for value in (1, 2, 3)]
    assert sorted(boxes, key=str) == sorted(expected, key=str)
    assert sum(value == NA for _, value in boxes) == 3


def test_a_question_stays_on_one_page_and_one_row(layout, questionnaire):
    for key in questionnaire.item_keys + questionnaire.expectation_keys:
        placed = layout.boxes_of(key)
        assert len({page for page, _ in placed}) == 1
        assert len({round(box.rect.y, 6) for _, box in placed}) == 1


def test_boxes_are_five_millimetres_with_a_thin_outline(any_layout):
    layout = any_layout
    for page in layout.pages:
        for box in page.boxes:
            assert 4.5 <= box.rect.w <= 5.5 and box.rect.w == box.rect.h
    assert 0.75 <= assets.settings()["grid"]["outline_pt"] <= 1


def test_boxes_are_far_enough_apart(any_layout):
    layout = any_layout
    for page in layout.pages:
        rows: dict[str, list[Rect]] = {}
        for box in page.boxes:
            rows.setdefault(box.item, []).append(box.rect)
        for rects in rows.values():
            xs = sorted(rect.x + rect.w / 2 for rect in rects)
            assert min(b - a for a, b in itertools.pairwise(xs)) >= 9 - TOLERANCE
        ys = sorted(rects[0].y + rects[0].h / 2 for rects in rows.values())
        assert all(b - a >= 8 - TOLERANCE for a, b in itertools.pairwise(ys))
        for a, b in itertools.combinations(page.boxes, 2):
            assert not a.rect.grown(1).overlaps(b.rect)


def _inside_margins(rect: Rect) -> bool:
    return (
        rect.x >= MARGIN - TOLERANCE
        and rect.y >= MARGIN - TOLERANCE
        and rect.right <= A4[0] - MARGIN + TOLERANCE
        and rect.bottom <= A4[1] - MARGIN + TOLERANCE
    )


def test_everything_is_ten_millimetres_from_the_edges(any_layout):
    layout = any_layout
    for page in layout.pages:
        rects = [*page.markers, page.qr, *(box.rect for box in page.boxes)]
        rects += [text.area() for text in page.texts] + [slot.area() for slot in page.slots]
        rects += [shape.rect for shape in page.shapes]
        assert all(_inside_margins(rect) for rect in rects)


def test_no_text_within_two_millimetres_of_a_box(any_layout):
    layout = any_layout
    for page in layout.pages:
        areas = [text.area() for text in page.texts] + [slot.area() for slot in page.slots]
        for box in page.boxes:
            near = box.rect.grown(BOX_GAP)
            assert not [area for area in areas if area.overlaps(near)], box


def test_nothing_is_printed_on_the_qr_square_or_the_markers(any_layout):
    layout = any_layout
    for page in layout.pages:
        areas = [text.area() for text in page.texts] + [slot.area() for slot in page.slots]
        areas += [box.rect for box in page.boxes] + [shape.rect for shape in page.shapes]
        for rect in [page.qr, *page.markers]:  # the QR square holds its quiet zone already
            assert not [area for area in areas if area.overlaps(rect.grown(1.5))], rect
        assert all(not page.qr.overlaps(marker.grown(6)) for marker in page.markers)


def test_qr_square_and_markers_are_the_same_on_every_page(any_layout):
    layout = any_layout
    first = layout.pages[0]
    assert first.qr.w == first.qr.h >= 18
    for page in layout.pages:
        assert (page.qr, page.markers) == (first.qr, first.markers)
    assert all(marker.w == marker.h == 6 for marker in first.markers)


def test_the_fifth_marker_makes_the_page_asymmetric(layout):
    centres = {(m.x + m.w / 2, m.y + m.h / 2) for m in layout.pages[0].markers}
    width, height = A4
    turned = {(width - x, height - y) for x, y in centres}
    mirrored = {(width - x, y) for x, y in centres}
    flipped = {(x, height - y) for x, y in centres}
    assert centres not in (turned, mirrored, flipped)


def test_every_numbered_box_has_its_number_on_its_left(any_layout):
    """A digit at 10 pt or more just left of each box, nearer its own box than any other."""
    grid, size = assets.settings()["grid"], assets.settings()["type"]["digit"]
    centres = {round(column_centre(i), 6) for i in range(grid["columns"])}
    for page in any_layout.pages:
        digits = {(t.lines[0], round(t.x, 6)) for t in page.texts if t.size == size}
        assert size >= 10
        for box in page.boxes:
            assert round(box.rect.x + box.rect.w / 2, 6) in centres
            if isinstance(box.value, int):
                assert (str(box.value), round(box.rect.x - grid["digit_gap"], 6)) in digits, box
        assert grid["digit_gap"] * 1.5 < grid["pitch"] - grid["box"] - grid["digit_gap"] - 2


def test_both_scales_run_from_lowest_to_highest_left_to_right(any_layout):
    for page in any_layout.pages:
        rows: dict[str, list] = {}
        for box in page.boxes:
            if isinstance(box.value, int):
                rows.setdefault(box.item, []).append((box.rect.x, box.value))
        for placed in rows.values():
            values = [value for _, value in sorted(placed)]
            assert values == sorted(values) and values[0] == 1, placed


def test_each_page_explains_its_numbers_without_cutting_a_meaning(layout, questionnaire):
    """Every page using a scale prints "n = words" for each of its values, whole, at 9 pt+."""
    legend = assets.settings()["type"]["legend"]
    assert legend >= 9
    for page in layout.pages:
        texts = {t.lines for t in page.texts if t.size == legend}
        values = {box.item: set() for box in page.boxes}
        for box in page.boxes:
            values[box.item].add(box.value)
        scales = [questionnaire.satisfaction_scale, questionnaire.expectation_scale]
        for scale in scales:
            keys = set(questionnaire.item_keys if scale is scales[0] else
                       questionnaire.expectation_keys)  # fmt: skip
            if keys & set(values):
                for choice in scale.choices:
                    assert (f"{choice.value} = {choice.label.vi}",) in texts


def test_questions_are_printed_large_enough(layout, questionnaire):
    statements = {item.text.vi for item in questionnaire.items}
    assert sum(" ".join(t.lines) in statements for p in layout.pages for t in p.texts) == 20
    for page in layout.pages:
        for text in page.texts:
            if " ".join(text.lines) in statements:
                assert text.size >= MIN_FONT
        assert all(slot.size >= MIN_FONT for slot in page.slots)


def test_the_form_takes_two_pages_with_a_ruled_comment_box(layout):
    assert len(layout.pages) == 2
    page, box = layout.comment_box
    assert page == 2 and box.h >= assets.settings()["comment"]["min_height"] >= 45
    assert not [b for b in layout.pages[1].boxes if b.rect.overlaps(box)]


def test_the_fingerprint_covers_the_geometry_and_is_printed_on_every_page(layout):
    assert layout.fingerprint == layout.compute_fingerprint() and len(layout.fingerprint) == 8
    for page in layout.pages:
        assert any(layout.fingerprint in line for text in page.texts for line in text.lines)
    first = layout.pages[0]
    box = first.boxes[0]
    moved = dataclasses.replace(box, rect=dataclasses.replace(box.rect, x=box.rect.x + 0.5))
    shifted = dataclasses.replace(first, boxes=(moved, *first.boxes[1:]))
    other = dataclasses.replace(layout, pages=(shifted, *layout.pages[1:]))
    assert other.compute_fingerprint() != layout.fingerprint


def test_the_layout_is_a_pure_function(questionnaire, layout):
    assert layout_for(questionnaire).to_json() == layout.to_json()


def test_an_english_layout_uses_the_english_texts(questionnaire):
    english = layout_for(questionnaire, "en")
    lines = [line for page in english.pages for text in page.texts for line in text.lines]
    assert "Very satisfied" in " ".join(lines)
    assert {box.item for page in english.pages for box in page.boxes} >= set(
        questionnaire.item_keys
    )


@pytest.mark.parametrize("key", ["how_online", "how_paper", "marking_rule", "anonymity"])
def test_fixed_wording_exists_in_both_languages(key):
    text = assets.wording()[key]
    assert text.vi and text.en and text.vi != text.en


def test_a_long_form_runs_over_pages_with_headings_on_each(any_layout):
    count = len(any_layout.pages)
    for page in any_layout.pages:
        lines = [line for text in page.texts for line in text.lines]
        assert f"Trang {page.number}/{count}" in lines
        assert page.boxes or page.number == count
    assert any_layout.comment_box[0] == count
