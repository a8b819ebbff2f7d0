"""The citizen's pages: enter a code, answer, thanks; the desk poster."""

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from satisfaction.core.errors import InputError, NotFound
from satisfaction.core.time import local_today
from satisfaction.extensions import csrf, db, limiter
from satisfaction.paper.codes import group
from satisfaction.questionnaires.services import get_version
from satisfaction.survey import answering
from satisfaction.survey.expiry import CodeExpired
from satisfaction.survey.fragments import page_of, questions_html
from satisfaction.survey.invitations import CodeState, find_service_point, lookup
from satisfaction.survey.models import Mode

survey_bp = Blueprint("survey", __name__)


def _code_limit() -> str:
    return current_app.config["CODE_RATE_LIMIT"]


def _desk_limit() -> str:
    return current_app.config["DESK_RATE_LIMIT"]


code_limit = limiter.shared_limit(_code_limit, scope="code-lookup")


@survey_bp.get("/")
def home():
    """Explain the survey and let people type the code printed on their form."""
    return render_template("survey/home.html", typed="", problem="")


@survey_bp.get("/s/")
@code_limit
def find():
    """Go to the survey of a typed code, or say what is wrong with it."""
    typed = request.args.get("code", "")
    found = lookup(typed)
    if found.state in (CodeState.MISTYPED, CodeState.UNKNOWN):
        return _code_problem(found, typed)
    return redirect(url_for("survey.answer", code=group(found.code)))


@survey_bp.route("/s/<code>", methods=["GET", "POST"])
@code_limit
@csrf.exempt  # checked below, so that an expired form keeps the citizen's answers
def answer(code: str):
    """Show the questionnaire of a code and record the answer once."""
    found = lookup(code)
    if found.state is not CodeState.OPEN:
        return _closed_page(found, code)
    invitation = found.invitation
    version = invitation.questionnaire_version
    if request.method == "GET":
        return _survey_page(version, invitation=invitation)
    expired = _csrf_failed()
    if expired:
        return _survey_page(version, invitation=invitation, message=expired)
    try:
        answers = answering.parse_form(answering.questionnaire_of(version), request.form)
        answering.record_invited(invitation, answers, Mode.ONLINE, local_today())
    except InputError as error:
        db.session.rollback()
        return _refused(version, error, invitation=invitation)
    except answering.AlreadyAnswered:
        db.session.rollback()
        return render_template("survey/closed.html", state=CodeState.ANSWERED.value), 409
    except CodeExpired as expired:  # it expired since the page was drawn: nothing recorded
        db.session.rollback()
        return render_template("survey/closed.html", state=CodeState.EXPIRED.value,
                               expired_on=expired.expired_on), 409  # fmt: skip
    db.session.commit()
    return redirect(url_for("survey.thanks"))


@survey_bp.get("/thanks")
def thanks():
    """Thank the citizen."""
    return render_template("survey/thanks.html", poster=request.args.get("via") == "poster")


@survey_bp.route("/d/<point_code>", methods=["GET", "POST"])
@limiter.limit(_desk_limit, methods=["POST"])
@csrf.exempt  # checked below, as for coded forms
def desk(point_code: str):
    """Answer from the poster at a desk: no code, reported apart from the official index."""
    point = find_service_point(point_code)
    try:
        version = get_version(current_app.config["DEFAULT_QUESTIONNAIRE"])
    except NotFound:
        version = None
    if point is None or version is None:
        return render_template("survey/closed.html", state="no-desk"), 404
    if request.method == "GET":
        return _survey_page(version, point=point)
    return _desk_submit(version, point)


def _desk_submit(version, point):
    expired = _csrf_failed()
    if expired:
        return _survey_page(version, point=point, message=expired)
    questionnaire = answering.questionnaire_of(version)
    try:
        answers = answering.parse_form(questionnaire, request.form)
        answering.record_desk(point, version, answers, local_today())
    except InputError as error:
        db.session.rollback()
        return _refused(version, error, point=point)
    db.session.commit()
    return redirect(url_for("survey.thanks", via="poster"))  # no paper form to keep or send


def _csrf_failed() -> str | None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        return _("The page was open for a long time. Your answers are kept: please press "
                 "“Send answers” again.")  # fmt: skip
    return None


def _refused(version, error: InputError, **where):
    """Re-show the page for a missing answer; refuse tampered values with 400."""
    if any(problem.where for problem in error.problems):
        messages = [str(p) for p in error.problems]
        return render_template("survey/refused.html", messages=messages), 400
    return _survey_page(version, message=error.problems[0].message, **where)


def _survey_page(version, invitation=None, point=None, message=None):
    chosen = request.form if request.method == "POST" else {}
    status = 200 if message is None else 422
    page = page_of(answering.questionnaire_of(version), version.content_hash)
    return render_template(
        "survey/survey.html", page=page, invitation=invitation, message=message,
        point=point or invitation.service_point,
        questions=questions_html(page, version.content_hash, chosen),
    ), status  # fmt: skip


def _code_problem(found, typed: str):
    """Show the home page again with the typed text and what is wrong with it."""
    status = 404 if found.state is CodeState.UNKNOWN else 400
    return render_template("survey/home.html", typed=typed, problem=found.message), status


def _closed_page(found, typed: str):
    if found.state in (CodeState.MISTYPED, CodeState.UNKNOWN):
        return _code_problem(found, typed)
    # A POST to a closed code changed nothing: say so with 409, whichever way it was closed.
    status = 409 if request.method == "POST" else 200
    return render_template("survey/closed.html", state=found.state.value,
                           expired_on=found.expired_on), status  # fmt: skip
