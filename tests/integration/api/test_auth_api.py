"""Login, refresh, rate limiting, token checks and roles, through the real HTTP function."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import jwt
import pytest
import sqlalchemy as sa

from shared import auth, keys
from shared.auth import issue_token
from shared.errors import Unauthorized
from shared.users import set_active, set_password
from tests.integration.api.conftest import table_snapshot
from tests.support.db_fixtures import TEST_PASSWORD, key_settings, make_settings
from tests.support.openapi_schema import assert_conforms
from tooling.devstack.waiting import wait_until

pytestmark = pytest.mark.integration

PROTECTED = [
    ("GET", "/api/comentarios"),
    ("GET", "/api/comentarios/export"),
    ("GET", "/api/comentarios/c1"),
    ("PATCH", "/api/comentarios/c1"),
    ("POST", "/api/comentarios"),
    ("POST", "/api/comentarios/ingest"),
]


def login(client, username="ana", password=TEST_PASSWORD, ip="198.51.100.1"):
    return client.post(
        "/api/auth/login",
        json={"username": username, "password": password},
        headers={"X-Forwarded-For": ip},
    )


def attempts(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT username, client_ip, succeeded FROM login_attempts ORDER BY id")
        ).all()


def age_attempts(engine, seconds: int) -> None:
    """Move every recorded attempt `seconds` into the past (instead of waiting)."""
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE login_attempts SET at = at - make_interval(secs => :s)"), {"s": seconds}
        )


def test_login_gives_tokens_that_open_the_api(client, make_user):
    # Given an analyst account
    make_user("ana", "analyst")
    # When it logs in
    response = login(client)
    # Then it gets both tokens, and the access token opens the list
    assert response.status_code == 200
    assert_conforms(response, "POST /api/auth/login")
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    listed = client.get("/api/comentarios", headers={"Authorization": f"Bearer {body['access']}"})
    assert listed.status_code == 200
    assert_conforms(listed, "GET /api/comentarios")


def test_wrong_password_and_unknown_user_look_the_same_and_are_recorded(
    client, make_user, clean_db
):
    make_user("ana", "analyst")
    wrong = login(client, password="not the password")
    unknown = login(client, username="nobody")
    assert wrong.status_code == unknown.status_code == 401
    assert_conforms(wrong, "POST /api/auth/login")
    assert (
        wrong.get_json()
        == unknown.get_json()
        == {"error": {"code": "unauthorized", "message": "wrong username or password"}}
    )
    assert attempts(clean_db) == [("ana", "198.51.100.1", False), ("nobody", "198.51.100.1", False)]


def test_disabled_user_cannot_log_in(client, make_user, clean_db):
    make_user("ana", "analyst")
    set_active(clean_db, "ana", False)
    assert login(client).status_code == 401


def failures_until_refused(client, username: str, ip: str, tries: int) -> list[int]:
    """Statuses of `tries` wrong-password logins of `username` from `ip`."""
    return [
        login(client, username=username, password="guess", ip=ip).status_code for _ in range(tries)
    ]


def test_a_strangers_failures_from_another_address_do_not_lock_admin_out(
    client, make_user, settings, clean_db
):
    # Given the admin account, and a stranger at address B guessing its password 50 times
    make_user("admin", "admin")
    statuses = failures_until_refused(client, "admin", "203.0.113.66", 50)
    # Then the stranger is slowed down: once the free failures are spent, nearly every try is
    # refused with 429 (a try after a short wait has passed is checked again)
    assert statuses[: settings.login_free_failures] == [401] * settings.login_free_failures
    assert statuses.count(429) >= 45
    assert set(statuses) == {401, 429}
    # And refused tries are not attempts: nothing checked, nothing recorded, no longer wait
    assert len(attempts(clean_db)) == statuses.count(401)
    # When the admin logs in from address A
    response = login(client, username="admin", ip="198.51.100.10")
    # Then it works at once
    assert response.status_code == 200, response.get_json()


def test_each_further_failure_doubles_the_wait_up_to_the_cap(client, make_user, app_with, clean_db):
    # Given delays from 10 s, capped at 80 s
    app_with(login_base_delay_seconds=10, login_max_delay_seconds=80)
    make_user("ana", "analyst")
    waits: list[int] = []
    # When someone keeps failing from one address, letting each wait pass (by moving the
    # recorded attempts into the past rather than sleeping)
    while len(waits) < 6:
        response = login(client, password="guess", ip="203.0.113.7")
        if response.status_code == 429:
            assert_conforms(response, "POST /api/auth/login")
            assert response.get_json()["error"]["code"] == "rate_limited"
            waits.append(int(response.headers["Retry-After"]))
            age_attempts(clean_db, waits[-1])
        else:
            assert response.status_code == 401
    # Then the waits grow 10, 20, 40, 80 s and stay at the cap (less the second or so the
    # request itself took since the last failure)
    for wait, expected in zip(waits, [10, 20, 40, 80, 80, 80], strict=True):
        assert expected - 2 < wait <= expected, waits
    # And the right password after the last wait works, and starts the count afresh
    age_attempts(clean_db, 80)
    assert login(client, ip="203.0.113.7").status_code == 200
    assert login(client, password="guess", ip="203.0.113.7").status_code == 401


def test_failures_older_than_the_window_are_forgotten(client, make_user, settings, clean_db):
    make_user("ana", "analyst")
    failures_until_refused(client, "ana", "203.0.113.8", settings.login_free_failures)
    assert login(client, ip="203.0.113.8").status_code == 429
    age_attempts(clean_db, settings.login_window_seconds + 1)
    assert login(client, ip="203.0.113.8").status_code == 200


def test_failures_per_client_address_are_slowed_across_usernames(client, make_user, settings):
    # Given one address that failed with many different usernames (password spraying)
    make_user("ana", "analyst")
    for i in range(settings.login_address_free_failures):
        response = login(client, username=f"user{i}", password="guess", ip="192.0.2.66")
        assert response.status_code == 401
    # Then that address waits even for a valid account
    assert login(client, ip="192.0.2.66").status_code == 429
    # And other addresses do not
    assert login(client, ip="192.0.2.67").status_code == 200


def test_addresses_of_one_ipv6_64_are_one_address_to_the_throttle(client, make_user, settings):
    # Given failures from as many addresses of one /64 as the address may fail
    make_user("ana", "analyst")
    for i in range(settings.login_address_free_failures):
        response = login(client, username=f"user{i}", password="guess", ip=f"2001:db8:1:2::{i:x}")
        assert response.status_code == 401
    # Then another address of that /64 waits, and one of the next /64 does not
    assert login(client, ip="2001:db8:1:2:ffff::1").status_code == 429
    assert login(client, ip="2001:db8:1:3::1").status_code == 200


def test_a_successful_login_resets_the_user_address_count(client, make_user, settings):
    make_user("ana", "analyst")
    for _ in range(3):
        statuses = failures_until_refused(
            client, "ana", "203.0.113.9", settings.login_free_failures - 1
        )
        assert statuses == [401] * (settings.login_free_failures - 1)
        assert login(client, ip="203.0.113.9").status_code == 200


def test_the_address_is_the_one_the_trusted_proxy_appended(client, make_user, app_with, clean_db):
    # Given one trusted proxy (the gateway) and a client that forges an earlier entry
    app_with(trusted_proxy_hops=1)
    make_user("ana", "analyst")
    login(client, password="guess", ip="6.6.6.6, 198.51.100.20")
    # When no proxy is trusted, the header is ignored: the connection's address counts
    app_with(trusted_proxy_hops=0)
    login(client, password="guess", ip="198.51.100.21")
    # Then the recorded addresses are the proxy's entry, then the connection's
    assert [row[1] for row in attempts(clean_db)] == ["198.51.100.20", "127.0.0.1"]


def refresh_with(client, token: str):
    return client.post("/api/auth/refresh", json={"refresh": token})


def stored_refresh_tokens(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT jti, family, username, used_at IS NOT NULL FROM refresh_tokens")
        ).all()


def test_refresh_gives_a_new_access_token_and_the_next_refresh_token(client, make_user, clean_db):
    # Given a logged-in admin
    make_user("ana", "admin")
    refresh = login(client).get_json()["refresh"]
    # When the refresh token is used
    response = refresh_with(client, refresh)
    # Then the answer has the login's fields, a new refresh token among them, and the access opens
    assert response.status_code == 200
    assert_conforms(response, "POST /api/auth/refresh")
    body = response.get_json()
    assert set(body) == {"access", "refresh", "token_type", "expires_in"}
    assert body["refresh"] != refresh
    assert (
        client.get(
            "/api/comentarios", headers={"Authorization": f"Bearer {body['access']}"}
        ).status_code
        == 200
    )
    # And the next token works once more, in the same family, the spent ones marked used
    again = refresh_with(client, body["refresh"])
    assert again.status_code == 200
    rows = stored_refresh_tokens(clean_db)
    assert len(rows) == 3
    assert len({family for _, family, _, _ in rows}) == 1
    assert sorted(used for *_, used in rows) == [False, True, True]


def test_the_tokens_are_not_stored_only_their_ids(client, make_user, clean_db):
    make_user("ana", "admin")
    refresh = login(client).get_json()["refresh"]
    with clean_db.connect() as conn:
        dump = conn.execute(sa.text("SELECT CAST(refresh_tokens AS text) FROM refresh_tokens"))
        stored = " ".join(row[0] for row in dump)
    assert stored
    assert refresh not in stored
    assert refresh.split(".")[2] not in stored


def test_a_replayed_refresh_token_is_refused_and_revokes_its_family(client, make_user, clean_db):
    # Given a token that was already used once, and the successor that use returned
    make_user("ana", "admin")
    first = login(client).get_json()["refresh"]
    successor = refresh_with(client, first).get_json()["refresh"]
    # And another login of the same user (another family)
    other = login(client).get_json()["refresh"]
    # When the spent token is presented again
    replay = refresh_with(client, first)
    # Then it is 401, and the successor is revoked with it
    assert replay.status_code == 401
    assert_conforms(replay, "POST /api/auth/refresh")
    assert "already used" in replay.get_json()["error"]["message"]
    revoked = refresh_with(client, successor)
    assert revoked.status_code == 401
    assert_conforms(revoked, "POST /api/auth/refresh")
    # And the other login's token still works
    assert refresh_with(client, other).status_code == 200


def test_a_signed_refresh_token_that_was_never_recorded_is_refused(client, make_user, settings):
    # Given validly signed refresh tokens the server never recorded (as those issued before
    # refresh tokens were single use), one of them without an id at all
    make_user("ana", "admin")
    unrecorded = issue_token(settings, username="ana", role="admin", typ="refresh")
    key = auth.signing_key(settings)
    now = int(datetime.now(UTC).timestamp())
    without_id = jwt.encode(
        {
            "iss": "alumusic",
            "sub": "ana",
            "role": "admin",
            "typ": "refresh",
            "iat": now,
            "exp": now + 60,
        },
        key.key,
        algorithm=key.algorithm,
        headers={"kid": key.kid},
    )
    for token in (unrecorded, without_id):
        # When either is used to refresh
        response = refresh_with(client, token)
        # Then it is refused: only recorded tokens are honoured
        assert response.status_code == 401
        assert_conforms(response, "POST /api/auth/refresh")


def test_of_two_concurrent_refreshes_with_one_token_exactly_one_wins(make_user, clean_db, settings):
    # Given a fresh refresh token whose row another transaction holds locked
    make_user("ana", "admin")
    token = auth.login(clean_db, settings, auth.Credentials("ana", TEST_PASSWORD), "192.0.2.7")[
        "refresh"
    ]
    outcomes: list[object] = []

    def refresh_once() -> None:
        try:
            outcomes.append(auth.rotate_refresh_token(clean_db, settings, token))
        except Unauthorized as refused:
            outcomes.append(refused)

    with clean_db.connect() as holder:
        holder.execute(sa.text("SELECT 1 FROM refresh_tokens FOR UPDATE"))
        # When two refreshes with that token both reach the row and wait for it
        threads = [threading.Thread(target=refresh_once) for _ in range(2)]
        for thread in threads:
            thread.start()
        both_waiting = wait_until(lambda: waiting_on_locks(clean_db) == 2, timeout=10)
        holder.rollback()
    for thread in threads:
        thread.join(timeout=10)
    # Then exactly one got new tokens and the other was refused
    assert both_waiting
    assert len(outcomes) == 2
    assert sum(isinstance(outcome, dict) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, Unauthorized) for outcome in outcomes) == 1


def waiting_on_locks(engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
        )


def test_logout_revokes_the_family_and_may_be_repeated(client, make_user, clean_db):
    # Given a login whose refresh token was rotated once
    make_user("ana", "admin")
    first = login(client).get_json()["refresh"]
    current = refresh_with(client, first).get_json()["refresh"]
    # When the client logs out with its current token
    response = client.post("/api/auth/logout", json={"refresh": current})
    # Then it is 204 with no body, and no token of that login refreshes any more
    assert response.status_code == 204
    assert_conforms(response, "POST /api/auth/logout")
    assert response.data == b""
    assert refresh_with(client, current).status_code == 401
    assert stored_refresh_tokens(clean_db) == []
    # And logging out again is not an error
    assert client.post("/api/auth/logout", json={"refresh": current}).status_code == 204


def test_logout_refuses_what_is_not_a_refresh_token(client, make_user):
    make_user("ana", "admin")
    access = login(client).get_json()["access"]
    for body in ({"refresh": access}, {"refresh": "not-a-token"}):
        response = client.post("/api/auth/logout", json=body)
        assert response.status_code == 401, body
        assert_conforms(response, "POST /api/auth/logout")
    missing = client.post("/api/auth/logout", json={})
    assert missing.status_code == 400
    assert_conforms(missing, "POST /api/auth/logout")


def test_refresh_refuses_access_tokens_forged_tokens_and_stale_accounts(
    client, make_user, clean_db, settings
):
    make_user("ana", "analyst")
    tokens = login(client).get_json()
    forged = issue_token(
        make_settings(settings.database_url, **key_settings(keys.generate())),
        username="ana",
        role="admin",
        typ="refresh",
    )
    for token in (tokens["access"], forged, "not-a-token"):
        response = client.post("/api/auth/refresh", json={"refresh": token})
        assert response.status_code == 401, token
        assert_conforms(response, "POST /api/auth/refresh")
        assert response.get_json()["error"]["code"] == "unauthorized"
    # A password change (a second later: token times have one-second resolution) logs out everywhere
    with clean_db.begin() as conn:
        conn.execute(sa.text("UPDATE users SET password_changed_at = now() + interval '2 seconds'"))
    stale = client.post("/api/auth/refresh", json={"refresh": tokens["refresh"]})
    assert stale.status_code == 401
    assert "password change" in stale.get_json()["error"]["message"]


def test_refresh_of_a_disabled_user_is_refused(client, make_user, clean_db):
    make_user("ana", "analyst")
    refresh = login(client).get_json()["refresh"]
    set_active(clean_db, "ana", False)
    assert client.post("/api/auth/refresh", json={"refresh": refresh}).status_code == 401


def test_password_change_through_the_library_keeps_login_working(client, make_user, clean_db):
    make_user("ana", "analyst")
    set_password(clean_db, "ana", "another strong passphrase 7")
    assert login(client).status_code == 401
    assert login(client, password="another strong passphrase 7").status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"username": "ana", ', "application/json", 400),
        (b'{"username": "ana"}', "application/json", 400),
        (b'{"username": ["ana"], "password": "x"}', "application/json", 400),
        (b"username=ana&password=x", "application/x-www-form-urlencoded", 415),
        (b'{"username": "ana", "password": "x"}', "text/plain", 415),
    ],
)
def test_bad_login_requests_are_refused_and_not_counted(
    client, clean_db, body, content_type, status
):
    response = client.post("/api/auth/login", data=body, content_type=content_type)
    assert response.status_code == status
    assert_conforms(response, "POST /api/auth/login")
    assert set(response.get_json()["error"]) >= {"code", "message"}
    assert attempts(clean_db) == []


def test_oversized_login_body_is_413(client, app_with, clean_db):
    app_with(max_body_bytes=1024)
    response = client.post(
        "/api/auth/login",
        data=b'{"username": "ana", "password": "' + b"x" * 2000 + b'"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert_conforms(response, "POST /api/auth/login")
    assert attempts(clean_db) == []


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/api/auth/login", 16 * 1024),
        ("/api/auth/refresh", 4 * 1024),
        ("/api/auth/logout", 4 * 1024),
    ],
)
def test_login_refresh_and_logout_take_a_few_kb_and_refuse_more_before_decoding(
    client, clean_db, path, limit
):
    # Given a body just over the route's limit: an array that would take long to decode
    body = b"[" * (limit + 1)
    # When it is sent with the default MAX_BODY_BYTES (16 MB)
    response = client.post(path, data=body, content_type="application/json")
    # Then it is 413 naming the route's own limit, and no attempt was recorded
    assert response.status_code == 413
    assert response.get_json()["error"]["details"] == {"limit_bytes": limit}
    assert_conforms(response, f"POST {path}")
    assert attempts(clean_db) == []


def test_the_longest_credentials_written_as_escapes_fit_the_login_limit(client, clean_db):
    # Given the longest username and password, each character an escaped surrogate pair
    emoji = "\\ud83c\\udfb5"
    body = f'{{"username": "{emoji * 128}", "password": "{emoji * 1024}"}}'.encode()
    # When they are sent to log in
    response = client.post("/api/auth/login", data=body, content_type="application/json")
    # Then they are read (a failed login), not refused as too large
    assert response.status_code == 401, response.get_json()
    assert len(attempts(clean_db)) == 1


@pytest.mark.parametrize(
    "body",
    [
        b'{"username": ' + b"1" * 5000 + b', "password": "x"}',
        b'{"username": "ana", "password": "x", "extra": ' + b"[" * 40 + b"]" * 40 + b"}",
    ],
)
def test_huge_numbers_and_deep_nesting_in_credentials_are_400(client, clean_db, body):
    response = client.post("/api/auth/login", data=body, content_type="application/json")
    assert response.status_code == 400
    assert_conforms(response, "POST /api/auth/login")
    assert attempts(clean_db) == []


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_endpoint_but_login_and_health_needs_a_token(client, method, path):
    response = client.open(path, method=method, json={})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_expired_forged_and_refresh_tokens_are_refused(client, settings, method, path):
    expired = issue_token(
        settings,
        username="ana",
        role="admin",
        typ="access",
        now=datetime.now(UTC) - timedelta(seconds=settings.jwt_access_ttl_seconds + 60),
    )
    forged = issue_token(
        make_settings(settings.database_url, **key_settings(keys.generate())),
        username="ana",
        role="admin",
        typ="access",
    )
    refresh = issue_token(settings, username="ana", role="admin", typ="refresh")
    cases = ((expired, "expired"), (forged, "unknown key"), (refresh, "not a access"))
    for token, message in cases:
        response = client.open(
            path, method=method, json={}, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401
        assert message in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/comentarios", {"id": "c1", "texto": "amei"}),
        ("/api/comentarios/ingest", {"id": "c1", "texto": "amei"}),
    ],
)
def test_analysts_may_not_submit_comments(analyst, clean_db, path, body):
    before = table_snapshot(clean_db)
    response = analyst.post(path, json=body)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert table_snapshot(clean_db) == before


def test_health_needs_no_token(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_token_forwarded_by_an_api_gateway_is_honoured(client, make_user):
    # Given a token, and a gateway that puts its own identity in Authorization and forwards the
    # caller's header as X-Forwarded-Authorization
    make_user("ana", "analyst")
    access = login(client).get_json()["access"]
    gateway_identity = "Bearer not-a-token-of-ours"
    # When the list is asked for through that gateway
    ok = client.get(
        "/api/comentarios",
        headers={
            "Authorization": gateway_identity,
            "X-Forwarded-Authorization": f"Bearer {access}",
        },
    )
    forged = client.get(
        "/api/comentarios",
        headers={"Authorization": f"Bearer {access}", "X-Forwarded-Authorization": "Bearer forged"},
    )
    # Then the caller's token decides, and a forged forwarded token is refused
    assert ok.status_code == 200
    assert forged.status_code == 401
