"""Commands for questionnaire definitions."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from satisfaction.core.cli import fail_on_input_error
from satisfaction.core.errors import NotFound
from satisfaction.extensions import db
from satisfaction.questionnaires import services
from satisfaction.questionnaires.definition import Questionnaire
from satisfaction.questionnaires.loader import display_name

questionnaires_cli = AppGroup("questionnaires", help="Check, record and show questionnaires.")


def _forms_dir() -> Path:
    return Path(current_app.config["FORMS_DIR"])


@questionnaires_cli.command("check")
def check_command():
    """Check every questionnaire file in the forms folder."""
    with fail_on_input_error():
        loaded = services.check_all(_forms_dir())
    for form in loaded:
        q = form.questionnaire
        click.echo(
            _(
                "%(file)s: OK (%(key)s v%(version)d: %(elements)d elements, %(items)d items, "
                "%(expectations)d expectations)",
                file=display_name(_forms_dir() / form.source_file),
                key=q.key,
                version=q.version,
                elements=len(q.elements),
                items=len(q.items),
                expectations=len(q.expectations),
            )
        )


@questionnaires_cli.command("sync")
def sync_command():
    """Record new questionnaire versions in the database; refuse edits to recorded ones."""
    with fail_on_input_error():
        outcomes = services.sync_all(_forms_dir())
        db.session.commit()
    for o in outcomes:
        if o.status == "recorded":
            click.echo(
                _(
                    "%(key)s v%(version)d: recorded from %(file)s",
                    key=o.key,
                    version=o.version,
                    file=o.source_file,
                )
            )
        else:
            click.echo(_("%(key)s v%(version)d: unchanged", key=o.key, version=o.version))


@questionnaires_cli.command("show")
@click.argument("key")
@click.option("--version", type=click.IntRange(min=1), help="Version (default: the latest).")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True
)
@click.option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    default="vi",
    show_default=True,
    help="Language of the text format.",
)
def show_command(key: str, version: int | None, fmt: str, lang: str):
    """Show a questionnaire: the recorded version, or the file when not recorded yet."""
    try:
        with fail_on_input_error():
            found = services.find_questionnaire(key, version, _forms_dir())
    except NotFound:
        name = key if version is None else f"{key} v{version}"
        raise click.ClickException(
            _(
                "No questionnaire %(name)s is recorded or has a file in %(folder)s.",
                name=name,
                folder=_forms_dir().name,
            )
        ) from None
    if fmt == "json":
        click.echo(json.dumps(found.questionnaire.to_dict(), ensure_ascii=False, indent=2))
        return
    if found.is_recorded:
        click.echo(_("(recorded in the database)"))
    else:
        click.echo(_("(read from %(file)s: not recorded yet)", file=found.source))
    for line in _text_lines(found.questionnaire, lang):
        click.echo(line)


def _text_lines(q: Questionnaire, lang: str) -> list[str]:
    """Return a questionnaire as lines of text for reading in a terminal."""
    scoring = q.scoring
    lines = [
        f"{q.key} v{q.version}: {q.title.text(lang)}",
        _(
            "scoring: %(rule)s, positive %(positive)s, excluded %(exclude)s",
            rule=scoring.rule,
            positive=list(scoring.positive),
            exclude=list(scoring.exclude),
        ),
        "",
    ]
    for element in q.elements:
        lines.append(f"[{element.key}] {element.title.text(lang)}")
        for item in element.items:
            na = " (NA)" if item.allow_na else ""
            lines.append(f"  {item.key}{na}: {item.text.text(lang)}")
    if q.expectations:
        lines += ["", f"[{_('expectations')}]"]
        lines += [f"  {e.key}: {e.text.text(lang)}" for e in q.expectations]
    if q.comment:
        lines += [
            "",
            f"[{q.comment.key}] {q.comment.prompt.text(lang)} (max {q.comment.max_length})",
        ]
    return lines
