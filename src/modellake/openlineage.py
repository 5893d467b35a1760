"""OpenLineage ingest: run events from any OpenLineage client become lake nodes and lineage.

An OpenLineage *RunEvent* says that a run of a job (``job.namespace`` + ``job.name``) started,
is running, completed, failed or was aborted (``eventType``; events without one only add facts),
and which data sets it read (``inputs``) and wrote (``outputs``). The lake keeps:

- the **job** as an ``ml:Job`` (title, namespace, name, description, owners, code); once its runs
  have read and written data sets it is also an ``ml:Processing`` operation that
  ``prov:used`` every input and ``prov:generated`` every output seen so far;
- each **run** as an ``ml:JobRun`` (``ml:runOf`` its job, run id, state, start and end times,
  its own inputs and outputs, the error of a failed run, the producer, who reported it). A run's
  several events update this one node;
- each **data set** (namespace + name; with a ``version`` facet, one node per version,
  ``prov:wasRevisionOf`` the version before) as an ``ml:Dataset``: title = name, location =
  ``namespace/name``, ``dct:created`` = the time of the first event that named it, owners from
  its ``ownership`` facet, else the job's, else the token holder; ``schema`` → ``ml:Feature``
  parts, ``documentation`` → description, ``dataSource`` → an ``ml:DataSource`` it was
  ``ml:ingestedFrom``; outputs ``prov:wasGeneratedBy`` the job (a version: the run);
- ``sourceCodeLocation`` (with the hash of ``sourceCode``) → an ``ml:Code`` the job is
  ``ml:implementedBy``; owners (``user:``, ``team:`` …) and the token holder → agents.

Every event is one validated write (``Lake.upsert``): all of it or nothing. Facets the lake has
no terms for are ignored. Node ids are minted from the OpenLineage names (a slug and a hash), so
names with ``/``, ``:``, quotes or any script give safe IRIs, and the same name the same node.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from rdflib import Graph, Namespace, URIRef
from rdflib import Literal as RDFLiteral

from .errors import BadInputError, ConflictError, PreconditionFailedError
from .importing import agent, mint, only_missing, when
from .lake import LOCAL_USER, Lake, Principal
from .namespaces import DCAT, DCTERMS, ML, PROV, RDF
from .typed_records import _segment
from .vocabulary import Vocabulary

DCAT3: Final = Namespace(str(DCAT))  # rdflib's closed DCAT namespace lacks dcat:version
ORIGIN: Final = "openlineage"
RETRIES: Final = 3  # a write that raced another writer is prepared again this many times
MAX_NAME: Final = 1000
MAX_TEXT: Final = 100_000
MAX_DATASETS: Final = 1000
MAX_FIELDS: Final = 2000
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

EventType = Literal["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"]
STATES: Final[dict[str, URIRef]] = {
    "START": ML.RunStarted, "RUNNING": ML.RunRunning, "COMPLETE": ML.RunCompleted,
    "FAIL": ML.RunFailed, "ABORT": ML.RunAborted,
}
_ENDED: Final = frozenset({ML.RunCompleted, ML.RunFailed, ML.RunAborted})
_SOURCE_KINDS: Final = [
    (("file", "s3", "s3a", "s3n", "gs", "gcs", "hdfs", "abfs", "abfss", "wasb", "wasbs", "dbfs"),
     ML.FileSource),
    (("postgres", "postgresql", "mysql", "mariadb", "sqlserver", "mssql", "oracle", "redshift",
      "snowflake", "bigquery", "db2", "teradata", "trino", "presto", "hive", "jdbc", "sqlite",
      "clickhouse", "databricks", "athena", "mongodb", "cassandra"), ML.DatabaseSource),
    (("kafka", "kinesis", "pubsub", "pulsar", "eventhubs"), ML.StreamSource),
    (("http", "https"), ML.APISource),
]


class EventSchemaError(BadInputError):
    """The body is JSON but not an OpenLineage run event the lake can read (422)."""


# -- the event, as far as the lake reads it ---------------------------------------------------

def _no_controls(value: str) -> str:
    if _CONTROLS.search(value):
        raise ValueError("control characters (newline, NUL …) are not allowed in a name")
    return _no_surrogates(value)


def _no_surrogates(value: str) -> str:
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ValueError("lone surrogate code points cannot be stored")
    if _TEXT_CONTROLS.search(value):
        raise ValueError("control characters other than tab and newline are not allowed")
    return value


Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME),
                 AfterValidator(_no_controls)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_no_surrogates)]


def _text_only(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time text with a time zone")
    return value


def _run_id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError("run.runId must be a UUID") from None


class _Lenient(BaseModel):
    # Other fields and unknown facets are allowed, as OpenLineage is extended by facets.
    model_config = ConfigDict(extra="allow")


class Facets(_Lenient):
    pass


class Run(_Lenient):
    runId: Annotated[str, AfterValidator(_run_id)]
    facets: dict[str, Any] = {}


class Job(_Lenient):
    namespace: Name
    name: Name
    facets: dict[str, Any] = {}


class DatasetRef(_Lenient):
    namespace: Name
    name: Name
    facets: dict[str, Any] = {}


class RunEvent(_Lenient):
    eventType: EventType | None = None
    eventTime: Annotated[AwareDatetime, BeforeValidator(_text_only)]
    run: Run
    job: Job
    inputs: list[DatasetRef] = []
    outputs: list[DatasetRef] = []
    producer: Annotated[str, StringConstraints(max_length=2000),
                        AfterValidator(_no_controls)] | None = None


# Facets the lake maps (others are ignored); each is checked only when present.
class _SchemaField(_Lenient):
    name: Name
    type: Text | None = None
    description: Text | None = None
    fields: list[_SchemaField] = []


class SchemaFacet(_Lenient):
    fields: list[_SchemaField] = []


class DataSourceFacet(_Lenient):
    name: Text | None = None
    uri: Annotated[str, StringConstraints(max_length=4000),
                   AfterValidator(_no_controls)] | None = None


class DocumentationFacet(_Lenient):
    description: Text


class _Owner(_Lenient):
    name: Name
    type: Text | None = None


class OwnershipFacet(_Lenient):
    owners: list[_Owner] = []


class VersionFacet(_Lenient):
    datasetVersion: Name


class SourceCodeLocationFacet(_Lenient):
    type: Text | None = None
    url: Annotated[str, StringConstraints(min_length=1, max_length=4000),
                   AfterValidator(_no_controls)]
    repoUrl: Annotated[str, StringConstraints(max_length=4000),
                       AfterValidator(_no_controls)] | None = None
    path: Name | None = None
    version: Name | None = None


class SourceCodeFacet(_Lenient):
    language: Text | None = None
    sourceCode: Text


class ErrorMessageFacet(_Lenient):
    message: Text


_EVENT = TypeAdapter(RunEvent)


def parse_event(body: bytes | str | Mapping[str, Any]) -> RunEvent:
    """The run event in ``body`` (JSON text or an already decoded object), checked.

    BadInputError (400) for text that is not JSON; EventSchemaError (422) for JSON that is not
    a run event, naming the first field that is wrong or missing."""
    if isinstance(body, bytes | str):
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise BadInputError(f"the body is not JSON: {exc}") from None
    else:
        data = body
    if not isinstance(data, dict):
        raise EventSchemaError("an OpenLineage event is a JSON object")
    if "run" not in data and ("dataset" in data or "job" in data):
        raise EventSchemaError(
            "the event has no run: the lake takes OpenLineage run events (with run.runId); "
            "static lineage (DatasetEvent, JobEvent) is not supported")
    try:
        return _EVENT.validate_python(data)
    except ValidationError as exc:
        raise EventSchemaError(_describe(exc)) from None
    except RecursionError:
        raise EventSchemaError("the event is nested too deeply") from None


def _describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    if first["type"] == "missing":
        return f"the event lacks {where}, which an OpenLineage run event needs"
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def _facet(facets: Mapping[str, Any], key: str, model: type[_Lenient], where: str,
           ) -> _Lenient | Literal["deleted"] | None:
    """A known facet, checked; None when absent, "deleted" when the event deletes it."""
    raw = facets.get(key)
    if raw is None:
        return None
    if isinstance(raw, dict) and raw.get("_deleted") is True:
        return "deleted"
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise EventSchemaError(f"{where}.facets.{key}: {_describe(exc)}") from None


# -- the ingest ---------------------------------------------------------------------------------

@dataclass
class IngestResult:
    """What one event did: the run, its job and data sets, and which nodes were written."""

    run: URIRef
    job: URIRef
    inputs: list[URIRef]
    outputs: list[URIRef]
    written: list[URIRef]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"run": str(self.run), "job": str(self.job),
                "inputs": [str(d) for d in self.inputs], "outputs": [str(d) for d in self.outputs],
                "written": [str(n) for n in self.written], "notes": self.notes}


def ingest_event(
    lake: Lake, body: bytes | str | Mapping[str, Any], *, principal: Principal = LOCAL_USER,
) -> IngestResult:
    """Record one OpenLineage run event (see the module docstring); one write, or none."""
    event = parse_event(body)
    if len(event.inputs) + len(event.outputs) > MAX_DATASETS:
        raise EventSchemaError(f"the event names more than {MAX_DATASETS} data sets")
    for attempt in range(RETRIES):
        mapping = _Mapping(lake, event, principal)
        graph = mapping.graph()
        try:
            result = lake.upsert(graph, expected=mapping.expected, principal=principal)
        except PreconditionFailedError:
            if attempt == RETRIES - 1:
                raise
            continue  # another writer changed the run, job or a data set: read them again
        return IngestResult(mapping.run, mapping.job, mapping.inputs, mapping.outputs,
                            result.nodes if result.created else [], mapping.notes)
    raise AssertionError("unreachable")  # pragma: no cover


class _Mapping:
    """One event's nodes, built on what the lake already holds about them."""

    def __init__(self, lake: Lake, event: RunEvent, principal: Principal) -> None:
        self.lake, self.event, self.principal = lake, event, principal
        self.vocabulary: Vocabulary = lake.vocabulary
        self.expected: dict[str, str | None] = {}
        self.notes: list[str] = []
        self.shared: list[tuple[URIRef, Graph]] = []  # agents, code, sources: created once
        self.at = when(event.eventTime)
        self.reporter, reporter_graph = agent(
            lake, principal.name, origin=ORIGIN,
            description="Holder of a token that reports OpenLineage events to the lake")
        self.shared.append((self.reporter, reporter_graph))
        job = event.job
        self.job = lake.node_iri(mint("job", job.name, job.namespace, job.name))
        self.run = lake.node_iri(f"run-{event.run.runId}")
        self.inputs: list[URIRef] = []
        self.outputs: list[URIRef] = []

    def _stored(self, node: URIRef, cls: URIRef, marker: URIRef) -> Graph:
        """The node's description as its writer wrote it (without the closure the lake
        added), noting the revision it was read at; empty for a new node."""
        revision = self.lake.revision(node)
        self.expected[str(node)] = revision
        if revision is None:
            return Graph()
        stored = self.lake.describe(node)
        if (node, RDF.type, cls) not in stored or (node, marker, None) not in stored:
            raise ConflictError(
                f"<{node}> is in the lake but was not recorded from OpenLineage as a "
                f"{str(cls).rsplit('#', 1)[-1]}; it is left as it is", [str(node)])
        return _unclose(self.vocabulary, stored)

    def graph(self) -> Graph:
        event = self.event
        job = self._stored(self.job, ML.Job, ML.lineageNamespace)
        owners = self._owners(event.job.facets, "job")
        stored_owners = [o for o in job.objects(self.job, ML.owner) if isinstance(o, URIRef)]
        dataset_owners = owners or (stored_owners if owners is None else []) or [self.reporter]
        datasets: dict[URIRef, Graph] = {}
        versions: dict[tuple[str, str], URIRef] = {}
        for i, ref in enumerate(event.inputs):
            self.inputs.append(self._dataset(ref, dataset_owners, None, versions, datasets,
                                             f"inputs.{i}"))
        for i, ref in enumerate(event.outputs):
            self.outputs.append(self._dataset(ref, dataset_owners, self.job, versions, datasets,
                                              f"outputs.{i}"))
        g = Graph()
        for description in datasets.values():
            g += description
        g += self._job(job, owners)
        g += self._run()
        g += only_missing(self.lake, self.shared)
        return g

    # -- the job -----------------------------------------------------------------------------
    def _job(self, g: Graph, owners: list[URIRef] | None) -> Graph:
        job, facets, node = self.event.job, self.event.job.facets, self.job
        _set(g, node, DCTERMS.title, RDFLiteral(job.name))
        _set(g, node, ML.lineageNamespace, RDFLiteral(job.namespace))
        _set(g, node, ML.lineageName, RDFLiteral(job.name))
        g.add((node, RDF.type, ML.Job))
        g.add((node, PROV.wasAssociatedWith, self.reporter))
        for used in self.inputs:
            g.add((node, PROV.used, used))
        for generated in self.outputs:
            g.add((node, PROV.generated, generated))
        if (node, PROV.used, None) in g and (node, PROV.generated, None) in g:
            g.add((node, RDF.type, ML.Processing))
        _describe_with(g, node, _facet(facets, "documentation", DocumentationFacet, "job"))
        if owners is not None:
            _replace(g, node, ML.owner, owners)
        code = self._code()
        if code is not None:
            _replace(g, node, ML.implementedBy, [code] if code != "deleted" else [])
        return g

    def _code(self) -> URIRef | Literal["deleted"] | None:
        facets = self.event.job.facets
        location = _facet(facets, "sourceCodeLocation", SourceCodeLocationFacet, "job")
        source = _facet(facets, "sourceCode", SourceCodeFacet, "job")
        if location == "deleted":
            return "deleted"
        if location is None:
            if isinstance(source, SourceCodeFacet):
                self.notes.append(
                    "the job's sourceCode facet was not recorded: without a sourceCodeLocation "
                    "it does not say where the code is, which a code record needs")
            return None
        assert isinstance(location, SourceCodeLocationFacet)
        title = (location.path or location.url).rstrip("/").rsplit("/", 1)[-1] \
            or self.event.job.name
        digest = None
        if isinstance(source, SourceCodeFacet):
            digest = "sha256:" + hashlib.sha256(source.sourceCode.encode()).hexdigest()
        node = self.lake.node_iri(mint("code", title, location.url, location.repoUrl or "",
                                       location.path or "", location.version or "",
                                       digest or ""))
        g = Graph()
        g.add((node, RDF.type, ML.Code))
        g.add((node, DCTERMS.title, RDFLiteral(title)))
        g.add((node, ML.sourceCodeURL, RDFLiteral(location.url)))
        for prop, value in ((ML.repository, location.repoUrl), (ML.filePath, location.path),
                            (ML.commit, location.version), (ML.contentHash, digest)):
            if value:
                g.add((node, prop, RDFLiteral(value)))
        self.shared.append((node, g))
        return node

    # -- the run -----------------------------------------------------------------------------
    def _run(self) -> Graph:
        event, node = self.event, self.run
        g = self._stored(node, ML.JobRun, ML.runId)
        bound = g.value(node, ML.runOf)
        if bound is not None and bound != self.job:
            raise ConflictError(
                f"run {event.run.runId} belongs to another job (<{bound}>), not to "
                f"{event.job.namespace}/{event.job.name}", [str(node)])
        g.add((node, RDF.type, ML.JobRun))
        _set(g, node, DCTERMS.title, RDFLiteral(f"Run of {event.job.name}"))
        _set(g, node, ML.runOf, self.job)
        _set(g, node, ML.runId, RDFLiteral(event.run.runId))
        g.add((node, PROV.wasAssociatedWith, self.reporter))
        if event.producer:
            _set(g, node, ML.producer, RDFLiteral(event.producer))
        for used in self.inputs:
            g.add((node, PROV.used, used))
        for generated in self.outputs:
            g.add((node, PROV.generated, generated))
        state = STATES.get(event.eventType or "")
        current = g.value(node, ML.runState)
        ended = g.value(node, PROV.endedAtTime)
        if state == ML.RunStarted:
            started = g.value(node, PROV.startedAtTime)
            if started is None or _later(started, self.at):
                _set(g, node, PROV.startedAtTime, self.at)
        if state in _ENDED:
            # A run ends once: a later end (a retried FAIL, a COMPLETE after an ABORT) wins.
            if ended is None or not _later(ended, self.at):
                _set(g, node, PROV.endedAtTime, self.at)
                _set(g, node, ML.runState, state)
        elif state is not None and current not in _ENDED:
            _set(g, node, ML.runState, state)
        error = _facet(event.run.facets, "errorMessage", ErrorMessageFacet, "run")
        if isinstance(error, ErrorMessageFacet):
            _set(g, node, ML.errorMessage, RDFLiteral(error.message))
        return g

    # -- data sets ---------------------------------------------------------------------------
    def _dataset(
        self, ref: DatasetRef, default_owners: list[URIRef], generator: URIRef | None,
        previous_versions: dict[tuple[str, str], URIRef], datasets: dict[URIRef, Graph],
        where: str,
    ) -> URIRef:
        """The data set's node; its description, built on the stored one, in ``datasets``."""
        facets = ref.facets
        version = _facet(facets, "version", VersionFacet, where)
        label = version.datasetVersion if isinstance(version, VersionFacet) else None
        keys = (ref.namespace, ref.name) + ((label,) if label is not None else ())
        node = self.lake.node_iri(mint("dataset", ref.name, *keys))
        if node in datasets:  # named twice in one event (e.g. read and written)
            g = datasets[node]
            new = (node, PROV.wasRevisionOf, None) not in g and str(node) not in \
                {k for k, v in self.expected.items() if v is not None}
        else:
            g = datasets[node] = self._stored(node, ML.Dataset, ML.lineageNamespace)
            new = len(g) == 0
        g.add((node, RDF.type, ML.Dataset))
        _set(g, node, DCTERMS.title, RDFLiteral(ref.name))
        _set(g, node, ML.lineageNamespace, RDFLiteral(ref.namespace))
        _set(g, node, ML.lineageName, RDFLiteral(ref.name))
        _set(g, node, ML.storageLocation, RDFLiteral(_location(ref.namespace, ref.name)))
        if (node, DCTERMS.created, None) not in g:
            g.add((node, DCTERMS.created, self.at))
        owners = self._owners(facets, where)
        if owners:
            _replace(g, node, ML.owner, owners)
        elif owners is not None or (node, ML.owner, None) not in g:
            _replace(g, node, ML.owner, default_owners)  # a data set always has an owner
        _describe_with(g, node, _facet(facets, "documentation", DocumentationFacet, where))
        schema = _facet(facets, "schema", SchemaFacet, where)
        if schema is not None:
            _drop_parts(g, node, "/feature/")
            g.remove((node, ML.hasFeature, None))
            if isinstance(schema, SchemaFacet):
                g += _features(node, schema)
        source = _facet(facets, "dataSource", DataSourceFacet, where)
        if source is not None:
            _replace(g, node, ML.ingestedFrom, [] if source == "deleted" else
                     [self._source(ref, source)])  # type: ignore[arg-type]
        if label is not None:
            _set(g, node, DCAT3.version, RDFLiteral(label))
            if generator is not None:
                generator = self.run  # a version is written by one run
            if new:
                before = previous_versions.get((ref.namespace, ref.name)) or self._latest(ref)
                if before is not None and before != node:
                    g.add((node, PROV.wasRevisionOf, before))
            previous_versions[(ref.namespace, ref.name)] = node
        if generator is not None:
            g.add((node, PROV.wasGeneratedBy, generator))
        return node

    def _latest(self, ref: DatasetRef) -> URIRef | None:
        rows = self.lake.store.select(self.lake.catalogue.bind(
            "openlineage/latest-dataset-version",
            {"namespace": ref.namespace, "name": ref.name}))
        return URIRef(str(rows[0]["dataset"])) if rows else None

    def _source(self, ref: DatasetRef, facet: DataSourceFacet) -> URIRef:
        if not facet.uri:
            raise EventSchemaError(
                f"the dataSource facet of data set {ref.namespace}/{ref.name} has no uri: a "
                f"data source needs a location")
        title = facet.name or facet.uri
        node = self.lake.node_iri(mint("source", title, facet.name or "", facet.uri))
        scheme = facet.uri.partition(":")[0].lower()
        kind = next((cls for schemes, cls in _SOURCE_KINDS if scheme in schemes),
                    ML.DataSource)
        g = Graph()
        g.add((node, RDF.type, kind))
        g.add((node, DCTERMS.title, RDFLiteral(title)))
        g.add((node, ML.storageLocation, RDFLiteral(facet.uri)))
        self.shared.append((node, g))
        return node

    def _owners(self, facets: Mapping[str, Any], where: str) -> list[URIRef] | None:
        """The agents of an ownership facet (created if new); None without the facet."""
        facet = _facet(facets, "ownership", OwnershipFacet, where)
        if facet == "deleted":
            return []
        if not isinstance(facet, OwnershipFacet):
            return None
        owners = []
        for owner in facet.owners:
            node, g = agent(self.lake, owner.name, origin=ORIGIN)
            self.shared.append((node, g))
            owners.append(node)
        return list(dict.fromkeys(owners))


# -- graph helpers -------------------------------------------------------------------------------

def _unclose(vocabulary: Vocabulary, stored: Graph) -> Graph:
    """A stored description without what the lake added on writing (super-classes,
    super-properties, the revision), so it can be edited and written again."""
    g = Graph()
    for s, p, o in stored:
        if p == ML.revision:
            continue
        if p == RDF.type and isinstance(o, URIRef) and any(
                o != other and o in vocabulary.super_classes(other)
                for other in stored.objects(s, RDF.type) if isinstance(other, URIRef)):
            continue
        if p != RDF.type and isinstance(p, URIRef) and any(
                p != other and p in vocabulary.super_properties(other)
                for other in stored.predicates(s, o) if isinstance(other, URIRef)):
            continue
        g.add((s, p, o))
    return g


def _set(g: Graph, node: URIRef, prop: URIRef, value: URIRef | RDFLiteral) -> None:
    g.set((node, prop, value))


def _replace(g: Graph, node: URIRef, prop: URIRef, values: Iterable[URIRef]) -> None:
    g.remove((node, prop, None))
    for value in values:
        g.add((node, prop, value))


def _describe_with(g: Graph, node: URIRef, facet: object) -> None:
    if facet == "deleted":
        g.remove((node, DCTERMS.description, None))
    elif isinstance(facet, DocumentationFacet) and facet.description.strip():
        _set(g, node, DCTERMS.description, RDFLiteral(facet.description))


def _drop_parts(g: Graph, node: URIRef, infix: str) -> None:
    prefix = str(node) + infix
    for s in {s for s in g.subjects() if str(s).startswith(prefix)}:
        g.remove((s, None, None))


def _features(dataset: URIRef, facet: SchemaFacet) -> Graph:
    g = Graph()
    seen: set[str] = set()
    flat: list[tuple[str, _SchemaField]] = []

    def walk(fields: list[_SchemaField], prefix: str) -> None:
        for f in fields:
            if len(flat) >= MAX_FIELDS:
                raise EventSchemaError(f"a schema facet may describe at most {MAX_FIELDS} fields")
            name = prefix + f.name
            if name not in seen:
                seen.add(name)
                flat.append((name, f))
            walk(f.fields, name + ".")

    walk(facet.fields, "")
    for index, (name, f) in enumerate(flat):
        segment = _segment(name)
        if len(segment) > 120:
            segment = "h-" + hashlib.sha256(name.encode()).hexdigest()[:32]
        feature = URIRef(f"{dataset}/feature/{segment}")
        g.add((dataset, ML.hasFeature, feature))
        g.add((feature, RDF.type, ML.Feature))
        g.add((feature, ML.featureName, RDFLiteral(name)))
        g.add((feature, ML.featureIndex, RDFLiteral(index)))
        if f.type:
            g.add((feature, ML.dataType, RDFLiteral(f.type)))
        if f.description:
            g.add((feature, DCTERMS.description, RDFLiteral(f.description)))
    return g


def _location(namespace: str, name: str) -> str:
    """Where OpenLineage's naming puts a data set: the namespace, then the name."""
    return namespace + name if name.startswith("/") or namespace.endswith("/") \
        else f"{namespace}/{name}"


def _later(first: object, second: RDFLiteral) -> bool:
    """Whether the date-time ``first`` is later than ``second``."""
    a = first.value if isinstance(first, RDFLiteral) else None
    b = second.value
    if not isinstance(a, datetime) or not isinstance(b, datetime):
        return False
    return a > b
