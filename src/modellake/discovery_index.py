"""The discovery index: what search, related models and recommendations read, held in memory.

One snapshot of the lake holds every model's searchable text (a BM25 index over it), tasks,
architectures, names and training data, every derivation edge and every data set's
meta-features. It is built by the queries in ``queries/search/`` and cached in the Lake, keyed
on the lake's last write (``search/last-write``: how many write events the lake has recorded
and the latest one's time): a cheap query per call, and a write by any process sharing the
store — a CLI import into the Fuseki a server is reading — makes the next call rebuild it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from rdflib.term import Literal

from .bm25 import BM25Index
from .store.base import Row

if TYPE_CHECKING:
    from .lake import Lake

# How much a word counts in each field (BM25F weights): names and task first, long sections last.
FIELD_WEIGHTS: Final[dict[str, float]] = {
    "title": 3.0, "hub id": 3.0, "task": 2.0, "architecture": 2.0, "keyword": 2.0,
    "algorithm": 2.0, "training data set": 1.5, "description": 1.0, "purpose": 1.0,
    "training data": 1.0, "evaluation": 0.5, "training procedure": 0.5, "limitations": 0.5,
}


@dataclass
class ModelEntry:
    iri: str
    fields: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    tasks: dict[str, str] = field(default_factory=dict)  # task IRI → label
    trained_on: dict[str, str] = field(default_factory=dict)  # data set IRI → title

    @property
    def title(self) -> str | None:
        titles = self.fields.get("title")
        return sorted(titles)[0] if titles else None

    @property
    def architectures(self) -> list[str]:
        return sorted(set(self.fields.get("architecture", [])))

    @property
    def hub_ids(self) -> list[str]:
        return sorted(set(self.fields.get("hub id", [])))


@dataclass(frozen=True)
class DatasetEntry:
    iri: str
    title: str | None
    metafeatures: dict[str, float]  # property IRI → value
    labels: dict[str, str]  # property IRI → label


@dataclass(frozen=True)
class Edge:
    child: str
    relation: str  # local name: fineTunedFrom, …, wasRevisionOf
    parent: str


@dataclass
class DiscoveryIndex:
    models: dict[str, ModelEntry]
    datasets: dict[str, DatasetEntry]
    edges: list[Edge]
    text: BM25Index[str]
    # Derived tables the callers compute once per index (name tokens, meta-feature space).
    memo: dict[str, Any] = field(default_factory=dict)


def build_index(lake: Lake) -> DiscoveryIndex:
    """Read the snapshot from the store (five queries, whatever the size of the lake)."""
    def rows(name: str) -> list[Row]:
        return lake.store.select(lake.catalogue.bind(f"search/{name}"))

    models: dict[str, ModelEntry] = {}
    for r in rows("documents"):
        iri = str(r["model"])
        entry = models.setdefault(iri, ModelEntry(iri))
        name, value = str(r["field"]), str(r["text"])
        entry.fields[name].append(value)
        if name == "task":
            entry.tasks[str(r["ref"])] = value
        elif name == "training data set":
            entry.trained_on[str(r["ref"])] = value
    for r in rows("training-data"):  # models with no searchable text still have training data
        entry = models.setdefault(str(r["model"]), ModelEntry(str(r["model"])))
        entry.trained_on.setdefault(str(r["dataset"]), str(r.get("title") or r["dataset"]))
    values: dict[str, dict[str, float]] = defaultdict(dict)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    titles: dict[str, str | None] = {}
    for r in rows("dataset-metafeatures"):
        iri, prop, value = str(r["dataset"]), str(r["property"]), r["value"]
        titles[iri] = str(r["title"]) if r.get("title") is not None else None
        try:
            number = float(str(value)) if isinstance(value, Literal) else None
        except ValueError:
            number = None
        if number is None or number != number or number in (float("inf"), float("-inf")):
            continue
        values[iri][prop] = number
        labels[iri][prop] = str(r.get("label") or prop.rsplit("#", 1)[-1])
    datasets = {iri: DatasetEntry(iri, titles.get(iri), values[iri], labels[iri])
                for iri in values}
    edges = sorted({Edge(str(r["child"]), str(r["relation"]).rsplit("#", 1)[-1],
                         str(r["parent"])) for r in rows("derivations")},
                   key=lambda e: (e.child, e.relation, e.parent))
    text = BM25Index({iri: m.fields for iri, m in sorted(models.items())}, FIELD_WEIGHTS)
    return DiscoveryIndex(models, datasets, edges, text)


class IndexCache:
    """The current discovery index of one lake, rebuilt when the lake's last write changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[str, ...] | None = None
        self._index: DiscoveryIndex | None = None
        self.builds = 0  # how many times the index was (re)built, for tests and diagnostics

    def get(self, lake: Lake) -> DiscoveryIndex:
        (row,) = lake.store.select(lake.catalogue.bind("search/last-write"))
        key = (str(row.get("writes", "0")), str(row.get("last", "")))
        with self._lock:
            if self._index is None or key != self._key:
                self._index = build_index(lake)
                self._key = key
                self.builds += 1
            return self._index
