"""How a digest names categories and tags in Portuguese, and what it proposes for each problem."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class CategoryWords:
    noun: str  # "as críticas"
    plural: bool


CATEGORY_WORDS: Final[dict[str, CategoryWords]] = {
    "ELOGIO": CategoryWords("os elogios", True),
    "CRÍTICA": CategoryWords("as críticas", True),
    "SUGESTÃO": CategoryWords("as sugestões", True),
    "DÚVIDA": CategoryWords("as dúvidas", True),
    "SPAM": CategoryWords("o spam", False),
}

# tag -> (what listeners talk about, the improvement it calls for)
TAG_WORDS: Final[dict[str, tuple[str, str]]] = {
    "fix_audio": ("falhas de áudio", "investigar as falhas de áudio na reprodução"),
    "fix_bug": ("erros no app", "priorizar os erros relatados no app"),
    "fix_login": ("problemas de login", "revisar o fluxo de login"),
    "fix_pagamento": ("problemas de pagamento", "revisar as cobranças e o pagamento"),
    "fix_travamento": ("travamentos", "atacar os travamentos do player"),
    "fix_volume": ("volume desigual", "normalizar o volume entre as faixas"),
    "perf_armazenamento": ("uso de armazenamento", "reduzir o espaço ocupado pelo app"),
    "perf_bateria": ("consumo de bateria", "reduzir o consumo de bateria"),
    "perf_carregamento": ("demora no carregamento", "acelerar o carregamento das faixas"),
    "perf_dados": ("consumo de dados", "oferecer um modo econômico de dados"),
    "perf_lentidao": ("lentidão", "melhorar o desempenho geral do app"),
    "perf_memoria": ("uso de memória", "reduzir o uso de memória"),
    "ui_acessibilidade": ("acessibilidade", "revisar a acessibilidade da interface"),
    "ui_layout": ("o layout", "rever o layout das telas mais usadas"),
    "ui_tema": ("o tema visual", "ajustar o tema e o modo escuro"),
    "feat_letra": ("letras das músicas", "exibir as letras das músicas"),
    "feat_sincronia": ("letra sincronizada", "sincronizar a letra com a música"),
    "feat_clipe": ("clipes", "lançar mais clipes"),
    "feat_aovivo": ("versões ao vivo", "lançar versões ao vivo"),
    "feat_acustico": ("versões acústicas", "gravar versões acústicas"),
    "feat_playlist": ("playlists", "melhorar as playlists"),
    "feat_download": ("download offline", "facilitar o download offline"),
    "feat_equalizador": ("equalizador", "oferecer um equalizador"),
    "feat_traducao": ("tradução", "oferecer traduções"),
    "feat_turne": ("turnê", "divulgar as datas de turnê"),
    "feat_show": ("shows", "anunciar shows"),
    "feat_remix": ("remixes", "lançar remixes"),
    "feat_lancamento": ("lançamentos", "comunicar melhor os lançamentos"),
    "feat_recomendacao": ("recomendações", "refinar as recomendações"),
    "feat_busca": ("a busca", "melhorar a busca"),
    "feat_preco": ("preço", "rever os planos e preços"),
    "feat_anuncio": ("anúncios", "reduzir os anúncios"),
    "feat_podcast": ("podcasts", "ampliar os podcasts"),
    "feat_hifi": ("áudio em alta fidelidade", "oferecer áudio em alta fidelidade"),
    "feat_fila": ("fila de reprodução", "melhorar a fila de reprodução"),
    "feat_widget": ("widget", "criar um widget"),
    "feat_timer": ("timer de sono", "incluir um timer de sono"),
    "feat_tv": ("app de TV", "levar o app para a TV"),
    "feat_carro": ("uso no carro", "melhorar o modo carro"),
    "feat_desktop": ("app para computador", "melhorar o app para computador"),
    "feat_instrumental": ("versões instrumentais", "lançar versões instrumentais"),
    "feat_cover": ("covers", "publicar covers"),
    "feat_creditos": ("créditos das faixas", "mostrar os créditos das faixas"),
    "feat_idioma": ("conteúdo em outros idiomas", "oferecer versões em outros idiomas"),
    "feat_catalogo": ("músicas fora do catálogo", "recuperar as músicas que faltam no catálogo"),
    "feat_aleatorio": ("o modo aleatório", "melhorar o modo aleatório"),
    "feat_repeticao": ("a repetição de faixas", "facilitar a repetição de faixas"),
    "feat_capa": ("capas e arte visual", "cuidar das capas e da arte visual"),
    "feat_audiolivro": ("audiolivros", "oferecer audiolivros"),
    "feat_transicao": ("transição entre faixas", "suavizar a transição entre faixas"),
    "feat_velocidade": ("velocidade de reprodução", "oferecer controle de velocidade"),
    "feat_notificacao": ("notificações", "ajustar as notificações"),
    "feat_biblioteca": ("a biblioteca", "melhorar a organização da biblioteca"),
    "feat_social": ("recursos sociais", "ampliar os recursos sociais"),
    "feat_perfil": ("perfil do artista", "enriquecer o perfil do artista"),
    "feat_retrospectiva": ("retrospectiva anual", "preparar a retrospectiva anual"),
    "feat_autoplay": ("reprodução automática", "ajustar a reprodução automática"),
    "feat_historico": ("histórico de audição", "melhorar o histórico de audição"),
    "feat_infantil": ("modo infantil", "rever o modo infantil e o controle parental"),
    "feat_colaboracao": ("colaborações entre artistas", "avaliar as colaborações pedidas"),
    "feat_merch": ("produtos oficiais", "oferecer produtos oficiais"),
    "feat_mixagem": ("mixagem das faixas", "rever a mixagem das faixas"),
    "doc_ajuda": ("ajuda e suporte", "melhorar a ajuda e o atendimento"),
    "doc_novidades": ("notas de versão", "explicar melhor o que muda a cada versão"),
    "test_beta": ("versões de teste", "abrir um programa de testes"),
    "sec_conta": ("segurança da conta", "reforçar a segurança das contas"),
    "sec_privacidade": ("privacidade", "esclarecer o uso dos dados pessoais"),
    "api_chromecast": (
        "transmissão para outros aparelhos",
        "melhorar a transmissão para outros aparelhos",
    ),
    "api_bluetooth": ("conexão Bluetooth", "corrigir a conexão Bluetooth"),
    "api_assistente": ("assistentes de voz", "integrar com assistentes de voz"),
    "api_smartwatch": ("relógios inteligentes", "levar o app aos relógios inteligentes"),
    "api_lastfm": ("integração com o Last.fm", "integrar com o Last.fm"),
    "api_discord": ("integração com o Discord", "integrar com o Discord"),
    "api_importacao": ("importação de playlists", "permitir importar playlists de outros serviços"),
    "api_compartilhamento": ("compartilhamento", "facilitar o compartilhamento"),
    "api_integracao": ("integrações com outros serviços", "ampliar as integrações"),
}

_SCOPE_WORDS: Final[dict[str, tuple[str, str]]] = {
    "fix": ("problemas de {s}", "corrigir os problemas de {s}"),
    "perf": ("desempenho de {s}", "melhorar o desempenho de {s}"),
    "ui": ("a interface de {s}", "rever a interface de {s}"),
    "feat": ("{s}", "avaliar o pedido de {s}"),
}


_ARTICLES: Final = frozenset({"o", "a", "os", "as"})


def tag_topic(tag: str) -> str:
    if tag in TAG_WORDS:
        return TAG_WORDS[tag][0]
    scope, _, subject = tag.partition("_")
    return _SCOPE_WORDS.get(scope, ("{s}", ""))[0].format(s=subject or tag)


def tag_label(tag: str) -> str:
    """The topic as a heading names it: "Críticas · layout", not "Críticas · o layout"."""
    topic = tag_topic(tag)
    article, _, rest = topic.partition(" ")
    return rest if article in _ARTICLES and rest else topic


def tag_action(tag: str) -> str:
    if tag in TAG_WORDS:
        return TAG_WORDS[tag][1]
    scope, _, subject = tag.partition("_")
    return _SCOPE_WORDS.get(scope, ("", "olhar com atenção {s}"))[1].format(s=subject or tag)


# tag -> how an English reader names the topic (headings, chart labels, answers in English)
TAG_WORDS_EN: Final[dict[str, str]] = {
    "fix_audio": "audio glitches",
    "fix_bug": "app errors",
    "fix_login": "login problems",
    "fix_pagamento": "payment problems",
    "fix_travamento": "crashes and freezes",
    "fix_volume": "uneven volume",
    "perf_armazenamento": "storage use",
    "perf_bateria": "battery drain",
    "perf_carregamento": "slow loading",
    "perf_dados": "data usage",
    "perf_lentidao": "slowness",
    "perf_memoria": "memory use",
    "ui_acessibilidade": "accessibility",
    "ui_layout": "layout",
    "ui_tema": "visual theme",
    "feat_letra": "song lyrics",
    "feat_sincronia": "synced lyrics",
    "feat_clipe": "music videos",
    "feat_aovivo": "live versions",
    "feat_acustico": "acoustic versions",
    "feat_playlist": "playlists",
    "feat_download": "offline download",
    "feat_equalizador": "equalizer",
    "feat_traducao": "translations",
    "feat_turne": "tour",
    "feat_show": "concerts",
    "feat_remix": "remixes",
    "feat_lancamento": "new releases",
    "feat_recomendacao": "recommendations",
    "feat_busca": "search",
    "feat_preco": "price",
    "feat_anuncio": "ads",
    "feat_podcast": "podcasts",
    "feat_hifi": "high-fidelity audio",
    "feat_fila": "play queue",
    "feat_widget": "widget",
    "feat_timer": "sleep timer",
    "feat_tv": "TV app",
    "feat_carro": "car mode",
    "feat_desktop": "desktop app",
    "feat_instrumental": "instrumental versions",
    "feat_cover": "covers",
    "feat_creditos": "track credits",
    "feat_idioma": "content in other languages",
    "feat_catalogo": "songs missing from the catalogue",
    "feat_aleatorio": "shuffle",
    "feat_repeticao": "repeat",
    "feat_capa": "cover art",
    "feat_audiolivro": "audiobooks",
    "feat_transicao": "track transitions",
    "feat_velocidade": "playback speed",
    "feat_notificacao": "notifications",
    "feat_biblioteca": "library",
    "feat_social": "social features",
    "feat_perfil": "artist profile",
    "feat_retrospectiva": "year in review",
    "feat_autoplay": "autoplay",
    "feat_historico": "listening history",
    "feat_infantil": "kids mode",
    "feat_colaboracao": "artist collaborations",
    "feat_merch": "official merchandise",
    "feat_mixagem": "track mixing",
    "doc_ajuda": "help and support",
    "doc_novidades": "release notes",
    "test_beta": "beta versions",
    "sec_conta": "account security",
    "sec_privacidade": "privacy",
    "api_chromecast": "casting to other devices",
    "api_bluetooth": "Bluetooth connection",
    "api_assistente": "voice assistants",
    "api_smartwatch": "smartwatches",
    "api_lastfm": "Last.fm integration",
    "api_discord": "Discord integration",
    "api_importacao": "playlist import",
    "api_compartilhamento": "sharing",
    "api_integracao": "integrations with other services",
}

_SCOPE_WORDS_EN: Final[dict[str, str]] = {
    "fix": "{s} problems",
    "perf": "{s} performance",
    "ui": "{s} interface",
}


def tag_name(tag: str, language: str = "pt") -> str:
    """A tag in the reader's words ("pt" or "en"), as a heading or a chart names it.

    A tag the vocabulary lacks (one an analyst added) is named from its subject, so a reader never
    sees a bare id where words were expected; the id itself stays for filters and exports.
    """
    if language == "en":
        if tag in TAG_WORDS_EN:
            return TAG_WORDS_EN[tag]
        scope, _, subject = tag.partition("_")
        return _SCOPE_WORDS_EN.get(scope, "{s}").format(s=subject or tag)
    return tag_label(tag)


# Where a tag's subject goes in scope_pattern(): a page names a tag outside the vocabulary itself.
SUBJECT_SLOT: Final = "{s}"


def scope_pattern(scope: str, language: str = "pt") -> str:
    """How tag_name() names a tag of `scope` that the vocabulary lacks, SUBJECT_SLOT standing for
    its subject ("fix" -> "problemas de {s}", "{s} problems"), so a client that holds only the
    vocabulary's tags names an analyst's new tag exactly as the server would."""
    return tag_name(f"{scope}_{SUBJECT_SLOT}", language)
