"""The lake: the domain layer every client (HTTP API, CLI, Python) goes through.

It registers, reads, replaces and deletes nodes, answers lineage and impact, and runs named and
free SPARQL queries. It talks to the triplestore only through the Store interface and to SPARQL
only through the query catalogue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral

from . import terms
from .catalogue import Catalogue, NamedQuery, default_catalogue
from .discovery_index import DiscoveryIndex, IndexCache
from .errors import (
    BadInputError,
    BindingError,
    ConflictError,
    NotFoundError,
    PreconditionFailedError,
    PreconditionRequiredError,
    UnsafeInputError,
)
from .facets import FACET_GRAPH, write_facets
from .facets import rebuild as rebuild_facets
from .namespaces import ML, RDF
from .registration import (
    PreparedWrite,
    WritePreparer,
    audit_event,
    new_revision,
    replace_graphs,
)
from .settings import Settings
from .store import Store, open_store
from .store.base import QueryResult
from .store.guard import is_update
from .system_graphs import install_system_graphs
from .validation import Finding, Validator
from .vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from .compare import Comparison
    from .ingest import IngestResult
    from .openlineage import IngestResult as LineageEventResult
    from .operations import OperationKind, OperationRecorder
    from .search import SearchFilters
    from .sklearn_capture import CaptureResult

Role = Literal["reader", "writer", "officer", "admin"]
ROLES: Final[tuple[Role, ...]] = ("reader", "writer", "officer", "admin")


@dataclass(frozen=True)
class Principal:
    """Who is asking: the name of a token's holder and its role."""

    name: str
    role: Role


ANONYMOUS: Final = Principal("anonymous", "reader")
LOCAL_USER: Final = Principal("local", "admin")  # the CLI, working on a store it opened itself
# A depth-limited walk fetches all its steps in one request up to this many (a lineage has
# hundreds); a walk with more goes step by step, so a shallow look at a hub stays cheap.
WALK_EDGE_LIMIT: Final = 20_000


@dataclass(frozen=True)
class WriteResult:
    nodes: list[URIRef]
    revision: str
    warnings: list[Finding]
    created: bool = True


class Lake:
    def __init__(
        self, store: Store, settings: Settings, *, catalogue: Catalogue | None = None,
        vocabulary: Vocabulary | None = None, validator: Validator | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.catalogue = catalogue or default_catalogue()
        self.vocabulary = vocabulary or load_vocabulary()
        self.validator = validator or Validator.for_profiles(vocabulary=self.vocabulary)
        self.base_iri = settings.base_iri
        self._preparer = WritePreparer(store, self.catalogue, self.vocabulary, self.validator,
                                       self.base_iri)
        # One writer at a time in this process; the updates themselves are also conditional,
        # so writers in other processes cannot overwrite each other either.
        self._write_lock = threading.Lock()
        # Search, related models and recommendations read this; it is rebuilt after writes.
        self.discovery_cache = IndexCache()
        self._last_event_at: datetime | None = None

    @classmethod
    def open(cls, settings: Settings) -> Lake:
        """Open the store the settings name and install the ontology and shapes graphs."""
        store = open_store(settings)
        install_system_graphs(store)
        return cls(store, settings)

    def close(self) -> None:
        self.store.close()

    # -- identifiers -----------------------------------------------------------------------------
    def node_iri(self, identifier: str) -> URIRef:
        """A local id (minted under the base IRI) or a whole IRI, checked."""
        if "://" in identifier or identifier.startswith("urn:"):
            iri = identifier
        else:
            iri = self.base_iri + identifier
        try:
            return URIRef(terms.check_iri(iri))
        except BindingError as exc:
            raise BadInputError(
                f"{identifier[:120]!r} is not a valid node id or IRI: {exc}") from None

    def local_id(self, node: URIRef | str) -> str:
        text = str(node)
        return text[len(self.base_iri):] if text.startswith(self.base_iri) else text

    # -- writing ---------------------------------------------------------------------------------
    def prepare(self, graph: Graph) -> PreparedWrite:
        """Check a write without storing it (``modellake validate``, dry runs)."""
        return self._preparer.prepare(graph)

    def register(self, graph: Graph, *, principal: Principal = LOCAL_USER) -> WriteResult:
        """Create the nodes the graph describes: all of them, or none (409 if any exists)."""
        with self._write_lock:
            prepared = self._preparer.prepare(graph)
            existing = self._existing(list(prepared.graphs))
            if existing:
                raise ConflictError(
                    f"{len(existing)} node(s) already exist, e.g. <{existing[0]}>; replace a node "
                    f"with PUT (and If-Match) or delete it first", existing,
                )
            return self._create_prepared(prepared, principal)

    def register_missing(
        self, graph: Graph, *, principal: Principal = LOCAL_USER
    ) -> WriteResult | None:
        """Create the nodes of the graph the lake does not hold yet; leave the others alone.

        For shared nodes several writers may name (a data set a model card cites, a task): the
        whole graph is validated, then only the missing nodes are written, in one write.
        """
        with self._write_lock:
            # Drop the nodes already there (and their parts) before the costly checks: an
            # importer sends the same shared nodes again and again.
            typed = {str(s) for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
            there = self._existing(sorted(typed))
            if there:
                heads = tuple(h + sep for h in there for sep in "/#")
                kept = Graph()
                for triple in graph:
                    subject = str(triple[0])
                    if subject not in there and not subject.startswith(heads):
                        kept.add(triple)
                graph = kept
            if not len(graph):
                return None
            prepared = self._preparer.prepare(graph)
            existing = set(self._existing(list(prepared.graphs)))
            missing = {n: g for n, g in prepared.graphs.items() if n not in existing}
            if not missing:
                return None
            return self._create_prepared(replace_graphs(prepared, missing), principal)

    def same_description(self, node: URIRef, graph: Graph) -> bool:
        """Whether writing ``graph`` for ``node`` would store what the lake already holds."""
        prepared = self._preparer.prepare(graph)
        new = prepared.graphs.get(str(node))
        if new is None:
            return False
        return _same_description(self.describe(node), new)

    def replace(
        self, node: URIRef, graph: Graph, *, if_match: str | None,
        principal: Principal = LOCAL_USER,
    ) -> WriteResult:
        """Replace one node's description; creates it if it does not exist yet."""
        with self._write_lock:
            prepared = self._preparer.prepare(graph)
            if list(prepared.graphs) != [str(node)]:
                raise BadInputError(
                    f"a replacement must describe exactly the node <{node}> and nothing else "
                    f"(found: {', '.join('<' + n + '>' for n in prepared.graphs)})"
                )
            current = self.revision(node)
            if current is None:
                if if_match not in (None, "*"):
                    raise PreconditionFailedError(f"<{node}> does not exist (If-Match given)")
                return self._create_prepared(prepared, principal)
            if if_match is None:
                raise PreconditionRequiredError(
                    f"<{node}> exists: send If-Match with the ETag from GET to replace it"
                )
            expected = current if if_match == "*" else if_match
            data = dict(prepared.graphs)
            event_iri, event = self._audit("replace", prepared.graphs, prepared.revision,
                                           principal)
            data[event_iri] = event
            self.store.update(self.catalogue.bind(
                "records/replace-node", {"node": str(node), "expected": expected, "data": data}
            ) + self._facets_update(prepared.graphs, prepared.revision, replaced=[str(node)]))
            if self.revision(node) != prepared.revision:
                raise PreconditionFailedError(
                    f"<{node}> is no longer at revision {expected}: it was changed by another "
                    f"writer; GET it again and retry"
                )
            return WriteResult(prepared.nodes, prepared.revision, prepared.warnings,
                               created=False)

    def upsert(
        self, graph: Graph, *, expected: Mapping[str, str | None] | None = None,
        principal: Principal = LOCAL_USER,
    ) -> WriteResult:
        """Bring the nodes the graph describes into the lake as described, in one write.

        New nodes are created, nodes whose description changed are replaced, nodes stored
        exactly as described are left alone (so importing the same thing twice writes nothing
        the second time). The whole graph is validated as one write. ``expected`` names nodes
        the caller built from what it read: node IRI → the revision it read (None: it found
        no such node); if any of them changed since, PreconditionFailedError and nothing is
        stored. ``created`` in the result is False when nothing had to be written.
        """
        with self._write_lock:
            prepared = self._preparer.prepare(graph)
            current = self._revisions(list(prepared.graphs))
            for node, seen in (expected or {}).items():
                if current.get(node) != seen:
                    raise PreconditionFailedError(
                        f"<{node}> changed while this write was prepared (revision "
                        f"{current.get(node)} instead of {seen}); prepare it again")
            changed: dict[str, Graph] = {}
            for node, node_graph in prepared.graphs.items():
                if node in current and _same_description(
                        self.store.graph(node), node_graph):
                    continue
                changed[node] = node_graph
            if not changed:
                return WriteResult(prepared.nodes, prepared.revision, prepared.warnings,
                                   created=False)
            replaced = {n: current[n] for n in changed if n in current}
            created = [n for n in changed if n not in current]
            data = dict(changed)
            action = "merge" if replaced and created else "replace" if replaced else "create"
            event_iri, event = self._audit(action, changed, prepared.revision, principal)
            data[event_iri] = event
            self.store.update(self.catalogue.bind("records/write-nodes", {
                "created": created, "replaced": list(replaced), "data": data,
                "expected": {n: _revision_graph(n, r) for n, r in replaced.items()},
            }) + self._facets_update(changed, prepared.revision, replaced=list(replaced)))
            first = next(iter(changed))
            if self.revision(first) != prepared.revision:
                raise PreconditionFailedError(
                    f"<{first}> was changed by another writer at the same time; try again")
            return WriteResult([URIRef(n) for n in changed], prepared.revision,
                               prepared.warnings)

    def _revisions(self, nodes: list[str]) -> dict[str, str]:
        """The current revision of each of the nodes that exists."""
        revisions: dict[str, str] = {}
        for start in range(0, len(nodes), 500):
            rows = self.store.select(self.catalogue.bind(
                "records/node-revisions", {"nodes": nodes[start:start + 500]}))
            revisions.update({str(r["node"]): str(r["revision"]) for r in rows})
        return revisions

    def _facets_update(self, written: Mapping[str, Graph], revision: str,
                       replaced: list[str] | None = None) -> str:
        """The update that keeps the evaluation facets (facets.py) in step with a write, to
        send after it in the same request; "" when the write changes no facet."""
        stored: list[str] = []
        for start in range(0, len(replaced or []), 500):
            rows = self.store.select(self.catalogue.bind(
                "records/evaluations-of", {"nodes": (replaced or [])[start:start + 500]}))
            stored.extend(str(row["evaluation"]) for row in rows)
        evaluations, facets = write_facets(written, stored, self._node_graphs)
        if not evaluations:
            return ""
        first = next(iter(written))
        return " ;\n" + self.catalogue.bind("records/replace-facets", {
            "node": first, "revision": revision, "evaluations": evaluations,
            "facets": {FACET_GRAPH: facets}})

    def _node_graphs(self, nodes: list[str]) -> Graph:
        """The stored graphs of the nodes, merged (in batches: a store plans a long VALUES
        list slowly)."""
        batches = [self.store.construct(self.catalogue.bind(
            "records/describe-nodes", {"nodes": nodes[start:start + 500]}))
            for start in range(0, len(nodes), 500)]
        if len(batches) == 1:
            return batches[0]  # the usual case: no copy
        graph = Graph()
        for batch in batches:
            graph += batch
        return graph

    def _create_prepared(self, prepared: PreparedWrite, principal: Principal) -> WriteResult:
        data = dict(prepared.graphs)
        event_iri, event = self._audit("create", prepared.graphs, prepared.revision, principal)
        data[event_iri] = event
        self.store.update(self.catalogue.bind(
            "records/create-nodes", {"graphs": list(prepared.graphs), "data": data}
        ) + self._facets_update(prepared.graphs, prepared.revision))
        first = next(iter(prepared.graphs))
        if self.revision(first) != prepared.revision:
            raise ConflictError(f"<{first}> was created by another writer at the same time",
                                [first])
        return WriteResult(prepared.nodes, prepared.revision, prepared.warnings)

    def delete(
        self, node: URIRef, *, cascade: bool = False, principal: Principal = LOCAL_USER,
        if_match: str | None = None,
    ) -> list[URIRef]:
        """Delete a node; refuse if others depend on it unless ``cascade`` (then delete them)."""
        with self._write_lock:
            current = self.revision(node)
            if current is None:
                raise NotFoundError(f"no node <{node}> in the lake")
            if if_match not in (None, "*") and if_match != current:
                raise PreconditionFailedError(
                    f"<{node}> is no longer at revision {if_match}; GET it again and retry"
                )
            doomed = [str(node)]
            dependents = self.dependents(node)
            if dependents and not cascade:
                names = ", ".join(f"<{d}>" for d in dependents[:5])
                raise ConflictError(
                    f"{len(dependents)} node(s) depend on <{node}> ({names}"
                    f"{' …' if len(dependents) > 5 else ''}); delete them first or ask to cascade",
                    [str(d) for d in dependents],
                )
            if cascade:
                todo = list(dependents)
                while todo:
                    nxt = todo.pop()
                    if str(nxt) not in doomed:
                        doomed.append(str(nxt))
                        todo.extend(self.dependents(nxt))
            revision = new_revision()
            event_iri, event = self._audit("delete", doomed, revision, principal)
            self.store.replace_graphs({event_iri: event}, drop=doomed)
            self.store.update(self.catalogue.bind("records/drop-facets", {"nodes": doomed}))
            return [URIRef(d) for d in doomed]

    def _audit(
        self, action: str, nodes: Mapping[str, Graph] | list[str], revision: str,
        principal: Principal,
    ) -> tuple[str, Graph]:
        # Each write event keeps a snapshot of every graph it stores (history.py reads them),
        # and event times strictly increase within a process so "as at T" is never a tie.
        now = datetime.now(UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        if self._last_event_at is not None and now <= self._last_event_at:
            now = self._last_event_at + timedelta(milliseconds=1)
        self._last_event_at = now
        return audit_event(
            action=action, nodes=list(nodes), revision=revision, principal=principal.name,
            role=principal.role, base_iri=self.base_iri,
            at=now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            snapshots=nodes if isinstance(nodes, Mapping) else None,
        )

    def _existing(self, nodes: list[str]) -> list[str]:
        rows = self.store.select(self.catalogue.bind("records/node-types", {"nodes": nodes}))
        return sorted({str(r["node"]) for r in rows})

    # -- reading ---------------------------------------------------------------------------------
    def revision(self, node: URIRef | str) -> str | None:
        rows = self.store.select(self.catalogue.bind("records/node-revision", {"node": str(node)}))
        return str(rows[0]["revision"]) if rows else None

    def exists(self, node: URIRef | str) -> bool:
        return self.revision(node) is not None

    def describe(self, node: URIRef) -> Graph:
        """The node's own named graph; NotFoundError if there is none."""
        graph = self.store.graph(str(node))
        if len(graph) == 0:
            raise NotFoundError(f"no node <{node}> in the lake")
        return graph

    def types(self, node: URIRef) -> set[URIRef]:
        return {o for o in self.describe(node).objects(node, RDF.type) if isinstance(o, URIRef)}

    def dependents(self, node: URIRef | str) -> list[URIRef]:
        rows = self.store.select(self.catalogue.bind("records/dependents", {"node": str(node)}))
        return [URIRef(str(r["dependent"])) for r in rows]

    def list_nodes(
        self, cls: URIRef, *, text: str = "", limit: int = 50, offset: int = 0,
    ) -> tuple[list[dict[str, str | None]], int]:
        """One page of the nodes of a class, and how many there are in all."""
        if not 1 <= limit <= 1000 or offset < 0:
            raise BadInputError("limit must be between 1 and 1000 and offset at least 0")
        params = {"class": str(cls), "text": text}
        rows = self.store.select(self.catalogue.bind(
            "records/list-nodes", {**params, "limit": limit, "offset": offset}))
        (total,) = self.store.select(self.catalogue.bind("records/count-nodes", params))
        items = [
            {
                "iri": str(r["node"]),
                "id": self.local_id(str(r["node"])),
                "title": str(r["title"]) if "title" in r else None,
                "created": str(r["created"]) if "created" in r else None,
            }
            for r in rows
        ]
        return items, int(total["count"])

    # -- lineage and impact ----------------------------------------------------------------------
    def lineage(self, node: URIRef, *, depth: int | None = None) -> Graph:
        """Everything upstream of the node (data + model + code lineage)."""
        return self._walk(node, "upstream", depth)

    def impact(self, node: URIRef, *, depth: int | None = None) -> Graph:
        """Everything downstream of the node: derived data, models, their evaluations."""
        return self._walk(node, "downstream", depth)

    def _walk(self, node: URIRef, direction: str, depth: int | None) -> Graph:
        if not self.exists(node):
            raise NotFoundError(f"no node <{node}> in the lake")
        if depth is None:
            return self.store.construct(
                self.catalogue.bind(f"lineage/{direction}", {"node": str(node)}))
        if not 0 <= depth <= 100:
            raise BadInputError("depth must be between 0 and 100")
        # Over HTTP one request for all the steps saves a round trip per step. In process,
        # stepping is faster: each step is a few index lookups, while Oxigraph evaluates the
        # unbounded path of the one request ~1.7x slower (measured at 10^4 models).
        reached = None
        if depth > 1 and not self.store.in_process:
            reached = self._reach_by_edges(node, direction, depth)
        if reached is None:
            reached = self._reach_by_steps(node, direction, depth)
        return self._node_graphs(sorted(reached))

    def _reach_by_edges(self, node: URIRef, direction: str, depth: int) -> set[str] | None:
        """The nodes within `depth` steps, from all the steps of the walk fetched in one request
        (a request per step costs a round trip each on a remote store). None when the walk has
        more steps than WALK_EDGE_LIMIT: then stepping is cheaper than fetching them all."""
        rows = self.store.select(self.catalogue.bind(
            f"lineage/{direction}-edges", {"node": str(node), "limit": WALK_EDGE_LIMIT + 1}))
        if len(rows) > WALK_EDGE_LIMIT:
            return None
        following: dict[str, list[str]] = {}
        for row in rows:
            following.setdefault(str(row["from"]), []).append(str(row["to"]))
        seen = {str(node)}
        frontier = [str(node)]
        for _ in range(depth):
            frontier = list(dict.fromkeys(
                n for here in frontier for n in following.get(here, ()) if n not in seen))
            if not frontier:
                break
            seen.update(frontier)
        return seen

    def _reach_by_steps(self, node: URIRef, direction: str, depth: int) -> set[str]:
        """The nodes within `depth` steps, one request per step."""
        seen = {str(node)}
        frontier = [str(node)]
        for _ in range(depth):
            rows = self.store.select(self.catalogue.bind(
                f"lineage/{direction}-step", {"frontier": frontier}))
            frontier = sorted({str(r["next"]) for r in rows} - seen)
            if not frontier:
                break
            seen.update(frontier)
        return seen

    def family(self, model: URIRef) -> dict[str, Any]:
        """Ancestors, descendants and siblings of a model through the derivation relations,
        each with its title, stage and training data, and the edges among them."""
        if ML.Model not in self.types(model):
            raise NotFoundError(f"<{model}> is not a model")
        rows = self.store.select(self.catalogue.bind("family/members", {"model": str(model)}))
        members: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:
            key = (str(row["relation"]), str(row["member"]))
            item = members.setdefault(key, {
                "iri": key[1], "id": self.local_id(key[1]),
                "title": str(row["title"]) if "title" in row else None,
                "stage": str(row["stage"]).rsplit("#", 1)[-1] if "stage" in row else None,
                "trained_on": []})
            if "trainedOn" in row:
                item["trained_on"].append(str(row["trainedOn"]))
        everyone = sorted({str(model), *(iri for _, iri in members)})
        edges = self.store.select(self.catalogue.bind("family/edges", {"models": everyone}))
        result: dict[str, Any] = {"model": str(model)}
        for relation in ("ancestor", "descendant", "sibling"):
            result[relation + "s"] = [v for (r, _), v in sorted(members.items()) if r == relation]
        result["edges"] = sorted(
            ({"child": str(e["child"]), "relation": str(e["relation"]).rsplit("#", 1)[-1],
              "parent": str(e["parent"])} for e in edges),
            key=lambda e: (e["parent"], e["child"]))
        return result

    def family_lineage(self, model: URIRef) -> Graph:
        """The family's members with the whole upstream lineage of each: data, code, bases."""
        family = self.family(model)
        graph = self.lineage(model)
        for member in family["descendants"] + family["siblings"]:
            graph += self.lineage(URIRef(member["iri"]))
        return graph

    # -- queries ---------------------------------------------------------------------------------
    def named_queries(self) -> list[NamedQuery]:
        return [self.catalogue.get(n) for n in self.catalogue.names()]

    def run_named_query(
        self, name: str, params: Mapping[str, object], *, limit: int | None = None,
    ) -> QueryResult:
        query = self.catalogue.get(name)
        if query.internal or query.is_update:
            raise BadInputError(f"{name!r} is not a named query clients may run")
        text = self.catalogue.bind(name, params)
        return self.store.query(text, limit=limit or self.settings.sparql_result_limit)

    def sparql(self, query: str, *, limit: int | None = None) -> QueryResult:
        """A read-only SPARQL query for governance officers: no updates, no SERVICE."""
        if is_update(query):
            raise UnsafeInputError(
                "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP …) "
                "is refused; register data through the API instead"
            )
        return self.store.query(query, limit=limit or self.settings.sparql_result_limit)

    # -- capture by the tools (see ingest.py, operations.py, sklearn_capture.py) ---------------
    def ingest(self, path: str | Path, **options: Any) -> IngestResult:
        """Read a CSV, Parquet or JSON-lines file and register it as an ingested data set."""
        from .ingest import ingest

        return ingest(self, path, **options)

    def operation(self, kind: OperationKind, **options: Any) -> OperationRecorder:
        """Record a processing operation as it runs: ``with lake.operation("cleaning", …)``."""
        from .operations import record_operation

        return record_operation(self, kind, **options)

    def register_sklearn(self, estimator: Any, **options: Any) -> CaptureResult:
        """Cross-validate, fit and register a scikit-learn estimator with all its metadata."""
        from .sklearn_capture import register_sklearn

        return register_sklearn(self, estimator, **options)

    def record_openlineage(
        self, event: bytes | str | Mapping[str, Any], *, principal: Principal = LOCAL_USER,
    ) -> LineageEventResult:
        """Record one OpenLineage run event: its job, run and data sets (see openlineage.py)."""
        from .openlineage import ingest_event

        return ingest_event(self, event, principal=principal)

    def compare(self, models: list[str]) -> Comparison:
        """Algorithms, hyperparameters, training data and metrics of models, side by side."""
        from .compare import compare_models

        return compare_models(self, [self.node_iri(m) for m in models])

    # -- discovery (see search.py, discovery.py) ------------------------------------------------
    def discovery_index(self) -> DiscoveryIndex:
        """The in-memory index search reads, current as of the lake's last write."""
        return self.discovery_cache.get(self)

    def search(
        self, text: str = "", filters: SearchFilters | None = None, *, limit: int = 10,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Models ranked by free text (BM25) among those passing the structured filters."""
        from .search import search_models

        return search_models(self, text, filters, limit=limit, offset=offset)

    def related_models(self, model: str, *, limit: int = 10) -> dict[str, Any]:
        """Models sharing training data, ancestry, task, architecture or name, with reasons."""
        from .discovery import related_models

        return related_models(self, model, limit=limit)

    def similar_datasets(self, dataset: str, *, limit: int = 10) -> dict[str, Any]:
        """Data sets ranked by the distance of their normalised meta-feature vectors."""
        from .discovery import similar_datasets

        return similar_datasets(self, dataset, limit=limit)

    def recommended_models(self, dataset: str, **options: Any) -> dict[str, Any]:
        """Models trained on the data sets nearest to this one by meta-features, with reasons."""
        from .discovery import recommended_models

        return recommended_models(self, dataset, **options)

    # -- derived indexes -------------------------------------------------------------------------
    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the evaluation facets (facets.py) from the node graphs: after a bulk load,
        which writes none, or a restore from a dump taken elsewhere. Writes wait meanwhile.
        Returns the number of facets."""
        with self._write_lock:
            return rebuild_facets(self.store, progress=progress)

    # -- summary ---------------------------------------------------------------------------------
    def summary(self) -> dict[str, int]:
        """How many nodes of each core class the lake holds."""
        counts: dict[str, int] = {}
        for name in ("DataSource", "Dataset", "Operation", "Model", "Evaluation",
                     "HyperparameterSet", "Code", "User"):
            _, total = self.list_nodes(ML[name], limit=1)
            counts[name] = total
        return counts


def _revision_graph(node: str, revision: str) -> Graph:
    graph = Graph()
    graph.add((URIRef(node), ML.revision, RDFLiteral(revision)))
    return graph


def _same_description(stored: Graph, new: Graph) -> bool:
    """Whether two descriptions of a node say the same, whatever their revisions; literals are
    compared by value, since a store may write a number or a date in its canonical form."""
    def facts(graph: Graph) -> set[tuple[object, object, object]]:
        return {(s, p, _value_key(o)) for s, p, o in graph if p != ML.revision}

    return facts(stored) == facts(new)


def _value_key(term: object) -> object:
    if isinstance(term, RDFLiteral) and term.datatype is not None and term.value is not None:
        return ("value", str(term.datatype), term.value)
    return term
