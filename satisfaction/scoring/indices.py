"""Item, element and satisfaction indices with 95% intervals (pure; see docs/methodology.md)."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.tally import Moment, Tally, pair

Z95 = 1.959963984540054
T95_SMALL = (math.inf, 12.706, 4.303, 3.182, 2.776)


@dataclass(frozen=True)
class Estimate:
    """A figure in percent with its 95% interval and the number of answers it rests on."""

    n: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    se: float | None = None  # standard error, in percentage points


def estimate(n: int, value: float | None = None, low: float | None = None,
             high: float | None = None, se: float | None = None) -> Estimate:  # fmt: skip
    """Return Estimate(n, value, low, high, se), made without the frozen dataclass's __init__.

    The same object, equal and hashing alike: a province's page makes tens of thousands of
    estimates at once (scoring.batch), and a frozen dataclass sets each field through
    object.__setattr__, about four times the cost of filling its dictionary.
    """
    made = _new(Estimate)
    fields = made.__dict__
    fields["n"], fields["value"], fields["low"], fields["high"], fields["se"] = (
        n, value, low, high, se)  # fmt: skip
    return made


_new = object.__new__


@dataclass(frozen=True)
class Scores:
    """Every figure of one unit, period and channel mix."""

    n: int
    index: Estimate
    elements: dict[str, Estimate] = field(default_factory=dict)
    items: dict[str, Estimate] = field(default_factory=dict)
    expectations: dict[str, Estimate] = field(default_factory=dict)


def scores_of(n: int, index: Estimate, elements: dict[str, Estimate] | None = None,
              items: dict[str, Estimate] | None = None,
              expectations: dict[str, Estimate] | None = None) -> Scores:  # fmt: skip
    """Return Scores(n, index, elements, items, expectations) (empty where None), made without
    the frozen dataclass's __init__, as estimate() is: a province's page makes thousands."""
    made = _new(Scores)
    fields = made.__dict__
    fields["n"], fields["index"] = n, index
    fields["elements"] = {} if elements is None else elements
    fields["items"] = {} if items is None else items
    fields["expectations"] = {} if expectations is None else expectations
    return made


def wilson(positive: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Return the Wilson score interval of a proportion, in percent."""
    p = positive / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def share(counts: Mapping[str, int], scores: Mapping[str, float | None], binary: bool) -> Estimate:
    """Return the mean score of some answers: Wilson interval for a share, normal for a mean."""
    counted = [(scores[a], n) for a, n in counts.items() if scores.get(a) is not None]
    n = sum(count for _score, count in counted)
    if n == 0:
        return Estimate(0)
    total = sum(score * count for score, count in counted)  # type: ignore[operator]
    value = total / n
    if binary:
        se = math.sqrt(value * (100 - value) / n)
        return Estimate(n, value, *wilson(total / 100.0, n), se=se)
    if n < 2:
        return Estimate(n, value)
    square = sum((score - value) ** 2 * count for score, count in counted)  # type: ignore[operator]
    se = math.sqrt(square / (n - 1) / n)
    return Estimate(n, value, max(0.0, value - Z95 * se), min(100.0, value + Z95 * se), se)


def linear_variance(weights: Mapping[str, float], moments: Mapping[tuple[str, str], Moment],
                    responses: int) -> float | None:  # fmt: skip
    """Return the linearised variance of a weighted sum of element means (proportions)."""
    means, counts = {}, {}
    for element in weights:
        own = moments.get((element, element))
        if own is None or own.n == 0:
            return None
        means[element], counts[element] = own.a / own.n, own.n
    total = 0.0
    for e, we in weights.items():
        for f, wf in weights.items():
            m = moments.get(pair(e, f))
            if m is None or m.n == 0:
                continue
            sum_e, sum_f = (m.a, m.b) if (e, f) == pair(e, f) else (m.b, m.a)
            cross = m.ab - means[f] * sum_e - means[e] * sum_f + means[e] * means[f] * m.n
            total += we * wf * cross / (counts[e] * counts[f])
    if responses < 2:
        return None
    return max(0.0, total) * responses / (responses - 1)


def t95(df: int) -> float:
    """Return the 97.5% quantile of Student's t: a table to 4 df, then Cornish-Fisher."""
    if df < 1:
        return math.inf
    if df < len(T95_SMALL):
        return T95_SMALL[df]
    z = Z95
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


def interval(
    value: float | None, variance: float | None, n: int, df: int | None = None
) -> Estimate:
    """Return an estimate in percent with a t interval (df degrees) from a variance of shares."""
    if value is None or variance is None:
        return Estimate(n, value)
    se = 100 * math.sqrt(variance)
    half = (Z95 if df is None else t95(df)) * se
    return Estimate(n, value, max(0.0, value - half), min(100.0, value + half), se)


def mean(values: list[float]) -> float | None:
    """Return the mean, or None when there is nothing to average."""
    return sum(values) / len(values) if values else None


def compute(scheme: Scheme, tally: Tally) -> Scores:
    """Return the indices of a tally: items, elements (mean of items), index (mean of elements)."""
    binary = scheme.is_binary
    counts = tally.by_question()
    items = {
        key: share(counts.get(key, {}), scheme.item_scores, binary) for key in scheme.item_keys
    }
    elements: dict[str, Estimate] = {}
    for element, keys in scheme.elements:
        value = mean([items[k].value for k in keys if items[k].value is not None])
        own = tally.moments.get((element, element))
        variance = linear_variance({element: 1.0}, tally.moments, tally.responses)
        count = own.n if own else 0
        elements[element] = interval(value, variance, count, count - 1)
    present = [key for key, estimate in elements.items() if estimate.value is not None]
    value = mean([elements[key].value for key in present])  # type: ignore[misc]
    weights = {key: 1.0 / len(present) for key in present}
    variance = linear_variance(weights, tally.moments, tally.responses) if present else None
    expectations = {
        key: share(counts.get(key, {}), scheme.expectation_scores, True)
        for key in scheme.expectations
    }
    index = interval(value, variance, tally.responses, tally.responses - 1)
    return Scores(tally.responses, index, elements, items,
                  expectations)  # fmt: skip


def mean_of(estimates: list[Estimate]) -> Estimate:
    """Return the unweighted mean of independent estimates (each unit weighs the same)."""
    known = [e for e in estimates if e.value is not None and e.se is not None]
    if not known:
        return Estimate(sum(e.n for e in estimates))
    value = sum(e.value for e in known) / len(known)  # type: ignore[misc]
    # Independent samples: the variances add; the mean divides them by the count squared.
    variance = sum((e.se / 100) ** 2 for e in known) / len(known) ** 2  # type: ignore[operator]
    return interval(value, variance, sum(e.n for e in known))
