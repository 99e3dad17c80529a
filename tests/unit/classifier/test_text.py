"""Normalisation for features and the frozen held-out split key."""

from __future__ import annotations

import pytest

from shared.classifier.text import (
    EMAIL_WORD,
    URL_WORD,
    is_stand_in,
    normalize,
    normalize_batch,
    split_key,
)
from tooling.classifier.dataset import HELD_OUT_PERCENT, is_held_out, load_listener_comments


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("É ÓTIMO, Não?", "e otimo nao ?"),
        ("HINOOOOOO kkkkkkk!!!", "hinoo kk ! !"),
        ("Hey guys, I&#39;m a human.<br /><br />Check it", "hey guys i m a human check it"),
        (
            '<a href="http://www.youtube.com/watch?v=KQ6z&amp;t=2m19s">2:19</a> best part\ufeff',
            "2 19 best part",
        ),
        ("visit http://bit.ly/abc now", f"visit {URL_WORD} xurlbitx now"),
        ("kidsmediausa  . com is great", f"{URL_WORD} xurlkidsmediausax is great"),
        ("obrigado. me ajuda", "obrigado me ajuda"),
        ("mail me: foo@bar.com", f"mail me {EMAIL_WORD}"),
        ("amei 🔥🔥🔥🔥 ❤️", "amei 🔥🔥 ❤"),
        ("𝐂𝐡𝐞𝐜𝐤 my R$ 50", "check my r $ 50"),
        ("linha1\nlinha2\r\tfim", "linha1 linha2 fim"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    # Given a raw comment / When normalised / Then case, accents, markup, stretches and links are folded
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("link", "site"),
    [
        ("https://t.co/AbC123", "xurltx"),
        ("http://www.youtube.com/watch?v=KQ6z", "xurlyoutubex"),
        ("https://youtu.be/KQ6z", "xurlyoutux"),
        ("youtu.be/KQ6z_-9", "xurlyoutux"),
        ("YOUTU.BE/KQ6z", "xurlyoutux"),
        ("https://m.facebook.com/pages/x", "xurlfacebookx"),
        ("http://www.reclameaqui.com.br/123/dell/", "xurlreclameaquix"),
        ("https://g1.globo.com/economia/", "xurlglobox"),
        ("https://my-band.bandcamp.com", "xurlbandcampx"),
        ("www.murdev.com", "xurlmurdevx"),
    ],
)
def test_a_link_leaves_its_site_beside_the_link_word(link: str, site: str) -> None:
    # Given a link in a comment / When normalised / Then the link word and one word for its site
    assert normalize(f"olha {link} aqui") == f"olha {URL_WORD} {site} aqui"
    assert is_stand_in(site)
    assert is_stand_in(URL_WORD)
    assert is_stand_in(EMAIL_WORD)
    assert not is_stand_in("xuxa")


def test_words_joined_by_a_dot_before_be_stay_words() -> None:
    # Given text whose missing space puts ".Be" where a Belgian domain would end / Then no link
    assert normalize("really.Be frank") == "really be frank"
    assert normalize("vai no youtu.be que tem") == "vai no youtu be que tem"


def test_normalize_batch_keeps_order_and_count_with_separators_inside_texts() -> None:
    # Given texts containing the batch separator and newlines
    texts = ["um\x00dois", "três\nquatro", "", "cinco"]
    # When normalised as a batch / Then one output per input, in order
    assert normalize_batch(texts) == ["um dois", "tres quatro", "", "cinco"]


def test_split_key_puts_near_duplicates_together() -> None:
    # Given variants of the same comment / Then one key, so one side of the split
    assert split_key("HINOOOO") == split_key("hino!") == split_key("Hino.")
    assert split_key("🔥🔥🔥") == split_key("🔥")
    assert split_key("não") == split_key("nao")
    assert is_held_out("HINOOOO") == is_held_out("hino!")


def test_held_out_split_is_about_the_documented_share() -> None:
    # Given the corpus / When split / Then close to HELD_OUT_PERCENT of the rows are held out
    rows = load_listener_comments()
    share = sum(is_held_out(row.texto) for row in rows) / len(rows)
    assert abs(share - HELD_OUT_PERCENT / 100) < 0.04
