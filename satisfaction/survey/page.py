"""The questionnaire arranged for a web page: one section per element, then the rest."""

from dataclasses import dataclass

from satisfaction.questionnaires.definition import LocalText, Questionnaire
from satisfaction.questionnaires.types import CommentQuestion, Question, questions


@dataclass(frozen=True)
class Section:
    """A titled group of questions shown in one fieldset."""

    key: str
    title: LocalText | None
    note: LocalText | None
    questions: list[Question]


@dataclass(frozen=True)
class SurveyPage:
    """Everything a page needs to draw a questionnaire."""

    questionnaire: Questionnaire
    sections: list[Section]
    expectations: list[Question]
    comment: CommentQuestion | None


def arrange(questionnaire: Questionnaire) -> SurveyPage:
    """Group the questions of a questionnaire the way the page shows them."""
    by_key = {q.key: q for q in questions(questionnaire)}
    sections = [
        Section(e.key, e.title, e.note, [by_key[item.key] for item in e.items])
        for e in questionnaire.elements
    ]
    expectations = [by_key[e.key] for e in questionnaire.expectations if e.key in by_key]
    comment = next((q for q in by_key.values() if isinstance(q, CommentQuestion)), None)
    return SurveyPage(questionnaire, sections, expectations, comment)


def numbered(page: SurveyPage) -> list[tuple[int, Question]]:
    """Return the questions with choices as the page numbers them: elements, then expectations."""
    asked = [q for section in page.sections for q in section.questions] + page.expectations
    return list(enumerate(asked, start=1))


def skipped(page: SurveyPage, answers: dict) -> list[tuple[int, Question]]:
    """Return the numbered questions left without an answer (the comment is never one)."""
    return [(n, q) for n, q in numbered(page) if answers.get(q.key) is None]
