"""Forms of the post office's batch pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from satisfaction.core.forms import Form
from satisfaction.intake.batches import MAX_FORMS
from satisfaction.intake.breakdowns import DEFAULT_OVERDUE_DAYS
from satisfaction.procedures.fields import all_fields
from satisfaction.survey.expiry import MAX_VALID_DAYS


def channel_choices(envelope: bool = True) -> list[tuple[str, str]]:
    """Return the channels as (value, label) in the user's language."""
    choices = [("envelope", _l("With results sent by post (envelope)")),
               ("enumerator", _l("Handed out by postal staff (enumerator)")),
               ("desk", _l("At the one-stop desk"))]  # fmt: skip
    return [(v, str(label)) for v, label in choices if envelope or v != "envelope"]


def field_choices(locale: str | None) -> list[tuple[str, str]]:
    """Return the fields of procedures as (code, name), "not stated" first, in a language."""
    return [("", str(_l("Not stated (procedures of several fields)"))),
            *((f.code, f.name(locale)) for f in all_fields())]  # fmt: skip


class DossierListForm(Form):
    """Upload a dossier list: one form per result going out by post."""

    file = FileField(_l("Dossier list (CSV or Excel .xlsx)"), validators=[FileRequired()])
    channel = SelectField(_l("Channel"), default="envelope")
    valid_days = IntegerField(
        _l("Days the codes can be answered"),
        validators=[Optional(), NumberRange(min=1, max=MAX_VALID_DAYS)],
    )


class StackForm(Form):
    """Ask for N forms for a service point, or N for each service point of an area."""

    service_point = StringField(
        _l("Service point or area code"), validators=[DataRequired(), Length(max=32)]
    )
    count = IntegerField(
        _l("Number of forms"), validators=[DataRequired(), NumberRange(min=1, max=MAX_FORMS)]
    )
    channel = SelectField(_l("Channel"), default="enumerator")
    field = SelectField(_l("Field of the procedures"), default="")
    valid_days = IntegerField(
        _l("Days the codes can be answered"),
        validators=[Optional(), NumberRange(min=1, max=MAX_VALID_DAYS)],
    )


class PrintForm(Form):
    """Download the PDF of a batch (and record that it was printed)."""


class ScanForm(Form):
    """One scanned or typed code (a handheld scanner types it and presses Enter)."""

    code = StringField(_l("Form code"), validators=[DataRequired(), Length(max=40)])


class WithdrawForm(Form):
    """Withdraw a spoiled or lost form, with the reason."""

    code = StringField(_l("Form code"), validators=[DataRequired(), Length(max=40)])
    note = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])


class KeyForm(Form):
    """The answers of one paper form: a digit per question, and the comment."""

    digits = StringField(
        _l("Answers, one digit per question"), validators=[DataRequired(), Length(max=200)]
    )
    comment = TextAreaField(_l("Comment written on the form"), validators=[Length(max=2000)])
    started = HiddenField()
    confirm = HiddenField()


class FiguresFilter(Form):
    """Narrow the figures to a unit, a batch or a period (read-only: no token)."""

    class Meta:
        csrf = False

    unit = StringField(_l("Unit code"), validators=[Optional(), Length(max=16)])
    batch = IntegerField(_l("Batch"), validators=[Optional(), NumberRange(min=1)])
    start = DateField(_l("Issued from"), validators=[Optional()])
    end = DateField(_l("Issued until"), validators=[Optional()])
    days = IntegerField(
        _l("Out for more than (days)"), default=DEFAULT_OVERDUE_DAYS,
        validators=[Optional(), NumberRange(min=1, max=MAX_VALID_DAYS)],
    )  # fmt: skip


class ScanUploadForm(Form):
    """Upload a file of scanned returns."""

    file = FileField(_l("Scan file (PDF, TIFF, PNG or JPEG)"), validators=[FileRequired()])


class ReviewForm(Form):
    """A digit for a question, a typed code for an unidentified page, nothing for the rest."""

    value = StringField(_l("Answer"), validators=[Optional(), Length(max=40)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])
    skip = SubmitField(_l("Skip: unreadable or empty"))
