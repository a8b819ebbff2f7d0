"""Sums over respondents from which every index and interval follows (pure)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from satisfaction.scoring.scheme import Scheme, answer_key


@dataclass
class Moment:
    """Sums over the respondents who answered both elements of a pair (a <= b by key)."""

    n: int = 0
    ab: float = 0.0  # sum of s_a * s_b
    a: float = 0.0  # sum of s_a
    b: float = 0.0  # sum of s_b

    def add(self, other: "Moment") -> None:
        """Add another moment's sums to this one."""
        self.n += other.n
        self.ab += other.ab
        self.a += other.a
        self.b += other.b


def pair(a: str, b: str) -> tuple[str, str]:
    """Return a pair of element keys in the order moments are stored."""
    return (a, b) if a <= b else (b, a)


def element_scores(scheme: Scheme, answers: Mapping[str, object]) -> dict[str, float]:
    """Return a respondent's score (0-1) on each element with a counted answer: its items' mean."""
    found: dict[str, float] = {}
    for element, items in scheme.elements:
        scores = [
            scheme.item_scores.get(key)
            for key in (answer_key(answers.get(item)) for item in items)
            if key is not None
        ]
        counted = [score for score in scores if score is not None]
        if counted:
            found[element] = sum(counted) / (100.0 * len(counted))
    return found


def moments_of(scores: Mapping[str, float]) -> dict[tuple[str, str], Moment]:
    """Return one respondent's contribution to the moments of every pair of answered elements."""
    keys = sorted(scores)
    found: dict[tuple[str, str], Moment] = {}
    for i, a in enumerate(keys):
        for b in keys[i:]:
            sa, sb = scores[a], scores[b]
            found[(a, b)] = Moment(1, sa * sb, sa, sb)
    return found


def answer_counts(scheme: Scheme, answers: Mapping[str, object]) -> list[tuple[str, str]]:
    """Return the (question, answer) pairs of a response that aggregates count."""
    found = []
    for question in (*scheme.item_keys, *scheme.expectations):
        key = answer_key(answers.get(question))
        if key is not None:
            found.append((question, key))
    return found


@dataclass
class Tally:
    """Everything scoring needs about a set of responses: counts per answer and moments."""

    responses: int = 0
    answers: dict[tuple[str, str], int] = field(default_factory=dict)
    moments: dict[tuple[str, str], Moment] = field(default_factory=dict)

    def add_response(self, scheme: Scheme, answers: Mapping[str, object]) -> None:
        """Count one response (the same sums as answer_counts() and moments_of(), faster)."""
        self.responses += 1
        counts = self.answers
        for key in answer_counts(scheme, answers):
            counts[key] = counts.get(key, 0) + 1
        scores = sorted(element_scores(scheme, answers).items())
        moments = self.moments
        for i, (a, sa) in enumerate(scores):
            for b, sb in scores[i:]:
                moment = moments.get((a, b))
                if moment is None:
                    moment = moments[(a, b)] = Moment()
                moment.n += 1
                moment.ab += sa * sb
                moment.a += sa
                moment.b += sb

    def merge(self, other: "Tally") -> None:
        """Add another tally (another service point, day or channel) to this one."""
        self.responses += other.responses
        for key, count in other.answers.items():
            self.answers[key] = self.answers.get(key, 0) + count
        for key, moment in other.moments.items():
            self.moments.setdefault(key, Moment()).add(moment)

    def by_question(self) -> dict[str, dict[str, int]]:
        """Return the count of each answer, question by question (one pass over the answers)."""
        found: dict[str, dict[str, int]] = {}
        for (question, answer), n in self.answers.items():
            found.setdefault(question, {})[answer] = n
        return found


def tally_of(scheme: Scheme, responses: Iterable[Mapping[str, object]]) -> Tally:
    """Return the tally of some responses."""
    tally = Tally()
    for answers in responses:
        tally.add_response(scheme, answers)
    return tally
