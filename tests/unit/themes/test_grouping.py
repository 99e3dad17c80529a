"""Grouping comments into themes: near-duplicates together, distinct subjects apart, names."""

from __future__ import annotations

import pytest

from shared.themes.grouping import (
    Comment,
    build_units,
    group_comments,
    match_previous,
    normalise_texts,
)
from shared.themes.service import checked_label
from tests.support.themes_data import OTHER, rumour_comments

BASE = "o ingresso da turnê de 2027 tá caro demais"
VARIANTS = (
    BASE,
    "O INGRESSO DA TURNÊ DE 2027 TÁ CARO DEMAIS",  # case
    "o ingresso da turne de 2027 ta caro demais",  # accents
    "o ingressoooo da turnêêê de 2027 tá caaaaro demais",  # repeated letters
    "o ingresso da turnê de 2027 tá caro demais 😡😡",  # emoji
    "o ingresso da turnê de 2027 tá caro demais mesmo",  # a word added at the end
    "o ingresso da nova turnê de 2027 tá caro demais",  # a word added inside
    "@fulano o ingresso da turnê de 2027 tá caro demais https://x.co/abc",  # mention, link
)


def comments(texts: list[str], prefix: str = "c") -> list[Comment]:
    return [Comment(f"{prefix}{n:04d}", text) for n, text in enumerate(texts)]


def test_near_duplicates_are_one_unit() -> None:
    # Given one comment and its variants
    units = build_units(comments(list(VARIANTS)))
    # Then they collapse into a single unit holding every comment
    assert len(units) == 1
    assert units[0].weight == len(VARIANTS)


def test_links_addresses_and_mentions_leave_no_words() -> None:
    # Given a comment with a link (its site is a word for the classifier), an address, a mention
    text = "@fulano olha https://www.reclameaqui.com.br/123 e bit.ly/x ou mail a@b.com"
    # Then the words a theme is found and named by are the comment's own
    assert normalise_texts([text]) == [["olha", "e", "ou", "mail"]]


def test_a_changed_word_is_not_a_near_duplicate() -> None:
    units = build_units(comments(["o ingresso tá caro demais", "o ingresso tá barato demais"]))
    assert len(units) == 2


def test_a_theme_holds_its_near_duplicates_and_is_named_by_its_words() -> None:
    # Given the rumour, the ticket variants five times each, and unrelated comments
    texts = rumour_comments(60) + list(VARIANTS) * 5 + list(OTHER)
    grouping = group_comments(comments(texts))
    # Then the ticket variants all land in one group
    variant_ids = {f"c{n:04d}" for n in range(60, 60 + len(VARIANTS) * 5)}
    assert len({grouping.assignment[i] for i in variant_ids}) == 1
    # And the rumour is the largest theme, named by its words, with samples from its members
    top = grouping.themes[0]
    assert {"boato", "banda"} & set(top.words)
    assert len(top.member_ids) == 60
    assert set(top.sample_ids) <= set(top.member_ids)
    ticket = next(t for t in grouping.themes if set(t.member_ids) >= variant_ids)
    assert {"ingresso", "turne", "caro"} & set(" ".join(ticket.words).split())


def test_grouping_is_deterministic_whatever_the_order() -> None:
    texts = rumour_comments(40) + list(VARIANTS) * 2 + list(OTHER) * 2
    forward = group_comments(comments(texts))
    backward = group_comments(list(reversed(comments(texts))))
    assert [(t.name, t.member_ids) for t in forward.themes] == [
        (t.name, t.member_ids) for t in backward.themes
    ]


def test_small_groups_are_noise() -> None:
    assert group_comments(comments(list(OTHER)), min_size=5).themes == ()
    assert group_comments([]).themes == ()


def test_the_previous_period_is_matched_to_the_themes() -> None:
    themes = group_comments(comments(rumour_comments(60))).themes
    earlier = match_previous(themes, comments(rumour_comments(12) + list(OTHER), prefix="p"))
    assert len(earlier[0]) == 12


@pytest.mark.parametrize(
    ("answer", "kept"),
    [
        ("Boato da separação", True),
        ("BOATOOO", True),
        ("Separação da banda", True),
        ("Notícias tristes", False),
        ("", False),
        (None, False),
        ({"rotulo": "boato"}, False),
    ],
)
def test_a_label_is_kept_only_with_a_distinctive_word(answer: object, kept: bool) -> None:
    result = checked_label(answer, ("boato", "separação", "banda"))
    assert (result is not None) == kept


def test_a_model_label_is_used_only_when_it_holds_a_word_and_never_fails_the_run() -> None:
    from shared.themes.service import Labeller

    theme = group_comments(comments(rumour_comments(20))).themes[0]
    assert Labeller(lambda _theme: "Boato da separação")(theme) == "Boato da separação"
    assert Labeller(lambda _theme: "Notícias tristes")(theme) is None

    def failing(_theme: object) -> str:
        raise TimeoutError("model down")

    assert Labeller(failing)(theme) is None
