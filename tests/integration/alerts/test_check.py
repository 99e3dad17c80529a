"""The check against real PostgreSQL: windows, baselines from the rollups, the test, the store."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from shared.alerts import service
from shared.bootstrap import App
from tests.support.alerts_data import CRASH, comment_rows, seed_quiet_baseline, spread
from tests.support.digest_data import insert_comments
from tooling.devstack.mail_sink import MailSink

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 30, 14, 7, tzinfo=UTC)
HOUR_START, HOUR_END = (
    datetime(2026, 11, 30, 13, 0, tzinfo=UTC),
    datetime(2026, 11, 30, 14, 0, tzinfo=UTC),
)


def stored(engine: sa.Engine) -> list[sa.Row[tuple[object, ...]]]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                sa.text(
                    "SELECT regra, escopo, chave, janela, direcao, inicio, fim, contagem, "
                    "media_base, contagens_base, p_valor FROM alerts ORDER BY id"
                )
            )
        )


def test_windows_end_at_the_last_closed_quarter_hour() -> None:
    from shared.alerts.check import windows_ending

    hour, day = windows_ending(NOW)
    assert (hour.name, hour.start, hour.end) == ("hora", HOUR_START, HOUR_END)
    assert (day.name, day.start, day.end) == ("dia", HOUR_END - timedelta(days=1), HOUR_END)


def test_a_spike_is_stored_once_with_its_numbers_and_its_cool_down_holds(
    make_app: Callable[..., App], clean_db: sa.Engine
) -> None:
    # Given 60 crash comments in the hour over 2, 3, 1 and 2 in the same hour of the 4 weeks before
    app = make_app(alerts_cooldown_minutes=120)
    insert_comments(clean_db, comment_rows("now", spread(HOUR_START, HOUR_END, 60)))
    for week, count in zip(range(1, 5), (2, 3, 1, 2), strict=True):
        shift = timedelta(days=7 * week)
        rows = comment_rows(f"b{week}", spread(HOUR_START - shift, HOUR_END - shift, count))
        insert_comments(clean_db, rows)

    # When the check runs, three times inside one quarter hour
    first = service.run(app, NOW)
    service.run(app, NOW + timedelta(minutes=5))
    service.run(app, NOW + timedelta(minutes=7))

    # Then the tag's and the category's hour spikes are stored once each, with their numbers
    # (the day saw the same spike: the rule's cool-down tells it once)
    rows = stored(clean_db)
    assert [(r.regra, r.janela) for r in rows] == [
        ("categoria:CRÍTICA:alta", "hora"),
        (f"tag:{CRASH}:alta", "hora"),
    ]
    assert len(first.stored) == 2
    tag = rows[1]
    assert (tag.contagem, float(tag.media_base), tag.contagens_base) == (60, 2.0, [2, 3, 1, 2])
    assert (tag.inicio, tag.fim) == (HOUR_START, HOUR_END)
    assert 0 <= tag.p_valor < 1e-20

    # When the spike goes on an hour later, inside the cool-down, and again after it
    later = HOUR_END + timedelta(hours=1)
    insert_comments(clean_db, comment_rows("later", spread(HOUR_END, later, 60)))
    service.run(app, later + timedelta(minutes=1))
    assert len(stored(clean_db)) == 2
    after = HOUR_END + timedelta(hours=3)
    insert_comments(clean_db, comment_rows("after", spread(after - timedelta(hours=1), after, 60)))
    service.run(app, after + timedelta(minutes=1))

    # Then only the run past the cool-down stores the rule again
    assert [r.fim for r in stored(clean_db)][2:] == [after, after]


def test_a_drop_is_found_and_a_steady_count_is_not(
    make_app: Callable[..., App], clean_db: sa.Engine
) -> None:
    # Given 80 lyrics requests in the hour each of the 4 weeks before, 80 again now, and crashes
    # that fell from 60 to 5
    app = make_app()
    for week in range(5):
        shift = timedelta(days=7 * week)
        times = spread(HOUR_START - shift, HOUR_END - shift, 80)
        insert_comments(
            clean_db, comment_rows(f"l{week}", times, categoria="SUGESTÃO", tags=("feat_letra",))
        )
        crashes = 5 if week == 0 else 60
        times = spread(HOUR_START - shift, HOUR_END - shift, crashes)
        insert_comments(clean_db, comment_rows(f"c{week}", times, categoria="CRÍTICA"))

    # When the check runs
    service.run(app, NOW)

    # Then the crashes' and the criticism's drops are alerts; the steady requests are not
    rows = stored(clean_db)
    assert {(r.regra, r.janela) for r in rows} == {
        (f"tag:{CRASH}:queda", "hora"),
        ("categoria:CRÍTICA:queda", "hora"),
    }
    tag = next(r for r in rows if r.escopo == "tag")
    assert (tag.contagem, float(tag.media_base), tag.contagens_base) == (5, 60.0, [60, 60, 60, 60])


def test_small_or_modest_changes_are_not_alerts(
    make_app: Callable[..., App], clean_db: sa.Engine
) -> None:
    # Given a jump from 2 to 12 (under ALERTS_MIN_COUNT) and a rise from 100 to 150 (under
    # ALERTS_MIN_RATIO, however significant)
    app = make_app()
    seed_quiet_baseline(clean_db, HOUR_START, HOUR_END, per_week=2)
    insert_comments(clean_db, comment_rows("now", spread(HOUR_START, HOUR_END, 12)))
    for week in range(5):
        shift = timedelta(days=7 * week)
        count = 150 if week == 0 else 100
        times = spread(HOUR_START - shift, HOUR_END - shift, count)
        insert_comments(clean_db, comment_rows(f"e{week}", times, categoria="ELOGIO", tags=()))

    # When the check runs
    result = service.run(app, NOW)

    # Then nothing is stored
    assert result.observed > 0
    assert stored(clean_db) == []


def test_counts_come_from_the_rollups_not_the_comments(
    make_app: Callable[..., App], clean_db: sa.Engine
) -> None:
    # Given a spike whose comment rows are gone while its rollups stay
    app = make_app()
    seed_quiet_baseline(clean_db, HOUR_START, HOUR_END)
    insert_comments(clean_db, comment_rows("now", spread(HOUR_START, HOUR_END, 90)))
    with clean_db.begin() as conn:
        conn.execute(sa.text("DELETE FROM comments"))

    # When the check runs
    service.run(app, NOW)

    # Then the spike is still found, counted from the rollups
    assert [(r.chave, r.contagem) for r in stored(clean_db) if r.escopo == "tag"] == [(CRASH, 90)]


def test_two_runs_at_once_store_and_send_each_alert_once(
    make_app: Callable[..., App], clean_db: sa.Engine, mail_sink: MailSink
) -> None:
    # Given a spike and two webhooks
    app = make_app(
        alerts_webhook_urls=SecretStr(
            f"slack:{mail_sink.webhook_url('slack')},{mail_sink.webhook_url('json')}"
        )
    )
    seed_quiet_baseline(clean_db, HOUR_START, HOUR_END)
    insert_comments(clean_db, comment_rows("now", spread(HOUR_START, HOUR_END, 90)))

    # When two runs of the same tick go at once (a redelivery racing the first delivery)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: service.run(app, NOW), range(2)))

    # Then each alert was stored once and sent once to each webhook
    assert sum(len(r.stored) for r in results) == len(stored(clean_db)) == 2
    hooks = mail_sink.received_webhooks()
    assert sorted(h.name for h in hooks) == ["json", "json", "slack", "slack"]
    assert sum(len(r.delivery.sent) for r in results) == 4
