"""The comments a digest quotes: personal data masked, near-duplicates skipped."""

from __future__ import annotations

from shared.digest.samples import mask_pii, pick_samples


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
