"""Bind extensions, blueprints, commands, error pages and headers to the application."""

import flask_babel
from flask import Flask, g, request
from flask_babel import lazy_gettext
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from satisfaction.core import numbers
from satisfaction.core.sql import binary_results
from satisfaction.extensions import babel, csrf, db, limiter, login_manager, migrate
from satisfaction.paper.codes import group as group_code
from satisfaction.survey import labels

LANG_COOKIE = "lang"


def init_app(app: Flask) -> None:
    """Wire every part of the platform into app."""
    from satisfaction import ops

    ops.init_app(app)  # first: a request is timed and has its id before any other hook
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    _import_models()
    _register_blueprints(app)
    _register_commands(app)
    from satisfaction.core import errors_views, security, sessions

    errors_views.init_app(app)
    security.init_app(app)
    app.session_interface = sessions.SignedCookieSessions()
    from satisfaction.jobs import ticker

    ticker.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        # Behind a reverse proxy the client's address (rate limits) and scheme come from it.
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.jinja_env.globals.update(
        languages=app.config["LANGUAGES"],
        get_locale=flask_babel.get_locale,
        format_date=flask_babel.format_date,
        format_datetime=flask_babel.format_datetime,
        format_decimal=numbers.format_decimal,
        format_percent=flask_babel.format_percent,
        group_code=group_code,
        channel_label=labels.channel_label,
        status_label=labels.status_label,
    )
    # In each template rendered, format_decimal with the locale's symbols found once.
    app.context_processor(lambda: {"format_decimal": numbers.formatter()})
    app.jinja_env.add_extension("jinja2.ext.do")
    app.after_request(_mix_after_answers)


def _mix_after_answers(response):
    """Once a response that put answers in the ballot box is sent, mix them if it is due."""
    from flask import current_app

    from satisfaction.survey import ballot_box, mixing

    if ballot_box.answers_dropped():
        app = current_app._get_current_object()
        if app.config["MIX_IN_THREAD"]:
            response.call_on_close(lambda: mixing.mix_soon(app))
            return response

        def mix() -> None:
            with app.app_context():
                ballot_box.mix_if_due()

        response.call_on_close(mix)
    return response


def select_locale() -> str:
    """Pick the language: an explicit choice in the query or cookie, else Vietnamese."""
    from flask import current_app

    supported = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not request:
        return default
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    locale = chosen if chosen in supported else default
    g.locale = locale
    return locale


def _import_models() -> None:
    """Import every model module so that the metadata is complete."""
    from satisfaction.audit import models as audit_models  # noqa: F401
    from satisfaction.auth import models as auth_models  # noqa: F401
    from satisfaction.auth import tokens as token_models  # noqa: F401
    from satisfaction.core import models as core_models  # noqa: F401
    from satisfaction.intake import models as intake_models  # noqa: F401
    from satisfaction.intake import scan_models  # noqa: F401
    from satisfaction.jobs import models as job_models  # noqa: F401
    from satisfaction.procedures import models as procedure_models  # noqa: F401
    from satisfaction.questionnaires import models as questionnaire_models  # noqa: F401
    from satisfaction.scoring import models as scoring_models  # noqa: F401
    from satisfaction.survey import models as survey_models  # noqa: F401
    from satisfaction.units import models as unit_models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from satisfaction.auth.views import admin_bp, auth_bp
    from satisfaction.core.views import core_bp
    from satisfaction.dashboard.api import api_bp
    from satisfaction.dashboard.views import scores_bp
    from satisfaction.intake.key_views import key_bp
    from satisfaction.intake.review_views import review_bp
    from satisfaction.intake.scan_views import scan_bp
    from satisfaction.intake.views import post_bp
    from satisfaction.jobs.views import jobs_bp
    from satisfaction.ops.views import ops_bp
    from satisfaction.survey.views import survey_bp
    from satisfaction.units.views import units_bp

    for blueprint in (
        core_bp, survey_bp, auth_bp, admin_bp, units_bp, post_bp, scan_bp, key_bp, scores_bp,
        api_bp, ops_bp, jobs_bp,
    ):  # fmt: skip
        app.register_blueprint(blueprint)
    app.register_blueprint(review_bp)
    from satisfaction.dashboard.comments_views import comments_bp

    app.register_blueprint(comments_bp)


def _register_commands(app: Flask) -> None:
    from satisfaction.auth.cli import users_cli
    from satisfaction.demo.cli import demo_cli
    from satisfaction.intake.cli import batches_cli, returns_cli
    from satisfaction.intake.scan_cli import scans_cli
    from satisfaction.jobs.cli import jobs_cli
    from satisfaction.procedures.cli import procedures_cli
    from satisfaction.questionnaires.cli import questionnaires_cli
    from satisfaction.scoring.cli import scores_cli
    from satisfaction.survey.cli import invitations_cli, responses_cli
    from satisfaction.units.cli import service_points_cli, units_cli

    for group in (
        units_cli,
        service_points_cli,
        questionnaires_cli,
        users_cli,
        demo_cli,
        invitations_cli,
        responses_cli,
        batches_cli,
        returns_cli,
        scans_cli,
        scores_cli,
        jobs_cli,
        procedures_cli,
    ):
        app.cli.add_command(group)


event.listen(Engine, "before_cursor_execute", binary_results)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Enforce foreign keys, allow readers during writes and erase deleted rows on SQLite."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Deleted rows are overwritten, not left in free pages: a mixed ballot leaves nothing in a
    # copy of the file (docs/methodology.md, "Anonymity").
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    # SQLite's own lower() knows only ASCII: "ĐẤT" would not find "đất" in a comment.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(text: str | None) -> str | None:
    return text.lower() if isinstance(text, str) else text
