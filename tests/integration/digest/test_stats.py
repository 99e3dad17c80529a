"""The digest's stats against the database: each figure recomputed here by a plain query."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from shared.digest.stats import compute_stats
from shared.rollups import rebuild
from shared.timezone import IsoWeek
from tests.support.digest_data import local_instant, seed_week

pytestmark = pytest.mark.integration

TZ = "America/Sao_Paulo"


def week_counts(engine: sa.Engine, week: IsoWeek) -> dict[str, int]:
    """Comments per final category in `week`, bucketed by the ISO week of the local date."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT categoria_final, count(*) FROM comments "
                "WHERE to_char(created_at AT TIME ZONE :tz, 'IYYY-\"W\"IW') = :week "
                "GROUP BY 1"
            ),
            {"tz": TZ, "week": str(week)},
        )
        return {row[0]: int(row[1]) for row in rows}


def tag_count(engine: sa.Engine, tag: str, categoria: str | None, week: IsoWeek) -> int:
    """Comments of `week` carrying `tag` (of `categoria` when given), counted plainly."""
    sql = (
        "SELECT count(*) FROM comments WHERE :tag = ANY(tags_final) "
        "AND to_char(created_at AT TIME ZONE :tz, 'IYYY-\"W\"IW') = :week"
    )
    if categoria:
        sql += " AND categoria_final = :cat"
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.text(sql), {"tag": tag, "tz": TZ, "week": str(week), "cat": categoria}
            ).scalar_one()
        )


def test_category_figures_match_plain_counts(clean_db: sa.Engine, seeded: IsoWeek) -> None:
    # Given five ordinary weeks and a week with more criticism
    # When the stats of that week are computed
    stats = compute_stats(clean_db, seeded, TZ)
    # Then every category figure equals what a plain count gives
    now, before = week_counts(clean_db, seeded), week_counts(clean_db, seeded.shifted(-1))
    assert stats["total"] == sum(now.values())
    assert stats["total_anterior"] == sum(before.values())
    assert [c["categoria"] for c in stats["categorias"]] == [
        "ELOGIO",
        "CRÍTICA",
        "SUGESTÃO",
        "DÚVIDA",
        "SPAM",
    ]
    for cat in stats["categorias"]:
        n1, n0 = now.get(cat["categoria"], 0), before.get(cat["categoria"], 0)
        share1 = round(100 * n1 / stats["total"], 1)
        share0 = round(100 * n0 / stats["total_anterior"], 1)
        assert (cat["total"], cat["total_anterior"]) == (n1, n0)
        assert cat["percentual"] == pytest.approx(share1, abs=0.051)
        assert cat["percentual_anterior"] == pytest.approx(share0, abs=0.051)
        assert cat["variacao_pontos"] == pytest.approx(
            cat["percentual"] - cat["percentual_anterior"], abs=1e-9
        )
        assert cat["variacao_percentual"] == pytest.approx(
            round((n1 - n0) * 100 / n0, 1), abs=0.051
        )


def test_a_large_change_is_significant_and_a_small_one_is_not(clean_db: sa.Engine) -> None:
    # Given a week where CRÍTICA goes from 20% to 30% of 1000 comments and DÚVIDA from 10% to 10.5%
    week = IsoWeek.parse("2026-W47")
    seed_week(clean_db, week.shifted(-1), {"ELOGIO": 700, "CRÍTICA": 200, "DÚVIDA": 100}, seed=1)
    seed_week(clean_db, week, {"ELOGIO": 595, "CRÍTICA": 300, "DÚVIDA": 105}, seed=2)
    # When the stats are computed
    by_name = {c["categoria"]: c for c in compute_stats(clean_db, week, TZ)["categorias"]}
    # Then the ten-point move is significant (z ~ 5.2) and the half-point one is not (z ~ 0.37)
    critica, duvida = by_name["CRÍTICA"], by_name["DÚVIDA"]
    assert critica["significativa"] is True
    assert critica["p_valor"] < 0.001
    assert critica["variacao_pontos"] == pytest.approx(10.0)
    assert duvida["significativa"] is False
    assert duvida["p_valor"] == pytest.approx(0.71, abs=0.01)
    assert duvida["variacao_pontos"] == pytest.approx(0.5)
    # and a category absent from both weeks has no test at all
    assert by_name["SPAM"]["p_valor"] is None
    assert by_name["SPAM"]["significativa"] is False


def test_tag_themes_spikes_questions_and_review_counts(
    clean_db: sa.Engine, seeded: IsoWeek
) -> None:
    stats = compute_stats(clean_db, seeded, TZ)

    criticas = stats["criticas_recorrentes"]
    assert criticas
    assert [c["total"] for c in criticas] == sorted((c["total"] for c in criticas), reverse=True)
    for item in criticas:
        assert item["total"] == tag_count(clean_db, item["tag"], "CRÍTICA", seeded)
        assert item["total_anterior"] == tag_count(
            clean_db, item["tag"], "CRÍTICA", seeded.shifted(-1)
        )
        assert item["variacao"] == item["total"] - item["total_anterior"]
        assert 2 <= len(item["exemplos"]) <= 3
    for item in stats["sugestoes_relevantes"]:
        assert item["total"] == tag_count(clean_db, item["tag"], "SUGESTÃO", seeded)
    # the loading complaints tripled: a spike against the four weeks before
    spike = {s["tag"]: s for s in stats["tags_em_alta"]}["perf_carregamento"]
    history = [
        tag_count(clean_db, "perf_carregamento", None, seeded.shifted(-k)) for k in range(1, 5)
    ]
    assert spike["total"] == tag_count(clean_db, "perf_carregamento", None, seeded)
    assert spike["media_4_semanas"] == pytest.approx(sum(history) / 4)
    assert spike["fator"] == pytest.approx(round(spike["total"] / (sum(history) / 4), 1))
    assert 1 <= len(stats["duvidas_abertas"]) <= 3
    assert all("?" in q["texto"] for q in stats["duvidas_abertas"])
    with clean_db.connect() as conn:
        review = conn.execute(
            sa.text(
                "SELECT count(*) FILTER (WHERE needs_review AND corrected_at IS NULL), "
                "count(*) FILTER (WHERE corrected_at IS NOT NULL) FROM comments "
                "WHERE to_char(created_at AT TIME ZONE :tz, 'IYYY-\"W\"IW') = :week"
            ),
            {"tz": TZ, "week": str(seeded)},
        ).one()
    assert stats["revisao"] == {"precisa_revisao": review[0], "correcoes_humanas": review[1]}


def test_every_tag_of_a_criticism_counts_ads_and_price_included(clean_db: sa.Engine) -> None:
    # Given a week whose complaints are mostly about ads and price (feature tags, not fixes)
    week = IsoWeek.parse("2026-W47")
    seed_week(clean_db, week.shifted(-1), {"ELOGIO": 50, "CRÍTICA": 20}, seed=3)
    complaints = {"CRÍTICA": {"feat_anuncio": 0.6, "feat_preco": 0.5, "fix_travamento": 0.1}}
    seed_week(clean_db, week, {"ELOGIO": 50, "CRÍTICA": 80}, tags=complaints, seed=4)
    # When the stats are computed
    criticas = compute_stats(clean_db, week, TZ)["criticas_recorrentes"]
    # Then ads and price lead the recurring criticisms, each with its plain count
    by_tag = {c["tag"]: c["total"] for c in criticas}
    assert {"feat_anuncio", "feat_preco"} <= set(by_tag)
    assert [c["tag"] for c in criticas][:2] == sorted(
        ["feat_anuncio", "feat_preco"], key=lambda tag: (-by_tag[tag], tag)
    )
    assert by_tag["feat_preco"] == tag_count(clean_db, "feat_preco", "CRÍTICA", week) > 0
    assert by_tag["feat_anuncio"] == tag_count(clean_db, "feat_anuncio", "CRÍTICA", week)


def test_weeks_are_those_of_the_product_zone(clean_db: sa.Engine) -> None:
    # Given a comment on Sunday 23:30 in Sao Paulo (Monday 02:30 UTC) and one on Monday 00:30
    week = IsoWeek.parse("2026-W47")
    with clean_db.begin() as conn:
        for comment_id, day, hour in (
            ("late-sunday", week.sunday, 23),
            ("early-monday", week.sunday + timedelta(days=1), 0),
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO comments (id, texto, categoria, tags_funcionalidades, confianca, "
                    "needs_review, model_name, model_version, source, created_at) VALUES "
                    "(:id, 'ok', 'ELOGIO', '{}', 0.9, false, 'm', '1', 'ingest', :at)"
                ),
                {"id": comment_id, "at": local_instant(day, TZ, hour, 30)},
            )
    rebuild(clean_db)
    # Then the Sunday comment belongs to W47 and the Monday one to W48
    assert compute_stats(clean_db, week, TZ)["total"] == 1
    assert compute_stats(clean_db, week.shifted(1), TZ)["total"] == 1
    assert compute_stats(clean_db, week, "UTC")["total"] == 0


def test_personal_data_is_masked_in_samples(clean_db: sa.Engine) -> None:
    week = IsoWeek.parse("2026-W47")
    texts = [
        "o volume some no meio, me liga +55 11 98765-4321",
        "volume desigual, manda resposta pra joao.silva@example.com",
        "volume baixo demais, vídeo aqui https://example.com/prova",
    ]
    with clean_db.begin() as conn:
        for i, texto in enumerate(texts):
            conn.execute(
                sa.text(
                    "INSERT INTO comments (id, texto, categoria, tags_funcionalidades, confianca, "
                    "needs_review, model_name, model_version, source, created_at) VALUES "
                    "(:id, :texto, 'CRÍTICA', ARRAY['fix_volume'], :conf, false, 'm', '1', 'ingest', :at)"
                ),
                {
                    "id": f"pii-{i}",
                    "texto": texto,
                    "conf": 0.9 - i / 100,
                    "at": local_instant(week.monday, TZ, 12),
                },
            )
    rebuild(clean_db)
    samples = compute_stats(clean_db, week, TZ)["criticas_recorrentes"][0]["exemplos"]
    shown = " ".join(s["texto"] for s in samples)
    assert len(samples) == 3
    for secret in ("98765", "joao.silva", "example.com", "https"):
        assert secret not in shown
    assert "[telefone]" in shown
    assert "[e-mail]" in shown
    assert "[link]" in shown


def test_an_empty_week_has_all_five_categories_at_zero(clean_db: sa.Engine) -> None:
    stats: dict[str, Any] = compute_stats(clean_db, IsoWeek.parse("2026-W47"), TZ)
    assert stats["total"] == stats["total_anterior"] == 0
    assert len(stats["categorias"]) == 5
    assert all(
        c["total"] == 0 and c["percentual"] == 0.0 and c["variacao_percentual"] is None
        for c in stats["categorias"]
    )
    assert stats["criticas_recorrentes"] == stats["tags_em_alta"] == stats["duvidas_abertas"] == []
    assert stats["revisao"] == {"precisa_revisao": 0, "correcoes_humanas": 0}


def test_the_stats_have_exactly_the_keys_the_insights_function_reads(
    clean_db: sa.Engine, seeded: IsoWeek
) -> None:
    # The contract in weekly_digests.stats: keys may be added, never renamed
    stats = compute_stats(clean_db, seeded, TZ)
    assert set(stats) == {
        "semana",
        "inicio",
        "fim",
        "semana_anterior",
        "timezone",
        "total",
        "total_anterior",
        "categorias",
        "criticas_recorrentes",
        "sugestoes_relevantes",
        "tags_em_alta",
        "duvidas_abertas",
        "revisao",
    }
    assert (stats["semana"], stats["inicio"], stats["fim"]) == (
        "2026-W47",
        "2026-11-16",
        "2026-11-22",
    )
    assert (stats["semana_anterior"], stats["timezone"]) == ("2026-W46", TZ)
    assert set(stats["categorias"][0]) == {
        "categoria",
        "total",
        "percentual",
        "total_anterior",
        "percentual_anterior",
        "variacao_pontos",
        "variacao_percentual",
        "p_valor",
        "significativa",
    }
    for key in ("criticas_recorrentes", "sugestoes_relevantes"):
        assert set(stats[key][0]) == {"tag", "total", "total_anterior", "variacao", "exemplos"}
        assert set(stats[key][0]["exemplos"][0]) == {"id", "texto"}
        assert len(stats[key]) <= 5
    assert set(stats["tags_em_alta"][0]) == {"tag", "total", "media_4_semanas", "fator"}
    assert set(stats["duvidas_abertas"][0]) == {"id", "texto", "confianca"}
    assert set(stats["revisao"]) == {"precisa_revisao", "correcoes_humanas"}
