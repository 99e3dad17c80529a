"""BM25 over the digests' passages, with PT<->EN synonyms and taxonomy tags."""

from __future__ import annotations

from shared.insights.answerer import Context
from shared.insights.digests import digest_passages
from shared.insights.retrieval import Bm25Index, expand
from shared.insights.understanding import detect_tags


def test_every_stats_entry_becomes_a_passage(eval_digests):
    digest = eval_digests[-1]
    stats = digest.stats
    passages = digest_passages(digest)
    kinds = [p.kind for p in passages]
    assert kinds.count("total") == 1
    assert kinds.count("categoria") == 5
    assert kinds.count("critica") == len(stats["criticas_recorrentes"])
    assert kinds.count("sugestao") == len(stats["sugestoes_relevantes"])
    assert kinds.count("alta") == len(stats["tags_em_alta"])
    assert kinds.count("duvida") == len(stats["duvidas_abertas"])
    assert kinds.count("revisao") == 1
    assert kinds.count("texto") >= 3
    # Ids are unique and stable; the greeting and signature are not passages
    assert len({p.id for p in passages}) == len(passages)
    assert not any("Feedbacks por IA" in p.text or p.text.startswith("Olá") for p in passages)


def test_a_passage_shows_its_numbers_as_the_stats_hold_them(eval_digests):
    digest = eval_digests[-1]
    critica = next(c for c in digest.stats["categorias"] if c["categoria"] == "CRÍTICA")
    passage = next(
        p for p in digest_passages(digest) if p.id == f"{digest.semana}/categoria/CRÍTICA"
    )
    assert str(critica["total"]) in passage.text
    assert f"{critica['percentual']}".replace(".", ",") in passage.text


def test_english_question_finds_portuguese_passages(eval_digests):
    context = Context.of(eval_digests)
    query = expand("what are the complaints about loading?", detect_tags("loading"))
    hits = context.index.search(query, limit=5)
    assert hits
    assert hits[0].passage.key == "perf_carregamento"


def test_synonyms_bring_the_category_in_the_other_language():
    query = expand("complaints")
    assert "critic" in query or "crit" in "".join(query)


def test_scores_are_restricted_to_weeks_and_kinds(eval_digests):
    context = Context.of(eval_digests)
    hits = context.index.search(
        expand("letra", ("feat_letra",)), weeks=["2026-W47"], kinds=["sugestao"]
    )
    assert [h.passage.id for h in hits] == ["2026-W47/sugestao/feat_letra"]


def test_bm25_prefers_the_passage_with_the_rarer_term():
    from shared.insights.digests import Passage
    from shared.insights.text import terms

    passages = [
        Passage(id=str(i), semana="2026-W01", kind="texto", text=t, terms=tuple(terms(t)))
        for i, t in enumerate(["volume alto volume", "app trava", "volume baixo e app trava"])
    ]
    hits = Bm25Index(passages).search(terms("volume"))
    assert [h.passage.id for h in hits][:1] == ["0"]
