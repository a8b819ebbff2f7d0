"""The synthetic-scan suite: real forms, known marks, spoiled like scans; count every error."""

import random
from dataclasses import dataclass, field

import numpy as np
import pytest

from satisfaction.omr.read import Status, read_page
from tests.omr.people import run_forms
from tests.omr.synth import (
    COMMON,
    ODD,
    Degradation,
    degrade,
    faint_print,
    form_spec,
    make_codes,
    mark_page,
    rasterise,
    render_forms,
)


@dataclass
class Tally:
    """Counts over a run: pages, wrong codes, questions, auto-accepted errors, review."""

    pages: int = 0
    read: int = 0
    wrong_code: int = 0
    wrong_page: int = 0
    questions: int = 0
    auto: int = 0
    auto_errors: int = 0
    review: int = 0
    comments_seen: int = 0  # no comment is written: a comment seen is dust or print
    errors: list[str] = field(default_factory=list)

    def add(self, truth, reading) -> None:
        """Compare one page's reading with what was painted on it."""
        self.pages += 1
        if reading.code is not None and reading.code != truth.code:
            self.wrong_code += 1
        if reading.status is not Status.READ:
            return
        self.read += 1
        self.comments_seen += int(reading.has_comment)
        if reading.page != truth.page:
            self.wrong_page += 1
            return
        for decision in reading.decisions:
            self.questions += 1
            if not decision.sure:
                self.review += 1
                continue
            self.auto += 1
            if decision.value != truth.answers[decision.item]:
                self.auto_errors += 1
                self.errors.append(f"{decision.item}: {truth.kinds[decision.item]}")


def run(count: int, dpi: int, kinds: tuple[str, ...], spoil, seed: int) -> Tally:
    """Render, mark, spoil and read count forms; return the tally."""
    rng, noise = random.Random(seed), np.random.default_rng(seed)
    codes = make_codes(count)
    pages = rasterise(render_forms(codes), dpi)
    per_form = len(form_spec().pages)
    spec = form_spec()
    tally = Tally()
    for index, image in enumerate(pages):
        code, number = codes[index // per_form], index % per_form + 1
        how = spoil(rng)
        # A faint pencil stroke does not survive a bitonal scanner's threshold.
        painted = tuple(k for k in kinds if k != "faint") if how.bitonal else kinds
        if how.toner != 1.0:
            image = faint_print(image, how.toner)
        truth = mark_page(image, code, number, dpi, rng, painted)
        pixels = degrade(image, how, noise)
        tally.add(truth, read_page(pixels, lambda _code: spec))
    return tally


def moderate(rng: random.Random) -> Degradation:
    """Return what a decent office scanner does to a page."""
    return Degradation(
        rotation=rng.uniform(-2, 2),
        scale=rng.uniform(0.97, 1.01),
        blur=rng.uniform(0, 0.8),
        noise=rng.uniform(0, 6),
        jpeg=rng.choice([None, 60, 75, 85]),
        perspective=rng.uniform(-0.002, 0.002),
    )


def harsh(rng: random.Random) -> Degradation:
    """Return the worst the suite accepts: 5 degrees or upside down, 94-102%, JPEG 25, bitonal,
    perspective, dust, faint toner, a cropped margin."""
    bitonal = rng.random() < 0.25
    return Degradation(
        rotation=rng.uniform(-5, 5) + (180 if rng.random() < 0.3 else 0),
        scale=rng.uniform(0.94, 1.02),
        blur=rng.uniform(0, 0.6 if bitonal else 1.2),
        noise=rng.uniform(0, 10),
        jpeg=None if bitonal else rng.choice([25, 40, 50, 75]),
        bitonal=bitonal,
        perspective=rng.uniform(-0.004, 0.004),
        speckle=rng.choice([0, 0, 0.002]),
        toner=rng.choice([1.0, 1.0, 0.7]),
        crop_mm=rng.choice([0, 0, 4]),
    )


def test_moderate_scans_are_read_with_little_review():
    """At moderate degradation: every page read, no error, at most 5% of questions reviewed."""
    tally = run(10, 200, COMMON + ("fill", "circle", "scribble"), moderate, seed=6)
    assert tally.wrong_code == 0 and tally.wrong_page == 0
    assert tally.read == tally.pages
    assert tally.auto_errors <= tally.auto * 0.001, tally.errors
    assert tally.review <= tally.questions * 0.05, (tally.review, tally.questions)
    assert tally.comments_seen == 0


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_harsh_scans_never_misread(dpi):
    """Upside down, skewed, shrunk, JPEG 25 or bitonal, odd marks: doubt goes to a person."""
    tally = run(4, dpi, COMMON + ODD, harsh, seed=dpi)
    assert tally.wrong_code == 0 and tally.wrong_page == 0
    assert tally.read >= tally.pages - 1  # a page may go to a queue, never be misread
    assert tally.auto_errors <= tally.auto * 0.001, tally.errors
    assert tally.questions > 0
    assert tally.comments_seen == 0


def test_forms_marked_as_people_mark_are_read_automatically():
    """Ticks, crosses, fills (1 in 7), circles and scribbles at 150-300 dpi: 95% of forms
    read with no doubt, and no wrong box among them; corrections go to a person."""
    tally = run_forms(40, seed=18)
    assert tally.kinds.get("fill", 0) > 0 and tally.kinds.get("circle", 0) > 0
    assert tally.auto_share >= 0.95, (tally.auto, tally.forms)
    assert tally.wrong == 0, tally.errors
    assert tally.comments_seen == tally.comments > 0 and tally.comments_false == 0
