"""Whole forms marked the way people mark them, read as the post office reads them."""

import random
from dataclasses import dataclass, field

import numpy as np

from satisfaction.omr.read import read_page
from tests.omr.synth import (
    CORRECTED,
    Degradation,
    degrade,
    form_spec,
    habit_kinds,
    habits,
    handwrite,
    make_codes,
    mark_page,
    rasterise,
    render_forms,
)

DPIS = (150, 200, 300)
COMMENTED = 0.25  # the share of forms with a handwritten comment


@dataclass
class FormTally:
    """Counts over whole forms: read with no doubt, and wrong boxes among those."""

    forms: int = 0
    auto: int = 0
    questions: int = 0
    comments: int = 0  # forms with a handwritten comment
    comments_seen: int = 0  # of those, seen by the reader (a crop for the clerk to type)
    comments_false: int = 0  # comments seen on forms with none written
    auto_questions: int = 0
    wrong: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def auto_share(self) -> float:
        """Return the share of forms read with no question left to a person."""
        return self.auto / max(self.forms, 1)


def scan(rng: random.Random) -> Degradation:
    """Return a page as office scanners leave it: skewed, sometimes upside down, blurred."""
    return Degradation(
        rotation=rng.uniform(-3, 3) + (180 if rng.random() < 0.2 else 0),
        scale=rng.uniform(0.96, 1.01),
        blur=rng.uniform(0, 1.0),
        noise=rng.uniform(0, 8),
        jpeg=rng.choice([None, 50, 75, 85]),
        perspective=rng.uniform(-0.003, 0.003),
    )


def run_forms(count: int, seed: int) -> FormTally:
    """Render count forms, mark each with one person's habits, spoil and read both pages."""
    rng, noise = random.Random(seed), np.random.default_rng(seed)
    spec = form_spec()
    codes = make_codes(count)
    per_form = len(spec.pages)
    dpis = [DPIS[i // per_form % len(DPIS)] for i in range(count * per_form)]
    pages = rasterise(render_forms(codes), dpis)
    items = [item for page in spec.pages for item in page.items()]
    tally, usual = FormTally(), habits(count, rng)
    for start in range(0, len(pages), per_form):
        kinds = habit_kinds(usual[start // per_form], rng)
        corrected = rng.choice(items) if rng.random() < CORRECTED else None
        wrote = rng.random() < COMMENTED
        readings, truths = [], []
        for offset in range(per_form):
            image, dpi = pages[start + offset], dpis[start + offset]
            truth = mark_page(image, codes[start // per_form], offset + 1, dpi, rng, kinds,
                              corrected=corrected)  # fmt: skip
            truths.append(truth)
            if wrote and spec.comment and spec.comment[0] == offset + 1:
                handwrite(image, dpi, rng, words=rng.randint(3, 30))
            readings.append(read_page(degrade(image, scan(rng), noise), lambda _c: spec))
        _count(tally, readings, truths)
        seen = any(reading.has_comment for reading in readings)
        tally.comments += int(wrote)
        tally.comments_seen += int(wrote and seen)
        tally.comments_false += int(seen and not wrote)
    return tally


def _count(tally: FormTally, readings, truths) -> None:
    """Add one form: automatic when every page is read and every question sure."""
    tally.forms += 1
    for truth in truths:
        for kind in truth.kinds.values():
            tally.kinds[kind] = tally.kinds.get(kind, 0) + 1
    tally.questions += sum(len(t.answers) for t in truths)
    if not all(r.sure and r.page == t.page for r, t in zip(readings, truths, strict=True)):
        return
    tally.auto += 1
    for reading, truth in zip(readings, truths, strict=True):
        for decision in reading.decisions:
            tally.auto_questions += 1
            if decision.value != truth.answers[decision.item]:
                tally.wrong += 1
                tally.errors.append(f"{decision.item}: {truth.kinds[decision.item]}")
