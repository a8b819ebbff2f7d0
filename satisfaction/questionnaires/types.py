"""Question types: each parses its raw answers, offers its choices and scores itself.

Style rule 7 asks each type to also build its web form field and draw itself on paper. Those
belong beside parse() and score() on these classes; survey/ and paper/ add them when they are
written, reading only the interface below (kind, key, prompt, choices), so no caller needs a
type switch. Answers are stored as parsed here: an int, NA ("na") or None, and text for comments.
"""

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Final

from flask_babel import gettext as _

from satisfaction.core.errors import InputError, Problem
from satisfaction.questionnaires.definition import (
    Comment,
    Expectation,
    Item,
    LocalText,
    Questionnaire,
    Scale,
    ScoringRule,
)

NA: Final = "na"
Answer = int | str | None
DIGITS = re.compile(r"[0-9]{1,3}")
# Line breaks and tabs are kept; other control characters (NUL breaks PostgreSQL) are dropped.
KEPT_CONTROLS = frozenset("\n\t")


@dataclass(frozen=True)
class Option:
    """A choice as offered to a citizen: its stored value and its label in one language."""

    value: int | str
    label: str


class Question(ABC):
    """What every question type offers the web form, the paper form and the importers."""

    kind: ClassVar[str]
    key: str

    @abstractmethod
    def prompt(self, locale: object = None) -> str:
        """Return the question's text in a language."""

    @abstractmethod
    def parse(self, raw: object) -> Answer:
        """Return the typed answer of a raw value (form field, CSV cell); InputError if bad."""

    def choices(self, locale: object = None) -> list[Option]:
        """Return the choices offered, in display order (none for free text)."""
        return []

    def refuse(self, message: str) -> InputError:
        """Return the error refusing an answer to this question."""
        return InputError(Problem(self.key, message))


class ScaleQuestion(Question):
    """A question answered by ticking one value of a scale; positive answers count for."""

    def __init__(self, key: str, text: LocalText, scale: Scale, positive: tuple[int, ...]):
        self.key = key
        self.text = text
        self.scale = scale
        self.positive = positive
        self.values = frozenset(scale.values)
        # A web form sends a choice's value as its digits ("4"): found without parsing.
        self.by_text = {str(value): value for value in scale.values}

    def prompt(self, locale: object = None) -> str:
        """Return the statement in a language."""
        return self.text.text(locale)

    def choices(self, locale: object = None) -> list[Option]:
        """Return the scale's choices lowest first, as the printed form runs every scale."""
        ordered = sorted(self.scale.choices, key=lambda choice: choice.value)
        return [Option(c.value, c.label.text(locale)) for c in ordered]

    def parse(self, raw: object) -> Answer:
        """Return the value ticked, or None when the answer is empty."""
        if isinstance(raw, str) and raw in self.by_text:
            return self.by_text[raw]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        value = _whole_number(raw)
        if value not in self.values:
            raise self.refuse(self._allowed_message(raw))
        return value

    def counts(self, answer: Answer) -> bool:
        """Return whether an answer belongs to the denominator."""
        return answer is not None

    def is_positive(self, answer: Answer) -> bool:
        """Return whether an answer counts for the share (satisfied; wants improvement)."""
        return self.counts(answer) and answer in self.positive

    def score(self, answer: Answer) -> float | None:
        """Return the score from 0 to 100 (an index is their mean); None if not counted."""
        if not self.counts(answer):
            return None
        return 100.0 if self.is_positive(answer) else 0.0

    def _allowed_message(self, raw: object) -> str:
        values = ", ".join(str(v) for v in sorted(self.scale.values))
        return _(
            "%(value)r is not an answer: use %(values)s or leave it empty", value=raw, values=values
        )


class SatisfactionQuestion(ScaleQuestion):
    """A statement rated on the satisfaction scale, optionally "not applicable"."""

    kind = "satisfaction"

    def __init__(self, item: Item, scale: Scale, scoring: ScoringRule):
        super().__init__(item.key, item.text, scale, scoring.positive)
        self.item = item
        self.allow_na = item.allow_na
        self.scoring = scoring

    def choices(self, locale: object = None) -> list[Option]:
        """Return the scale's choices, then "not applicable" where the item offers it."""
        options = super().choices(locale)
        if self.allow_na and self.scale.not_applicable:
            options.append(Option(NA, self.scale.not_applicable.text(locale)))
        return options

    def parse(self, raw: object) -> Answer:
        """Return 1-5, NA or None; NA only where the item allows it."""
        if isinstance(raw, str) and raw in self.by_text:  # a value as the web form sends it
            return self.by_text[raw]
        if isinstance(raw, str) and raw.strip().lower() == NA:
            if not self.allow_na:
                raise self.refuse(_('"not applicable" (NA) is not offered for this item'))
            return NA
        return super().parse(raw)

    def counts(self, answer: Answer) -> bool:
        """Return whether an answer belongs to the denominator under the scoring rule."""
        if answer is None:
            return False
        if answer == NA:
            return "na" not in self.scoring.exclude
        neutral = answer == self.scale.neutral
        return not (neutral and "neutral" in self.scoring.exclude)

    def score(self, answer: Answer) -> float | None:
        """Return 100/0 (top-two) or the value rescaled to 0-100 (mean); None if not counted."""
        if self.scoring.rule == "top-two" or not self.counts(answer):
            return super().score(answer)
        low, high = self.scale.lowest, self.scale.highest
        return (int(answer) - low) * 100.0 / (high - low)  # type: ignore[arg-type]

    def _allowed_message(self, raw: object) -> str:
        if not self.allow_na:
            return super()._allowed_message(raw)
        values = ", ".join(str(v) for v in sorted(self.scale.values))
        return _(
            "%(value)r is not an answer: use %(values)s, NA or leave it empty",
            value=raw,
            values=values,
        )


class ExpectationQuestion(ScaleQuestion):
    """How much the citizen wants an aspect improved; reported as the share of "much" or more."""

    kind = "expectation"

    def __init__(self, expectation: Expectation, scale: Scale, scoring: ScoringRule):
        super().__init__(expectation.key, expectation.text, scale, scoring.expectation_positive)
        self.expectation = expectation


class CommentQuestion(Question):
    """The free-text comment: any text up to its maximum length."""

    kind = "comment"

    def __init__(self, comment: Comment):
        self.key = comment.key
        self.comment = comment
        self.max_length = comment.max_length

    def prompt(self, locale: object = None) -> str:
        """Return the invitation to comment in a language."""
        return self.comment.prompt.text(locale)

    def parse(self, raw: object) -> str | None:
        """Return the comment cleaned of invisible control characters, or None if empty."""
        if raw is None:
            return None
        text = unicodedata.normalize("NFC", str(raw)).replace("\r\n", "\n").replace("\r", "\n")
        text = "".join(
            ch for ch in text if ch in KEPT_CONTROLS or unicodedata.category(ch) != "Cc"
        ).strip()
        if len(text) > self.max_length:
            raise self.refuse(
                _(
                    "the comment has %(n)d characters; at most %(max)d are allowed",
                    n=len(text),
                    max=self.max_length,
                )
            )
        return text or None


def _whole_number(raw: object) -> int | None:
    """Return raw as a whole number (7, 7.0, " 7 "), or None if it is not one."""
    if isinstance(raw, str):
        text = raw.strip()
        return int(text) if DIGITS.fullmatch(text) else None
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)  # spreadsheets give 4.0 for 4
    return None


def questions(questionnaire: Questionnaire) -> list[Question]:
    """Return every question in printed order: items, expectations, the comment."""
    return list(_asked(questionnaire)[0])


def answer_keys(questionnaire: Questionnaire) -> frozenset[str]:
    """Return the keys a questionnaire's answers may have (Questionnaire.answer_keys, as a set)."""
    return _asked(questionnaire)[1]


# The questions of a questionnaire, built once per questionnaire object (a recorded version is
# parsed once per process, answering.questionnaire_of, and every answer to it asks the same
# questions). Keyed by identity, holding the object so that its id is not reused meanwhile;
# emptied when full (questionnaires read from files or imports are not kept forever).
_ASKED: dict[int, tuple[Questionnaire, tuple[Question, ...], frozenset[str]]] = {}
_ASKED_MAX = 64


def _asked(questionnaire: Questionnaire) -> tuple[tuple[Question, ...], frozenset[str]]:
    found = _ASKED.get(id(questionnaire))
    if found is None or found[0] is not questionnaire:
        if len(_ASKED) >= _ASKED_MAX:
            _ASKED.clear()
        built = tuple(_build(questionnaire))
        keys = frozenset(questionnaire.answer_keys)
        found = _ASKED[id(questionnaire)] = (questionnaire, built, keys)
    return found[1], found[2]


def _build(questionnaire: Questionnaire) -> list[Question]:
    scoring = questionnaire.scoring
    found: list[Question] = [
        SatisfactionQuestion(item, questionnaire.satisfaction_scale, scoring)
        for item in questionnaire.items
    ]
    if questionnaire.expectation_scale:
        found += [
            ExpectationQuestion(expectation, questionnaire.expectation_scale, scoring)
            for expectation in questionnaire.expectations
        ]
    if questionnaire.comment:
        found.append(CommentQuestion(questionnaire.comment))
    return found


def parse_answers(questionnaire: Questionnaire, raw: Mapping[str, object]) -> dict[str, Answer]:
    """Return the typed answer to every question (None where raw lacks it); all problems at once."""
    answers: dict[str, Answer] = {}
    problems: list[Problem] = []
    for question in _asked(questionnaire)[0]:
        try:
            answers[question.key] = question.parse(raw.get(question.key))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return answers
