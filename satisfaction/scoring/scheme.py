"""What scoring needs of a questionnaire: its elements, items, expectations and answer scores."""

from collections.abc import Mapping
from dataclasses import dataclass

from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.types import NA, ExpectationQuestion, SatisfactionQuestion


def answer_key(value: object) -> str | None:
    """Return how an answer is counted in aggregates ("4", "na"), or None for no answer."""
    if value is None or value == "":
        return None
    return str(value)


@dataclass(frozen=True)
class Scheme:
    """The structure and scoring rule of a questionnaire, as plain data."""

    rule: str
    elements: tuple[tuple[str, tuple[str, ...]], ...]
    expectations: tuple[str, ...]
    # Answer -> score from 0 to 100; None: the answer is left out of the denominator.
    item_scores: Mapping[str, float | None]
    # Answer -> whether it counts as wanting improvement; None: left out.
    expectation_scores: Mapping[str, float | None]

    @property
    def element_keys(self) -> tuple[str, ...]:
        """Return the element keys in printed order."""
        return tuple(key for key, _items in self.elements)

    @property
    def item_keys(self) -> tuple[str, ...]:
        """Return every item key in printed order."""
        return tuple(item for _key, items in self.elements for item in items)

    @property
    def is_binary(self) -> bool:
        """Return whether every item answer scores 0 or 100 (the top-two rule)."""
        return all(score in (None, 0.0, 100.0) for score in self.item_scores.values())

    @classmethod
    def of(cls, questionnaire: Questionnaire) -> "Scheme":
        """Build the scheme of a questionnaire; each question type scores its own answers."""
        scale, rule = questionnaire.satisfaction_scale, questionnaire.scoring
        items = questionnaire.items
        probe = SatisfactionQuestion(items[0], scale, rule) if items else None
        item_scores = {str(v): probe.score(v) for v in scale.values} if probe else {}
        if probe:
            item_scores[NA] = probe.score(NA)
        expectation_scores: dict[str, float | None] = {}
        if questionnaire.expectation_scale and questionnaire.expectations:
            asked = ExpectationQuestion(
                questionnaire.expectations[0], questionnaire.expectation_scale, rule
            )
            for value in questionnaire.expectation_scale.values:
                expectation_scores[str(value)] = asked.score(value)
        return cls(
            rule=rule.rule,
            elements=tuple(
                (element.key, tuple(item.key for item in element.items))
                for element in questionnaire.elements
            ),
            expectations=questionnaire.expectation_keys,
            item_scores=item_scores,
            expectation_scores=expectation_scores,
        )
