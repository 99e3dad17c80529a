"""Object storage: the bucket the product writes JSON documents to (chart snapshots, ...).

`ObjectStore` is what the library needs; `S3ObjectStore` speaks the S3 API through boto3 (moto
or LocalStack locally through AWS_ENDPOINT_URL; in production the endpoint is Google Cloud
Storage's S3-compatible XML API, `https://storage.googleapis.com`, with HMAC keys of the
function's service account as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); `InMemoryObjectStore`
is the fake for unit tests.

Failures surface as `StorageUnavailable` (a TransientFailure), so callers decide whether a bucket
outage is fatal to them without knowing boto3's exceptions.
"""

from __future__ import annotations

import json
import os
import threading
from typing import TYPE_CHECKING, Any, Protocol

from shared.errors import TransientFailure

if TYPE_CHECKING:
    from shared.config import Settings

JSON_CONTENT_TYPE = "application/json"
# A refresh that runs every minute must not hang on an unreachable bucket.
CONNECT_TIMEOUT_SECONDS = 3.0
READ_TIMEOUT_SECONDS = 10.0


class StorageUnavailable(TransientFailure):
    """The bucket cannot be reached or answered with an error (code `unavailable`)."""


class ObjectStore(Protocol):
    def put_bytes(self, key: str, data: bytes, content_type: str) -> None: ...

    def get_bytes(self, key: str) -> bytes | None:
        """The object's content, or None when there is no such object."""
        ...

    def put_json(self, key: str, document: Any) -> None: ...

    def get_json(self, key: str) -> Any | None: ...


def encode_json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def decode_json(key: str, data: bytes | None) -> Any | None:
    if data is None:
        return None
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StorageUnavailable(f"object {key!r} is not JSON") from error


class InMemoryObjectStore:
    """A dict behind the ObjectStore protocol; `fail` makes every call raise (outage tests)."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}
        self.fail = False
        self._lock = threading.Lock()

    def _check(self) -> None:
        if self.fail:
            raise StorageUnavailable("bucket unreachable (simulated)")

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        self._check()
        with self._lock:
            self.objects[key] = (bytes(data), content_type)

    def get_bytes(self, key: str) -> bytes | None:
        self._check()
        with self._lock:
            stored = self.objects.get(key)
        return None if stored is None else stored[0]

    def put_json(self, key: str, document: Any) -> None:
        self.put_bytes(key, encode_json(document), JSON_CONTENT_TYPE)

    def get_json(self, key: str) -> Any | None:
        return decode_json(key, self.get_bytes(key))


class S3ObjectStore:
    """One bucket through boto3's S3 client (created on first use: a cold start without the
    bucket never loads botocore)."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None,
        region: str,
        client: Any = None,
        emulator_credentials: bool = True,
    ) -> None:
        self.bucket = bucket
        self.endpoint_url = endpoint_url
        self.region = region
        self.emulator_credentials = emulator_credentials
        self._client = client
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> S3ObjectStore:
        return cls(
            settings.s3_bucket,
            endpoint_url=settings.aws_endpoint_url,
            region=settings.aws_region,
            emulator_credentials=settings.environment != "production",
        )

    @property
    def client(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3
                    from botocore.config import Config

                    self._client = boto3.client(
                        "s3",
                        endpoint_url=self.endpoint_url,
                        region_name=self.region,
                        **self._credentials(),
                        config=Config(
                            connect_timeout=CONNECT_TIMEOUT_SECONDS,
                            read_timeout=READ_TIMEOUT_SECONDS,
                            retries={"max_attempts": 2, "mode": "standard"},
                        ),
                    )
        return self._client

    def _credentials(self) -> dict[str, str]:
        # Emulators accept any key; outside production one is supplied when none is configured.
        # In production the keys come from the environment (GCS HMAC keys) or boto3's chain.
        if not (self.emulator_credentials and self.endpoint_url):
            return {}
        if os.environ.get("AWS_ACCESS_KEY_ID") or os.environ.get("AWS_PROFILE"):
            return {}
        return {"aws_access_key_id": "test", "aws_secret_access_key": "test"}

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(f"cannot write s3://{self.bucket}/{key}: {error}") from error

    def get_bytes(self, key: str) -> bytes | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key)
            return bytes(response["Body"].read())
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise StorageUnavailable(f"cannot read s3://{self.bucket}/{key}: {error}") from error
        except BotoCoreError as error:
            raise StorageUnavailable(f"cannot read s3://{self.bucket}/{key}: {error}") from error

    def put_json(self, key: str, document: Any) -> None:
        self.put_bytes(key, encode_json(document), JSON_CONTENT_TYPE)

    def get_json(self, key: str) -> Any | None:
        return decode_json(key, self.get_bytes(key))
