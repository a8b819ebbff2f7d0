"""Indices and intervals on a dataset small enough to compute by hand."""

import math

import pytest

from satisfaction.scoring.indices import compute, mean_of, wilson
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.tally import tally_of

TOP_TWO = {"1": 0.0, "2": 0.0, "3": 0.0, "4": 100.0, "5": 100.0, "na": None}
SCHEME = Scheme(
    rule="top-two",
    elements=(("a", ("a1", "a2")), ("b", ("b1",))),
    expectations=("x",),
    item_scores=TOP_TWO,
    expectation_scores={"1": 0.0, "2": 100.0, "3": 100.0},
)
RESPONSES = [
    {"a1": 5, "a2": 4, "b1": "na", "x": 3},
    {"a1": 3, "a2": None, "b1": 4, "x": 1},
    {"a1": 4, "a2": 2, "b1": 1, "x": 2},
    {"a1": 1, "a2": 5, "b1": 5},
]


def test_the_indices_are_shares_then_means_of_means():
    scores = compute(SCHEME, tally_of(SCHEME, RESPONSES))
    assert scores.n == 4
    # a1: 5 and 4 of 5, 3, 4, 1 -> 2 of 4; a2: 4 and 5 of 4, 2, 5 -> 2 of 3 (one blank).
    assert scores.items["a1"].value == pytest.approx(50.0)
    assert scores.items["a1"].n == 4
    assert scores.items["a2"].value == pytest.approx(200 / 3)
    assert scores.items["a2"].n == 3
    # b1: "not applicable" leaves the denominator: 4, 1, 5 -> 2 of 3.
    assert scores.items["b1"].value == pytest.approx(200 / 3)
    assert scores.items["b1"].n == 3
    assert scores.elements["a"].value == pytest.approx((50 + 200 / 3) / 2)
    assert scores.elements["b"].value == pytest.approx(200 / 3)
    assert scores.index.value == pytest.approx(((50 + 200 / 3) / 2 + 200 / 3) / 2)  # 62.5
    # Expectations: "much" (2) or "very much" (3) among those who answered: 3, 1, 2 -> 2 of 3.
    assert scores.expectations["x"].value == pytest.approx(200 / 3)
    assert scores.expectations["x"].n == 3


def test_an_item_has_a_wilson_interval():
    scores = compute(SCHEME, tally_of(SCHEME, RESPONSES))
    # Wilson for 2 of 4: centre 0.5, half-width 1.96/(1+1.96²/4) * sqrt(1/16 + 1.96²/64).
    assert scores.items["a1"].low == pytest.approx(15.004, abs=1e-3)
    assert scores.items["a1"].high == pytest.approx(84.996, abs=1e-3)
    low, high = wilson(0, 10)
    assert low == 0.0
    assert high == pytest.approx(27.753, abs=1e-3)


def test_element_and_index_intervals_follow_the_linearised_variance():
    scores = compute(SCHEME, tally_of(SCHEME, RESPONSES))
    # Respondent scores on a: 1, 0, .5, .5 (mean .5); on b: -, 1, 0, 1 (mean 2/3).
    # a: sum of squared residuals .5, over 4² respondents, times n/(n-1) = 4/3.
    se_a = math.sqrt(0.5 / 16 * 4 / 3) * 100
    assert scores.elements["a"].se == pytest.approx(se_a)
    # Student's t with 3 degrees of freedom (4 respondents) is 3.182: the interval is clipped.
    assert (scores.elements["a"].low, scores.elements["a"].high) == (0.0, 100.0)
    # Index = (a + b) / 2: residual sums aa .5, bb 2/3, ab -1/6 (respondents 2 to 4).
    variance = 0.25 * (0.5 / 16 + (2 / 3) / 9 + 2 * (-1 / 6) / 12) * 4 / 3
    assert scores.index.se == pytest.approx(math.sqrt(variance) * 100)
    se = math.sqrt(variance) * 100
    assert scores.index.low == pytest.approx(62.5 - 3.182 * se)
    assert scores.index.high == 100.0  # 62.5 + 51.2, clipped


def test_nothing_answered_gives_no_figure():
    scores = compute(SCHEME, tally_of(SCHEME, [{"b1": "na"}]))
    assert scores.index.value is None
    assert scores.items["b1"].n == 0
    assert scores.elements["a"].value is None


def test_the_mean_of_units_weighs_each_unit_the_same():
    big = compute(SCHEME, tally_of(SCHEME, RESPONSES * 10)).index
    small = compute(SCHEME, tally_of(SCHEME, [{"a1": 5, "b1": 5}, {"a1": 4, "b1": 1}])).index
    both = mean_of([big, small])
    assert both.value == pytest.approx((big.value + small.value) / 2)
    assert both.se == pytest.approx(math.sqrt(big.se**2 + small.se**2) / 2)
    assert both.n == big.n + small.n


def test_the_mean_rule_scores_the_scale_from_0_to_100():
    mean_scores = {"1": 0.0, "2": 25.0, "3": 50.0, "4": 75.0, "5": 100.0, "na": None}
    scheme = Scheme("mean", (("a", ("a1",)),), (), mean_scores, {})
    scores = compute(scheme, tally_of(scheme, [{"a1": 5}, {"a1": 3}, {"a1": 2}, {"a1": "na"}]))
    assert scores.items["a1"].value == pytest.approx(175 / 3)
    assert scores.items["a1"].n == 3
    assert scores.index.value == pytest.approx(175 / 3)
