"""The questions of a survey page, drawn once per version and language while none is chosen."""

from collections.abc import Mapping

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.survey.page import SurveyPage, arrange

# Keyed by (content hash, locale): a recorded questionnaire version never changes, and a page
# shown before anything is chosen is the same for every code, so most requests reuse the markup
# (drawing 26 questions is most of a page's cost). The key space is versions x languages: small.
_BLANK: dict[tuple[str, str], Markup] = {}
_PAGES: dict[str, SurveyPage] = {}


def page_of(questionnaire: Questionnaire, content_hash: str) -> SurveyPage:
    """Return the questionnaire arranged for a page, arranged once per version."""
    found = _PAGES.get(content_hash)
    if found is None:
        found = _PAGES[content_hash] = arrange(questionnaire)
    return found


def questions_html(page: SurveyPage, content_hash: str, chosen: Mapping[str, str]) -> Markup:
    """Draw the questions with the chosen answers ticked; reuse the drawing when none is."""
    locale = str(get_locale())
    if chosen:
        return _draw(page, chosen, locale)
    key = (content_hash, locale)
    found = _BLANK.get(key)
    if found is None:
        found = _BLANK[key] = _draw(page, {}, locale)
    return found


def _draw(page: SurveyPage, chosen: Mapping[str, str], locale: str) -> Markup:
    html = render_template("survey/_questions.html", page=page, chosen=chosen, locale=locale)
    return Markup(html)
