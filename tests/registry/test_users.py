"""Users: Argon2 passwords, roles, tokens, managers' compounds."""

from __future__ import annotations

import pytest

from camwatch.errors import UsageError
from camwatch.registry import hash_password, verify_password
from camwatch.registry.db import session_scope
from camwatch.registry.users import (
    authenticate,
    can_see,
    create_user,
    get_user,
    issue_token,
    revoke_token,
    update_user,
    user_for_token,
    visible_compounds,
)

from .helpers import load_tiny
from .sites import tiny_site


@pytest.mark.real_argon2
def test_hash_and_verify():
    digest = hash_password("correct horse")
    assert digest.startswith("$argon2id$")
    assert verify_password(digest, "correct horse")
    assert not verify_password(digest, "wrong horse")
    assert not verify_password("not a hash", "correct horse")


def test_create_and_authenticate(engine):
    with session_scope(engine, actor="admin") as s:
        create_user(s, "wang", "s3cret-pass", role="technician", display_name="王工")
        with pytest.raises(UsageError, match="already exists"):
            create_user(s, "wang", "another-pass", role="planner")
        with pytest.raises(UsageError, match="at least 8"):
            create_user(s, "li", "short", role="planner")
        with pytest.raises(UsageError, match="role must be one of"):
            create_user(s, "li", "long-enough", role="boss")
        with pytest.raises(UsageError, match="username"):
            create_user(s, "li si", "long-enough", role="planner")
    with session_scope(engine) as s:
        assert authenticate(s, "wang", "s3cret-pass").display_name == "王工"
        assert authenticate(s, "wang", "wrong") is None
        assert authenticate(s, "nobody", "s3cret-pass") is None
        update_user(s, "wang", active=False, actor="admin")
        assert authenticate(s, "wang", "s3cret-pass") is None
        assert "s3cret" not in get_user(s, "wang").password_hash


def test_tokens(engine):
    with session_scope(engine, actor="admin") as s:
        create_user(s, "api", "long-enough", role="planner")
        token = issue_token(s, "api")
    with session_scope(engine) as s:
        assert user_for_token(s, token).username == "api"
        assert user_for_token(s, token + "x") is None
        assert user_for_token(s, "") is None
        revoke_token(s, "api", actor="admin")
        assert user_for_token(s, token) is None


def test_manager_sees_only_own_compounds(engine):
    load_tiny(engine)
    load_tiny(engine, tiny_site("other-court"))
    with session_scope(engine, actor="admin") as s:
        manager = create_user(s, "mgr", "long-enough", role="manager", compounds=["tiny-court"])
        planner = create_user(s, "pl", "long-enough", role="planner")
        codes = [c.code for c in visible_compounds(s, manager)]
        assert codes == ["tiny-court"]
        assert [c.code for c in visible_compounds(s, planner)] == ["other-court", "tiny-court"]
        other = [c for c in visible_compounds(s, planner) if c.code == "other-court"][0]
        assert not can_see(manager, other) and can_see(planner, other)
        with pytest.raises(Exception, match="no compound with code 'nope'"):
            update_user(s, "mgr", compounds=["nope"])
        update_user(s, "mgr", compounds=["tiny-court", "other-court"])
    with session_scope(engine) as s:
        assert [c.code for c in get_user(s, "mgr").compounds] == ["other-court", "tiny-court"]
