"""Every number in a stored digest's text is read back and found among figures recomputed here."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
import sqlalchemy as sa

from shared.bootstrap import App
from shared.digest import service
from shared.digest.writer import MAX_WORDS, word_count
from shared.numbers import numbers_in_text
from shared.timezone import IsoWeek
from tests.support.digest_data import seed_week

pytestmark = pytest.mark.integration

TZ = "America/Sao_Paulo"
LABEL = "to_char(created_at AT TIME ZONE :tz, 'IYYY-\"W\"IW')"


def one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def figures_from_sql(engine: sa.Engine, week: IsoWeek) -> set[Decimal]:
    """The figures a digest of `week` may state, computed independently of shared.digest."""
    weeks = {k: str(week.shifted(-k)) for k in range(0, 5)}
    figures: set[Decimal] = set()
    with engine.connect() as conn:

        def counts(sql: str, **params: object) -> dict[str, dict[str, int]]:
            found: dict[str, dict[str, int]] = {}
            for key, label, n in conn.execute(sa.text(sql), {"tz": TZ, **params}):
                found.setdefault(label, {})[key] = int(n)
            return found

        by_category = counts(
            f"SELECT categoria_final, {LABEL}, count(*) FROM comments GROUP BY 1, 2"
        )
        now, before = by_category.get(weeks[0], {}), by_category.get(weeks[1], {})
        t1, t0 = sum(now.values()), sum(before.values())
        figures |= {Decimal(t1), Decimal(t0)}
        for cat in set(now) | set(before):
            n1, n0 = now.get(cat, 0), before.get(cat, 0)
            p1 = one_decimal(Decimal(100 * n1) / t1) if t1 else Decimal(0)
            p0 = one_decimal(Decimal(100 * n0) / t0) if t0 else Decimal(0)
            figures |= {Decimal(n1), Decimal(n0), p1, p0, abs(p1 - p0)}
            if n0:
                figures.add(abs(one_decimal(Decimal(100 * (n1 - n0)) / n0)))
        by_tag = counts(
            f"SELECT categoria_final || ':' || tag, {LABEL}, count(*) "
            "FROM comments, unnest(tags_final) AS tag GROUP BY 1, 2"
        )
        tag_now, tag_before = by_tag.get(weeks[0], {}), by_tag.get(weeks[1], {})
        for key in set(tag_now) | set(tag_before):
            n1, n0 = tag_now.get(key, 0), tag_before.get(key, 0)
            figures |= {Decimal(n1), Decimal(n0), Decimal(abs(n1 - n0))}
        all_tags = counts(
            f"SELECT tag, {LABEL}, count(*) FROM comments, unnest(tags_final) AS tag "
            "WHERE categoria_final <> 'SPAM' GROUP BY 1, 2"
        )
        for tag, n1 in all_tags.get(weeks[0], {}).items():
            history = sum(all_tags.get(weeks[k], {}).get(tag, 0) for k in range(1, 5))
            figures |= {Decimal(n1), Decimal(history) / 4}
            if history:
                figures.add(one_decimal(Decimal(n1) / (Decimal(history) / 4)))
        review = conn.execute(
            sa.text(
                "SELECT count(*) FILTER (WHERE needs_review AND corrected_at IS NULL), "
                f"count(*) FILTER (WHERE corrected_at IS NOT NULL) FROM comments WHERE {LABEL} = :w"
            ),
            {"tz": TZ, "w": weeks[0]},
        ).one()
        figures |= {Decimal(review[0]), Decimal(review[1])}
    # the week label and its dates
    figures |= {Decimal(week.year), Decimal(week.week)}
    for day in (week.monday, week.sunday):
        figures |= {Decimal(day.day), Decimal(day.month)}
    return {f.normalize() for f in figures}


def assert_text_is_true(app: App, week: IsoWeek) -> str:
    digest, _ = service.build_digest(app, week)
    text = digest.texto
    # Then it opens with the greeting, is signed, fits the word limit
    assert text.startswith("Olá")
    assert text.endswith("Feedbacks por IA")
    assert word_count(text) <= MAX_WORDS
    # and every number in it is one of the figures SQL gives for that week
    figures = figures_from_sql(app.engine, week)
    stated = numbers_in_text(text)
    assert [n for n in stated if n.normalize() not in figures] == [], text
    # and the total it states is the week's count
    total = re.search(r"(\d[\d.]*) comentários?", text)
    if digest.stats["total"]:
        assert total is not None
        assert int(total.group(1).replace(".", "")) == digest.stats["total"]
    else:
        assert total is None
    return text


def test_a_busy_week_states_only_true_numbers(digest_app: App, seeded: IsoWeek) -> None:
    text = assert_text_is_true(digest_app, seeded)
    # and says what rose, what hurts and what people ask for
    assert "críticas" in text
    assert "subiram" in text or "ganharam" in text
    assert "demora no carregamento" in text
    assert "letras das músicas" in text
    assert "pontos de melhoria" in text or "vale " in text


def test_ordinary_weeks_state_only_true_numbers(digest_app: App, seeded: IsoWeek) -> None:
    for offset in (1, 2, 3):
        assert_text_is_true(digest_app, seeded.shifted(-offset))


def test_an_empty_week_gets_a_short_honest_digest(digest_app: App) -> None:
    text = assert_text_is_true(digest_app, IsoWeek.parse("2026-W40"))
    assert "não recebemos nenhum comentário" in text


def test_a_tiny_week_says_so(digest_app: App) -> None:
    week = IsoWeek.parse("2026-W41")
    seed_week(
        digest_app.engine, week, {"ELOGIO": 5, "CRÍTICA": 3}, tags={"CRÍTICA": {"fix_volume": 1.0}}
    )
    text = assert_text_is_true(digest_app, week)
    assert "só 8 comentários" in text
