"""ISO weeks of the product's zone, sample masking and picking, and scheduled ticks."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from shared.digest.samples import mask_pii, pick_samples
from shared.digest.weeks import IsoWeek
from shared.errors import InvalidInput, PoisonMessage
from shared.schedule import Tick, encode_tick, parse_tick

SAO_PAULO = "America/Sao_Paulo"


def test_week_labels_parse_and_print_back() -> None:
    week = IsoWeek.parse("2026-W47")
    assert (week.monday, week.sunday) == (date(2026, 11, 16), date(2026, 11, 22))
    assert str(week) == "2026-W47"
    assert str(week.shifted(-1)) == "2026-W46"
    assert str(IsoWeek.parse("2027-W01").shifted(-1)) == "2026-W53"


@pytest.mark.parametrize("text", ["2026-47", "2026-W5", "2026-W00", "2025-W53", "x", " 2026-W47x"])
def test_malformed_or_missing_weeks_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        IsoWeek.parse(text)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # The Monday 08:00 job in Sao Paulo (11:00 UTC): the week that ended last night.
        (datetime(2026, 11, 30, 11, 0, tzinfo=UTC), "2026-W48"),
        # Monday 01:00 UTC is still Sunday 22:00 in Sao Paulo: W48 has not ended there yet.
        (datetime(2026, 11, 30, 1, 0, tzinfo=UTC), "2026-W47"),
        (datetime(2026, 12, 3, 15, 0, tzinfo=UTC), "2026-W48"),
    ],
)
def test_last_closed_week_is_that_of_the_product_zone(instant: datetime, expected: str) -> None:
    assert str(IsoWeek.last_closed_before(instant, SAO_PAULO)) == expected


def test_emails_phones_and_links_are_masked() -> None:
    text = (
        "me chama no zap +55 (11) 98765-4321 ou escreve pra fulano.tal@gmail.com, "
        "vídeo em https://youtu.be/abc?x=1 e www.meucanal.com.br/promo, tel 555.123.4567"
    )
    masked = mask_pii(text)
    for secret in ("98765", "4321", "fulano", "gmail", "youtu", "meucanal", "555.123"):
        assert secret not in masked, secret
    assert masked.count("[telefone]") == 2
    assert "[e-mail]" in masked
    assert masked.count("[link]") == 2


def test_ordinary_numbers_are_not_taken_for_phones() -> None:
    assert mask_pii("ouvi 3 vezes em 2024, nota 10") == "ouvi 3 vezes em 2024, nota 10"


def test_samples_skip_near_duplicates_and_keep_the_best_first() -> None:
    candidates = [
        ("a", "o volume dessa faixa tá bem mais baixo que as outras"),
        ("b", "O volume dessa faixa tá bem mais baixo que as outras!!"),
        ("c", "o app fica carregando infinito antes de tocar"),
        ("d", "o volume dessa faixa ta bem mais baixo que as outras do album"),
        ("e", "trava quando pulo a música"),
    ]
    picked = pick_samples(candidates, limit=3)
    assert [s["id"] for s in picked] == ["a", "c", "e"]


def test_samples_already_shown_elsewhere_are_not_repeated() -> None:
    picked = pick_samples([("a", "que tal um clipe animado")], exclude=["que tal um clipe animado"])
    assert picked == []


def test_a_tick_round_trips_and_missing_time_uses_the_publish_minute() -> None:
    tick = Tick("weekly-digest", datetime(2026, 11, 30, 11, 0, tzinfo=UTC), {"x": 1})
    data, attributes = encode_tick(tick)
    assert parse_tick(data, attributes, None) == tick
    published = datetime(2026, 11, 30, 11, 0, 42, 123, tzinfo=UTC)
    bare = parse_tick(json.dumps({"job": "weekly-digest"}).encode(), {}, published)
    assert bare.scheduled_time == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b"[1]",
        b'{"scheduled_time": "2026-11-30T11:00:00Z"}',
        b'{"job": "x", "scheduled_time": "soon"}',
    ],
)
def test_undecodable_ticks_are_poison(data: bytes) -> None:
    with pytest.raises(PoisonMessage):
        parse_tick(data, {}, None)
