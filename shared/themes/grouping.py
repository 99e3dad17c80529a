"""Grouping comments into themes: normalise, collapse near-duplicates, cluster, name.

1. Text: the classifier's normalisation (`shared.classifier.text.normalize_batch`: case, accents,
   links and e-mail addresses masked, stretched letters cut to two) with @mentions masked too;
   then any doubled letter is made single ("caaaro", "caaro" and "caro" are one word) and
   what is not a letter or a digit (emoji, marks) leaves the comparison key.
2. Near-duplicates: comments with the same key are one unit; a unit whose key is another's with
   one word added (anywhere) joins it. So case, accents, repeated letters, emoji and an added word
   never split a group, by construction rather than by chance.
3. Clusters: each unit is a TF-IDF vector of its content words (stopwords PT/EN removed); units
   are taken largest first (ties by key, so a run is deterministic) and join the most similar
   group when the cosine with its centroid reaches `COSINE_THRESHOLD`, else open a new one.
4. Names: a group's distinctive words are the words and two-word phrases most frequent in it and
   rare in the rest of the period (share in the group x inverse document frequency outside it).

Only groups of at least `min_size` comments are themes; the rest is noise.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Final

import numpy as np

from shared.classifier.text import decode_batch, encode_batch, is_stand_in
from shared.insights.text import fold

COSINE_THRESHOLD: Final = 0.15
# Two groups are one theme when their centroids are this much closer than a comment must be.
MERGE_MARGIN: Final = 0.05
MIN_THEME_SIZE: Final = 5
NAME_WORDS: Final = 3
NAME_MIN_SHARE: Final = 0.2
SAMPLE_SIZE: Final = 5
# A word added to a key of at least this many words keeps it a near-duplicate: below that one word
# changes what a comment says ("caro" -> "caro nada").
_NEAR_DUPLICATE_MIN_WORDS: Final = 2
# Only a unit's rarest words look for candidate groups: enough to find its theme, few enough that
# a common word does not make every group a candidate.
_PROBE_WORDS: Final = 4
MENTION_WORD: Final = "xmencaox"
_MENTION: Final = re.compile(r"(?<![\w.])@\w{1,64}")
_WRITTEN_WORD: Final = re.compile(r"[^\W_]+")

# Written as text (accents and all) and normalised like comments on first use.
_STOPWORDS_TEXT: Final = """
    a à as às ao aos o os um uma uns umas de da das do dos em na nas no nos num numa pra pro pras
    pros para por pelo pela pelos pelas com sem que quem qual quais quando onde como porque porquê
    pq por que e ou mas nem se já ja não nao sim é eh era foi ser sou são sao está esta estão tá ta
    tão tao to tô estou estava vai vou vão van ir tem têm tinha ter ha há isso isto esse essa esses
    essas este estes aquele aquela aquilo ele ela eles elas eu tu você voce vocês voces vc vcs nós
    nos me te lhe meu minha meus minhas seu sua seus suas nosso nossa dele dela deles delas mais
    menos muito muita muitos muitas pouco bem mal só so também tambem ainda agora aqui ali lá la
    hoje ontem amanhã sempre nunca todo toda todos todas tudo nada algo alguém alguem cada outro
    outra outros outras mesmo mesma assim então entao aí ai né ne tipo cara mano gente kkk kkkk
    kkkkk rs haha hahaha ah oh eita pois até ate sobre entre depois antes desde demais coisa
    coisas fazer faz fez feito pode podem poderia poderiam deveria deveriam seria acho sei saber
    alguma algum dá da dar vez vezes the an and or but if of to in on at for with from by as is
    are was were be been being it its this that these those there here i you he she we they me
    my your his her our their them what which who whom when where why how all any some no not
    only just very too so can could would should will do does did have has had am get got
    please pls lol omg
"""


@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    texto: str


@dataclass(slots=True)
class _Unit:
    """Near-duplicate comments: one key (or a key and the same with one word added)."""

    key: str
    words: tuple[str, ...]  # content words, doubled letters made single, in text order
    ids: list[str] = field(default_factory=list)
    # (single-letter form, as written) of each word of the first comment seen, for names
    spelled: tuple[tuple[str, str], ...] = ()

    @property
    def weight(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class Theme:
    """A group of at least `min_size` comments and what names it."""

    words: tuple[str, ...]  # distinctive words or phrases, as listeners spell them
    member_ids: tuple[str, ...]
    sample_ids: tuple[str, ...]
    centroid: Mapping[str, float] = field(repr=False)

    @property
    def name(self) -> str:
        return " · ".join(self.words)

    @property
    def signature(self) -> str:
        """The same theme found again in the same period has the same signature."""
        return "|".join(sorted(self.words))


@dataclass(frozen=True, slots=True)
class Grouping:
    themes: tuple[Theme, ...]
    comments: int  # comments considered
    units: int  # after near-duplicates were collapsed
    groups: int  # clusters before the size cut
    # comment id -> the group it landed in, themes and noise alike (for the evaluation)
    assignment: Mapping[str, int] = field(repr=False, default_factory=dict)


def _normalised(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """Each text normalised twice: doubled letters made single ("ingreso"), and as written
    ("ingresso"); the same words in the same places."""
    if not texts:
        return [], []
    masked = [_MENTION.sub(f" {MENTION_WORD} ", text) if "@" in text else text for text in texts]
    codes = encode_batch(masked)
    plain = decode_batch(codes)
    letters = (codes >= ord("a")) & (codes <= ord("z"))
    keep = np.ones(codes.shape[0], dtype=np.bool_)
    keep[1:] = ~((codes[1:] == codes[:-1]) & letters[1:])
    return decode_batch(codes[keep]), plain


def _is_placeholder(word: str) -> bool:
    return word == MENTION_WORD or is_stand_in(word)


def _words(normal: str) -> list[str]:
    return [word for word in normal.split(" ") if word.isalnum() and not _is_placeholder(word)]


def normalise_texts(texts: Sequence[str]) -> list[list[str]]:
    """Each text as its words: normalised, links, addresses and @mentions masked and left out,
    doubled letters made single, letters and digits only."""
    return [_words(normal) for normal in _normalised(texts)[0]]


@cache
def stopwords() -> frozenset[str]:
    """The stopwords as the normalised words they are compared with ("não" -> "nao", "esse" ->
    "ese")."""
    normal = normalise_texts([_STOPWORDS_TEXT])[0]
    return frozenset(normal)


def _is_content(word: str) -> bool:
    return len(word) >= 3 and word not in stopwords() and not _is_placeholder(word)


def _accented_words(text: str) -> dict[str, str]:
    # Normalised words lose their accents; a name is read by people, so each word is shown as the
    # listener wrote it, lowercased ("separação", not "separacao").
    return {fold(word): word for word in _WRITTEN_WORD.findall(text.lower())}


def build_units(comments: Sequence[Comment]) -> list[_Unit]:
    """Near-duplicates collapsed: same key, or a key and the same with one word added."""
    by_key: dict[str, _Unit] = {}
    tokens_of: dict[str, list[str]] = {}
    by_normal: dict[str, _Unit] = {}
    single, plain = _normalised([c.texto for c in comments])
    for comment, normal, written in zip(comments, single, plain, strict=True):
        unit = by_normal.get(normal)
        if unit is None:
            # Who is mentioned and which link is given do not make another comment.
            words = _words(normal)
            key = " ".join(words)
            unit = by_key.get(key)
            if unit is None:
                unit = by_key[key] = _Unit(key, tuple(w for w in words if _is_content(w)))
                accented = _accented_words(comment.texto)
                unit.spelled = tuple(
                    (word, accented.get(spelled, spelled))
                    for word, spelled in zip(words, _words(written), strict=True)
                )
                tokens_of[key] = words
            by_normal[normal] = unit
        unit.ids.append(comment.id)
    # Union-find over keys: the longer key with one word removed equals the shorter key.
    parent = {key: key for key in by_key}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key in sorted(by_key):
        words = tokens_of[key]
        if len(words) <= _NEAR_DUPLICATE_MIN_WORDS:
            continue
        for index in range(len(words)):
            shorter = " ".join(words[:index] + words[index + 1 :])
            if shorter in by_key:
                first, second = find(key), find(shorter)
                if first != second:
                    parent[max(first, second)] = min(first, second)
    merged: dict[str, _Unit] = {}
    for key in sorted(by_key):
        root = find(key)
        unit = by_key[key]
        if root not in merged:
            merged[root] = _Unit(root, by_key[root].words, spelled=by_key[root].spelled)
        target = merged[root]
        target.ids.extend(unit.ids)
        if len(set(unit.words) - set(target.words)) > 0:
            target.words = target.words + tuple(w for w in unit.words if w not in target.words)
    return sorted(merged.values(), key=lambda u: (-u.weight, u.key))


def _idf(units: Sequence[_Unit]) -> dict[str, float]:
    total = sum(unit.weight for unit in units)
    df: Counter[str] = Counter()
    for unit in units:
        for word in set(unit.words):
            df[word] += unit.weight
    return {word: math.log((1 + total) / (1 + count)) + 1.0 for word, count in df.items()}


def _vector(words: Iterable[str], idf: Mapping[str, float]) -> dict[str, float]:
    vector = {word: idf[word] for word in set(words) if word in idf}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {word: value / norm for word, value in vector.items()}


@dataclass(slots=True)
class _Cluster:
    total: dict[str, float] = field(default_factory=dict)
    norm_sq: float = 0.0
    units: list[_Unit] = field(default_factory=list)

    def add(self, unit: _Unit, vector: Mapping[str, float]) -> None:
        for word, value in vector.items():
            before = self.total.get(word, 0.0)
            after = before + value * unit.weight
            self.norm_sq += after * after - before * before
            self.total[word] = after
        self.units.append(unit)

    def cosine(self, vector: Mapping[str, float]) -> float:
        if self.norm_sq <= 0.0:
            return 0.0
        dot = sum(value * self.total.get(word, 0.0) for word, value in vector.items())
        return dot / math.sqrt(self.norm_sq)

    @property
    def size(self) -> int:
        return sum(unit.weight for unit in self.units)


class Centroids:
    """Groups' centroids with an index from word to the groups holding it."""

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []
        self._index: dict[str, list[int]] = defaultdict(list)

    def best(self, vector: Mapping[str, float], threshold: float) -> int | None:
        probes = sorted(vector, key=lambda w: (-vector[w], w))[:_PROBE_WORDS]
        candidates = sorted({c for word in probes for c in self._index.get(word, ())})
        best, best_score = None, threshold
        for number in candidates:
            score = self.clusters[number].cosine(vector)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = number, score
        return best

    def add(self, number: int | None, unit: _Unit, vector: Mapping[str, float]) -> int:
        if number is None:
            number = len(self.clusters)
            self.clusters.append(_Cluster())
        cluster = self.clusters[number]
        for word in vector:
            if word not in cluster.total:
                self._index[word].append(number)
        cluster.add(unit, vector)
        return number


def group_comments(
    comments: Sequence[Comment],
    *,
    threshold: float = COSINE_THRESHOLD,
    min_size: int = MIN_THEME_SIZE,
) -> Grouping:
    """The themes among `comments`, largest first (ties by name)."""
    units = build_units(comments)
    idf = _idf(units)
    centroids = Centroids()
    for unit in units:
        vector = _vector(unit.words, idf)
        if not vector:
            continue
        centroids.add(centroids.best(vector, threshold), unit, vector)
    clusters = _merge_similar(centroids.clusters, threshold + MERGE_MARGIN)
    big = [c for c in clusters if c.size >= min_size]
    everywhere = _phrase_counts(units)
    total = sum(unit.weight for unit in units)
    themes = [_theme(cluster, everywhere, total) for cluster in big]
    themes.sort(key=lambda t: (-len(t.member_ids), t.name))
    assignment = {
        comment_id: number
        for number, cluster in enumerate(clusters)
        for unit in cluster.units
        for comment_id in unit.ids
    }
    return Grouping(
        themes=tuple(themes),
        comments=len(comments),
        units=len(units),
        groups=len(clusters),
        assignment=assignment,
    )


def _merge_similar(clusters: Sequence[_Cluster], threshold: float) -> list[_Cluster]:
    """Groups whose centroids are alike joined, smaller into larger: the single pass depends on
    the order units arrive in, and a theme's first comments may have opened two groups."""
    ordered = sorted(clusters, key=lambda c: (-c.size, c.units[0].key))
    kept = Centroids()
    for cluster in ordered:
        norm = math.sqrt(cluster.norm_sq) or 1.0
        vector = {word: value / norm for word, value in cluster.total.items()}
        target = kept.best(vector, threshold)
        if target is None:
            target = len(kept.clusters)
            kept.clusters.append(_Cluster())
        merged = kept.clusters[target]
        for word in cluster.total:
            if word not in merged.total:
                kept._index[word].append(target)
        for word, value in cluster.total.items():
            before = merged.total.get(word, 0.0)
            merged.total[word] = before + value
            merged.norm_sq += (before + value) ** 2 - before * before
        merged.units.extend(cluster.units)
    return kept.clusters


def _phrases(words: Sequence[str]) -> set[str]:
    found = set(words)
    found.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return found


def _samples(units: Sequence[_Unit]) -> list[str]:
    """The first comment of the largest units, preferring units that open with other words, so
    the samples show the theme's range rather than five phrasings of one sentence."""
    ordered = sorted(units, key=lambda u: (-u.weight, u.key))
    chosen: list[_Unit] = []
    openings: set[tuple[str, ...]] = set()
    for unit in ordered:
        if len(chosen) == SAMPLE_SIZE:
            break
        if unit.words[:2] not in openings:
            chosen.append(unit)
            openings.add(unit.words[:2])
    for unit in ordered:
        if len(chosen) == SAMPLE_SIZE:
            break
        if unit not in chosen:
            chosen.append(unit)
    return [unit.ids[0] for unit in chosen]


def _surface_forms(units: Sequence[_Unit]) -> dict[str, str]:
    # The commonest spelling (lowercased, accents and doubled letters as written) of each
    # single-letter form, so names read "ingresso", not "ingreso", and "coração", not "coracao".
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for unit in units:
        for single, written in unit.spelled:
            counts[single][written] += unit.weight
    return {word: spelled.most_common(1)[0][0] for word, spelled in counts.items()}


def _phrase_counts(units: Sequence[_Unit]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for unit in units:
        for phrase in _phrases(unit.words):
            counts[phrase] += unit.weight
    return counts


def _theme(cluster: _Cluster, everywhere: Counter[str], total: int) -> Theme:
    surface = _surface_forms(cluster.units)
    size = cluster.size
    inside = _phrase_counts(cluster.units)
    outside_total = total - size

    def outside(phrase: str) -> int:
        return everywhere[phrase] - inside[phrase]

    def score(phrase: str) -> float:
        rarity = math.log((1 + outside_total) / (1 + outside(phrase))) + 1.0
        # A phrase of two words counts when nearly every comment with its first word has both.
        return inside[phrase] / size * rarity * (1.1 if " " in phrase else 1.0)

    # A name word must be common in the group: a rare word of one comment says nothing of it.
    common = max(2, math.ceil(size * NAME_MIN_SHARE))
    ranked = sorted((p for p in inside if inside[p] >= common), key=lambda p: (-score(p), p))
    chosen: list[str] = []
    used: set[str] = set()
    for phrase in ranked:
        parts = phrase.split(" ")
        if used & set(parts):
            continue
        chosen.append(phrase)
        used.update(parts)
        if len(used) >= NAME_WORDS:
            break
    words = tuple(" ".join(surface.get(p, p) for p in phrase.split(" ")) for phrase in chosen)
    samples = _samples(cluster.units)
    members_ids = tuple(sorted(i for unit in cluster.units for i in unit.ids))
    centroid = dict(cluster.total)
    return Theme(
        words=words or ("?",),
        member_ids=members_ids,
        sample_ids=tuple(samples),
        centroid=centroid,
    )


def match_previous(
    themes: Sequence[Theme], comments: Sequence[Comment], *, threshold: float = COSINE_THRESHOLD
) -> list[list[str]]:
    """For each theme, the ids among `comments` (the previous period's) that would have joined it."""
    result: list[list[str]] = [[] for _ in themes]
    if not themes or not comments:
        return result
    units = build_units(comments)
    idf = _idf(units)
    centroids = Centroids()
    for theme in themes:
        cluster_number = len(centroids.clusters)
        centroids.clusters.append(_Cluster())
        cluster = centroids.clusters[cluster_number]
        cluster.total = dict(theme.centroid)
        cluster.norm_sq = sum(v * v for v in cluster.total.values())
        for word in cluster.total:
            centroids._index[word].append(cluster_number)
    for unit in units:
        vector = _vector(unit.words, idf)
        if not vector:
            continue
        number = centroids.best(vector, threshold)
        if number is not None:
            result[number].extend(unit.ids)
    return result
