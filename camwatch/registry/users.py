"""People who use the ledger: accounts, passwords, API tokens, compound access.

Passwords are hashed with Argon2id (argon2-cffi's ``PasswordHasher`` defaults);
hashes are upgraded on the next successful login when the parameters change.
API tokens are random 256-bit strings shown once; only their SHA-256 is
stored (a slow hash adds nothing for a random token and would prevent lookup).
Sessions: a web session holds the user's ``session_version``; :func:`end_sessions`
(signing out) and :func:`set_password` move it on, which ends every session of
the user, and a new password also revokes the API token.

Roles: ``admin`` (everything, manages users), ``district`` (all compounds,
read + problems), ``planner`` (compounds, analyses, problems), ``technician``
(devices, maintenance), ``manager`` (read the compounds in ``user.compounds``).
What each role may do is enforced by the web layer; :func:`can_see` answers
the one question the registry knows about: may this user see that compound?
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from camwatch.errors import NotFoundError, StaleEditError, UsageError
from camwatch.i18n import msg
from camwatch.model import ROLES
from camwatch.registry.audit import set_actor
from camwatch.registry.codec import check_choice
from camwatch.registry.models import LANGUAGES, Compound, User

MIN_PASSWORD_LENGTH = 8
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (salted; safe to store)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for a malformed hash)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(msg("password must have at least %(n)s characters", n=MIN_PASSWORD_LENGTH))


def get_user(session: Session, username: str) -> User:
    """The user called ``username`` (NotFoundError if none)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(msg("no user named %(username)s", username=repr(username)))
    return user


def list_users(session: Session) -> Sequence[User]:
    """Every user, by name."""
    return session.scalars(select(User).order_by(User.username)).all()


def _compounds_by_code(session: Session, codes: Sequence[str]) -> list[Compound]:
    found = {c.code: c for c in session.scalars(select(Compound).where(Compound.code.in_(codes)))}
    missing = [c for c in codes if c not in found]
    if missing:
        raise NotFoundError(
            msg("no compound with code %(codes)s", codes=[repr(m) for m in missing])
        )
    return [found[c] for c in codes]


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    role: str,
    display_name: str | None = None,
    language: str = "zh",
    compounds: Sequence[str] = (),
    actor: str | None = None,
) -> User:
    """Add a user; ``compounds`` (codes) are the compounds a manager may see."""
    set_actor(session, actor)
    if not USERNAME_RE.match(username):
        raise UsageError(
            msg(
                "username %(username)s must be 2–64 letters, digits or . _ @ - (no spaces)",
                username=repr(username),
            )
        )
    check_choice("role", role, ROLES)
    check_choice("language", language, LANGUAGES)
    _check_password(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UsageError(msg("user %(username)s already exists", username=repr(username)))
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name,
        language=language,
        active=True,
        compounds=_compounds_by_code(session, list(compounds)),
    )
    session.add(user)
    session.flush()
    return user


def update_user(
    session: Session,
    username: str,
    *,
    role: str | None = None,
    display_name: str | None = None,
    language: str | None = None,
    active: bool | None = None,
    compounds: Sequence[str] | None = None,
    expected_version: int | None = None,
    actor: str | None = None,
) -> User:
    """Change a user's role, name, language, active flag or compound list."""
    set_actor(session, actor)
    user = get_user(session, username)
    _expect(user, expected_version)
    if role is not None:
        check_choice("role", role, ROLES)
        user.role = role
    if language is not None:
        check_choice("language", language, LANGUAGES)
        user.language = language
    if display_name is not None:
        user.display_name = display_name
    if active is not None:
        user.active = active
    if compounds is not None:
        user.compounds = _compounds_by_code(session, list(compounds))
    session.flush()
    return user


def _expect(user: User, expected_version: int | None) -> None:
    if expected_version is not None and user.version != expected_version:
        raise StaleEditError(
            msg(
                "conflict: user %(username)s was changed by someone else "
                "(version %(version)s, you edited %(expected)s); nothing was saved",
                username=repr(user.username),
                version=user.version,
                expected=expected_version,
            )
        )


def set_password(
    session: Session, username: str, password: str, *, actor: str | None = None
) -> User:
    """Replace a user's password; this ends every session of the user and revokes their
    API token (whoever knew the old password may have signed in or taken the token)."""
    set_actor(session, actor)
    _check_password(password)
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    user.api_token_hash = None
    user.session_version = (user.session_version or 1) + 1
    session.flush()
    return user


def end_sessions(session: Session, username: str, *, actor: str | None = None) -> User:
    """End every web session of ``username`` (signing out does this): session cookies
    carry the :attr:`User.session_version` they were issued under, and it moves on."""
    set_actor(session, actor)
    user = get_user(session, username)
    user.session_version = (user.session_version or 1) + 1
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, else None (same answer for every failure)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        verify_password(_dummy_hash(), password)  # same work whether or not the name exists
        return None
    if not user.active or not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        set_actor(session, username)
        user.password_hash = hash_password(password)
        session.flush()
    return user


def issue_token(session: Session, username: str, *, actor: str | None = None) -> str:
    """Give ``username`` a new API token (replacing any old one); return it, shown once."""
    set_actor(session, actor)
    user = get_user(session, username)
    token = secrets.token_urlsafe(32)
    user.api_token_hash = _token_digest(token)
    session.flush()
    return token


def revoke_token(session: Session, username: str, *, actor: str | None = None) -> None:
    """Remove the user's API token."""
    set_actor(session, actor)
    user = get_user(session, username)
    user.api_token_hash = None
    session.flush()


def user_for_token(session: Session, token: str) -> User | None:
    """The active user holding this API token, else None."""
    if not token:
        return None
    user = session.scalar(select(User).where(User.api_token_hash == _token_digest(token)))
    return user if user is not None and user.active else None


def can_see(user: User, compound: Compound) -> bool:
    """Whether ``user`` may see ``compound``: managers only their own, other roles all."""
    if user.role != "manager":
        return True
    return any(c.id == compound.id for c in user.compounds)


def visible_compounds(session: Session, user: User) -> Sequence[Compound]:
    """The compounds ``user`` may see, by code."""
    if user.role == "manager":
        return sorted(user.compounds, key=lambda c: c.code)
    return session.scalars(select(Compound).order_by(Compound.code)).all()


@functools.cache
def _dummy_hash() -> str:
    return hash_password("camwatch-timing-equaliser")
