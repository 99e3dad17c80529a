"""The comments a digest quotes: personal data masked, near-duplicates skipped."""

from __future__ import annotations

import itertools
import re

from shared.digest.samples import _mask_domain, mask_pii, pick_samples
from shared.insights.digests import _GREETING

# The masks as they were written before they were made linear: what they mask is unchanged.
REFERENCE_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
REFERENCE_URL = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|br|io|ly|me|tv|co|gg|info|biz|app|xyz)(?:/\S*)?",
    re.IGNORECASE,
)
# The bare-domain pass as a plain pattern, backtracking allowed.
REFERENCE_DOMAIN = re.compile(r"(?<![\w.-])[\w-]+(?:\.[\w-]+)+(?P<path>/\S*)?")
REFERENCE_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]{0,2}\d){6,}(?![\w])")
REFERENCE_GREETING = re.compile(r"^(olá|ola|oi)\b[^.!?]*[,!.]?\s*$", re.IGNORECASE)


def reference_mask(text: str) -> str:
    masked = REFERENCE_EMAIL.sub("[e-mail]", text)
    masked = REFERENCE_URL.sub("[link]", masked)
    masked = REFERENCE_DOMAIN.sub(_mask_domain, masked)
    return REFERENCE_PHONE.sub("[telefone]", masked)


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


def test_the_linear_masks_mask_exactly_what_the_patterns_they_replace_masked() -> None:
    # Given every text of up to five characters over the characters links and e-mails are made
    # of, and texts built from the pieces that made the old patterns backtrack
    alphabet = "a.-@/ :w+c1"
    texts = ["".join(chars) for n in range(6) for chars in itertools.product(alphabet, repeat=n)]
    texts += [
        "-x.com",
        "+.brco.co@+-.coméx.com",
        "-.-.x.community.foo",
        "a.com-http://x.y",
        "a@b.c.+x@y.z",
        "Bom app " + "1." * 50 + "com/x " + "a-" * 50,
    ]
    # Then the masks give what the old patterns gave, text for text
    for text in texts:
        assert mask_pii(text) == reference_mask(text), text


def test_the_linear_greeting_pattern_matches_what_the_old_one_did() -> None:
    for chars in itertools.product("oi ,!.?x\n", repeat=6):
        text = "oi" + "".join(chars)
        assert bool(_GREETING.match(text)) == bool(REFERENCE_GREETING.match(text)), text


def test_every_bare_domain_is_masked_whatever_its_ending() -> None:
    # Given listener text naming hosts with known and unknown endings
    texts = {
        "revalide seu acesso em painel-alumusic.online hoje": "revalide seu acesso em [link] hoje",
        "entra em SITE.ONLINE agora": "entra em [link] agora",
        "baixe em promo-2026.zzz.": "baixe em [link].",
        "veja login1.qualquer": "veja [link]",
        "abre alumusic.zzz/entrar": "abre [link]",
        "site.online.trava muito": "[link].trava muito",
    }
    # Then each host is masked and the text around it kept
    for text, expected in texts.items():
        assert mask_pii(text) == expected, text


def test_numbers_and_words_joined_by_a_dot_are_not_taken_for_domains() -> None:
    for text in ("nota 1.5", "versão v1.2", "ok.obrigado", "adorei.muito bom", "e.g. isso", "a.b"):
        assert mask_pii(text) == text, text


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
