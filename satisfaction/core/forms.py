"""Helpers shared by the forms of every page."""

from flask_babel import get_translations, ngettext
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from satisfaction.core.errors import InputError


def show_problems(form: FlaskForm, error: InputError) -> None:
    """Attach each problem to the field it names, the rest to the form as a whole."""
    for problem in error.problems:
        field = getattr(form, problem.where, None) if problem.where else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, problem.message]
        else:
            form.form_errors.append(str(problem))


class _Catalog:
    """WTForms' own messages (a field left empty, a number out of range) from our catalog."""

    def gettext(self, string: str) -> str:
        """Return a message of WTForms in the page's language."""
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Return a counted message of WTForms in the page's language."""
        return get_translations().ungettext(singular, plural, n)


CATALOG = _Catalog()


class Form(FlaskForm):
    """A form of this platform: WTForms' own messages come in Vietnamese too."""

    class Meta:
        def get_translations(self, form):
            return CATALOG


def _wtforms_messages() -> None:  # never called: names WTForms' messages for `make extract`
    _("This field is required.")
    _("Not a valid integer value.")
    _("Not a valid decimal value.")
    _("Not a valid date value.")
    _("Not a valid choice.")
    _("Invalid Choice: could not coerce.")
    _("Invalid input.")
    _("Field must be equal to %(other_name)s.")
    _("Field must be between %(min)d and %(max)d characters long.")
    _("Number must be at least %(min)s.")
    _("Number must be at most %(max)s.")
    _("Number must be between %(min)s and %(max)s.")
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long.", 1)  # fmt: skip
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", 1)  # fmt: skip
    ngettext("Field must be exactly %(max)d character long.",
             "Field must be exactly %(max)d characters long.", 1)  # fmt: skip
