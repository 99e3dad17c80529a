"""Read-only views of a designed blind set's weeks, shared by the sets' own test modules."""

from __future__ import annotations

from typing import Any


class DesignedTables:
    """The stats of each designed week, keyed by ISO week, built once from the set's digests."""

    def __init__(self, digests: list[dict[str, Any]]) -> None:
        self.stats: dict[str, Any] = {d["semana"]: d["stats"] for d in digests}

    def category(self, week: str, name: str) -> dict[str, Any]:
        found: dict[str, Any] = next(
            c for c in self.stats[week]["categorias"] if c["categoria"] == name
        )
        return found

    def shares(self, name: str, weeks: list[str]) -> list[float]:
        return [self.category(week, name)["percentual"] for week in weeks]

    def listed(self, key: str) -> dict[str, list[str]]:
        """The weeks each tag is listed in under `key` (e.g. "criticas_recorrentes")."""
        weeks: dict[str, list[str]] = {}
        for week, stats in self.stats.items():
            for theme in stats[key]:
                weeks.setdefault(theme["tag"], []).append(week)
        return weeks

    def mentions(self, key: str, tag: str, weeks: list[str]) -> list[int]:
        return [next(t["total"] for t in self.stats[w][key] if t["tag"] == tag) for w in weeks]

    def spikes(self) -> dict[str, dict[str, float | None]]:
        return {w: {t["tag"]: t["fator"] for t in s["tags_em_alta"]} for w, s in self.stats.items()}
