"""Simulate many samples from a known population: 95% intervals must cover the truth ~95%."""

import random
from pathlib import Path

from satisfaction.questionnaires.loader import load_file
from satisfaction.scoring.indices import compute
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.tally import tally_of

FORM = Path(__file__).resolve().parents[2] / "forms" / "sipas-services.v1.toml"
SAMPLES = 1000
SIZE = 150
HAPPY = 0.7  # share of respondents of the satisfied kind
NO_FEEDBACK = 0.6  # share who never complained: "not applicable" on every feedback item
BLANK = 0.03  # chance that any one item is left empty


def population(scheme: Scheme, rng: random.Random) -> dict[str, tuple[float, float]]:
    """Return each item's chance of a 4-5 for a satisfied and for a dissatisfied respondent."""
    return {key: (rng.uniform(0.8, 0.97), rng.uniform(0.2, 0.6)) for key in scheme.item_keys}


def truth(scheme: Scheme, chances: dict[str, tuple[float, float]]) -> tuple[float, dict]:
    """Return the population's index and element indices, in percent."""
    item = {k: 100 * (HAPPY * h + (1 - HAPPY) * u) for k, (h, u) in chances.items()}
    elements = {e: sum(item[k] for k in keys) / len(keys) for e, keys in scheme.elements}
    return sum(elements.values()) / len(elements), elements


def respondent(scheme: Scheme, chances, rng: random.Random) -> dict[str, object]:
    """Draw one respondent's answers: items are correlated through the respondent's kind."""
    happy = rng.random() < HAPPY
    complained = rng.random() >= NO_FEEDBACK
    answers: dict[str, object] = {}
    for element, keys in scheme.elements:
        for key in keys:
            if rng.random() < BLANK:
                continue
            if element == "feedback" and not complained:
                answers[key] = "na"
                continue
            positive = rng.random() < chances[key][0 if happy else 1]
            answers[key] = rng.choice((4, 5)) if positive else rng.choice((1, 2, 3))
    return answers


def test_intervals_cover_the_true_index_about_95_percent_of_the_time():
    scheme = Scheme.of(load_file(FORM))
    rng = random.Random(20261123)
    chances = population(scheme, rng)
    true_index, true_elements = truth(scheme, chances)
    happy, unhappy = chances["staff.courtesy"]
    true_item = 100 * (HAPPY * happy + (1 - HAPPY) * unhappy)
    hits = {"index": 0, "staff": 0, "feedback": 0, "item": 0}
    for _ in range(SAMPLES):
        sample = [respondent(scheme, chances, rng) for _ in range(SIZE)]
        scores = compute(scheme, tally_of(scheme, sample))
        hits["index"] += scores.index.low <= true_index <= scores.index.high
        for element in ("staff", "feedback"):
            got = scores.elements[element]
            hits[element] += got.low <= true_elements[element] <= got.high
        item = scores.items["staff.courtesy"]
        hits["item"] += item.low <= true_item <= item.high
    coverage = {name: count / SAMPLES for name, count in hits.items()}
    print("coverage of 95% intervals:", coverage)
    for name, share in coverage.items():
        assert 0.93 <= share <= 0.97, (name, coverage)
