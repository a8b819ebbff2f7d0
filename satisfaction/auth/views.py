"""Sign-in, the staff home, one's own password, and the administrator's account pages."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from satisfaction.auth import services
from satisfaction.auth.access import staff_required
from satisfaction.auth.forms import LoginForm, PasswordForm, RoleForm, UserForm, role_choices
from satisfaction.auth.models import Role, User
from satisfaction.core.errors import InputError, NotFound
from satisfaction.core.forms import show_problems
from satisfaction.core.views import safe_next
from satisfaction.extensions import db, limiter, login_manager

auth_bp = Blueprint("auth", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the signed-in user from the session."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@auth_bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Sign a staff member in."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.staff_home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            session.clear()  # a new session on sign-in: no fixation
            login_user(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next") or url_for("auth.staff_home")))
        form.form_errors.append(_("Wrong username or password."))
    return render_template("auth/login.html", form=form)


@auth_bp.post("/logout")
def logout():
    """Sign out."""
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@auth_bp.get("/staff/")
@staff_required()
def staff_home():
    """Show what this staff member can do."""
    return render_template("auth/staff_home.html")


@auth_bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Let a staff member change their own password."""
    form = PasswordForm()
    if form.validate_on_submit():
        if services.authenticate(current_user.username, form.current.data) is None:
            form.current.errors = [_("This is not your current password.")]
        else:
            try:
                services.set_password(current_user, form.password.data, actor=current_user)
            except InputError as error:
                show_problems(form, error)
            else:
                db.session.commit()
                flash(_("Your password was changed."), "success")
                return redirect(url_for("auth.staff_home"))
    return render_template("auth/password.html", form=form)


@admin_bp.get("/users")
@staff_required(Role.ADMIN)
def users():
    """List the staff accounts."""
    return render_template("auth/users.html", users=services.list_users())


@admin_bp.route("/users/new", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def new_user():
    """Create a staff account."""
    form = UserForm()
    form.role.choices = role_choices()
    if form.validate_on_submit():
        try:
            role = services.parse_role(form.role.data)
            user = services.create_user(
                form.username.data, form.password.data, role, form.scope.data, actor=current_user
            )
        except InputError as error:
            show_problems(form, error)
        else:
            db.session.commit()
            flash(_("Account %(name)s created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("auth/user_new.html", form=form)


@admin_bp.route("/users/<username>", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def edit_user(username: str):
    """Change the role, scope and status of an account."""
    try:
        user = services.get_user(username)
    except NotFound:
        return render_template(
            "errors/error.html",
            code=404,
            title=_("Page not found"),
            text=_("No account is called %(name)s.", name=username),
        ), 404
    form = RoleForm(obj=None if request.method == "POST" else _role_data(user))
    form.role.choices = role_choices()
    if form.validate_on_submit():
        try:
            role = services.parse_role(form.role.data)
            services.set_role(user, role, form.scope.data, form.is_enabled.data, actor=current_user)
        except InputError as error:
            show_problems(form, error)
        else:
            db.session.commit()
            flash(_("Account %(name)s updated.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("auth/user_edit.html", form=form, user=user)


def _role_data(user: User):
    """Return an object whose attributes fill the role form."""

    class Data:
        role = user.role.value
        scope = user.scope_unit.code if user.scope_unit else ""
        is_enabled = user.is_enabled

    return Data()
