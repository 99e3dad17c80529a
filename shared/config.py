"""Typed settings read from the environment, validated once at cold start.

Every knob of the product lives here; the README's settings table lists the same names.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]
ClassifierBackend = Literal["local", "llm", "cascade"]

# Values that must never reach production: they are either documented in the README
# or generated for a laptop, so anyone could forge tokens with them.
PLACEHOLDER_SECRETS = frozenset(
    {"", "changeme", "change-me", "secret", "dev-secret", "development"}
)
DEV_JWT_SECRET = "dev-secret"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    environment: Environment = "development"
    log_level: str = "INFO"

    # PostgreSQL, through SQLAlchemy with the pg8000 driver.
    database_url: str = "postgresql+pg8000://postgres@127.0.0.1:5432/alumusic"
    db_pool_size: int = Field(default=5, ge=1, le=50)
    db_max_overflow: int = Field(default=2, ge=0, le=50)

    # Google Pub/Sub (the emulator when PUBSUB_EMULATOR_HOST is set).
    pubsub_project_id: str = "alumusic-local"
    pubsub_emulator_host: str | None = None
    comments_topic: str = "comments-submitted"
    comments_dead_letter_topic: str = "comments-submitted-dead-letter"
    comments_per_message: int = Field(default=500, ge=1, le=5000)

    # Auth.
    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_access_ttl_seconds: int = Field(default=900, ge=30)
    jwt_refresh_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)

    # Input limits (bad input is refused with a 4xx, never truncated silently).
    max_text_chars: int = Field(default=5000, ge=1)
    max_sync_batch: int = Field(default=1000, ge=1)
    max_ingest_batch: int = Field(default=10_000, ge=1)
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    max_page_size: int = Field(default=500, ge=1)

    # Classification.
    classifier: ClassifierBackend = "local"
    review_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    model_path: str | None = None
    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_seconds: float = Field(default=20.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_batch_size: int = Field(default=20, ge=1, le=200)
    llm_token_budget: int = Field(default=200_000, ge=0)

    # S3-compatible object storage (moto or LocalStack locally).
    s3_bucket: str = "alumusic-local"
    aws_endpoint_url: str | None = None
    aws_region: str = "us-east-1"

    # --- charts ---
    # Days, hours and weeks of the product are those of this IANA zone (charts, digests, filters).
    product_timezone: str = "America/Sao_Paulo"
    # The snapshot is refreshed every minute: two missed ticks and a bit make it stale.
    charts_stale_after_seconds: int = Field(default=150, ge=1)
    charts_retention_hours: int = Field(default=48, ge=1)
    charts_object_prefix: str = "charts/"

    @field_validator("product_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"PRODUCT_TIMEZONE {value!r} is not an IANA time zone") from None
        return value

    # --- end charts ---

    # Local stack.
    gateway_port: int = Field(default=8080, ge=1, le=65535)
    admin_password: SecretStr | None = None

    @model_validator(mode="after")
    def _refuse_placeholders_outside_development(self) -> Settings:
        if self.environment != "development":
            secret = self.jwt_secret.get_secret_value()
            if secret.strip().lower() in PLACEHOLDER_SECRETS or len(secret) < 32:
                raise ValueError(
                    f"JWT_SECRET is a placeholder or shorter than 32 characters; "
                    f"ENVIRONMENT={self.environment} needs a real secret"
                )
        if self.environment == "production" and self.pubsub_emulator_host:
            raise ValueError("PUBSUB_EMULATOR_HOST must not be set in production")
        if self.classifier != "local" and not self.openai_base_url and not self.openai_api_key:
            raise ValueError(
                f"CLASSIFIER={self.classifier} needs OPENAI_BASE_URL or OPENAI_API_KEY"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; read once so every cold start fails fast on bad config."""
    return Settings()
