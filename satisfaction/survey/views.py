"""The citizen's pages: enter a code, answer, thanks; the desk poster."""

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from satisfaction.core.errors import InputError, NotFound, Problem
from satisfaction.core.time import local_today
from satisfaction.core.waits import wait_words
from satisfaction.extensions import csrf, db, limiter
from satisfaction.paper.codes import group
from satisfaction.procedures.fields import all_fields, by_code
from satisfaction.questionnaires.services import get_version
from satisfaction.survey import answering
from satisfaction.survey import desk as desk_limits
from satisfaction.survey.expiry import CodeExpired
from satisfaction.survey.fragments import page_of, questions_html
from satisfaction.survey.invitations import CodeState, find_service_point, lookup
from satisfaction.survey.models import Mode
from satisfaction.survey.page import skipped

survey_bp = Blueprint("survey", __name__)


def _code_limit() -> str:
    return current_app.config["CODE_RATE_LIMIT"]


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
    refusal, answers = _read_answers(version, invitation=invitation)
    if refusal is not None:
        return refusal
    try:
        # Dated the day the look-up found the code valid: its expiry is not read again.
        answering.record_invited(invitation, answers, Mode.ONLINE, found.open_on,
                                 open_on=found.open_on)  # fmt: skip
    except answering.AlreadyAnswered:
        db.session.rollback()
        return render_template("survey/closed.html", state=CodeState.ANSWERED.value), 409
    except CodeExpired as expired:  # it expired since the page was drawn: nothing recorded
        db.session.rollback()
        return render_template("survey/closed.html", state=CodeState.EXPIRED.value,
                               expired_on=expired.expired_on), 409  # fmt: skip
    db.session.commit()
    return redirect(_thanks_url())


def _thanks_url() -> str:
    """Return the thank-you page's URL: built once per script root (url_for on each answer)."""
    root = request.script_root
    found = _THANKS.get(root)
    if found is None:
        if len(_THANKS) >= 16:  # a proxy may pass the prefix a client sent: keep a few
            _THANKS.clear()
        found = _THANKS[root] = url_for("survey.thanks")
    return found


_THANKS: dict[str, str] = {}  # by the script root the app is mounted at (one in service)


@survey_bp.get("/thanks")
def thanks():
    """Thank the citizen."""
    return render_template("survey/thanks.html", poster=request.args.get("via") == "poster")


@survey_bp.route("/d/<point_code>", methods=["GET", "POST"])
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
    if request.method == "POST":
        return _desk_submit(version, point)
    return desk_limits.name_browser(make_response(_survey_page(version, point=point)))


def _desk_submit(version, point):
    """Record a poster's answer once, within the limits of its browser and of its address."""
    browser = desk_limits.browser_of()
    token = desk_limits.valid_token(request.form.get("once"))
    if desk_limits.already_sent(token):  # recorded before, but the phone did not get the reply
        return redirect(url_for("survey.thanks", via="poster"))
    address = request.remote_addr or ""
    wait = desk_limits.wait_seconds(point.code, browser, address)
    if wait:
        message = _("Many answers were sent from this phone here in a short time: please wait "
                    "%(wait)s, then send again. Your answers are kept on this page.",
                    wait=wait_words(wait))  # fmt: skip
        html, status = _survey_page(version, point=point, message=message, status=429)
        return html, status, {"Retry-After": str(wait)}
    refusal, answers = _read_answers(version, point=point)
    if refusal is not None:
        return refusal
    field = request.form.get("procedure_field", "")
    if field and by_code(field) is None:  # not one of the page's choices: a tampered form
        problem = Problem("procedure_field", _("%(code)s is not a field of procedures", code=field))
        return _refused(version, InputError(problem), point=point)
    answering.record_desk(point, version, answers, local_today(), field)
    db.session.commit()
    desk_limits.count_answer(point.code, browser, address, token)
    return redirect(url_for("survey.thanks", via="poster"))  # no paper form to keep or send


def _read_answers(version, **where):
    """Return (None, answers) of a sent form, or (the page to show instead, None).

    That page is the form again with its answers: when its token expired, when an answer is
    missing, or when questions were left out and the citizen did not choose to send anyway
    (then with the list of them).
    """
    expired = _csrf_failed()
    if expired:
        return _survey_page(version, message=expired, **where), None
    try:
        answers = answering.parse_form(answering.questionnaire_of(version), request.form)
    except InputError as error:
        db.session.rollback()
        return _refused(version, error, **where), None
    if not request.form.get("send_anyway"):
        left_out = skipped(page_of(answering.questionnaire_of(version), version.content_hash),
                           answers)  # fmt: skip
        if left_out:
            return _survey_page(version, left_out=left_out, **where), None
    return None, answers


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


def _survey_page(version, invitation=None, point=None, message=None, left_out=(), status=None):
    """Draw the questionnaire; shown again after a send, with the answers that came with it."""
    chosen = request.form if request.method == "POST" else {}
    page = page_of(answering.questionnaire_of(version), version.content_hash)
    # The browser keeps answers under the code (or the poster's service point) until sent.
    store = f"s/{invitation.code}" if invitation else f"d/{point.code}"
    # A poster's form carries a random token, so that a send repeated is recorded once.
    once = None if invitation else desk_limits.valid_token(chosen.get("once"))
    if status is None:
        status = 200 if message is None and not left_out else 422
    return render_template(
        "survey/survey.html", page=page, invitation=invitation, message=message,
        point=point or invitation.service_point, store=store, skipped=left_out,
        once=once or (None if invitation else desk_limits.new_token()),
        locale=str(get_locale()), questions=questions_html(page, version.content_hash, chosen),
        fields=None if invitation else poster_fields(str(get_locale())),
    ), status  # fmt: skip


def poster_fields(locale: str) -> list[tuple[str, str]]:
    """Return the choices of the poster's question on the procedure's field, "none" first."""
    return [("", _("I do not know, or I would rather not say")),
            *((f.code, f.name(locale)) for f in all_fields())]  # fmt: skip


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
