"""Feature tags: the taxonomy data is valid, and comments in PT-BR and English get the right tags."""

from __future__ import annotations

import json
import re

import pytest

from shared.classifier import tags as tags_module
from shared.classifier.tags import (
    TAG_PATTERN,
    TaxonomyError,
    default_taxonomy,
    extract_tags,
    load_taxonomy,
    normalise_expression,
    parse_taxonomy,
    tags_for,
)

EXAMPLES = [
    # PT-BR, written properly
    ("coloquem a letra da música no app, por favor", ("feat_letra",)),
    ("o volume dessa faixa tá muito mais baixo que as outras", ("fix_volume",)),
    ("o app demora demais no carregamento das músicas", ("perf_carregamento",)),
    ("mudaram o layout e agora não acho nada", ("ui_layout",)),
    ("que tal um clipe animado?", ("feat_clipe",)),
    ("a letra sincronizada tá atrasada uns dois segundos", ("feat_sincronia",)),
    ("o app trava toda vez que abro a playlist", ("feat_playlist", "fix_travamento")),
    ("muito anúncio entre as músicas, não dá", ("feat_anuncio",)),
    ("o modo aleatório sempre começa pela mesma música", ("feat_aleatorio",)),
    ("alguém sabe se vai ter turnê no Brasil?", ("feat_turne",)),
    ("lança uma versão acústica dessa!", ("feat_acustico", "feat_lancamento")),
    ("podia ter um feat com a Anitta", ("feat_colaboracao",)),
    ("gasta muita bateria, o celular esquenta", ("perf_bateria",)),
    ("cadê o modo escuro?", ("ui_tema",)),
    ("minha conta foi hackeada e ninguém do suporte responde", ("doc_ajuda", "sec_conta")),
    ("queria ouvir no carro pelo android auto", ("feat_carro",)),
    ("fui cobrado duas vezes esse mês", ("fix_pagamento",)),
    ("o equalizador some depois da atualização", ("feat_equalizador",)),
    ("tem podcast dessa banda?", ("feat_podcast",)),
    ("a fila de reprodução embaralha sozinha", ("feat_aleatorio", "feat_fila")),
    ("o chiado no começo da faixa incomoda", ("fix_audio",)),
    ("vem pro Brasil!!!", ("feat_turne",)),
    # no accents, caps, stretched letters, common misspellings
    ("COLOQUEM LETRA NAS MUSICAS", ("feat_letra",)),
    ("o app ta travaaaando demais", ("fix_travamento",)),
    ("nao consigo fazer o dowload das musicas", ("feat_download",)),
    ("as notificaçoes nao param", ("feat_notificacao",)),
    ("notificacao de lancamento chegou atrasada", ("feat_lancamento", "feat_notificacao")),
    ("fica caregando infinito", ("perf_carregamento",)),
    ("muita propanganda", ("feat_anuncio",)),
    ("poe legenda no clipee", ("feat_clipe",)),
    ("a playlsit sumiu", ("feat_playlist",)),
    ("recomendaçao do app tá pessima", ("feat_recomendacao",)),
    ("PRECO ABSURDO", ("feat_preco",)),
    # English
    ("please add lyrics", ("feat_letra",)),
    ("the app keeps crashing when I open my library", ("feat_biblioteca", "fix_travamento")),
    ("could release a live version", ("feat_aovivo", "feat_lancamento")),
    ("lyrics are out of sync", ("feat_sincronia",)),
    ("Too many ADS, I can't even listen to one song", ("feat_anuncio",)),
    ("the search is useless, can't find anything", ("feat_busca",)),
    ("please add a sleep timer", ("feat_timer",)),
    ("shuffle plays the same 10 songs", ("feat_aleatorio",)),
    ("dark mode please", ("ui_tema",)),
    ("the lyrcis are wrong", ("feat_letra",)),
    ("downlaod button doesn't work", ("feat_download", "fix_bug", "ui_layout")),
    ("the app won't load on 4g, just the spinning wheel", ("perf_carregamento",)),
    ("come to brazil!!", ("feat_turne",)),
    ("is there a remix of this?", ("feat_remix",)),
    ("can't log in since the update", ("fix_login",)),
    ("my account was hacked, please enable two-factor", ("sec_conta",)),
    ("scrobble to last.fm stopped", ("api_lastfm",)),
    # mixed language
    ("bro the ads são mais longos que a música", ("feat_anuncio",)),
    # nothing to tag
    ("hino", ()),
    ("que voz é essa meu Deus, arrepiei do começo ao fim", ()),
    ("this song hits different at 3am", ()),
    ("", ()),
    ("🔥🔥🔥", ()),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_examples_get_their_tags(text: str, expected: tuple[str, ...]) -> None:
    # Given a listener comment / When its tags are extracted
    (result,) = extract_tags([text])
    # Then they are exactly the expected ones
    assert result == expected


def test_batch_keeps_order_and_matches_single_texts() -> None:
    # Given every example as one batch
    texts = [text for text, _ in EXAMPLES]
    # When tagged together and one by one
    together = extract_tags(texts)
    alone = [extract_tags([text])[0] for text in texts]
    # Then each text gets the same tags, in input order
    assert together == alone == [expected for _, expected in EXAMPLES]


def test_tags_never_leak_between_neighbouring_comments() -> None:
    # Given an expression split across two comments ("letra" + "sincronizada")
    texts = ["a letra", "sincronizada", "ao", "vivo"]
    # When tagged as one batch
    result = extract_tags(texts)
    # Then no phrase spans the boundary
    assert result == [("feat_letra",), (), (), ()]


def test_tags_are_sorted_unique_and_well_formed() -> None:
    # Given a comment naming the same subject many times and several subjects
    text = "letra letra LETRA lyrics, volume, playlist, anúncio, trava, trava"
    # When tagged
    (result,) = extract_tags([text])
    # Then each tag appears once, sorted, matching the contract
    assert result == ("feat_anuncio", "feat_letra", "feat_playlist", "fix_travamento", "fix_volume")
    assert all(TAG_PATTERN.match(tag) for tag in result)


@pytest.mark.parametrize(
    "text",
    [
        "essa música não tem erro",  # idiom: "can't go wrong"
        "volume 2 quando?",  # an album volume, not loudness
        "bugou minha mente esse final",  # mind blown
        "I have mixed feelings about this one",
        "add this to the radio",  # "add" is not "ad"
        "a bateria dessa música é insana",  # drums, not battery
        "show de bola!",  # slang for great, not a concert
        "essa música é muito lenta e linda",  # a slow song, not a slow app
        "she's an icon",
    ],
)
def test_idioms_and_near_misses_get_no_tag(text: str) -> None:
    # Given a comment whose words only look like a subject / When tagged / Then nothing
    assert extract_tags([text]) == [()]


def test_nul_bytes_and_markup_do_not_break_batches() -> None:
    # Given texts containing the batch separator and punctuation glued to words
    texts = ["letra\x00volume", "<b>playlist</b>", "ads!!!ads"]
    # When tagged
    result = extract_tags(texts)
    # Then each text keeps its own tags
    assert result == [("feat_letra", "fix_volume"), ("feat_playlist",), ("feat_anuncio",)]


def test_spam_keeps_no_tags() -> None:
    # Given a spam comment that mentions downloads as bait
    (found,) = extract_tags(["free download of my mixtape, link in bio"])
    # When the classified comment keeps its tags / Then spam keeps none, others keep theirs sorted
    assert found == ("feat_download",)
    assert tags_for("SPAM", found) == ()
    assert tags_for("CRÍTICA", ["fix_volume", "feat_letra", "fix_volume"]) == (
        "feat_letra",
        "fix_volume",
    )


def test_product_taxonomy_is_valid() -> None:
    # Given the product's taxonomy file / When loaded
    taxonomy = default_taxonomy()
    # Then every tag is scope_subject, each subject has one scope, every tag has expressions
    assert len(taxonomy.tags) >= 40
    subjects = [spec.subject for spec in taxonomy.specs]
    assert len(subjects) == len(set(subjects))
    for spec in taxonomy.specs:
        assert TAG_PATTERN.match(spec.tag), spec.tag
        assert spec.descricao.strip()
        assert spec.pt or spec.en
    # And the subjects listeners of a music platform talk about are covered
    for tag in (
        "feat_letra", "fix_volume", "perf_carregamento", "ui_layout", "feat_clipe",
        "feat_playlist", "feat_download", "feat_anuncio", "feat_preco", "fix_login",
        "feat_busca", "feat_recomendacao", "feat_aleatorio", "feat_equalizador", "fix_audio",
        "feat_podcast", "fix_travamento", "perf_bateria", "feat_sincronia", "feat_carro",
        "feat_tv", "feat_notificacao", "feat_fila", "feat_aovivo", "feat_remix",
        "feat_acustico", "feat_turne", "feat_colaboracao", "feat_show", "feat_merch",
        "feat_mixagem", "sec_privacidade", "doc_ajuda", "api_integracao",
    ):  # fmt: skip
        assert tag in taxonomy.tags, tag


def test_every_expression_of_the_product_taxonomy_tags_itself() -> None:
    # Given each expression of the taxonomy written as plain text (stems as written)
    taxonomy = default_taxonomy()
    data = json.loads(tags_module.TAXONOMY_PATH.read_text(encoding="utf-8"))
    samples: list[tuple[str, str]] = []
    for tag, body in data["tags"].items():
        for expression in (*body["pt"], *body["en"]):
            plain = re.sub(r"[{\[]([^|}\]]*)[^}\]]*[}\]]", r"\1", expression).replace("*", "")
            samples.append((plain, tag))
    # When tagged
    result = taxonomy.extract([plain for plain, _ in samples])
    # Then each one carries its own tag
    missing = [
        (plain, tag)
        for (plain, tag), found in zip(samples, result, strict=True)
        if tag not in found
    ]
    assert missing == []


def _taxonomy(tags: dict[str, object], **extra: object) -> dict[str, object]:
    return {"versao": "t", "tags": tags, **extra}


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            _taxonomy({"bug_volume": {"descricao": "x", "pt": ["volume"], "en": []}}),
            "scope_subject",
        ),
        (
            _taxonomy({"fix_Volume": {"descricao": "x", "pt": ["volume"], "en": []}}),
            "scope_subject",
        ),
        (
            _taxonomy({"fix_vol_ume": {"descricao": "x", "pt": ["volume"], "en": []}}),
            "scope_subject",
        ),
        (_taxonomy({"fix_volume": {"descricao": "", "pt": ["volume"], "en": []}}), "descricao"),
        (_taxonomy({"fix_volume": {"descricao": "x", "pt": [], "en": []}}), "no expressions"),
        (
            _taxonomy({"fix_volume": {"descricao": "x", "pt": "volume", "en": []}}),
            "lists of strings",
        ),
        (
            _taxonomy(
                {
                    "fix_volume": {"descricao": "x", "pt": ["volume"], "en": []},
                    "feat_volume": {"descricao": "x", "pt": ["loudness"], "en": []},
                }
            ),
            "same subject, same tag",
        ),
        (
            _taxonomy(
                {
                    "fix_volume": {"descricao": "x", "pt": ["volume"], "en": []},
                    "feat_letra": {"descricao": "x", "pt": ["Volume!"], "en": []},
                }
            ),
            "duplicates",
        ),
        (_taxonomy({"fix_volume": {"descricao": "x", "pt": ["vol{ume"], "en": []}}), "unbalanced"),
        (_taxonomy({"fix_volume": {"descricao": "x", "pt": ["vo*lume"], "en": []}}), "malformed"),
        (_taxonomy({"fix_volume": {"descricao": "x", "pt": ["!!!"], "en": []}}), "empty"),
        (_taxonomy({"fix_volume": {"descricao": "x", "pt": ["a"]}}, extra=1), "unknown top-level"),
        ({"tags": {}}, "versao"),
        (
            _taxonomy(
                {
                    # The stem branch leads to a longer phrase, so it is tried first and its
                    # own end ("letra*") swallows "letras" before the exact word is reached.
                    "feat_letra": {"descricao": "x", "pt": ["letra*"], "en": []},
                    "feat_sincronia": {"descricao": "x", "pt": ["letra* atrasada"], "en": []},
                    "fix_volume": {"descricao": "x", "pt": ["letras"], "en": []},
                }
            ),
            "is matched as",
        ),
    ],
)
def test_malformed_taxonomies_are_refused(document: dict[str, object], problem: str) -> None:
    # Given a taxonomy with one mistake / When parsed / Then it is refused, naming the problem
    with pytest.raises(TaxonomyError, match=re.escape(problem)):
        parse_taxonomy(document)


def test_taxonomy_file_that_is_not_json_is_refused(tmp_path) -> None:
    # Given a broken file / When loaded / Then a clear error
    path = tmp_path / "taxonomy.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not valid JSON"):
        load_taxonomy(path)


def test_small_taxonomy_longest_phrase_wins_and_ignored_phrases_shield() -> None:
    # Given a small taxonomy with overlapping expressions and an ignored idiom
    taxonomy = parse_taxonomy(
        _taxonomy(
            {
                "feat_letra": {"descricao": "x", "pt": ["letra*"], "en": []},
                "feat_sincronia": {"descricao": "x", "pt": ["letra* sincroniz*"], "en": []},
                "fix_bug": {"descricao": "x", "pt": ["erro"], "en": []},
            },
            ignorar=["não tem erro"],
        )
    )
    # When comments are tagged
    result = taxonomy.extract(
        ["LETRAS SINCRONIZADAS", "letras", "essa letra tem erro", "não tem erro"]
    )
    # Then the longer phrase wins at one position, and the idiom gives nothing
    assert result == [("feat_sincronia",), ("feat_letra",), ("feat_letra", "fix_bug"), ()]


def test_expressions_are_normalised_like_text() -> None:
    # Given expressions written with accents, case and punctuation / Then normalised like text
    assert normalise_expression("Notificação  de LANÇAMENTO") == "notificacao de lancamento"
    assert normalise_expression("don't {hi-fi|Wi-Fi}") == "dont {hi fi|wi fi}"


def test_docs_list_every_tag() -> None:
    # Given the tag documentation / Then every tag of the taxonomy is listed in it
    docs = (tags_module.TAXONOMY_PATH.parents[2] / "docs" / "tags.md").read_text(encoding="utf-8")
    assert [tag for tag in sorted(default_taxonomy().tags) if f"`{tag}`" not in docs] == []


# --- the compiled matcher stored with the model ----------------------------------------------


def _product_document() -> object:
    return json.loads(tags_module.TAXONOMY_PATH.read_bytes())


def test_a_stored_matcher_program_is_used_and_tags_alike() -> None:
    # Given the product taxonomy's matcher exported as the model artifact stores it
    compiled = parse_taxonomy(_product_document())
    program = compiled.matcher_program()
    assert program is not None
    # When the taxonomy is loaded again with it
    restored = parse_taxonomy(_product_document(), program=program)
    # Then the program is used, not compiled afresh, and every example gets the same tags
    assert restored.from_program
    assert not compiled.from_program
    texts = [text for text, _ in EXAMPLES]
    assert restored.extract(texts) == compiled.extract(texts) == [tags for _, tags in EXAMPLES]


def test_a_program_of_another_taxonomy_is_ignored() -> None:
    # Given a program exported from a taxonomy that differs from the product's by one expression
    document = _product_document()
    assert isinstance(document, dict)
    other = json.loads(json.dumps(document))
    other["tags"]["feat_letra"]["pt"].append("cifra completa")
    program = parse_taxonomy(other).matcher_program()
    assert program is not None
    # When the product's taxonomy is loaded with it
    taxonomy = parse_taxonomy(document, program=program)
    # Then it is compiled from its own expressions (the other one's words give no tag)
    assert not taxonomy.from_program
    assert taxonomy.extract(["a cifra completa", "cadê a letra"]) == [(), ("feat_letra",)]


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda p: p | {"code": p["code"][:-8]}, id="truncated code"),
        pytest.param(lambda p: p | {"code": b"\xff" * len(p["code"])}, id="garbled code"),
        pytest.param(lambda p: p | {"groups": "many"}, id="groups not a number"),
        pytest.param(lambda p: {k: v for k, v in p.items() if k != "groupindex"}, id="missing key"),
        pytest.param(lambda p: p | {"key": "0" * 64}, id="another interpreter"),
    ],
)
def test_a_spoiled_program_falls_back_to_compiling(spoil: object) -> None:
    # Given the product's program spoiled in one way
    program = parse_taxonomy(_product_document()).matcher_program()
    assert program is not None
    assert callable(spoil)
    # When loaded with it / Then the matcher is compiled afresh and tags as ever
    taxonomy = parse_taxonomy(_product_document(), program=spoil(program))
    assert not taxonomy.from_program
    assert taxonomy.extract([text for text, _ in EXAMPLES]) == [tags for _, tags in EXAMPLES]


def test_a_valid_program_that_matches_otherwise_is_caught(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given a program whose code is valid but was altered after export (one literal letter)
    program = parse_taxonomy(_product_document()).matcher_program()
    assert program is not None
    import array

    code = array.array("I")
    code.frombytes(program["code"])
    letter_e = ord("e")
    position = code.tolist().index(letter_e)
    code[position] = ord("q")
    # When loaded with it
    with caplog.at_level("WARNING", logger="shared.classifier.tags"):
        taxonomy = parse_taxonomy(_product_document(), program=program | {"code": code.tobytes()})
    # Then the engine accepts the code, the self-check notices, and the matcher is compiled afresh
    assert "disagrees with the taxonomy" in caplog.text
    assert not taxonomy.from_program
    assert taxonomy.extract([text for text, _ in EXAMPLES]) == [tags for _, tags in EXAMPLES]
