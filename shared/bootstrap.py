"""The composition root: the one place that wires settings, engine, publisher, classifier
and storage.

Entry points call `get_app()`; tests build their own `App` with any part replaced. Each part is
created on first use and then reused for the life of the process (a warm serverless instance), so a
function that never publishes never opens a Pub/Sub channel.
"""

from __future__ import annotations

import atexit
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any

from shared.config import Settings, get_function_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from shared.auth import UserStatusCache
    from shared.classifier import Classifier
    from shared.events import Publisher
    from shared.llm import LlmClient
    from shared.mail import Mailer
    from shared.storage import ObjectStore

log = logging.getLogger(__name__)


def _default_engine(settings: Settings) -> Engine:
    from shared.db import create_db_engine

    return create_db_engine(settings)


def _default_publisher(settings: Settings) -> Publisher:
    from shared.events import PubSubPublisher

    return PubSubPublisher(settings)


def _default_classifier(settings: Settings) -> Classifier:
    from shared.classifier.factory import build_classifier

    return build_classifier(settings)


def _default_mailer(settings: Settings) -> Mailer:
    from shared.mail import SendGridMailer

    return SendGridMailer.from_settings(settings)


def _default_storage(settings: Settings) -> ObjectStore:
    from shared.storage import S3ObjectStore

    return S3ObjectStore.from_settings(settings)


def _default_llm(settings: Settings) -> LlmClient | None:
    # No endpoint and no key: the product runs offline and callers use their deterministic path.
    if not settings.openai_base_url and not settings.openai_api_key:
        return None
    from shared.llm import LlmClient

    return LlmClient.from_settings(settings)


def _default_user_statuses(app: App) -> UserStatusCache:
    # Given the App, not the engine: the cache opens the engine only on its first miss.
    from shared.auth import user_status_cache

    return user_status_cache(app.settings, lambda: app.engine)


@dataclass
class App:
    """The wired product. Pass a ready-made part, or a factory, to replace the default one."""

    settings: Settings
    engine_factory: Callable[[Settings], Engine] = _default_engine
    publisher_factory: Callable[[Settings], Publisher] = _default_publisher
    classifier_factory: Callable[[Settings], Classifier] = _default_classifier
    mailer_factory: Callable[[Settings], Mailer] = _default_mailer
    storage_factory: Callable[[Settings], ObjectStore] = _default_storage
    llm_factory: Callable[[Settings], LlmClient | None] = _default_llm
    user_statuses_factory: Callable[[App], UserStatusCache] = _default_user_statuses
    _parts: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _part(self, name: str, factory: Callable[[Settings], Any]) -> Any:
        # Membership, not truthiness: a part may legitimately be None (no LLM configured).
        if name not in self._parts:
            with self._lock:
                if name not in self._parts:
                    self._parts[name] = factory(self.settings)
        return self._parts[name]

    @property
    def engine(self) -> Engine:
        return self._part("engine", self.engine_factory)  # type: ignore[no-any-return]

    @property
    def publisher(self) -> Publisher:
        return self._part("publisher", self.publisher_factory)  # type: ignore[no-any-return]

    @property
    def classifier(self) -> Classifier:
        return self._part("classifier", self._classifier_with_analyst_tags)  # type: ignore[no-any-return]

    def _classifier_with_analyst_tags(self, settings: Settings) -> Classifier:
        # The product's classifier also applies the tags analysts promoted from themes (stored
        # in the database); a classifier a test hands in is used as it is.
        classifier = self.classifier_factory(settings)
        if self.classifier_factory is not _default_classifier:
            return classifier
        from shared.themes.tagging import AnalystTags, WithAnalystTags

        return WithAnalystTags(classifier, AnalystTags(lambda: self.engine))

    @property
    def mailer(self) -> Mailer:
        return self._part("mailer", self.mailer_factory)  # type: ignore[no-any-return]

    @property
    def storage(self) -> ObjectStore:
        return self._part("storage", self.storage_factory)  # type: ignore[no-any-return]

    @property
    def llm(self) -> LlmClient | None:
        """The language-model client, or None when no endpoint is configured."""
        return self._part("llm", self.llm_factory)  # type: ignore[no-any-return]

    @property
    def user_statuses(self) -> UserStatusCache:
        """Users' current active flag and role, cached per instance for a bounded time."""
        return self._part(  # type: ignore[no-any-return]
            "user_statuses", lambda _settings: self.user_statuses_factory(self)
        )

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release pooled connections and flush pending publishes (SIGTERM, test teardown, the
        end of a `with App(...)` block)."""
        parts, self._parts = self._parts, {}
        publisher = parts.get("publisher")
        if publisher is not None:
            publisher.close()
        engine = parts.get("engine")
        if engine is not None:
            engine.dispose()


_app: App | None = None
_app_lock = threading.Lock()


def get_app() -> App:
    """The process-wide App, built from the environment on first call (cold start), with the
    function's own settings groups (shared.config.get_function_settings)."""
    global _app
    if _app is None:
        with _app_lock:
            if _app is None:
                _app = App(settings=get_function_settings())
                _install_sigterm_handler()
                atexit.register(set_app, None)
    return _app


def set_app(app: App | None) -> None:
    """Replace the process-wide App (tests); closes the previous one."""
    global _app
    with _app_lock:
        if _app is not None and _app is not app:
            _app.close()
        _app = app


def _install_sigterm_handler() -> None:
    # Cloud Run sends SIGTERM before stopping an instance: give pooled connections back.
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.getsignal(signal.SIGTERM)

    def _on_sigterm(signum: int, frame: FrameType | None) -> None:
        log.info("SIGTERM received, disposing of the app's resources")
        if _app is not None:
            _app.close()
        if callable(previous):
            previous(signum, frame)
        else:
            raise SystemExit(0)

    signal.signal(signal.SIGTERM, _on_sigterm)
