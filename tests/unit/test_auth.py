"""Users, passwords, API tokens and sessions on a real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.auth import sessions, tokens, users
from app.auth.errors import CsrfFailed, NotAuthenticated
from app.auth.models import ApiToken, UserSession
from app.auth.passwords import hash_password, verify_password
from app.auth.roles import Permission, Role
from app.db import session_scope
from app.errors import InvalidInput


def add_user(deps, name="mia", roles=("marketer",), brands=("fernhill",), password=None):
    with session_scope(deps.engine) as session:
        return users.create_user(session, username=name, roles=list(roles), brands=list(brands),
                                 password=password, actor="test")


def make_token(deps, user, **scope):
    with session_scope(deps.engine) as session:
        return tokens.create_token(session, user=user, roles=scope.get("roles"), brands=scope.get("brands"),
                                   expires_days=scope.get("days", 30), actor="test")


def principal(deps, secret):
    with Session(deps.engine) as session:
        return tokens.principal_from_token(session, secret)


def test_passwords_are_stored_as_argon2id_and_verified():
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$") and "correct" not in stored
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "wrong horse battery")
    assert not verify_password(None, "anything at all"), "a service account has no password"
    with pytest.raises(ValueError, match="at least"):
        hash_password("short")


def test_authenticate_needs_the_right_password_and_an_active_user(deps):
    add_user(deps, password="correct horse battery")
    with Session(deps.engine) as session:
        assert users.authenticate(session, username="mia", password="correct horse battery") is not None
        assert users.authenticate(session, username="mia", password="nope nope nope") is None
        assert users.authenticate(session, username="nobody", password="correct horse battery") is None
    with session_scope(deps.engine) as session:
        users.update_user(session, user=users.get_user(session, username="mia"), actor="test", active=False)
    with Session(deps.engine) as session:
        assert users.authenticate(session, username="mia", password="correct horse battery") is None


def test_user_input_is_validated_with_the_field_named(deps):
    add_user(deps)
    with pytest.raises(InvalidInput, match="taken"):
        add_user(deps)
    with pytest.raises(InvalidInput, match="roles"):
        add_user(deps, name="bob", roles=("editor",))
    with pytest.raises(InvalidInput, match="username"):
        add_user(deps, name="Bob Smith")
    with session_scope(deps.engine) as session, pytest.raises(InvalidInput, match="unknown"):
        users.create_user(session, username="cy", roles=["reviewer"], brands=["acme"], password=None,
                          actor="test", known_brands={"fernhill"})


def test_token_is_shown_once_and_only_its_sha256_is_stored(deps):
    user = add_user(deps)
    token, secret = make_token(deps, user)
    assert secret.startswith("cf_") and len(secret) > 40
    with Session(deps.engine) as session:
        row = session.exec(select(ApiToken)).one()
    assert row.token_hash == tokens.digest(secret) and secret not in row.model_dump_json()
    assert principal(deps, secret).username == "mia" and token.prefix == secret[:10]


def test_expired_revoked_and_unknown_tokens_are_refused_with_reasons(deps):
    user = add_user(deps)
    expired, expired_secret = make_token(deps, user)
    with session_scope(deps.engine) as session:
        row = session.get(ApiToken, expired.id)
        row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        session.add(row)
    with pytest.raises(NotAuthenticated, match="expired"):
        principal(deps, expired_secret)
    revoked, revoked_secret = make_token(deps, user)
    with session_scope(deps.engine) as session:
        tokens.revoke_token(session, token_id=revoked.id, actor="test")
    with pytest.raises(NotAuthenticated, match="revoked"):
        principal(deps, revoked_secret)
    with pytest.raises(NotAuthenticated, match="unknown"):
        principal(deps, "cf_made_up")


def test_token_scope_cannot_exceed_the_user_and_narrows_with_the_user(deps):
    user = add_user(deps, roles=("marketer", "reviewer"), brands=("fernhill", "other"))
    with pytest.raises(InvalidInput, match="scope"):
        make_token(deps, user, roles=["admin"])
    with pytest.raises(InvalidInput, match="scope"):
        make_token(deps, user, brands=["acme"])
    _token, secret = make_token(deps, user, roles=["reviewer"], brands=["fernhill"])
    acting = principal(deps, secret)
    assert acting.roles == {Role.reviewer} and acting.brands == {"fernhill"}
    assert acting.can(Permission.review) and not acting.can(Permission.submit_briefs)
    with session_scope(deps.engine) as session:
        users.update_user(session, user=users.get_user(session, username="mia"), actor="test", roles=["marketer"])
    assert not principal(deps, secret).can(Permission.review), "a role taken from the user leaves its tokens"


def test_every_brand_wildcard_sees_all_brands(deps):
    user = add_user(deps, name="ada", roles=("admin",), brands=("*",))
    _token, secret = make_token(deps, user)
    acting = principal(deps, secret)
    assert acting.sees("fernhill") and acting.sees("anything") and acting.brand_filter() is None


def test_sessions_end_on_sign_out_and_expire(deps):
    user = add_user(deps, password="correct horse battery")
    with session_scope(deps.engine) as session:
        cookie = sessions.start_session(session, user=user)
    with Session(deps.engine) as session:
        acting = sessions.principal_from_session(session, cookie)
        assert acting.username == "mia" and acting.csrf_token
        assert session.get(UserSession, cookie) is None, "only the cookie's digest is stored"
    with session_scope(deps.engine) as session:
        sessions.end_session(session, cookie=cookie)
    with Session(deps.engine) as session, pytest.raises(NotAuthenticated):
        sessions.principal_from_session(session, cookie)
    with session_scope(deps.engine) as session:
        old = sessions.start_session(session, user=user)
        row = session.get(UserSession, tokens.digest(old))
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    with Session(deps.engine) as session, pytest.raises(NotAuthenticated):
        sessions.principal_from_session(session, old)


def test_csrf_token_must_match():
    sessions.check_csrf("abc", "abc")
    for given in (None, "", "abd"):
        with pytest.raises(CsrfFailed):
            sessions.check_csrf("abc", given)
