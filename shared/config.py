"""Typed settings read from the environment, validated once at cold start.

Settings come in groups, one pydantic-settings model per area (`database`, `pubsub`, `auth`,
`issuer`, `ratelimits`, `limits`, `llm`, `classifier`, `storage`, `charts`, `digest`, `mail`,
`insights`, `maintenance`, `alerts`, `devstack`); every group carries the core settings (`ENVIRONMENT`,
`LOG_LEVEL`). A function declares in infra/stack.json the groups it uses (`"settings":
["database", "pubsub", ...]`); what deploys it (Terraform, docker-compose.yml, the local stack)
gives it only those groups' variables and secrets, plus `SETTINGS_GROUPS` naming them. At cold
start `get_function_settings()` builds the model of exactly those groups and validates it, so the
consumer neither needs nor checks the JWT key. Reading a setting of a group the function did not
declare raises `SettingsGroupMissing` naming the group to declare.

`get_settings()` is every group at once, for tools (the CLI, the local stack, benchmarks) and for
a function started by hand without `SETTINGS_GROUPS`. Its static type, `Settings`, is also the
type library code reads settings through.

Adding settings for a new area, in one `# --- <area> ---` block:
1. a class `<Area>Settings(CoreSettings)` with the fields (and any `@model_validator` with a
   name of its own, e.g. `_check_<area>`);
2. the class among the bases of `Settings` and in `SETTINGS_GROUPS` under the area's name;
3. the area's name in the `settings` list of each function of infra/stack.json that reads it;
4. each setting in the README's settings table (tests/unit/test_readme.py checks it).
A secret setting also needs its Secret Manager entry in infra/terraform (locals `secret_env` and
`group_secrets`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any, Final, Literal, cast
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.timezone import DEFAULT_PRODUCT_TIMEZONE, zone_named

log = logging.getLogger(__name__)

Environment = Literal["development", "test", "production"]
ClassifierBackend = Literal["local", "llm", "cascade"]
DigestWriter = Literal["template", "llm"]
InsightsAnswerer = Literal["offline", "llm"]

# Values that must never reach production: they are either documented in the README
# or generated for a laptop, so anyone could forge tokens with them.
PLACEHOLDER_SECRETS = frozenset(
    {"", "changeme", "change-me", "secret", "dev-secret", "development"}
)
DEV_CURSOR_SECRET = "dev-secret"  # noqa: S105 - refused outside development

# The most LLM_DEADLINE_SECONDS may be: the comment subscription's ack deadline (60 s) less time
# for the embedded fallback and the write.
LLM_DEADLINE_MAX_SECONDS: Final = 50.0

# The environment variable naming a function's groups (comma separated); set by what deploys it.
SETTINGS_GROUPS_ENV: Final = "SETTINGS_GROUPS"


class SettingsGroupMissing(AttributeError):
    """A function read a setting of a group it does not declare in infra/stack.json."""


# --- core ---


class CoreSettings(BaseSettings):
    """What every function reads."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    # Unset means production rules: a deployment that forgets it fails closed (real keys and
    # secrets required); `make dev`, the tests and compose say development or test explicitly.
    environment: Environment = "production"
    log_level: str = "INFO"
    # The IANA zone whose days, hours and ISO weeks the product counts in (filters, charts,
    # digests, insights); stored times are absolute instants either way. Core, because every
    # function that reads or buckets comments by time must agree on it.
    product_timezone: str = DEFAULT_PRODUCT_TIMEZONE

    @field_validator("product_timezone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            zone_named(value)
        except ValueError as error:
            raise ValueError(f"PRODUCT_TIMEZONE: {error}") from None
        return value

    @property
    def product_zone(self) -> ZoneInfo:
        return zone_named(self.product_timezone)

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)  # type: ignore[misc]
        except AttributeError:
            group = _group_of(name)
            if group is None:
                raise
            raise SettingsGroupMissing(
                f"setting {name!r} belongs to settings group {group!r}, which this function "
                f'does not declare; add {group!r} to its "settings" in infra/stack.json'
            ) from None


# --- database ---


class DatabaseSettings(CoreSettings):
    """PostgreSQL, through SQLAlchemy with the psycopg 3 driver."""

    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/alumusic"
    db_pool_size: int = Field(default=5, ge=1, le=50)
    db_max_overflow: int = Field(default=2, ge=0, le=50)
    # How long the consumer waits for an unreachable database before failing a delivery; kept
    # below the push subscription's ack deadline (60 s) so a waiting delivery is not sent twice.
    db_outage_wait_seconds: float = Field(default=30.0, ge=0, le=50)

    @field_validator("database_url")
    @classmethod
    def _psycopg_url(cls, value: str) -> str:
        # A plain libpq-style URL means the one driver the product ships; another driver is
        # refused here rather than failing at the first query with an import error.
        scheme, separator, rest = value.partition("://")
        if not separator:
            raise ValueError("DATABASE_URL must look like postgresql://user@host:5432/database")
        if scheme == "postgresql+pg8000":
            # The first design's driver: its URLs keep working, same server through psycopg.
            log.warning(
                "DATABASE_URL names pg8000: read as postgresql+psycopg:// (the driver shipped)"
            )
            scheme = "postgresql+psycopg"
        if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
            return f"postgresql+psycopg://{rest}"
        raise ValueError(
            f"DATABASE_URL scheme {scheme!r} is not supported: use postgresql:// "
            "(or postgresql+psycopg://), the psycopg driver the functions ship"
        )


# --- pubsub ---


class PubSubSettings(CoreSettings):
    """Google Pub/Sub (the emulator when PUBSUB_EMULATOR_HOST is set) and the comment topics."""

    pubsub_project_id: str = "alumusic-local"
    pubsub_emulator_host: str | None = None
    comments_topic: str = "comments-submitted"
    comments_dead_letter_topic: str = "comments-submitted-dead-letter"
    comments_per_message: int = Field(default=500, ge=1, le=5000)

    @model_validator(mode="after")
    def _check_pubsub(self) -> PubSubSettings:
        if self.environment == "production" and self.pubsub_emulator_host:
            raise ValueError("PUBSUB_EMULATOR_HOST must not be set in production")
        return self


# --- auth ---


class AuthSettings(CoreSettings):
    """What every function that checks tokens reads: public keys only, never a signing key."""

    # JSON: {"<kid>": "<PEM public key>", ...} or a JWKS; two keys while a rotation is under way.
    jwt_public_keys: str | None = None
    # A disabled or demoted user is refused within this many seconds: each instance remembers a
    # user's active flag and role no longer than this (0: ask the database on every request).
    user_status_cache_seconds: int = Field(default=10, ge=0, le=30)
    # Signs the comment list's cursors (HMAC); no token key is involved.
    cursor_secret: SecretStr = SecretStr(DEV_CURSOR_SECRET)
    # Proxies in front of the function that append the caller's address to X-Forwarded-For
    # (API Gateway: 1); 0 trusts no header and takes the connection's address.
    trusted_proxy_hops: int = Field(default=0, ge=0, le=10)

    @model_validator(mode="after")
    def _check_auth(self) -> AuthSettings:
        from shared.keys import KeySetError, load_public_keys

        if self.jwt_public_keys:
            try:
                load_public_keys(self.jwt_public_keys)
            except KeySetError as error:
                raise ValueError(str(error)) from None
        if self.environment == "development":
            return self
        if not self.jwt_public_keys:
            raise ValueError(
                f"JWT_PUBLIC_KEYS is not set; ENVIRONMENT={self.environment} needs the token "
                f"public keys (`alumusic keys generate`)"
            )
        cursor = self.cursor_secret.get_secret_value()
        if cursor.strip().lower() in PLACEHOLDER_SECRETS or len(cursor) < 32:
            raise ValueError(
                f"CURSOR_SECRET is a placeholder or shorter than 32 characters; "
                f"ENVIRONMENT={self.environment} needs a real secret"
            )
        return self


# --- issuer ---


class IssuerSettings(CoreSettings):
    """What only the function that issues tokens (login, refresh) reads: the private keys and the
    login limits."""

    # JSON: {"<kid>": "<PEM private key>", ...}; the last entry signs new tokens.
    jwt_private_keys: SecretStr | None = None
    jwt_access_ttl_seconds: int = Field(default=900, ge=30)
    jwt_refresh_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    # Failed logins: after this many consecutive failures from one address for one user (or from
    # one address for any users), each further try waits twice as long as the one before, from
    # LOGIN_BASE_DELAY_SECONDS up to LOGIN_MAX_DELAY_SECONDS. Failures older than
    # LOGIN_WINDOW_SECONDS are forgotten. No limit is per username alone, so nobody can lock a
    # user out from another address.
    login_free_failures: int = Field(default=3, ge=1)
    login_address_free_failures: int = Field(default=20, ge=1)
    login_base_delay_seconds: int = Field(default=1, ge=1)
    login_max_delay_seconds: int = Field(default=900, ge=1)
    login_window_seconds: int = Field(default=3600, ge=60)

    @model_validator(mode="after")
    def _check_issuer(self) -> IssuerSettings:
        from shared.keys import KeySetError, load_private_keys

        if self.jwt_private_keys is not None:
            try:
                load_private_keys(self.jwt_private_keys.get_secret_value())
            except KeySetError as error:
                raise ValueError(str(error)) from None
        elif self.environment != "development":
            raise ValueError(
                f"JWT_PRIVATE_KEYS is not set; ENVIRONMENT={self.environment} needs the token "
                f"signing key (`alumusic keys generate`)"
            )
        if self.login_max_delay_seconds < self.login_base_delay_seconds:
            raise ValueError("LOGIN_MAX_DELAY_SECONDS must not be below LOGIN_BASE_DELAY_SECONDS")
        return self


# --- rate limits ---


class RateLimitSettings(CoreSettings):
    """Per-user request limits on the operations that cost the most, counted in PostgreSQL in
    fixed windows so every instance shares them."""

    rate_limit_window_seconds: int = Field(default=60, ge=1, le=86_400)
    insights_requests_per_window: int = Field(default=20, ge=1)
    classify_requests_per_window: int = Field(default=120, ge=1)


# --- limits ---


class LimitsSettings(CoreSettings):
    """Input limits: bad input is refused with a 4xx, never truncated silently."""

    max_text_chars: int = Field(default=5000, ge=1)
    max_sync_batch: int = Field(default=1000, ge=1)
    max_ingest_batch: int = Field(default=10_000, ge=1)
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    max_page_size: int = Field(default=500, ge=1)


# --- llm ---


class LlmSettings(CoreSettings):
    """The language model: one OpenAI-compatible endpoint and model, and how the transport
    (shared/llm.py) calls it. Every function that may call a model declares this group: the
    classifier's `llm` and `cascade` backends, the digest's `llm` writer, the insights' `llm`
    answerer. How long a call may take is each caller's own (see `LLM_DEADLINE_SECONDS`)."""

    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_seconds: float = Field(default=20.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_token_budget: int = Field(default=200_000, ge=0)


def _require_llm(settings: CoreSettings, choice: str) -> None:
    """Refuses `choice` (a setting that asks for the model) where no model can be reached."""
    if not isinstance(settings, LlmSettings):
        raise ValueError(
            f"{choice} needs the 'llm' settings group (OPENAI_BASE_URL or OPENAI_API_KEY)"
        )
    if not settings.openai_base_url and not settings.openai_api_key:
        raise ValueError(f"{choice} needs OPENAI_BASE_URL or OPENAI_API_KEY")


# --- classifier ---


class ClassifierSettings(CoreSettings):
    """The classifier: the embedded model, or the language model (group `llm`) in front of it."""

    classifier: ClassifierBackend = "local"
    review_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    model_path: str | None = None
    llm_batch_size: int = Field(default=20, ge=1, le=200)
    # All model attempts and waits of one delivery or request. The bound keeps a hanging model
    # inside the 60 s ack deadline of the comment subscription (checked against infra/stack.json
    # by a test) with room for the embedded fallback and the write.
    llm_deadline_seconds: float = Field(default=40.0, gt=0, le=LLM_DEADLINE_MAX_SECONDS)

    @model_validator(mode="after")
    def _check_classifier(self) -> ClassifierSettings:
        if isinstance(self, LlmSettings) and self.llm_timeout_seconds > self.llm_deadline_seconds:
            raise ValueError(
                f"LLM_TIMEOUT_SECONDS ({self.llm_timeout_seconds:g}) must not exceed "
                f"LLM_DEADLINE_SECONDS ({self.llm_deadline_seconds:g}): one attempt could not "
                "take its whole timeout"
            )
        if self.classifier != "local":
            _require_llm(self, f"CLASSIFIER={self.classifier}")
        return self


# --- storage ---


class StorageSettings(CoreSettings):
    """S3-compatible object storage (moto or LocalStack locally)."""

    s3_bucket: str = "alumusic-local"
    aws_endpoint_url: str | None = None
    aws_region: str = "us-east-1"


# --- charts ---


class ChartsSettings(CoreSettings):
    """The five-chart snapshot: how long it stays fresh, kept rows, and its objects' prefix."""

    # The snapshot is refreshed every minute: two missed ticks and a bit make it stale.
    charts_stale_after_seconds: int = Field(default=150, ge=1)
    charts_retention_hours: int = Field(default=48, ge=1)
    charts_object_prefix: str = "charts/"


# --- digest ---


class DigestSettings(CoreSettings):
    """The weekly digest's text and sender. `DIGEST_WRITER=llm` writes through the `llm` group's
    model."""

    digest_writer: DigestWriter = "template"
    digest_from_email: str = "resumo@alumusic.local"
    digest_from_name: str = "Feedbacks por IA"
    # Where a reader asks to leave the list (List-Unsubscribe); a mailto: to the sender when unset.
    digest_unsubscribe_url: str | None = None

    @model_validator(mode="after")
    def _check_digest(self) -> DigestSettings:
        if self.digest_writer == "llm":
            _require_llm(self, "DIGEST_WRITER=llm")
        return self


# --- mail ---


class MailSettings(CoreSettings):
    """Sending e-mail through SendGrid's v3 API (or a loopback SendGrid-compatible sink)."""

    sendgrid_api_key: SecretStr | None = None
    # The real SendGrid by default; a loopback SendGrid-compatible sink in tests and `make dev`.
    sendgrid_api_host: str = "https://api.sendgrid.com"
    sendgrid_timeout_seconds: float = Field(default=10.0, gt=0)


# --- insights ---


class InsightsSettings(CoreSettings):
    """Questions answered from the weekly digests. `INSIGHTS_ANSWERER=llm` answers through the
    `llm` group's model."""

    # Days and ISO weeks ("last week", "semana 47") are those of PRODUCT_TIMEZONE (core).
    insights_answerer: InsightsAnswerer = "offline"
    insights_max_question_chars: int = Field(default=500, ge=1, le=5000)

    @model_validator(mode="after")
    def _check_insights(self) -> InsightsSettings:
        if self.insights_answerer == "llm":
            _require_llm(self, "INSIGHTS_ANSWERER=llm")
        return self


# --- maintenance ---


class MaintenanceSettings(CoreSettings):
    """The scheduled table maintenance (shared/maintenance.py): when a table is due.

    A table is vacuumed (with ANALYZE) when the rows inserted since its last vacuum, or its dead
    rows, reach `min changed rows + changed fraction x live rows`; analysed when the rows modified
    since its last analyze do."""

    maintenance_min_changed_rows: int = Field(default=1000, ge=0)
    maintenance_changed_fraction: float = Field(default=0.05, ge=0.0, le=1.0)
    # VACUUM/ANALYZE pause per cost limit of work, as autovacuum does (0: run flat out).
    maintenance_cost_delay_ms: float = Field(default=2.0, ge=0.0, le=100.0)
    # Comments older than this many days are archived to the bucket and deleted (whole days of
    # PRODUCT_TIMEZONE); unset keeps them forever.
    comments_retention_days: int | None = Field(default=None, ge=1)


# --- alerts ---


class AlertsSettings(CoreSettings):
    """The alerts check (shared/alerts): when a tag's or category's count in the last hour or day
    is a spike or a drop against the same hours of the previous 4 weeks, and where it is sent.

    A spike needs at least ALERTS_MIN_COUNT comments in the window, ALERTS_MIN_RATIO times the
    baseline mean, and a one-sided Poisson test p below ALERTS_MAX_P_VALUE; a drop the same with
    the baseline mean at least ALERTS_MIN_COUNT. The sender of alert e-mails is the digest's
    (group `digest`), sent through the group `mail`."""

    alerts_min_count: int = Field(default=20, ge=1)
    alerts_min_ratio: float = Field(default=2.0, ge=1.0, le=100.0)
    alerts_max_p_value: float = Field(default=0.001, gt=0.0, lt=1.0)
    # No second alert of one rule (a tag or category and a direction, whichever window) within
    # this many minutes of the window end of the last one.
    alerts_cooldown_minutes: int = Field(default=360, ge=0, le=7 * 24 * 60)
    # Comma separated. A URL on hooks.slack.com, or written `slack:https://...`, is sent the
    # Slack incoming-webhook shape (`text` and `blocks`); any other gets plain JSON.
    alerts_webhook_urls: SecretStr = SecretStr("")
    # Comma separated addresses alerts are e-mailed to.
    alerts_emails: str = ""
    alerts_webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=30)

    @model_validator(mode="after")
    def _check_alerts(self) -> AlertsSettings:
        from shared.alerts.channels import parse_channels

        try:
            parse_channels(self.alerts_webhook_urls.get_secret_value(), self.alerts_emails)
        except ValueError as error:
            raise ValueError(str(error)) from None
        return self


# --- devstack ---


class DevStackSettings(CoreSettings):
    """The local stack and its tools; no deployed function reads these."""

    gateway_port: int = Field(default=8080, ge=1, le=65535)
    admin_password: SecretStr | None = None


# --- every group ---


class Settings(
    DatabaseSettings,
    PubSubSettings,
    AuthSettings,
    IssuerSettings,
    RateLimitSettings,
    LimitsSettings,
    LlmSettings,
    ClassifierSettings,
    StorageSettings,
    ChartsSettings,
    DigestSettings,
    MailSettings,
    InsightsSettings,
    MaintenanceSettings,
    AlertsSettings,
    DevStackSettings,
):
    """Every group at once: what tools read, and the type library code reads settings through."""


# Group name (as infra/stack.json spells it) -> its model.
SETTINGS_GROUPS: Final[dict[str, type[CoreSettings]]] = {
    "database": DatabaseSettings,
    "pubsub": PubSubSettings,
    "auth": AuthSettings,
    "issuer": IssuerSettings,
    "ratelimits": RateLimitSettings,
    "limits": LimitsSettings,
    "llm": LlmSettings,
    "classifier": ClassifierSettings,
    "storage": StorageSettings,
    "charts": ChartsSettings,
    "digest": DigestSettings,
    "mail": MailSettings,
    "insights": InsightsSettings,
    "maintenance": MaintenanceSettings,
    "alerts": AlertsSettings,
    "devstack": DevStackSettings,
}


def _group_of(field_name: str) -> str | None:
    for name, model in SETTINGS_GROUPS.items():
        if field_name in model.model_fields and field_name not in CoreSettings.model_fields:
            return name
    return None


def group_fields(group: str) -> list[str]:
    """The settings (field names) a group adds to the core ones."""
    return [name for name in SETTINGS_GROUPS[group].model_fields if _group_of(name) == group]


def parse_groups(value: str | Iterable[str]) -> tuple[str, ...]:
    """Group names from `SETTINGS_GROUPS` text or a list, checked, in a canonical order."""
    names = [n.strip() for n in value.split(",")] if isinstance(value, str) else list(value)
    names = [n for n in names if n]
    unknown = sorted(set(names) - set(SETTINGS_GROUPS))
    if unknown:
        raise ValueError(
            f"unknown settings group(s) {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(SETTINGS_GROUPS)}"
        )
    return tuple(name for name in SETTINGS_GROUPS if name in names)


@cache
def settings_model(groups: tuple[str, ...]) -> type[CoreSettings]:
    """The model of exactly these groups (core always included)."""
    canonical = parse_groups(groups)
    if set(canonical) == set(SETTINGS_GROUPS):
        return Settings
    bases = tuple(SETTINGS_GROUPS[name] for name in canonical) or (CoreSettings,)
    return cast(
        "type[CoreSettings]",
        type(f"Settings[{','.join(canonical)}]", bases, {"__doc__": None, "__module__": __name__}),
    )


def load_settings(groups: Iterable[str], **values: Any) -> Settings:
    """Settings of only `groups`, read from the environment (`values` win) and validated.

    Typed as `Settings` so library code reads every function's settings the same way; a setting
    of another group is not there (SettingsGroupMissing).
    """
    return cast("Settings", settings_model(parse_groups(groups))(**values))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Every group; read once so every cold start fails fast on bad config."""
    return Settings()


@lru_cache(maxsize=1)
def get_function_settings() -> Settings:
    """This function's settings: the groups `SETTINGS_GROUPS` names, or every group when unset
    (a function started by hand, a test)."""
    declared = os.environ.get(SETTINGS_GROUPS_ENV)
    if declared is None:
        return get_settings()
    return load_settings(parse_groups(declared))
