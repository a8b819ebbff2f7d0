"""The keying screens: keyboard only, shown back before it counts; double entry resolution."""

import time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from satisfaction.auth.access import staff_required
from satisfaction.auth.models import Role
from satisfaction.core.errors import InputError
from satisfaction.core.forms import show_problems
from satisfaction.core.time import local_today
from satisfaction.extensions import db
from satisfaction.intake import keying, tracking
from satisfaction.intake.forms import KeyForm, ScanForm
from satisfaction.paper.codes import group

key_bp = Blueprint("key", __name__, url_prefix="/post/key")


def _message(outcome: keying.Keyed, code: str) -> tuple[str, str]:
    if outcome is keying.Keyed.COUNTED:
        return "success", _("%(code)s: saved and counted.", code=code)
    if outcome is keying.Keyed.FIRST_ENTRY:
        return "success", _("%(code)s: first entry saved; another clerk keys it again without "
                            "seeing this one.", code=code)  # fmt: skip
    if outcome is keying.Keyed.BLANK:
        return "info", _("%(code)s: nothing is answered on this form: recorded as returned blank, "
                         "not counted. An answer given later for this code still counts.",
                         code=code)  # fmt: skip
    if outcome is keying.Keyed.MISMATCH:
        return "error", _("%(code)s: the two entries differ; a supervisor will decide.", code=code)
    return "error", _("%(code)s was already answered: this answer is kept as a duplicate and "
                      "not counted.", code=code)  # fmt: skip


@key_bp.route("/", methods=["GET", "POST"])
@staff_required(Role.POSTAL)
def start():
    """Ask for the code of the next paper form."""
    form = ScanForm()
    if form.validate_on_submit():
        try:
            invitation = tracking.find_for_clerk(form.code.data, current_user)
        except InputError as error:
            show_problems(form, error)
        else:
            return redirect(url_for("key.form", code=group(invitation.code)))
    return render_template("intake/key_start.html", form=form), 200 if not form.errors else 422


def _start_again(code: str, error: InputError):
    """Show the code screen again, the typed code in it and what is wrong with it said."""
    form = ScanForm(formdata=None, code=code[:40])
    show_problems(form, error)
    return render_template("intake/key_start.html", form=form), 404


@key_bp.route("/<code>", methods=["GET", "POST"])
@staff_required(Role.POSTAL)
def form(code: str):
    """Key a form's answers, show them back, then count them on confirmation."""
    try:
        invitation = tracking.find_for_clerk(code, current_user)
    except InputError as error:
        return _start_again(code, error)
    questionnaire = keying.questionnaire_for(invitation)
    entry = KeyForm()
    if request.method == "GET":
        entry.started.data = str(time.time())
    answers = None
    if entry.validate_on_submit():
        try:
            answers = keying.parse_digits(questionnaire, entry.digits.data, entry.comment.data)
            if entry.confirm.data == "yes":
                return _save(invitation, answers, entry)
        except InputError as error:
            db.session.rollback()
            show_problems(entry, error)
            answers = None
    return render_template(
        "intake/key_form.html",
        invitation=invitation,
        warning=keying.keying_warning(invitation),
        form=entry,
        questions=keying.scale_questions(questionnaire),
        groups=keying.digit_groups(questionnaire, get_locale()),
        answers=answers,
    )


def _save(invitation, answers, entry: KeyForm):
    try:
        seconds = max(0.0, time.time() - float(entry.started.data or 0)) or None
    except ValueError:
        seconds = None
    result = keying.key_form(invitation.code, answers, current_user, local_today(), seconds)
    db.session.commit()
    category, message = _message(result.outcome, group(invitation.code))
    flash(message, category)
    return redirect(url_for("key.start"))


@key_bp.get("/waiting")
@staff_required(Role.POSTAL)
def waiting():
    """List the forms keyed once that wait for a second entry, and who keyed them first."""
    entries = keying.waiting_second_entry(current_user)
    return render_template("intake/key_waiting.html", entries=entries)


@key_bp.get("/mismatches")
@staff_required(Role.POSTAL)
def mismatches():
    """List the forms whose two entries differ."""
    return render_template("intake/key_mismatches.html", pairs=keying.mismatches(current_user))


@key_bp.route("/<code>/resolve", methods=["GET", "POST"])
@staff_required(Role.SUPERVISOR)
def resolve(code: str):
    """Show both differing entries side by side and record the answer decided on."""
    try:
        invitation = tracking.find_for_clerk(code, current_user)
    except InputError as error:
        return _start_again(code, error)
    pair = next((p for p in keying.mismatches(current_user) if p[0].id == invitation.id), None)
    if pair is None:
        flash(_("%(code)s has no entries to resolve.", code=group(invitation.code)), "error")
        return redirect(url_for("key.mismatches"))
    questionnaire = keying.questionnaire_for(invitation)
    entry = KeyForm()
    answers = None
    if entry.validate_on_submit():
        try:
            answers = keying.parse_digits(questionnaire, entry.digits.data, entry.comment.data)
            if entry.confirm.data == "yes":
                result = keying.resolve(invitation.code, answers, current_user, local_today())
                db.session.commit()
                code = group(invitation.code)
                if result.outcome is keying.Keyed.COUNTED:
                    flash(_("%(code)s: decision recorded and counted.", code=code), "success")
                else:
                    flash(*reversed(_message(result.outcome, code)))
                return redirect(url_for("key.mismatches"))
        except InputError as error:
            db.session.rollback()
            show_problems(entry, error)
            answers = None
    return render_template("intake/key_resolve.html", invitation=invitation, form=entry,
                           questions=keying.scale_questions(questionnaire),
                           groups=keying.digit_groups(questionnaire, get_locale()), first=pair[1],
                           second=pair[2], answers=answers)  # fmt: skip
