"""Trust across functions, as deployed: classify-api issues tokens with the private key,
insights-api verifies them holding public keys only (each App built from the settings groups
infra/stack.json declares); rotation; a disabled or demoted user refused within the cache's
lifetime; per-user rate limits counted in PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import functions_framework
import jwt
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from shared import keys
from shared.auth import user_status_cache
from shared.bootstrap import App, set_app
from shared.config import Settings, SettingsGroupMissing, load_settings
from shared.errors import RateLimited
from shared.ratelimit import charge
from shared.users import set_active
from tests.support.db_fixtures import TEST_PASSWORD
from tests.support.openapi_schema import assert_conforms

ROOT = Path(__file__).resolve().parents[3]
STACK = json.loads((ROOT / "infra" / "stack.json").read_text(encoding="utf-8"))
QUESTION = "Quais foram as principais críticas da 2026-W45?"

pytestmark = pytest.mark.integration


def declared_groups(function: str) -> list[str]:
    (spec,) = [f for f in STACK["functions"] if f["name"] == function]
    return list(spec["settings"])


@pytest.fixture(scope="session")
def classify_http() -> Any:
    return functions_framework.create_app(
        "handle_http", str(ROOT / "functions" / "classify" / "main.py"), "http"
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Functions:
    """classify-api and insights-api, each with its own App, installed before each call as its
    own instance would have it."""

    def __init__(self, settings: Settings, classify: Any, insights: Any) -> None:
        self.base = settings
        self.classify_client: FlaskClient = classify.test_client()
        self.insights_client: FlaskClient = insights.test_client()
        self.apps: list[App] = []
        self.clock = Clock()
        self.start(self.key_sets())

    def key_sets(self) -> keys.KeySets:
        """The session's key sets (those the fixtures' settings carry)."""
        private, public = self.base.jwt_private_keys, self.base.jwt_public_keys
        assert private is not None
        assert public is not None
        return keys.key_sets_from(private.get_secret_value(), public)

    def start(self, key_sets: keys.KeySets, **overrides: Any) -> None:
        """(Re)start both functions with these keys and settings, e.g. after a rotation."""
        common: dict[str, Any] = {
            "environment": "test",
            "database_url": self.base.database_url,
            "cursor_secret": self.base.cursor_secret,
            "trusted_proxy_hops": 1,
            **overrides,
        }
        statuses = {
            "user_statuses_factory": lambda app: user_status_cache(
                app.settings, lambda: app.engine, clock=self.clock
            )
        }
        self.issuer = App(
            settings=load_settings(
                declared_groups("classify-api"),
                jwt_private_keys=key_sets.private_json,
                jwt_public_keys=key_sets.public_json,
                **common,
            ),
            **statuses,
        )
        self.verifier = App(
            settings=load_settings(
                declared_groups("insights-api"), jwt_public_keys=key_sets.public_json, **common
            ),
            **statuses,
        )
        self.apps += [self.issuer, self.verifier]

    def login(self, username: str) -> str:
        set_app(self.issuer)
        response = self.classify_client.post(
            "/api/auth/login",
            json={"username": username, "password": TEST_PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.1"},
        )
        assert response.status_code == 200, response.get_json()
        return str(response.get_json()["access"])

    def ask(self, token: str) -> Any:
        set_app(self.verifier)
        return self.insights_client.post(
            "/api/insights/perguntar",
            json={"pergunta": QUESTION},
            headers={"Authorization": f"Bearer {token}"},
        )

    def classify(self, token: str, comment_id: str) -> Any:
        set_app(self.issuer)
        return self.classify_client.post(
            "/api/comentarios",
            json={"id": comment_id, "texto": "amei o show"},
            headers={"Authorization": f"Bearer {token}"},
        )

    def close(self) -> None:
        set_app(None)
        for application in self.apps:
            application.close()


@pytest.fixture
def functions(settings, classify_http, http_app, store_digests, eval_digest_rows):
    store_digests(eval_digest_rows)
    pair = Functions(settings, classify_http, http_app)
    try:
        yield pair
    finally:
        pair.close()


# --- keys -----------------------------------------------------------------------------------------


def test_a_token_from_the_issuer_opens_a_function_that_holds_public_keys_only(functions, make_user):
    # Given an analyst, and insights-api wired with only its declared groups
    make_user("ana", "analyst")
    with pytest.raises(SettingsGroupMissing, match="issuer"):
        _ = functions.verifier.settings.jwt_private_keys
    # When she logs in at classify-api and asks insights-api
    token = functions.login("ana")
    response = functions.ask(token)
    # Then insights-api verified the EdDSA token with the public key and answered
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["semanas"] == ["2026-W45"]
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"


def test_tokens_of_unknown_keys_none_or_hmac_over_the_public_key_are_refused(
    functions, make_user, settings
):
    make_user("ana", "analyst")
    genuine = functions.login("ana")
    header = jwt.get_unverified_header(genuine)
    claims = jwt.decode(genuine, options={"verify_signature": False})
    (other,) = keys.load_private_keys(keys.generate().private_json)
    unknown_kid = jwt.encode(claims, other.key, algorithm="EdDSA", headers={"kid": other.kid})
    body = genuine.split(".")[1]
    none_header = jwt.utils.base64url_encode(
        json.dumps({"alg": "none", "typ": "JWT", "kid": header["kid"]}).encode()
    ).decode()
    unsigned = f"{none_header}.{body}."
    public_pem = json.loads(settings.jwt_public_keys)[header["kid"]]
    hmac_header = jwt.utils.base64url_encode(
        json.dumps({"alg": "HS256", "typ": "JWT", "kid": header["kid"]}).encode()
    ).decode()
    signing_input = f"{hmac_header}.{body}".encode()
    mac = jwt.utils.base64url_encode(
        hmac.new(public_pem.encode(), signing_input, hashlib.sha256).digest()
    ).decode()
    hmac_forged = f"{signing_input.decode()}.{mac}"
    for token in (unknown_kid, unsigned, hmac_forged):
        response = functions.ask(token)
        assert response.status_code == 401, token
        assert response.get_json()["error"]["code"] == "unauthorized"


def test_after_a_rotation_old_tokens_still_open_and_new_ones_carry_the_new_kid(
    functions, make_user, settings
):
    # Given a token issued before the rotation
    make_user("ana", "analyst")
    before = functions.key_sets()
    old_token = functions.login("ana")
    # When the keys are rotated and both functions restart with the new sets
    rotated = keys.rotate(before)
    functions.start(rotated)
    new_token = functions.login("ana")
    # Then the old token still opens insights-api, and the new one is signed with the new key
    assert functions.ask(old_token).status_code == 200
    assert functions.ask(new_token).status_code == 200
    assert jwt.get_unverified_header(old_token)["kid"] == before.signing_kid
    assert jwt.get_unverified_header(new_token)["kid"] == rotated.signing_kid
    assert rotated.signing_kid != before.signing_kid
    # And the issuer no longer holds the old private key
    assert list(json.loads(functions.issuer.settings.jwt_private_keys.get_secret_value())) == [
        rotated.signing_kid
    ]


# --- the user's current state -----------------------------------------------------------------


def test_a_disabled_user_is_refused_within_the_cache_lifetime(functions, make_user, clean_db):
    # Given instances that remember a user's state for 30 s (the longest allowed)
    functions.start(functions.key_sets(), user_status_cache_seconds=30)
    make_user("ana", "analyst")
    token = functions.login("ana")
    assert functions.ask(token).status_code == 200
    # When an admin disables her, well before her token expires
    set_active(clean_db, "ana", False)
    # Then at most 30 s later (the clock moved, not slept) her token is refused
    functions.clock.now += 30
    response = functions.ask(token)
    assert response.status_code == 401
    assert "disabled" in response.get_json()["error"]["message"]


def test_a_demoted_admin_loses_admin_routes_within_the_cache_lifetime(
    functions, make_user, clean_db
):
    functions.start(functions.key_sets(), user_status_cache_seconds=30)
    make_user("root", "admin")
    token = functions.login("root")
    assert functions.classify(token, "c-1").status_code == 201
    with clean_db.begin() as conn:
        conn.execute(sa.text("UPDATE users SET role = 'analyst' WHERE username = 'root'"))
    functions.clock.now += 30
    response = functions.classify(token, "c-2")
    assert response.status_code == 403
    assert_conforms(response, "POST /api/comentarios")
    # While the same token still reads what analysts may
    assert functions.ask(token).status_code == 200


# --- per-user rate limits ---------------------------------------------------------------------


def test_questions_past_the_per_user_limit_get_429_with_retry_after(functions, make_user):
    # Given a limit of 2 questions per day (a day-long window: no window can end mid-test)
    functions.start(
        functions.key_sets(), insights_requests_per_window=2, rate_limit_window_seconds=86_400
    )
    make_user("ana", "analyst")
    make_user("bia", "analyst")
    ana, bia = functions.login("ana"), functions.login("bia")
    # When one analyst asks a third time within the window
    statuses = [functions.ask(ana).status_code for _ in range(3)]
    refused = functions.ask(ana)
    # Then the third is refused with 429 and how long to wait; another analyst is not limited
    assert statuses == [200, 200, 429]
    assert refused.status_code == 429
    assert_conforms(refused, "POST /api/insights/perguntar")
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 86_400
    assert functions.ask(bia).status_code == 200


def test_sync_classify_past_the_per_user_limit_gets_429_and_stores_nothing(
    functions, make_user, clean_db
):
    functions.start(
        functions.key_sets(), classify_requests_per_window=1, rate_limit_window_seconds=86_400
    )
    make_user("root", "admin")
    token = functions.login("root")
    assert functions.classify(token, "c-1").status_code == 201
    refused = functions.classify(token, "c-2")
    assert refused.status_code == 429
    assert_conforms(refused, "POST /api/comentarios")
    assert int(refused.headers["Retry-After"]) >= 1
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT id FROM comments ORDER BY id")).scalars().all() == [
            "c-1"
        ]


def test_the_limit_holds_across_instances_hitting_the_same_database(settings, clean_db):
    # Given 4 "instances" (engines of their own) charging one key at the same time, limit 10
    engines = [sa.create_engine(settings.database_url, poolclass=sa.NullPool) for _ in range(4)]
    allowed: list[int] = []
    refused: list[int] = []
    lock = threading.Lock()
    moment = datetime(2026, 11, 30, 12, 0, 5, tzinfo=UTC)

    def hammer(engine: sa.Engine) -> None:
        for _ in range(6):
            try:
                charge(engine, "op:ana", limit=10, window_seconds=60, now=moment)
                outcome = allowed
            except RateLimited:
                outcome = refused
            with lock:
                outcome.append(1)

    threads = [threading.Thread(target=hammer, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for engine in engines:
        engine.dispose()
    # Then exactly 10 of the 24 requests passed, whichever instance served them
    assert (len(allowed), len(refused)) == (10, 14)
    # And the next window starts afresh, forgetting the previous one's row
    next_window = datetime(2026, 11, 30, 12, 1, 0, tzinfo=UTC)
    assert charge(clean_db, "op:ana", limit=10, window_seconds=60, now=next_window).requests == 1
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM rate_limit_windows")).scalar() == 1


def test_retry_after_is_the_rest_of_the_window(clean_db):
    moment = datetime(2026, 11, 30, 12, 0, 45, tzinfo=UTC)
    charge(clean_db, "op:bia", limit=1, window_seconds=60, now=moment)
    with pytest.raises(RateLimited) as refused:
        charge(clean_db, "op:bia", limit=1, window_seconds=60, now=moment)
    assert refused.value.retry_after == 15
