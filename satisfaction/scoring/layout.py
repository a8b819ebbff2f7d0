"""A tally packed into one binary value: what each cell and rollup keeps of its answers.

A questionnaire version's layout numbers the slots of the value: one count per answer a
question can receive (items and expectations), then four sums per pair of elements (the
respondents who answered both, and their sums of products and of each score). The layout is
stored with the version when it is first needed (score_layouts) and never changes, so a stored
value is read the same way whatever later code would derive from the questionnaire.

Counts are 32-bit, sums 64-bit floats, little-endian: 1,032 bytes for the SIPAS questionnaire
(138 answer counts, 15 pairs of elements). Many values of one version are summed by numpy in one
pass, which is what makes a national page a few thousand rows instead of a few hundred thousand.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from flask import current_app
from sqlalchemy import select

from satisfaction.core.sql import insert_of
from satisfaction.extensions import db
from satisfaction.scoring.scheme import Scheme
from satisfaction.scoring.tally import Moment, Tally, pair

MOMENTS = ("n", "ab", "a", "b")  # the four sums of a pair, in stored order


@dataclass(frozen=True)
class Layout:
    """The slots of a packed tally: (question, answer) counts, then (element, element) sums."""

    answers: tuple[tuple[str, str], ...]
    pairs: tuple[tuple[str, str], ...]
    slots: Mapping[tuple[str, str], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slots", {key: i for i, key in enumerate(self.answers)})

    @classmethod
    def of(cls, scheme: Scheme) -> "Layout":
        """Return the layout of a scheme: every answer each question may receive, every pair."""
        answers = [(item, answer) for item in scheme.item_keys for answer in scheme.item_scores]
        answers += [(question, answer) for question in scheme.expectations
                    for answer in scheme.expectation_scores]  # fmt: skip
        keys = sorted(scheme.element_keys)
        pairs = [pair(a, b) for i, a in enumerate(keys) for b in keys[i:]]
        return cls(tuple(answers), tuple(pairs))

    @classmethod
    def from_json(cls, answers: Iterable[Sequence[str]], pairs: Iterable[Sequence[str]]
                  ) -> "Layout":  # fmt: skip
        """Return a layout from its stored lists."""
        return cls(tuple((q, a) for q, a in answers), tuple((a, b) for a, b in pairs))

    def to_json(self) -> dict[str, list[list[str]]]:
        """Return the layout as the lists it is stored as."""
        return {"answers": [list(key) for key in self.answers],
                "pairs": [list(key) for key in self.pairs]}  # fmt: skip

    @cached_property
    def dtype(self) -> np.dtype:
        """Return the numpy type of one packed tally."""
        return np.dtype([("counts", "<i4", (len(self.answers),)),
                         ("moments", "<f8", (len(self.pairs), len(MOMENTS)))])  # fmt: skip

    @cached_property
    def empty(self) -> bytes:
        """Return the packed tally of no answers."""
        return np.zeros(1, self.dtype).tobytes()

    @cached_property
    def pair_slots(self) -> Mapping[tuple[str, str], int]:
        """Return the slot of each pair of elements."""
        return {key: i for i, key in enumerate(self.pairs)}

    def holds(self, tally: Tally) -> bool:
        """Return whether every answer and pair a tally counts has a slot here."""
        return all(key in self.slots for key in tally.answers) and all(
            key in self.pair_slots for key in tally.moments
        )

    def arrays(self, tally: Tally) -> tuple[np.ndarray, np.ndarray]:
        """Return a tally's counts (64-bit) and sums by slot (those without one are left out)."""
        counts = np.zeros(len(self.answers), np.int64)
        sums = np.zeros((len(self.pairs), len(MOMENTS)))
        for key, count in tally.answers.items():
            slot = self.slots.get(key)
            if slot is not None:
                counts[slot] += count
        for key, m in tally.moments.items():
            slot = self.pair_slots.get(key)
            if slot is not None:
                sums[slot] = (m.n, m.ab, m.a, m.b)
        return counts, sums

    def pack(self, tally: Tally) -> bytes:
        """Return a tally packed (answers outside the layout are not valid, and left out)."""
        packed = np.zeros(1, self.dtype)
        packed["counts"][0], packed["moments"][0] = self.arrays(tally)
        return packed.tobytes()

    def add(self, packed: bytes, more: bytes) -> bytes:
        """Return the sum of two packed tallies."""
        return self.total([packed, more])

    def add_each(self, packed: Sequence[bytes], more: Sequence[bytes]) -> list[bytes]:
        """Return each packed tally plus the one beside it in more, packed."""
        a, b = self.read(packed), self.read(more)
        counts = a["counts"].astype(np.int64) + b["counts"]
        if len(counts) and counts.max() > np.iinfo(np.int32).max:
            raise OverflowError("an answer count does not fit its packed tally")
        total = np.empty(len(a), self.dtype)
        total["counts"], total["moments"] = counts, a["moments"] + b["moments"]
        raw, size = total.tobytes(), self.dtype.itemsize
        return [raw[i : i + size] for i in range(0, len(raw), size)]

    def total(self, values: Sequence[bytes]) -> bytes:
        """Return the sum of packed tallies, packed."""
        found = self.read(values)
        total = np.zeros(1, self.dtype)
        total["counts"][0] = found["counts"].sum(axis=0)
        total["moments"][0] = found["moments"].sum(axis=0)
        return total.tobytes()

    def read(self, values: Sequence[bytes]) -> np.ndarray:
        """Return packed tallies as one array; ValueError if one is not of this layout."""
        joined = b"".join(values)
        if len(joined) != len(values) * self.dtype.itemsize:
            raise ValueError("a packed tally does not match its questionnaire's layout")
        return np.frombuffer(joined, self.dtype)

    def tally(self, responses: int, values: Sequence[bytes]) -> Tally:
        """Return the tally of the sum of packed tallies (and their number of responses)."""
        found = self.read(values)
        return self.unpack(responses, found["counts"].sum(axis=0, dtype=np.int64),
                           found["moments"].sum(axis=0))  # fmt: skip

    def unpack(self, responses: int, counts: np.ndarray, moments: np.ndarray) -> Tally:
        """Return the tally of an array of counts and one of moments."""
        # Through Python lists: indexing an array element by element costs ten times as much.
        answers = {key: n for key, n in zip(self.answers, counts.tolist(), strict=True) if n}
        found = {
            key: Moment(round(n), ab, a, b)
            for key, (n, ab, a, b) in zip(self.pairs, moments.tolist(), strict=True)
            if n
        }
        return Tally(responses, answers, found)


def layout_of(version_id: int) -> Layout:
    """Return the stored layout of a questionnaire version, storing it first if it has none."""
    from satisfaction.scoring.aggregates import scheme_by_id
    from satisfaction.scoring.models import ScoreLayout

    known: dict[int, Layout] = current_app.extensions.setdefault("score_layouts", {})
    found = known.get(version_id)
    if found is not None:
        return found
    row = db.session.get(ScoreLayout, version_id)
    if row is None:
        layout = Layout.of(scheme_by_id(version_id))
        db.session.execute(
            insert_of(db.session.get_bind().dialect.name)(ScoreLayout)
            .values(questionnaire_version_id=version_id, **layout.to_json())
            .on_conflict_do_nothing()
        )
        # Another transaction may have stored one first: the stored one is the one used.
        row = db.session.scalar(
            select(ScoreLayout).where(ScoreLayout.questionnaire_version_id == version_id)
        )
    found = known[version_id] = Layout.from_json(row.answers, row.pairs)
    return found


@dataclass(frozen=True)
class PackedTally:
    """A tally still in its layout's arrays: what the aggregates' rows sum to, read by slot.

    A province's page ranks hundreds of these at once (scoring.batch reads the arrays as they
    are); a tally wanted by question and answer is unpacked once, when first asked.
    """

    layout: Layout
    responses: int
    counts: np.ndarray  # 64-bit, one per answer slot
    sums: np.ndarray  # (pairs, 4): the sums of each pair of elements

    @cached_property
    def unpacked(self) -> Tally:
        """Return this tally by question and answer, and by pair of elements."""
        return self.layout.unpack(self.responses, self.counts, self.sums)

    @property
    def answers(self) -> dict[tuple[str, str], int]:
        """Return the count of each (question, answer)."""
        return self.unpacked.answers

    @property
    def moments(self) -> dict[tuple[str, str], Moment]:
        """Return the sums of each pair of elements."""
        return self.unpacked.moments


AnyTally = Tally | PackedTally


def combined(first: AnyTally, second: AnyTally) -> AnyTally:
    """Return the sum of two tallies, neither changed: still arrays where one layout holds both."""
    if isinstance(second, PackedTally) and not isinstance(first, PackedTally):
        first, second = second, first
    if isinstance(first, PackedTally):
        layout = first.layout
        if isinstance(second, PackedTally) and second.layout is layout:
            counts, sums = second.counts, second.sums
        elif isinstance(second, Tally) and layout.holds(second):
            counts, sums = layout.arrays(second)
        else:
            counts = sums = None
        if counts is not None:
            return PackedTally(layout, first.responses + second.responses, first.counts + counts,
                               first.sums + sums)  # fmt: skip
    total = Tally()
    total.merge(first)  # type: ignore[arg-type]
    total.merge(second)  # type: ignore[arg-type]
    return total


def add_to(found: dict[Any, AnyTally], key: Any, tally: AnyTally) -> None:
    """Add a tally to the one found under key (a new sum: the tallies added are not changed)."""
    known = found.get(key)
    found[key] = tally if known is None else combined(known, tally)


def tallies(rows: Iterable[tuple[Any, int, int, bytes]]) -> dict[Any, AnyTally]:
    """Return the tallies of (key, version, responses, packed tally) rows, summed by key.

    A version's rows are read as one array, ordered by key and summed in one pass per column.
    """
    return tallies_each(rows, 1)[0]


def tallies_each(rows: Iterable[Sequence[Any]], keys: int) -> list[dict[Any, AnyTally]]:
    """Return the tallies of (key 1, ..., key k, version, responses, packed tally) rows, summed
    by each key in turn: the packed tallies read once for all the groupings.

    The rows are taken apart by column and grouped by array operations: thousands of rows
    cost a few passes in C, not a few Python steps each.
    """
    found: list[dict[Any, AnyTally]] = [{} for _ in range(keys)]
    columns = list(zip(*rows, strict=True))
    if not columns:
        return found
    versions = columns[keys]
    known = list(dict.fromkeys(versions))
    responses = np.asarray(columns[keys + 1], np.int64)
    for version in known:
        chosen = np.flatnonzero(np.asarray(versions) == version) if len(known) > 1 else None
        layout = layout_of(version)
        table = layout.read(_taken(columns[keys + 2], chosen))
        # The rows summed once by all their keys together (a desk and its commune: a few
        # hundred groups of thousands of rows), then those sums by each key in turn.
        combos, counts, sums, totals = _grouped(
            _taken(list(zip(*columns[:keys], strict=True)), chosen), table["counts"],
            table["moments"], responses if chosen is None else responses[chosen])  # fmt: skip
        for k, into in enumerate(found):
            column = [combo[k] for combo in combos]
            keys_of, counts_k, sums_k, totals_k = _grouped(column, counts, sums, totals)
            for i, (key, total) in enumerate(zip(keys_of, totals_k.tolist(), strict=True)):
                add_to(into, key, PackedTally(layout, total, counts_k[i], sums_k[i]))
    return found


def _taken(column: Sequence[Any], chosen: np.ndarray | None) -> Sequence[Any]:
    """Return a column's values at the chosen positions (all of it when none are chosen)."""
    return column if chosen is None else [column[i] for i in chosen]


def _grouped(keys: Sequence[Any], counts: np.ndarray, sums: np.ndarray, totals: np.ndarray
             ) -> tuple[list[Any], np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Return the distinct keys (in the order of their first row) and the rows summed by key
    (counts, 32-bit as stored or 64-bit, summed in 64 bits)."""
    index = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    groups = np.fromiter(map(index.__getitem__, keys), np.int64, len(keys))
    order = np.argsort(groups, kind="stable")
    starts = np.flatnonzero(np.diff(groups[order], prepend=-1))
    # The stored 32-bit counts are gathered as they are and widened by the sum itself: a
    # widened copy of every row first made the sum three times slower (a province's desks).
    return (list(index), np.add.reduceat(counts[order], starts, axis=0, dtype=np.int64),
            np.add.reduceat(sums[order], starts, axis=0),
            np.add.reduceat(totals[order], starts))  # fmt: skip
