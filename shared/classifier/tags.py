"""Feature tags: the product's taxonomy (`taxonomy.json`) matched against comments in one pass.

The taxonomy is data: for each `scope_subject` tag, PT-BR and English expressions. An expression is
words separated by spaces; a word may end with `*` (any continuation: `letra*` covers "letras"),
`{a|b c}` picks one of several words or phrases and `[a|b]` is the same but optional. Expressions
are written like text and normalised like text (case and accents removed, punctuation becomes a
space, apostrophes vanish), so "notificação", "NOTIFICACAO" and "notificaçao" are one expression.
Expressions under "ignorar" match without giving a tag, to shield idioms ("não tem erro").

Tags sit on the hot path (the whole classifier must keep up with tens of thousands of comments a
second), so the expressions are compiled once into a single regular expression shaped like a trie:
at each word start the engine follows letters down the trie instead of trying thousands of
expressions. A batch is normalised as one joined byte string (NFKD, ASCII, one `bytes.translate`)
and scanned once.

Typos: missing accents and case are normalised away; in words of five letters or more a letter may
be doubled, stretched or undoubled ("caregando", "travaaando", "musiiica"); other common misspellings
("dowload", "lyrcis") are listed in the data. Where expressions overlap, the match that starts first
wins, and at one position the expression with more words wins ("letra sincronizada" over "letra");
every expression is checked at load to be reachable as itself.

Compiling that expression is most of a cold start's work (0.2-0.3 s: CPython parses patterns in
Python). Training stores the compiled program in the model artifact (`matcher_program`) and the
classifier hands it back at load (`default_taxonomy(program)`): it is used only when it was built
from this very pattern by this very interpreter, and anything else compiles as before.
"""

from __future__ import annotations

import array
import bisect
import hashlib
import itertools
import json
import logging
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

log = logging.getLogger(__name__)

TAXONOMY_PATH: Final = Path(__file__).with_name("taxonomy.json")
SCOPES: Final[tuple[str, ...]] = ("feat", "fix", "perf", "ui", "doc", "test", "sec", "api")
TAG_PATTERN: Final = re.compile(r"^(feat|fix|perf|ui|doc|test|sec|api)_[a-z]+$")

# Categories whose comments carry no tags: a plug or a giveaway mentions "download" or "playlist"
# as bait, not as feedback, and would only pollute the tag charts.
TAGLESS_CATEGORIES: Final = frozenset({"SPAM"})

# Words this long tolerate doubled or stretched letters; shorter ones stay exact ("ad" is not "add").
_STRETCH_MIN = 5
_MAX_VARIANTS = 256  # per expression, after expanding {a|b} and [a|b]

# Text normalisation, on ASCII bytes after NFKD: letters lowercased, digits kept, NUL kept (it
# separates comments in a batch), apostrophes removed ("don't" -> "dont"), anything else a space.
_APOSTROPHES = b"'`"


def _byte_table(keep: bytes = b"") -> bytes:
    table = bytearray(b" " * 256)
    for code in range(256):
        char = bytes([code])
        if char.isdigit() or char.islower() or char in keep:
            table[code] = code
        elif char.isupper():
            table[code] = code + 32
    table[0] = 0
    return bytes(table)


_TEXT_TABLE: Final = _byte_table()
_EXPRESSION_TABLE: Final = _byte_table(keep=b"*{}[]|")
_WORD: Final = re.compile(r"^[a-z0-9]+\*?$")
# An expression's parts: a `{...}` or `[...]` group (alternatives separated by `|`, each one or
# more words) or a single word.
_GROUP: Final = re.compile(r"\{[^{}\[\]]*\}|\[[^{}\[\]]*\]|[^\s{}\[\]]+")


class TaxonomyError(ValueError):
    """The taxonomy file is malformed; the message lists every problem found."""


@dataclass(frozen=True, slots=True)
class TagSpec:
    """One tag of the taxonomy as written in the data."""

    tag: str
    descricao: str
    pt: tuple[str, ...]
    en: tuple[str, ...]

    @property
    def scope(self) -> str:
        return self.tag.split("_", 1)[0]

    @property
    def subject(self) -> str:
        return self.tag.split("_", 1)[1]


# Trie atoms: a literal character, a letter that may repeat, a word continuation, a word gap.
_LITERAL, _STRETCH, _STEM, _GAP = "L", "R", "S", "W"
_ATOM_RANK = {_LITERAL: 0, _STRETCH: 0, _GAP: 1, _STEM: 2}
Atom = tuple[str, str]


@dataclass
class _Node:
    children: dict[Atom, _Node] = field(default_factory=dict)
    leaf: int | None = None  # index into the compiled entries
    max_words: int = 0
    tags: frozenset[str | None] = frozenset()


@dataclass(frozen=True, slots=True)
class _Entry:
    tag: str | None  # None: an expression that only shields its words ("não tem erro")
    expression: str  # as expanded, for error messages
    words: tuple[str, ...]


class Taxonomy:
    """A validated taxonomy and its compiled matcher."""

    def __init__(
        self,
        version: str,
        specs: Sequence[TagSpec],
        ignored: Sequence[str],
        digest: str,
        program: Mapping[str, Any] | None = None,
    ) -> None:
        self.version = version
        self.specs: tuple[TagSpec, ...] = tuple(specs)
        self.tags: frozenset[str] = frozenset(spec.tag for spec in self.specs)
        self.digest = digest
        entries, problems = _expand_entries(self.specs, ignored)
        if problems:
            raise TaxonomyError(_problem_list(problems))
        source, named = _emit_pattern(entries)
        stored = _from_program(source, program) if program else None
        if stored is not None:
            self._regex, self._group_tags = stored, _group_tags(stored, named)
            problems = self._unreachable(entries)
            if problems:
                # Only a program that was altered after training gets here: compile it afresh.
                log.warning("stored tag matcher program disagrees with the taxonomy; compiling")
        self.from_program = stored is not None and not problems
        if not self.from_program:
            regex = re.compile(source)
            self._regex, self._group_tags = regex, _group_tags(regex, named)
            problems = self._unreachable(entries)
            if problems:
                raise TaxonomyError(_problem_list(problems))

    def matcher_program(self) -> dict[str, Any] | None:
        """The compiled matcher as this interpreter's regular-expression engine holds it, for the
        model artifact (see the module docstring); None where it cannot be exported."""
        source = self._regex.pattern
        try:
            import _sre
            from re import _compiler, _parser  # type: ignore[attr-defined]

            parsed = _parser.parse(source, 0)
            code = array.array(_CODE_TYPE, _compiler._code(parsed, 0))
            if code.itemsize != _sre.CODESIZE:
                return None
            return {
                "key": _program_key(source),
                "flags": int(parsed.state.flags),
                "groups": int(parsed.state.groups) - 1,
                "groupindex": dict(parsed.state.groupdict),
                "code": code.tobytes(),
            }
        except (ImportError, AttributeError, TypeError, ValueError, OverflowError):
            return None

    def extract(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """Sorted, unique tags of each text, in order."""
        if not texts:
            return []
        data = normalise_batch(texts)
        separators = _separator_offsets(data)
        found: dict[int, set[str]] = {}
        group_tags = self._group_tags
        for match in self._regex.finditer(data):
            tag = group_tags[match.lastindex or 0]
            if tag is None:
                continue
            index = bisect.bisect_right(separators, match.start())
            bucket = found.get(index)
            if bucket is None:
                found[index] = {tag}
            else:
                bucket.add(tag)
        result: list[tuple[str, ...]] = [()] * len(texts)
        for index, tags in found.items():
            result[index] = tuple(sorted(tags))
        return result

    def _unreachable(self, entries: Sequence[_Entry]) -> list[str]:
        # Every expression, written out as text, must be matched whole and give its own tag:
        # this catches an expression shadowed by another one sharing its first words.
        problems = []
        for entry in entries:
            sample = " " + " ".join(word.rstrip("*") for word in entry.words) + " "
            match = self._regex.match(sample.encode("ascii"))
            tag = self._group_tags[match.lastindex or 0] if match else None
            if match is None or match.end() != len(sample) - 1 or tag != entry.tag:
                got = "nothing" if match is None else f"{match.group(0).strip()!r} as {tag}"
                problems.append(
                    f"expression {entry.expression!r} ({entry.tag or 'ignorar'}) "
                    f"is matched as {got}"
                )
        return problems


def normalise_batch(texts: Sequence[str]) -> bytes:
    """The batch as ASCII bytes: `b" text \\x00 text "`, lowercase, letters and digits only."""
    joined = " \x00 ".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        joined = " \x00 ".join(text.replace("\x00", " ") for text in texts)
    if not joined.isascii():
        joined = unicodedata.normalize("NFKD", joined)
    raw = f" {joined} ".encode("ascii", "ignore")
    return raw.translate(_TEXT_TABLE, _APOSTROPHES)


def normalise_expression(expression: str) -> str:
    """An expression normalised like text, keeping its `* { } [ ] |` syntax; spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", expression)
    raw = decomposed.encode("ascii", "ignore").translate(_EXPRESSION_TABLE, _APOSTROPHES)
    return " ".join(raw.decode("ascii").replace("\x00", " ").split())


def _separator_offsets(data: bytes) -> list[int]:
    offsets = []
    position = data.find(0)
    while position != -1:
        offsets.append(position)
        position = data.find(0, position + 1)
    return offsets


def _expand(expression: str) -> tuple[list[tuple[str, ...]], str | None]:
    """Every word sequence an expression stands for, or why it is malformed."""
    normalised = normalise_expression(expression)
    if not normalised:
        return [], "is empty once normalised"
    tokens = _GROUP.findall(normalised)
    if "".join(tokens).replace(" ", "") != normalised.replace(" ", ""):
        return [], f"has unbalanced brackets (normalised: {normalised!r})"
    choices: list[list[tuple[str, ...]]] = []
    for token in tokens:
        grouped = token.startswith(("{", "["))
        inner = token[1:-1].split("|") if grouped else [token]
        alternatives = [tuple(part.split()) for part in inner]
        words = [word for alternative in alternatives for word in alternative]
        if not all(alternatives) or not all(_WORD.match(word) for word in words):
            return [], f"has a malformed part {token!r} (normalised: {normalised!r})"
        if token.startswith("["):
            alternatives.append(())
        choices.append(alternatives)
    variants: set[tuple[str, ...]] = set()
    for combination in itertools.product(*choices):
        words_only = tuple(word for alternative in combination for word in alternative)
        if words_only:
            variants.add(words_only)
        if len(variants) > _MAX_VARIANTS:
            return [], f"expands to more than {_MAX_VARIANTS} variants"
    return sorted(variants), None


def _atoms(words: Sequence[str]) -> tuple[Atom, ...]:
    atoms: list[Atom] = []
    for position, word in enumerate(words):
        if position:
            atoms.append((_GAP, ""))
        core = word.rstrip("*")
        if sum(char.isalpha() for char in core) >= _STRETCH_MIN:
            collapsed = re.sub(r"([a-z])\1+", r"\1", core)
            atoms.extend((_STRETCH if c.isalpha() else _LITERAL, c) for c in collapsed)
        else:
            atoms.extend((_LITERAL, c) for c in core)
        if word.endswith("*"):
            atoms.append((_STEM, ""))
    return tuple(atoms)


def _expand_entries(
    specs: Sequence[TagSpec], ignored: Sequence[str]
) -> tuple[list[_Entry], list[str]]:
    problems: list[str] = []
    entries: list[_Entry] = []
    seen: dict[tuple[Atom, ...], _Entry] = {}
    sources: list[tuple[str | None, str]] = [
        (spec.tag, expression) for spec in specs for expression in (*spec.pt, *spec.en)
    ]
    sources.extend((None, expression) for expression in ignored)
    for tag, expression in sources:
        variants, problem = _expand(expression)
        if problem:
            problems.append(f"expression {expression!r} ({tag or 'ignorar'}) {problem}")
            continue
        for words in variants:
            entry = _Entry(tag=tag, expression=" ".join(words), words=words)
            key = _atoms(words)
            previous = seen.get(key)
            if previous is not None:
                if previous.expression != entry.expression or previous.tag != tag:
                    # Different spellings that compile alike ("shuffle"/"shufle") or a repeat.
                    problems.append(
                        f"expression {expression!r} ({tag or 'ignorar'}) duplicates "
                        f"{previous.expression!r} ({previous.tag or 'ignorar'})"
                    )
                continue
            seen[key] = entry
            entries.append(entry)
    return entries, problems


def _emit_pattern(entries: Sequence[_Entry]) -> tuple[bytes, list[str | None]]:
    """The matcher's source and the tag of each named group `g<k>` (index k)."""
    root = _Node()
    for index, entry in enumerate(entries):
        node = root
        for atom in _atoms(entry.words):
            node = node.children.setdefault(atom, _Node())
        node.leaf = index
    _annotate(root, entries, 1)
    named: list[str | None] = []  # the tag of group `g<k>`
    body = _emit(root, entries, named, last=None, captured=False)
    # A leading space: the engine scans for it with a fast loop and only tries the trie at word
    # starts (every comment is padded with spaces, punctuation is a space).
    return (" " + body).encode("ascii"), named


def _group_tags(pattern: re.Pattern[bytes], named: Sequence[str | None]) -> tuple[str | None, ...]:
    """The tag of each group number (`match.lastindex`)."""
    group_tags: list[str | None] = [None] * (pattern.groups + 1)
    for name, number in pattern.groupindex.items():
        group_tags[number] = named[int(name[1:])]
    return tuple(group_tags)


# The engine's code words are unsigned ints of _sre.CODESIZE bytes (4 on every CPython build).
_CODE_TYPE: Final = "I"


def _program_key(source: bytes) -> str:
    """What a stored program must have been built from: this pattern, this interpreter."""
    import _sre

    engine = f"{sys.implementation.name}|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}"
    return hashlib.sha256(engine.encode() + b"\x00" + source).hexdigest()


def _from_program(source: bytes, program: Mapping[str, Any]) -> re.Pattern[bytes] | None:
    """The compiled pattern rebuilt from a stored program, or None when it does not apply."""
    try:
        import _sre

        if program.get("key") != _program_key(source):
            return None
        code = array.array(_CODE_TYPE)
        code.frombytes(program["code"])
        groups = int(program["groups"])
        groupindex = {str(name): int(number) for name, number in program["groupindex"].items()}
        indexgroup: list[str | None] = [None] * (groups + 1)
        for name, number in groupindex.items():
            indexgroup[number] = name
        # The engine validates the code it is given and raises on anything malformed.
        pattern: re.Pattern[bytes] = _sre.compile(
            source, int(program["flags"]), code.tolist(), groups, groupindex, tuple(indexgroup)
        )
        return pattern
    # RuntimeError: the engine's "invalid SRE code".
    except (
        ImportError,
        AttributeError,
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        RuntimeError,
    ) as exc:
        log.warning("stored tag matcher program not usable (%s); compiling", exc)
        return None


def _annotate(node: _Node, entries: Sequence[_Entry], words: int) -> None:
    """Set each node's longest expression (in words) and the tags its expressions lead to."""
    best = words if node.leaf is not None else 0
    tags: set[str | None] = set() if node.leaf is None else {entries[node.leaf].tag}
    for atom, child in node.children.items():
        _annotate(child, entries, words + (atom[0] == _GAP))
        best = max(best, child.max_words)
        tags |= child.tags
    node.max_words = best
    node.tags = frozenset(tags)


def _emit(
    node: _Node,
    entries: Sequence[_Entry],
    group_tags: list[str | None],
    last: Atom | None,
    captured: bool,
) -> str:
    # Ordered alternation: the branch leading to longer expressions first, the bare end last.
    # Branches starting with different letters exclude each other, so one letter's literal and
    # stretched forms share a branch (fewer alternatives to try at each position).
    ordered = sorted(
        node.children.items(),
        key=lambda item: (-item[1].max_words, _ATOM_RANK[item[0][0]], item[0][1]),
    )
    branches: list[tuple[str, list[str]]] = []
    by_letter: dict[str, int] = {}
    for atom, child in ordered:
        rest = _atom_rest(atom)
        if not captured and len(child.tags) == 1:
            # One group for a whole subtree that leads to a single tag: matches copy every
            # group, so fewer groups is faster than one per expression.
            (tag,) = child.tags
            group_tags.append(tag)
            name = f"g{len(group_tags) - 1}"
            rest += f"(?P<{name}>" + _emit(child, entries, group_tags, atom, captured=True) + ")"
        else:
            rest += _emit(child, entries, group_tags, atom, captured)
        head = _atom_head(atom)
        if head and head in by_letter:
            branches[by_letter[head]][1].append(rest)
            continue
        if head:
            by_letter[head] = len(branches)
        branches.append((head, [rest]))
    regexes = [
        head + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for head, rests in branches
    ]
    if node.leaf is not None:
        stem_end = last is not None and last[0] == _STEM
        end = "" if stem_end else r"\b"
        if captured:
            regexes.append(end)
        else:
            group_tags.append(entries[node.leaf].tag)
            regexes.append(f"{end}(?P<g{len(group_tags) - 1}>)")
    if len(regexes) == 1:
        return regexes[0]
    return "(?:" + "|".join(regexes) + ")"


def _atom_head(atom: Atom) -> str:
    """The literal letter a branch starts with ("" for word gaps and stems)."""
    return atom[1] if atom[0] in (_LITERAL, _STRETCH) else ""


def _atom_rest(atom: Atom) -> str:
    kind, char = atom
    if kind == _LITERAL:
        return ""
    if kind == _STRETCH:
        return f"{char}*"
    if kind == _STEM:
        return "[a-z0-9]*"
    return "  *"


def _problem_list(problems: Iterable[str]) -> str:
    items = list(problems)
    return f"taxonomy has {len(items)} problem(s):\n- " + "\n- ".join(items)


def parse_taxonomy(
    data: Any, *, digest: str = "", program: Mapping[str, Any] | None = None
) -> Taxonomy:
    """A Taxonomy from the decoded JSON document; raises TaxonomyError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise TaxonomyError("taxonomy must be a JSON object")
    unknown = set(data) - {"versao", "descricao", "ignorar", "tags"}
    if unknown:
        problems.append(f"unknown top-level keys: {sorted(unknown)}")
    version = data.get("versao")
    if not isinstance(version, str) or not version:
        problems.append("'versao' must be a non-empty string")
    ignored = data.get("ignorar", [])
    if not _is_str_list(ignored):
        problems.append("'ignorar' must be a list of strings")
        ignored = []
    tags = data.get("tags")
    if not isinstance(tags, dict) or not tags:
        problems.append("'tags' must be a non-empty object")
        tags = {}
    specs: list[TagSpec] = []
    subjects: dict[str, str] = {}
    for tag, body in tags.items():
        if not TAG_PATTERN.match(tag):
            problems.append(
                f"tag {tag!r} is not scope_subject (scope one of {' '.join(SCOPES)}, "
                "subject one lowercase ASCII word)"
            )
            continue
        subject = tag.split("_", 1)[1]
        if subject in subjects:
            problems.append(
                f"subject {subject!r} appears as {subjects[subject]!r} and {tag!r}: "
                "same subject, same tag"
            )
        subjects[subject] = tag
        if not isinstance(body, dict):
            problems.append(f"tag {tag!r} must map to an object")
            continue
        extra = set(body) - {"descricao", "pt", "en"}
        if extra:
            problems.append(f"tag {tag!r} has unknown keys {sorted(extra)}")
        description = body.get("descricao")
        pt, en = body.get("pt", []), body.get("en", [])
        if not isinstance(description, str) or not description.strip():
            problems.append(f"tag {tag!r} needs a 'descricao'")
            description = ""
        if not _is_str_list(pt) or not _is_str_list(en):
            problems.append(f"tag {tag!r}: 'pt' and 'en' must be lists of strings")
            continue
        if not pt and not en:
            problems.append(f"tag {tag!r} has no expressions")
        specs.append(TagSpec(tag=tag, descricao=description, pt=tuple(pt), en=tuple(en)))
    if problems:
        raise TaxonomyError(_problem_list(problems))
    assert isinstance(version, str)
    return Taxonomy(
        version=version, specs=specs, ignored=tuple(ignored), digest=digest, program=program
    )


def load_taxonomy(path: Path = TAXONOMY_PATH, program: Mapping[str, Any] | None = None) -> Taxonomy:
    """Read, validate and compile a taxonomy file (`program`: see `default_taxonomy`)."""
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise TaxonomyError(f"{path.name} is not valid JSON: {exc}") from exc
    return parse_taxonomy(data, digest=hashlib.sha256(raw).hexdigest()[:12], program=program)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


_default_lock = threading.Lock()
_default: list[Taxonomy] = []


def default_taxonomy(program: Mapping[str, Any] | None = None) -> Taxonomy:
    """The product's taxonomy, loaded and compiled once per process. `program`, the matcher as
    the model artifact stores it (`Taxonomy.matcher_program`), spares the compiling when it was
    built from this taxonomy by this interpreter; it is ignored once the taxonomy is loaded."""
    if not _default:
        with _default_lock:
            if not _default:
                _default.append(load_taxonomy(program=program))
    return _default[0]


def extract_tags(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """Sorted, unique `scope_subject` tags of each text, in order."""
    return default_taxonomy().extract(texts)


def tags_for(categoria: str, tags: Iterable[str]) -> tuple[str, ...]:
    """The tags a classified comment keeps: none for SPAM, otherwise sorted and unique."""
    if categoria in TAGLESS_CATEGORIES:
        return ()
    return tuple(sorted(set(tags)))
