"""Themes per period: the run that finds and stores them, the list, promotion and dismissal.

A run reads the period's comments of CRÍTICA, SUGESTÃO and DÚVIDA (final labels) that no tag
covers, or that only broad tags cover (`WEAK_TAGS`: "bug", "lançamento", "integração" say that
something is wrong or new without naming what), groups them (`grouping`) and stores the themes with
their members, and the previous period's comments that would have joined each theme (for the
growth). Sizes and growth are counted by PostgreSQL from the members whenever they are read.

A run again over the same period replaces that period's themes still `novo`; a theme an analyst
promoted or dismissed stays as decided, and the run does not bring it back under the same words.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shared import rollups
from shared.classifier.tags import (
    TAG_PATTERN,
    TaxonomyError,
    default_taxonomy,
)
from shared.digest.contract import NewTheme
from shared.digest.samples import mask_pii
from shared.errors import Conflict, InvalidInput, NotFound
from shared.themes import grouping
from shared.themes.periods import Period, PeriodKind, period_kind, periods_for_tick
from shared.themes.tagging import analyst_taxonomy, patterns_for
from shared.timezone import IsoWeek

if TYPE_CHECKING:
    from shared.bootstrap import App
    from shared.llm import LlmClient

log = logging.getLogger(__name__)

THEME_CATEGORIES: Final = ("CRÍTICA", "SUGESTÃO", "DÚVIDA")
WEAK_TAGS: Final = ("fix_bug", "feat_lancamento", "api_integracao")
LIST_LIMIT_DEFAULT: Final = 20
LIST_LIMIT_MAX: Final = 100
STATUSES: Final = ("novo", "promovido", "dispensado")

_CANDIDATES_SQL: Final = sa.text(
    """
    SELECT id, texto FROM comments
    WHERE created_at >= :start AND created_at < :end
      AND categoria_final = ANY(CAST(:categories AS text[]))
      AND tags_final <@ CAST(:weak AS text[])
    ORDER BY id
    """
)


@dataclass(frozen=True, slots=True)
class RunOutcome:
    period: Period
    comments: int
    units: int
    themes: int
    kept: int  # themes already decided by an analyst, left as they were
    seconds: float


def _candidates(conn: Connection, period: Period) -> list[grouping.Comment]:
    rows = conn.execute(
        _CANDIDATES_SQL,
        {
            "start": period.start,
            "end": period.end,
            "categories": list(THEME_CATEGORIES),
            "weak": list(WEAK_TAGS),
        },
    ).all()
    return [grouping.Comment(row.id, row.texto) for row in rows]


def run_period(
    engine: Engine, period: Period, zone: tzinfo, *, labeller: Labeller | None = None
) -> RunOutcome:
    """Find and store the themes of one period; returns what was done."""
    started = time.perf_counter()
    with engine.connect() as conn:
        current = _candidates(conn, period)
        previous = _candidates(conn, period.previous(zone))
    found = grouping.group_comments(current)
    earlier = grouping.match_previous(found.themes, previous)
    labels = [labeller(theme) if labeller else None for theme in found.themes]
    with engine.begin() as conn:
        # One run per period at a time: a redelivered tick waits for the first and redoes it.
        conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
            {"key": f"themes:{period.kind}:{period.key}"},
        )
        conn.execute(
            sa.text(
                "DELETE FROM themes WHERE periodo = :kind AND chave = :key AND status = 'novo'"
            ),
            {"kind": period.kind, "key": period.key},
        )
        decided = set(
            conn.execute(
                sa.text("SELECT assinatura FROM themes WHERE periodo = :kind AND chave = :key"),
                {"kind": period.kind, "key": period.key},
            ).scalars()
        )
        stored = 0
        for theme, before, label in zip(found.themes, earlier, labels, strict=True):
            if theme.signature in decided:
                continue
            _insert_theme(conn, period, theme, before, label)
            stored += 1
    outcome = RunOutcome(
        period=period,
        comments=found.comments,
        units=found.units,
        themes=stored,
        kept=len(decided),
        seconds=time.perf_counter() - started,
    )
    log.info(
        "themes found",
        extra={
            "periodo": period.kind,
            "chave": period.key,
            "comments": outcome.comments,
            "units": outcome.units,
            "themes": outcome.themes,
            "kept": outcome.kept,
            "duration_ms": round(outcome.seconds * 1000, 1),
        },
    )
    return outcome


def _insert_theme(
    conn: Connection,
    period: Period,
    theme: grouping.Theme,
    before: Sequence[str],
    label: str | None,
) -> None:
    theme_id = conn.execute(
        sa.text(
            """
            INSERT INTO themes (periodo, chave, inicio, fim, assinatura, nome, palavras, rotulo)
            VALUES (:kind, :key, :start, :end, :signature, :name, :words, :label)
            RETURNING id
            """
        ),
        {
            "kind": period.kind,
            "key": period.key,
            "start": period.start,
            "end": period.end,
            "signature": theme.signature,
            "name": theme.name,
            "words": list(theme.words),
            "label": label,
        },
    ).scalar_one()
    samples = set(theme.sample_ids)
    members = list(theme.member_ids)
    conn.execute(
        sa.text(
            """
            INSERT INTO theme_members (theme_id, comment_id, anterior, amostra)
            SELECT :theme, m.id, m.anterior, m.amostra
            FROM unnest(CAST(:ids AS text[]), CAST(:earlier AS boolean[]),
                        CAST(:samples AS boolean[])) AS m(id, anterior, amostra)
            ON CONFLICT DO NOTHING
            """
        ),
        {
            "theme": theme_id,
            "ids": members + list(before),
            "earlier": [False] * len(members) + [True] * len(before),
            "samples": [i in samples for i in members] + [False] * len(before),
        },
    )


def run_for_tick(app: App, scheduled_time: datetime) -> list[RunOutcome]:
    """A daily tick: the day closed before it, then that day's week."""
    zone = app.settings.product_zone
    labeller = llm_labeller(app.llm) if app.llm is not None else None
    return [
        run_period(app.engine, period, zone, labeller=labeller)
        for period in periods_for_tick(scheduled_time, zone)
    ]


# --- optional label from a language model --------------------------------------------------------

LABEL_DEADLINE_SECONDS: Final = 10.0
_LABEL_SYSTEM: Final = (
    "Você dá nomes curtos (2 a 5 palavras, PT-BR) a temas de comentários de ouvintes de música. "
    'Recebe as palavras distintivas do tema e responde só com JSON {"rotulo": "..."}. '
    "O rótulo deve conter pelo menos uma das palavras recebidas."
)
_LABEL_SCHEMA: Final = {
    "type": "object",
    "properties": {"rotulo": {"type": "string"}},
    "required": ["rotulo"],
    "additionalProperties": False,
}


def llm_labeller(client: LlmClient) -> Labeller:
    """Labels from the configured model; only the theme's words are sent, never listener text."""

    def complete(theme: grouping.Theme) -> object:
        reply = client.complete_json(
            system=_LABEL_SYSTEM,
            user=json.dumps({"palavras": list(theme.words)}, ensure_ascii=False),
            schema_name="rotulo_tema",
            schema=_LABEL_SCHEMA,
            max_tokens=60,
            deadline=client.deadline_in(LABEL_DEADLINE_SECONDS),
        )
        return reply.content.get("rotulo")

    return Labeller(complete)


class Labeller:
    """A short label for a theme from a language model, kept only when it holds one of the
    theme's distinctive words (else the word name stands). Any failure keeps the word name."""

    def __init__(self, complete: Any) -> None:
        self._complete = complete

    def __call__(self, theme: grouping.Theme) -> str | None:
        try:
            answer = self._complete(theme)
        except Exception:  # the model is optional: any failure keeps the word name
            log.warning("theme label not used: the language model failed", exc_info=True)
            return None
        return checked_label(answer, theme.words)


def checked_label(answer: object, words: Sequence[str]) -> str | None:
    """The label when it is short and holds one of `words` (accents and case aside), else None."""
    if not isinstance(answer, str):
        return None
    label = " ".join(answer.split())[:80]
    if not label:
        return None
    normal = " " + " ".join(grouping.normalise_texts([label])[0]) + " "
    for word in words:
        wanted = " ".join(grouping.normalise_texts([word])[0])
        if wanted and f" {wanted} " in normal:
            return label
    return None


# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListQuery:
    kind: PeriodKind
    week: IsoWeek | None
    status: str
    limit: int


def parse_list_query(args: Mapping[str, Sequence[str]]) -> ListQuery:
    """`periodo` (dia|semana, default dia), `semana` (YYYY-Www), `status` (default novo), `limit`."""
    known = {"periodo", "semana", "status", "limit"}
    unknown = sorted(set(args) - known)
    if unknown:
        raise InvalidInput(f"unknown query parameters: {', '.join(unknown)}")
    for name, values in args.items():
        if len(values) != 1:
            raise InvalidInput(f"query parameter {name!r} given more than once")
    one = {name: values[0] for name, values in args.items()}
    kind = period_kind(one.get("periodo", "dia"))
    week = IsoWeek.parse(one["semana"]) if "semana" in one else None
    status = one.get("status", "novo")
    if status not in STATUSES:
        raise InvalidInput(f"status {status!r} is not one of: {', '.join(STATUSES)}")
    raw_limit = one.get("limit", str(LIST_LIMIT_DEFAULT))
    # Length first: int() of thousands of digits is refused by Python itself.
    if (
        not (raw_limit.isdigit() and len(raw_limit) <= 3)
        or not 1 <= int(raw_limit) <= LIST_LIMIT_MAX
    ):
        raise InvalidInput(f"limit {raw_limit!r} must be an integer from 1 to {LIST_LIMIT_MAX}")
    return ListQuery(kind=kind, week=week, status=status, limit=int(raw_limit))


_THEME_ROWS: Final = """
SELECT t.id, t.periodo, t.chave, t.inicio, t.fim, t.nome, t.palavras, t.rotulo, t.status, t.tag,
       t.decided_by, t.decided_at,
       count(*) FILTER (WHERE NOT m.anterior) AS tamanho,
       count(*) FILTER (WHERE m.anterior) AS anterior
FROM themes AS t LEFT JOIN theme_members AS m ON m.theme_id = t.id
"""


def list_themes(engine: Engine, query: ListQuery, zone: tzinfo) -> dict[str, Any]:
    """Themes of the chosen kind (and week), newest period first, largest first."""
    where = ["t.periodo = :kind", "t.status = :status"]
    params: dict[str, Any] = {"kind": query.kind, "status": query.status, "limit": query.limit}
    if query.week is not None:
        start, end = query.week.bounds(zone)
        where.append("t.inicio >= :start AND t.inicio < :end")
        params.update(start=start, end=end)
    statement = sa.text(
        f"""
        {_THEME_ROWS}
        WHERE {" AND ".join(where)}
        GROUP BY t.id
        ORDER BY t.inicio DESC, tamanho DESC, t.id
        LIMIT :limit
        """
    )
    with engine.connect() as conn:
        rows = conn.execute(statement, params).mappings().all()
        samples = _samples(conn, [row["id"] for row in rows])
    return {
        "periodo": query.kind,
        "semana": str(query.week) if query.week else None,
        "status": query.status,
        "temas": [_theme_item(row, samples.get(row["id"], [])) for row in rows],
    }


def _samples(conn: Connection, theme_ids: Sequence[int]) -> dict[int, list[dict[str, str]]]:
    if not theme_ids:
        return {}
    rows = conn.execute(
        sa.text(
            """
            SELECT m.theme_id, c.id, c.texto FROM theme_members AS m
            JOIN comments AS c ON c.id = m.comment_id
            WHERE m.theme_id = ANY(CAST(:ids AS bigint[])) AND m.amostra
            ORDER BY m.theme_id, c.id
            """
        ),
        {"ids": list(theme_ids)},
    ).all()
    found: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        found.setdefault(row.theme_id, []).append({"id": row.id, "texto": mask_pii(row.texto)})
    return found


def _theme_item(row: sa.RowMapping, samples: list[dict[str, str]]) -> dict[str, Any]:
    size, before = int(row["tamanho"]), int(row["anterior"])
    return {
        "id": row["id"],
        "periodo": row["periodo"],
        "chave": row["chave"],
        "inicio": row["inicio"].isoformat(),
        "fim": row["fim"].isoformat(),
        "nome": row["nome"],
        "rotulo": row["rotulo"],
        "palavras": list(row["palavras"]),
        "tamanho": size,
        "anterior": before,
        # Against the previous period's comments that would have joined it; null when none did.
        "crescimento": round((size - before) / before, 4) if before else None,
        "status": row["status"],
        "tag": row["tag"],
        "amostras": [sample["id"] for sample in samples],
        "amostras_texto": samples,
    }


def get_theme(conn: Connection, theme_id: int) -> dict[str, Any]:
    row = (
        conn.execute(sa.text(f"{_THEME_ROWS} WHERE t.id = :id GROUP BY t.id"), {"id": theme_id})
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no theme with id {theme_id}")
    return _theme_item(row, _samples(conn, [theme_id]).get(theme_id, []))


def parse_theme_id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise InvalidInput(f"theme id {raw!r} is not a positive integer")
    return int(raw)


# --- decisions -----------------------------------------------------------------------------------


def _lock_new_theme(conn: Connection, theme_id: int) -> sa.RowMapping:
    row = (
        conn.execute(
            sa.text("SELECT id, status, palavras, nome FROM themes WHERE id = :id FOR UPDATE"),
            {"id": theme_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no theme with id {theme_id}")
    return row


def dismiss_theme(engine: Engine, theme_id: int, *, by: str) -> dict[str, Any]:
    """Mark a theme dismissed (again: nothing changes); a promoted theme stays promoted (409)."""
    with engine.begin() as conn:
        row = _lock_new_theme(conn, theme_id)
        if row["status"] == "promovido":
            raise Conflict(f"theme {theme_id} was promoted to a tag; it cannot be dismissed")
        if row["status"] == "novo":
            conn.execute(
                sa.text(
                    "UPDATE themes SET status = 'dispensado', decided_by = :by, "
                    "decided_at = now() WHERE id = :id"
                ),
                {"id": theme_id, "by": by},
            )
        return get_theme(conn, theme_id)


@dataclass(frozen=True, slots=True)
class Promotion:
    tag: str
    descricao: str | None


def parse_promotion(body: object) -> Promotion:
    if not isinstance(body, dict):
        raise InvalidInput('body must be a JSON object {"tag": "feat_subject"}')
    unknown = sorted(set(body) - {"tag", "descricao"})
    if unknown:
        raise InvalidInput(f"unknown fields: {', '.join(unknown)}")
    tag = body.get("tag")
    if not isinstance(tag, str) or not TAG_PATTERN.match(tag):
        raise InvalidInput(
            "tag must be scope_subject: scope one of feat fix perf ui doc test sec api, "
            "subject one lowercase ASCII word (feat_ingresso)"
        )
    description = body.get("descricao")
    if description is not None and (
        not isinstance(description, str)
        or not 0 < len(description.strip()) <= 200
        or "\x00" in description
    ):
        raise InvalidInput("descricao must be a text of 1 to 200 characters, without NUL")
    return Promotion(tag=tag, descricao=description.strip() if description else None)


# The tag added to the theme's comments and the rollups moved in one statement, as a correction
# moves them: each comment's contribution before (-1) and after (+1).
_APPLY_SQL: Final = f"""
WITH old AS (
    SELECT c.id, {rollups.CONTRIBUTION} FROM comments AS c
    JOIN theme_members AS m ON m.comment_id = c.id AND m.theme_id = :theme AND NOT m.anterior
    WHERE c.categoria <> 'SPAM' AND NOT (:tag = ANY(c.tags_funcionalidades))
    ORDER BY c.id
    FOR UPDATE OF c
),
updated AS (
    UPDATE comments AS c SET
        tags_funcionalidades = ARRAY(
            SELECT DISTINCT t FROM unnest(array_append(c.tags_funcionalidades, :tag)) AS t
            ORDER BY t
        ),
        updated_at = now()
    FROM old WHERE c.id = old.id
    RETURNING c.*
),
{rollups.MOVED},
{rollups.ADD_CHANGED}
SELECT (SELECT count(*) FROM updated) AS tagged, {rollups.WRITTEN}
"""


def promote_theme(
    engine: Engine, theme_id: int, promotion: Promotion, *, by: str
) -> dict[str, Any]:
    """Store the theme's words as the patterns of a new analyst tag and tag its comments."""
    taxonomy = default_taxonomy()
    subject = promotion.tag.split("_", 1)[1]
    if promotion.tag in taxonomy.tags:
        raise Conflict(f"the taxonomy already has {promotion.tag}")
    for spec in taxonomy.specs:
        if spec.subject == subject:
            raise InvalidInput(
                f"subject {subject!r} is {spec.tag} in the taxonomy: same subject, same tag"
            )
    with engine.begin() as conn:
        conn.execute(sa.text("LOCK TABLE analyst_tags IN SHARE ROW EXCLUSIVE MODE"))
        row = _lock_new_theme(conn, theme_id)
        if row["status"] != "novo":
            raise Conflict(f"theme {theme_id} is already {row['status']}")
        existing = conn.execute(sa.text("SELECT tag, descricao, padroes FROM analyst_tags")).all()
        for other in existing:
            if other.tag == promotion.tag:
                raise Conflict(f"tag {promotion.tag} already exists")
            if other.tag.split("_", 1)[1] == subject:
                raise InvalidInput(
                    f"subject {subject!r} is already {other.tag}: same subject, same tag"
                )
        patterns = patterns_for([word for word in row["palavras"] if word != "?"])
        description = promotion.descricao or f"tema: {row['nome']}"
        try:
            analyst_taxonomy(
                [(o.tag, o.descricao, list(o.padroes)) for o in existing]
                + [(promotion.tag, description, patterns)]
            )
        except TaxonomyError as error:
            raise InvalidInput(f"the theme's words do not make a valid tag: {error}") from None
        conn.execute(
            sa.text(
                "INSERT INTO analyst_tags (tag, descricao, padroes, theme_id, created_by) "
                "VALUES (:tag, :descricao, :padroes, :theme, :by)"
            ),
            {
                "tag": promotion.tag,
                "descricao": description,
                "padroes": patterns,
                "theme": theme_id,
                "by": by,
            },
        )
        conn.execute(
            sa.text(
                "UPDATE themes SET status = 'promovido', tag = :tag, decided_by = :by, "
                "decided_at = now() WHERE id = :id"
            ),
            {"id": theme_id, "tag": promotion.tag, "by": by},
        )
        tagged = conn.execute(sa.text(_APPLY_SQL), {"theme": theme_id, "tag": promotion.tag})
        count = int(tagged.scalar_one())
        item = get_theme(conn, theme_id)
    log.info(
        "theme promoted",
        extra={"theme_id": theme_id, "tag": promotion.tag, "by": by, "tagged": count},
    )
    return {**item, "comentarios_marcados": count}


def largest_new_theme(conn: Connection, week: IsoWeek) -> NewTheme | None:
    """The week's largest theme still new, with its size (for the weekly digest)."""
    row = conn.execute(
        sa.text(
            """
            SELECT t.nome, t.palavras, count(*) AS tamanho FROM themes AS t
            JOIN theme_members AS m ON m.theme_id = t.id AND NOT m.anterior
            WHERE t.periodo = 'semana' AND t.chave = :key AND t.status = 'novo'
            GROUP BY t.id ORDER BY tamanho DESC, t.nome LIMIT 1
            """
        ),
        {"key": str(week)},
    ).first()
    if row is None:
        return None
    return {"nome": row.nome, "palavras": list(row.palavras), "tamanho": int(row.tamanho)}
