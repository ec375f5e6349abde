"""Signing in and out, the language switcher, the account page and user admin.

Sessions: on sign-in the session is cleared and refilled (no fixation), and it
holds only the user's id, name and session version; every request re-reads the
user, so a deactivated account is signed out at once, and signing out or a new
password (which moves the user's session version on) ends every session of the
user, copies of the cookie included (docs/web.md, "Security"). Failed sign-ins
are rate-limited per client address and per address + user name (see
:class:`web.security.LoginLimiter`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.exceptions import TooManyRequests
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional

from camwatch.errors import CamwatchError
from camwatch.registry import users as users_service
from camwatch.registry.models import Compound, User
from web.db import db_session
from web.forms import choices, posted_version
from web.i18n import gettext as _
from web.security import ALL_ROLES, limiter, login_required, require

bp = Blueprint("auth", __name__)

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "district": _l("District office"),
    "planner": _l("Planner"),
    "technician": _l("Technician"),
    "manager": _l("Property manager"),
}


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class LanguageForm(FlaskForm):
    lang = SelectField(choices=choices([("zh", "中文"), ("en", "English")]))


class UserForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(min=2, max=64)])
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=100)])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=256)])
    role = SelectField(_l("Role"), choices=choices([(r, ROLE_LABELS[r]) for r in ALL_ROLES]))
    language = SelectField(_l("Language"), choices=choices([("zh", "中文"), ("en", "English")]))
    compounds = SelectMultipleField(_l("Compounds (managers)"), choices=[])
    active = BooleanField(_l("Active"), default=True)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after sign-in."""
    if not target:
        return url_for("compounds.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("compounds.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign-in form; rate-limited."""
    if g.get("user") is not None and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "POST":
        name = (form.username.data or "").strip()
        address = request.remote_addr or "?"
        wait = limiter().retry_after(address, name)
        if wait > 0:
            exc = TooManyRequests(
                _("Too many failed sign-ins; try again in %(s)d s.", s=int(wait) + 1)
            )
            exc.retry_after = int(wait) + 1  # type: ignore[attr-defined]
            raise exc
        if form.validate_on_submit():
            db = db_session()
            user = users_service.authenticate(db, name, form.password.data or "")
            if user is None:
                limiter().failed(address, name)
                flash(_("Wrong user name or password."), "error")
                return render_template("auth/login.html", form=form), 401
            db.commit()  # a re-hashed password, if any
            limiter().succeeded(address, name)
            session.clear()
            session.permanent = True
            session["uid"] = user.id
            session["username"] = user.username
            session["sv"] = user.session_version
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Sign out (POST with CSRF token, so other sites cannot sign people out).

    Ends every session of the user, not only this cookie: a copy of the cookie
    (another browser, a stolen one) stops working too.
    """
    lang = session.get("lang")
    user = g.get("user")
    if user is not None:
        db = db_session()
        users_service.end_sessions(db, user.username, actor=user.username)
        db.commit()
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    """The language switcher: remembered in the session and, when signed in, on the user."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session["lang"] = form.lang.data
    user = g.get("user")
    if user is not None and user.language != form.lang.data:
        db = db_session()
        users_service.update_user(db, user.username, language=form.lang.data, actor=user.username)
        db.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The signed-in user's page: role, compounds, API token (issued here, shown once)."""
    token = None
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        db = db_session()
        if request.form.get("action") == "revoke":
            users_service.revoke_token(db, g.user.username, actor=g.user.username)
            flash(_("API token revoked."), "ok")
        else:
            token = users_service.issue_token(db, g.user.username, actor=g.user.username)
        db.commit()
    return render_template("auth/account.html", form=form, token=token, role_labels=ROLE_LABELS)


@bp.get("/users")
@require("user.manage")
def users():
    """All users (admin)."""
    db = db_session()
    return render_template(
        "auth/users.html",
        users=users_service.list_users(db),
        role_labels=ROLE_LABELS,
        form=FlaskForm(),
    )


def _compound_choices() -> list[tuple[str, str]]:
    from sqlalchemy import select

    rows = db_session().scalars(select(Compound).order_by(Compound.code)).all()
    return [(c.code, f"{c.code} · {c.name or ''}") for c in rows]


@bp.route("/users/new", methods=["GET", "POST"])
@require("user.manage")
def user_new():
    """Create a user (admin)."""
    form = UserForm()
    form.compounds.choices = choices(_compound_choices())
    if form.validate_on_submit():
        db = db_session()
        try:
            users_service.create_user(
                db,
                form.username.data.strip(),
                form.password.data or "",
                role=form.role.data,
                display_name=form.display_name.data or None,
                language=form.language.data,
                compounds=form.compounds.data or [],
                actor=g.user.username,
            )
            db.commit()
        except CamwatchError as exc:
            db.rollback()
            flash(str(exc), "error")
            return render_template("auth/user_form.html", form=form, new=True), 400
        flash(_("User %(name)s created.", name=form.username.data), "ok")
        return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, new=True)


@bp.route("/users/<username>", methods=["GET", "POST"])
@require("user.manage")
def user_edit(username: str):
    """Change a user's role, compounds, language, active flag or password (admin)."""
    db = db_session()
    user = users_service.get_user(db, username)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    del form.username  # the name is the URL; it cannot change
    form.compounds.choices = choices(_compound_choices())
    if request.method == "GET":
        form.compounds.data = [c.code for c in user.compounds]
    if form.validate_on_submit():
        try:
            if user.id == g.user.id and (form.role.data != "admin" or not form.active.data):
                raise CamwatchError(_("You cannot remove your own administrator rights."))
            users_service.update_user(
                db,
                username,
                role=form.role.data,
                display_name=form.display_name.data or None,
                language=form.language.data,
                active=bool(form.active.data),
                compounds=form.compounds.data or [],
                expected_version=posted_version(user.version),
                actor=g.user.username,
            )
            if form.password.data:
                changed = users_service.set_password(
                    db, username, form.password.data, actor=g.user.username
                )
                if changed.id == g.user.id:  # the admin who made the change stays signed in
                    session["sv"] = changed.session_version
            db.commit()
        except CamwatchError as exc:
            db.rollback()
            flash(str(exc), "error")
            return render_template("auth/user_form.html", form=form, new=False, user=user), 400
        flash(_("User %(name)s saved.", name=username), "ok")
        return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, new=False, user=user)


@bp.post("/users/<username>/deactivate")
@require("user.manage")
def user_deactivate(username: str):
    """Deactivate a user (users are never deleted: the audit trail names them)."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    if username == g.user.username:
        flash(_("You cannot deactivate yourself."), "error")
        return redirect(url_for("auth.users"))
    db = db_session()
    users_service.update_user(db, username, active=False, actor=g.user.username)
    db.commit()
    flash(_("User %(name)s deactivated.", name=username), "ok")
    return redirect(url_for("auth.users"))


def current_user() -> User | None:
    """The signed-in user (None when anonymous)."""
    return g.get("user")


@bp.app_context_processor
def _inject() -> dict[str, object]:
    from flask_babel import get_locale

    return {
        "current_user": g.get("user"),
        "role_labels": ROLE_LABELS,
        "language_form": LanguageForm(formdata=None),
        "locale": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
    }
