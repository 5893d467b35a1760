"""How good search is: precision at k over labelled queries (a query and the models a person
looking for it would want).

    P@k(q) = |relevant(q) ∩ top-k(q)| / k

averaged over the queries. A query with fewer than k relevant models cannot reach 1, so the
report also gives the best average any ranker could reach on the same queries (``ideal``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BadInputError

Ranker = Callable[[str], Sequence[str]]  # query text → model ids, best first


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    relevant: frozenset[str]


@dataclass(frozen=True)
class QueryScore:
    query: str
    precision: float
    found: tuple[str, ...]  # the relevant ids in the top k
    top: tuple[str, ...]  # the top k ids


@dataclass(frozen=True)
class Quality:
    k: int
    scores: tuple[QueryScore, ...]
    ideal: float

    @property
    def precision(self) -> float:
        return sum(s.precision for s in self.scores) / len(self.scores)


def load_labelled(path: Path) -> list[LabelledQuery]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    queries = [LabelledQuery(q["query"], frozenset(q["relevant"])) for q in document["queries"]]
    if not queries or any(not q.relevant for q in queries):
        raise BadInputError(f"{path}: every labelled query needs at least one relevant model")
    return queries


def precision_at_k(ranker: Ranker, queries: Sequence[LabelledQuery], k: int = 5) -> Quality:
    scores = []
    for labelled in queries:
        top = tuple(ranker(labelled.query)[:k])
        found = tuple(m for m in top if m in labelled.relevant)
        scores.append(QueryScore(labelled.query, len(found) / k, found, top))
    ideal = sum(min(k, len(q.relevant)) / k for q in queries) / len(queries)
    return Quality(k, tuple(scores), ideal)


def lake_ranker(lake: Any, k: int = 5) -> Ranker:
    """The lake's own search as a ranker (free text only, no filters)."""
    def rank(text: str) -> list[str]:
        return [r["id"] for r in lake.search(text, limit=k)["results"]]
    return rank
