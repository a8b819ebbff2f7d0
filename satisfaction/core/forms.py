"""Helpers shared by the forms of every page."""

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
