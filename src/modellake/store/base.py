"""The Store interface: the only door to a triplestore.

Both implementations take the same SPARQL text and answer with the same rdflib terms, so the
layers above never know which store they talk to. Queries see the union of all named graphs as
their default graph; every write goes to named graphs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from ..catalogue import Catalogue, default_catalogue

Row = dict[str, Identifier]
Quad = tuple[Identifier, Identifier, Identifier, Identifier]  # s, p, o, g

StoreKind = TypingLiteral["embedded", "sparql"]
QueryForm = TypingLiteral["SELECT", "ASK", "CONSTRUCT"]


@dataclass
class QueryResult:
    """The answer to any query: solutions, a boolean, or a graph (CONSTRUCT and DESCRIBE)."""

    form: QueryForm
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False  # more solutions or triples existed than the limit let through


class Store(ABC):
    """A SPARQL 1.1 dataset of named graphs."""

    kind: StoreKind
    # True when a request costs no round trip (an in-process store): callers may then prefer
    # several small indexed queries to one big one; over HTTP each request costs milliseconds.
    in_process: bool = False

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or default_catalogue()

    # -- reading -----------------------------------------------------------------------------
    @abstractmethod
    def select(self, query: str) -> list[Row]:
        """Run a SELECT query; one dict per solution, unbound variables left out."""

    @abstractmethod
    def ask(self, query: str) -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, query: str) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query."""

    @abstractmethod
    def query(self, query: str, *, limit: int | None = None) -> QueryResult:
        """Run a query of any form; keep at most ``limit`` solutions or triples."""

    # -- writing -----------------------------------------------------------------------------
    @abstractmethod
    def update(self, update: str) -> None:
        """Run a SPARQL Update request as one transaction."""

    @abstractmethod
    def load_graph(self, graph_iri: str, graph: Graph) -> None:
        """Add the triples of ``graph`` to the named graph ``graph_iri`` (one transaction)."""

    def replace_graphs(self, graphs: Mapping[str, Graph], drop: Iterable[str] = ()) -> None:
        """Atomically: empty ``drop`` and every graph in ``graphs``, then write ``graphs``.

        One SPARQL Update request, so all of it happens or none of it does.
        """
        emptied = list(dict.fromkeys([*drop, *graphs]))
        text = self.catalogue.bind(
            "store/replace-graphs", {"graphs": emptied, "data": dict(graphs)}
        )
        self.update(text)

    def replace_graph(self, graph_iri: str, graph: Graph) -> None:
        self.replace_graphs({graph_iri: graph})

    def drop_graph(self, graph_iri: str) -> None:
        self.replace_graphs({}, drop=[graph_iri])

    @abstractmethod
    def bulk_load(self, data: bytes, *, format: str = "application/n-quads") -> None:
        """Load a large N-Quads (or TriG) document by the store's own fast path."""

    @abstractmethod
    def bulk_load_file(self, path: Path, *, format: str = "application/n-quads") -> None:
        """Load an N-Quads (or TriG) file of any size by the store's own fast path, streaming it
        (never holding the whole file in memory); a name ending in .gz is read through gzip.
        Not validated: for dumps the lake wrote. Writes no derived index: run Lake.reindex
        after it."""

    # -- helpers built on the primitives ------------------------------------------------------
    def count(self, graph_iri: str | None = None) -> int:
        """Triples in one named graph, or in all named graphs together."""
        if graph_iri is None:
            rows = self.select(self.catalogue.bind("store/count-quads"))
        else:
            rows = self.select(self.catalogue.bind("store/count-graph", {"graph": graph_iri}))
        value = rows[0]["count"] if rows else Literal(0)
        return int(value) if isinstance(value, Literal) else 0

    def graph(self, graph_iri: str) -> Graph:
        """The content of one named graph."""
        return self.construct(self.catalogue.bind("store/graph-triples", {"graph": graph_iri}))

    def has_graph(self, graph_iri: str) -> bool:
        return self.ask(self.catalogue.bind("store/graph-exists", {"graph": graph_iri}))

    def graphs(self) -> dict[str, int]:
        """Every non-empty named graph with its number of triples."""
        rows = self.select(self.catalogue.bind("store/list-graphs"))
        return {str(r["g"]): int(r["triples"]) for r in rows}

    def quads(self) -> set[Quad]:
        """Every quad in the named graphs (for dumps and before/after comparisons)."""
        rows = self.select(self.catalogue.bind("store/all-quads"))
        return {(r["s"], r["p"], r["o"], r["g"]) for r in rows}

    def ping(self) -> None:
        """Raise unless the store answers a real query."""
        self.ask(self.catalogue.bind("store/ping"))

    def close(self) -> None:  # noqa: B027 - optional for implementations
        """Release the store's resources."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def as_graph_iri(value: str | URIRef) -> str:
    return str(value)
