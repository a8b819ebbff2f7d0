"""The figures of many tallies at once: indices.compute's, from arrays (numpy).

A province's page ranks hundreds of service points and communes. One by one, each figure cost
about half a millisecond of Python (an interval per item, element and index, and a tally
unpacked into dictionaries first). Here the tallies of one layout are stacked, and every item,
element, expectation and index of all of them is found in a few array operations; only the
Estimate objects are made one by one. `indices.compute` stays the plain statement of the method
(docs/methodology.md), and the tests hold the two equal on random tallies.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from satisfaction.scoring.indices import T95_SMALL, Z95, Estimate, Scores, estimate, scores_of
from satisfaction.scoring.layout import Layout, PackedTally
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.tally import Tally, pair

N, AB, A, B = range(4)  # the sums of a pair, in the layout's order (layout.MOMENTS)


@dataclass(frozen=True)
class _Plan:
    """What a scheme reads of a layout's slots, as matrices."""

    items: np.ndarray  # (answers, items): the score of each slot that scores an item, else 0
    counted: np.ndarray  # (answers, items): 1 where the slot is a scored answer of the item
    wanted: np.ndarray  # (answers, expectations): the same for the expectations
    asked: np.ndarray
    members: np.ndarray  # (items, elements): 1 where the item is one of the element's
    own: np.ndarray  # (elements,): the slot of each element's pair with itself, -1 if none
    pairs: np.ndarray  # (k, 3): slot, first element, second element of the pairs read


def _plan(scheme: Scheme, layout: Layout) -> _Plan:
    """Return the matrices that read a layout's slots for a scheme."""
    items, expectations = scheme.item_keys, scheme.expectations
    column = {key: i for i, key in enumerate(items)}
    asked_column = {key: i for i, key in enumerate(expectations)}
    scores = np.zeros((len(layout.answers), len(items)))
    counted = np.zeros_like(scores)
    wanted = np.zeros((len(layout.answers), len(expectations)))
    asked = np.zeros_like(wanted)
    for slot, (question, answer) in enumerate(layout.answers):
        score = scheme.item_scores.get(answer)
        if question in column and score is not None:
            scores[slot, column[question]], counted[slot, column[question]] = score, 1.0
        score = scheme.expectation_scores.get(answer)
        if question in asked_column and score is not None:
            wanted[slot, asked_column[question]] = score
            asked[slot, asked_column[question]] = 1.0
    elements = scheme.element_keys
    members = np.zeros((len(items), len(elements)))
    for e, (_element, keys) in enumerate(scheme.elements):
        for key in keys:
            members[column[key], e] = 1.0
    slots = layout.pair_slots
    own = np.array([slots.get((key, key), -1) for key in elements], np.int64)
    found = [(slots[pair(e, f)], i, j)
             for i, e in enumerate(elements) for j, f in enumerate(elements)
             if i <= j and pair(e, f) in slots]  # fmt: skip
    # Each pair once, its elements in the stored order (the sums a and b are theirs).
    pairs = [(slot, i, j) if layout.pairs[slot][0] == elements[i] else (slot, j, i)
             for slot, i, j in found]  # fmt: skip
    return _Plan(scores, counted, wanted, asked, members, own,
                 np.array(pairs, np.int64).reshape(-1, 3))  # fmt: skip


_PLANS: dict[tuple[int, int], tuple[Scheme, Layout, _Plan]] = {}
_LAYOUTS: dict[int, tuple[Scheme, Layout]] = {}


def _plan_of(scheme: Scheme, layout: Layout) -> _Plan:
    known = _PLANS.get((id(scheme), id(layout)))
    if known is None or known[0] is not scheme or known[1] is not layout:
        known = _PLANS[(id(scheme), id(layout))] = (scheme, layout, _plan(scheme, layout))
    return known[2]


def _layout_of(scheme: Scheme) -> Layout:
    """Return the layout a scheme's own answers pack into (for tallies counted from answers)."""
    known = _LAYOUTS.get(id(scheme))
    if known is None or known[0] is not scheme:
        known = _LAYOUTS[id(scheme)] = (scheme, Layout.of(scheme))
    return known[1]


def compute_many(scheme: Scheme, tallies: Sequence[Tally | PackedTally], detail: bool = True,
                 least: int | None = None, elements: bool = True) -> list[Scores]:  # fmt: skip
    """Return the scores of each tally, as indices.compute would, in the same order.

    Without detail, the index and the elements only (no items, no expectations): a list of
    units or desks shows no more, and most of the objects made are the items' estimates.
    With least, each figure is published as services.published() would (blanked under least
    answers; all of them if the tally has fewer): made so once, not made and then copied.
    Without elements (and without detail), the index alone: a page's table of desks shows no
    more (the elements' values are still found: the index is their mean).
    """
    groups: dict[int, tuple[Layout, list[int]]] = {}
    for i, tally in enumerate(tallies):
        layout = tally.layout if isinstance(tally, PackedTally) else _layout_of(scheme)
        groups.setdefault(id(layout), (layout, []))[1].append(i)
    found: list[Scores | None] = [None] * len(tallies)
    for layout, chosen in groups.values():
        stacked = [_arrays(layout, tallies[i]) for i in chosen]
        responses = np.array([tallies[i].responses for i in chosen], np.int64)
        counts = np.array([counts for counts, _sums in stacked], np.float64)
        sums = np.array([sums for _counts, sums in stacked], np.float64)
        plan = _plan_of(scheme, layout)
        # Each row's fewest answers a figure must rest on to be kept (infinite: none kept).
        floor = (None if least is None
                 else np.where(responses >= least, float(least), np.inf)[:, None])  # fmt: skip
        made = _scores(scheme, plan, responses, counts, sums, detail, floor,
                       elements or detail)  # fmt: skip
        for i, scores in zip(chosen, made, strict=True):
            found[i] = scores
    return found  # type: ignore[return-value]


def _arrays(layout: Layout, tally: Tally | PackedTally) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(tally, PackedTally):
        return tally.counts, tally.sums
    return layout.arrays(tally)


def _scores(scheme: Scheme, plan: _Plan, responses: np.ndarray, counts: np.ndarray,
            sums: np.ndarray, detail: bool, floor: np.ndarray | None, elements: bool = True
            ) -> list[Scores]:  # fmt: skip
    item_estimates, item_values = _shares(counts, plan.items, plan.counted, scheme.is_binary,
                                          detail, floor)  # fmt: skip
    own = _own(plan, sums)  # each element's sums with itself: the elements' and the index's
    element_values, element_estimates = _elements(plan, item_values, responses, own, floor,
                                                  elements)  # fmt: skip
    index = _index(plan, element_values, responses, sums, own, floor)
    if not elements:
        return [scores_of(n, index[row]) for row, n in enumerate(responses.tolist())]
    element_keys = scheme.element_keys
    if not detail:
        return [scores_of(n, index[row], dict(zip(element_keys, element_estimates[row],
                                                  strict=True)))
                for row, n in enumerate(responses.tolist())]  # fmt: skip
    expectations = _shares(counts, plan.wanted, plan.asked, True, True, floor)[0]
    return [
        scores_of(n, index[row], dict(zip(element_keys, element_estimates[row], strict=True)),
               dict(zip(scheme.item_keys, item_estimates[row], strict=True)),
               dict(zip(scheme.expectations, expectations[row], strict=True)))
        for row, n in enumerate(responses.tolist())
    ]  # fmt: skip


def _shares(counts: np.ndarray, scores: np.ndarray, counted: np.ndarray, binary: bool,
            estimates: bool, floor: np.ndarray | None = None
            ) -> tuple[list[list[Estimate]], np.ndarray]:  # fmt: skip
    """Return each row's estimates of each question (indices.share; none without estimates),
    and their values (NaN: none)."""
    n = counts @ counted
    total = counts @ scores
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(n > 0, total / n, np.nan)
        if not estimates:
            return [], value
        if binary:
            se = np.sqrt(value * (100 - value) / n)
            low, high = _wilson(total / 100.0, n)
            shown = n > 0
        else:
            # The squares about the mean, from the sums of squares (never below 0).
            square = np.maximum(counts @ (scores * scores) - value * total, 0.0)
            se = np.sqrt(square / (n - 1) / n)
            low = np.fmax(0.0, value - Z95 * se)
            high = np.fmin(100.0, value + Z95 * se)
            shown = n >= 2
    return _estimates(n, value, low, high, se, shown, floor), value


def _wilson(positive: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the Wilson score interval of proportions, in percent (indices.wilson)."""
    z = Z95
    p = positive / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * np.maximum(0.0, centre - half), 100 * np.minimum(1.0, centre + half)


def _elements(plan: _Plan, item_values: np.ndarray, responses: np.ndarray, own: np.ndarray,
              floor: np.ndarray | None, estimates: bool = True
              ) -> tuple[np.ndarray, list[list[Estimate]]]:  # fmt: skip
    """Return the elements' values (NaN: none) and estimates: items' mean, own variance."""
    present = ~np.isnan(item_values)
    answered = present.astype(np.float64) @ plan.members
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(answered > 0, np.where(present, item_values, 0.0) @ plan.members
                         / answered, np.nan)  # fmt: skip
        if not estimates:
            return value, []
        n = own[..., N]
        mean = own[..., A] / n
        cross = own[..., AB] - mean * own[..., A] - mean * own[..., B] + mean * mean * n
        variance = _adjusted(cross / (n * n), responses[:, None])
        variance = np.where(n > 0, variance, np.nan)
        return value, _intervals(value, variance, np.rint(n), np.rint(n) - 1, floor)


def _own(plan: _Plan, sums: np.ndarray) -> np.ndarray:
    """Return each element's sums with itself (zeros for an element the layout has no pair of)."""
    own = sums[:, np.maximum(plan.own, 0), :]
    return np.where((plan.own >= 0)[None, :, None], own, 0.0)


def _index(plan: _Plan, values: np.ndarray, responses: np.ndarray, sums: np.ndarray,
           own: np.ndarray, floor: np.ndarray | None) -> list[Estimate]:  # fmt: skip
    """Return the index of each row: the mean of its elements, the linearised variance."""
    present = ~np.isnan(values)
    k = present.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(k > 0, np.where(present, values, 0.0).sum(axis=1) / k, np.nan)
        weight = np.where(present, 1.0 / k[:, None], 0.0)
        n = own[..., N]
        means = np.where(n > 0, own[..., A] / n, 0.0)
        total = np.zeros(len(values))
        for slot, e, f in plan.pairs.tolist():
            m = sums[:, slot, :]
            cross = (m[:, AB] - means[:, f] * m[:, A] - means[:, e] * m[:, B]
                     + means[:, e] * means[:, f] * m[:, N])  # fmt: skip
            term = weight[:, e] * weight[:, f] * cross / (n[:, e] * n[:, f])
            used = (m[:, N] != 0) & present[:, e] & present[:, f]
            total += np.where(used, term, 0.0) * (1 if e == f else 2)
        # No variance where a present element has no sums of its own (indices.linear_variance).
        missing = (present & ~(n > 0)).any(axis=1)
        variance = np.where((k > 0) & ~missing, _adjusted(total, responses), np.nan)
    found = _intervals(value[:, None], variance[:, None], responses[:, None].astype(np.float64),
                       responses[:, None] - 1.0, floor)  # fmt: skip
    return [row[0] for row in found]


def _adjusted(total: np.ndarray, responses: np.ndarray) -> np.ndarray:
    """Return max(0, total) * R / (R - 1), NaN where R < 2 (no variance from one response)."""
    return np.where(responses >= 2, np.maximum(total, 0.0) * responses / (responses - 1), np.nan)


def _t95(df: np.ndarray) -> np.ndarray:
    """Return Student's t quantile of each df (indices.t95): a table to 4 df, then a series."""
    z = Z95
    with np.errstate(divide="ignore", invalid="ignore"):
        series = (z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
                  + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3))  # fmt: skip
    small = np.asarray(T95_SMALL)[np.clip(df, 0, len(T95_SMALL) - 1).astype(np.int64)]
    return np.where(df < 1, np.inf, np.where(df < len(T95_SMALL), small, series))


def _intervals(value: np.ndarray, variance: np.ndarray, n: np.ndarray, df: np.ndarray,
               floor: np.ndarray | None = None) -> list[list[Estimate]]:  # fmt: skip
    """Return estimates with a t interval (indices.interval): none where there is no variance."""
    se = 100 * np.sqrt(variance)
    with np.errstate(invalid="ignore"):
        half = _t95(df) * se
        # An infinite quantile times a zero error is no bound at all: the whole 0 to 100.
        half = np.where(np.isnan(half) & ~np.isnan(se), np.inf, half)
        low, high = np.fmax(0.0, value - half), np.fmin(100.0, value + half)
    return _estimates(n, value, low, high, se, ~np.isnan(variance) & ~np.isnan(value), floor)


def _estimates(n, value, low, high, se, shown, floor=None) -> list[list[Estimate]]:
    """Return the Estimate of each cell of 2-D arrays: n and value, and the interval if shown;
    n alone where n is under the row's floor (blanked, as services.published())."""
    counts = np.rint(n).astype(np.int64)
    shown = np.broadcast_to(shown, n.shape)
    kept = np.ones(n.shape, bool) if floor is None else counts >= floor
    rows = zip(counts.tolist(), value.tolist(), low.tolist(), high.tolist(), se.tolist(),
               shown.tolist(), kept.tolist(), strict=True)  # fmt: skip
    made = estimate
    return [
        [(made(c, None if v != v else v, lo, hi, s) if show else made(c, None if v != v else v))
         if keep else made(c)
         for c, v, lo, hi, s, show, keep in zip(*row, strict=True)]
        for row in rows
    ]  # fmt: skip
