"""Figures computed many at once from arrays equal the method's one by one (pure, no database)."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from satisfaction.scoring.batch import compute_many
from satisfaction.scoring.indices import Estimate, Scores, compute, estimate, scores_of
from satisfaction.scoring.layout import Layout, PackedTally, combined
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.services import Figure, figure, published
from satisfaction.scoring.tally import Tally, tally_of

TOP_TWO = {"1": 0.0, "2": 0.0, "3": 0.0, "4": 100.0, "5": 100.0, "na": None}
MEAN = {"1": 0.0, "2": 25.0, "3": 50.0, "4": 75.0, "5": 100.0, "na": None}
WANTED = {"1": 0.0, "2": 100.0, "3": 100.0}
ELEMENTS = (("a", ("a1", "a2")), ("b", ("b1",)), ("c", ("c1", "c2", "c3")))
ITEMS = [item for _element, items in ELEMENTS for item in items]
SCHEMES = [Scheme(rule, ELEMENTS, ("x", "y"), scores, WANTED)
           for rule, scores in (("top-two", TOP_TWO), ("mean", MEAN))]  # fmt: skip

# An answer as a form may leave it: a scale value, not applicable, blank, or outside the scale.
answer = st.sampled_from(["1", "2", "3", "4", "5", "na", None, "", "9"])
response = st.fixed_dictionaries(
    {key: answer for key in ITEMS},
    optional={"x": st.sampled_from(["1", "2", "3", None]), "y": st.sampled_from(["2", "7"])},
)
# Few responses often: one, two and none are where intervals and variances stop.
group = st.lists(response, max_size=12)


def _close(got: Estimate, want: Estimate) -> bool:
    # Within a millionth of a point (figures are shown to a tenth): where every answer scores
    # the same, the variance is a difference of equal sums, and its round-off's square root
    # (about 3e-7 a point, found by hypothesis) differs between two orders of summing.
    if got.n != want.n:
        return False
    for name in ("value", "low", "high", "se"):
        a, b = getattr(got, name), getattr(want, name)
        if (a is None) != (b is None):
            return False
        if a is not None and not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6):
            return False
    return True


def _same(got: Scores, want: Scores) -> None:
    assert got.n == want.n
    assert _close(got.index, want.index), (got.index, want.index)
    for part in ("elements", "items", "expectations"):
        found, expected = getattr(got, part), getattr(want, part)
        assert found.keys() == expected.keys()
        for key, wanted in expected.items():
            assert _close(found[key], wanted), (part, key, found[key], wanted)


def _packed(layout: Layout, tally: Tally) -> PackedTally:
    return PackedTally(layout, tally.responses, *layout.arrays(tally))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SCHEMES), st.lists(group, max_size=8), st.data())
def test_many_at_once_equal_each_alone(scheme, groups, data):
    """Property: plain and packed tallies, mixed in one call, score as indices.compute."""
    layout = Layout.of(scheme)
    tallies = [tally_of(scheme, answers) for answers in groups]
    given_ = [_packed(layout, t) if data.draw(st.booleans()) else t for t in tallies]
    for got, tally in zip(compute_many(scheme, given_), tallies, strict=True):
        _same(got, compute(scheme, tally))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SCHEMES), group, group)
def test_combined_tallies_score_as_their_answers_together(scheme, first, second):
    """Property: packed + packed stays packed, packed + plain too; all score as one tally."""
    layout = Layout.of(scheme)
    one, two = tally_of(scheme, first), tally_of(scheme, second)
    whole = compute(scheme, tally_of(scheme, first + second))
    for left, right in ((_packed(layout, one), _packed(layout, two)),
                        (_packed(layout, one), two), (one, _packed(layout, two))):  # fmt: skip
        both = combined(left, right)
        # Still arrays unless an answer outside the scale has no slot to go to.
        plain = right if isinstance(left, PackedTally) else left
        assert isinstance(both, PackedTally) == (isinstance(plain, PackedTally)
                                                 or layout.holds(plain))  # fmt: skip
        _same(compute_many(scheme, [both])[0], whole)
    assert left.responses == one.responses  # neither tally given is changed


def test_a_tally_of_another_layout_is_added_by_answer():
    """A layout that lacks one of the tally's answers: the sum is made by question and answer."""
    scheme = SCHEMES[0]
    narrow = Layout(tuple(a for a in Layout.of(scheme).answers if a[0] != "b1"),
                    Layout.of(scheme).pairs)  # fmt: skip
    packed = PackedTally(narrow, 1, *narrow.arrays(tally_of(scheme, [{"a1": "5"}])))
    plain = tally_of(scheme, [{"b1": "4"}])
    both = combined(packed, plain)
    assert not isinstance(both, PackedTally)
    assert both.answers == {("a1", "5"): 1, ("b1", "4"): 1}
    alone = compute(scheme, tally_of(scheme, [{"a1": "5"}, {"b1": "4"}]))
    _same(compute_many(scheme, [both])[0], alone)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SCHEMES), st.lists(group, min_size=1, max_size=5))
def test_without_detail_the_index_and_elements_are_the_same(scheme, groups):
    """Property: a list's figures (no items, no expectations) keep the index and the elements."""
    tallies = [tally_of(scheme, answers) for answers in groups]
    lean = compute_many(scheme, tallies, detail=False)
    for got, tally in zip(lean, tallies, strict=True):
        want = compute(scheme, tally)
        assert got.items == {} and got.expectations == {}
        _same(got, Scores(want.n, want.index, want.elements))


def test_no_tally_at_all_gives_no_figure():
    scores = compute_many(SCHEMES[1], [Tally()])[0]
    assert scores.n == 0 and scores.index == Estimate(0)
    assert all(e == Estimate(0) for e in scores.items.values())


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SCHEMES), st.lists(group, max_size=6), st.integers(0, 8), st.booleans())
def test_published_at_once_equal_published_after(scheme, groups, least, detail):
    """Property: figures blanked under least answers while made equal services.published() of
    the figures made whole (every estimate, each row's own floor)."""
    tallies = [tally_of(scheme, answers) for answers in groups]
    at_once = compute_many(scheme, tallies, detail, least)
    after = [published(scores, least) for scores in compute_many(scheme, tallies, detail)]
    for got, want in zip(at_once, after, strict=True):
        _same(got, want)


def test_an_estimate_made_quickly_is_the_same_estimate():
    quick, plain = estimate(12, 70.5, 60.1, 80.9, 5.2), Estimate(12, 70.5, 60.1, 80.9, 5.2)
    assert quick == plain and hash(quick) == hash(plain) and repr(quick) == repr(plain)
    assert estimate(3) == Estimate(3)


def test_scores_and_a_figure_made_quickly_are_the_same():
    index, element = Estimate(40, 71.0, 65.0, 77.0, 3.1), Estimate(40, 68.0)
    assert scores_of(40, index) == Scores(40, index) and repr(scores_of(3, Estimate(3))) == repr(
        Scores(3, Estimate(3)))  # fmt: skip
    full = scores_of(40, index, {"e1": element}, {"i1": element}, {"x1": element})
    assert full == Scores(40, index, {"e1": element}, {"i1": element}, {"x1": element})
    assert scores_of(40, index).elements is not scores_of(40, index).elements  # not shared
    quick, plain = figure("01", "Hà Nội", "province", full, True, 2), Figure(
        "01", "Hà Nội", "province", full, True, 2)  # fmt: skip
    assert quick == plain and repr(quick) == repr(plain) and figure("0", "", "", full, False) == (
        Figure("0", "", "", full, False))  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SCHEMES), st.lists(group, min_size=1, max_size=5), st.integers(0, 4))
def test_the_index_alone_is_the_lists_index(scheme, groups, least):
    """Property: without elements, each figure is n and the same published index, nothing else."""
    tallies = [tally_of(scheme, answers) for answers in groups]
    lean = compute_many(scheme, tallies, detail=False, least=least)
    bare = compute_many(scheme, tallies, detail=False, least=least, elements=False)
    for got, want in zip(bare, lean, strict=True):
        assert got.elements == {} and got.items == {} and got.expectations == {}
        _same(got, Scores(want.n, want.index))
