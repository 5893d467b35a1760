"""Ingestion: read a table (CSV, Parquet, JSON lines) into the lake as a data set.

``ingest`` reads a file with pandas, computes its meta-features and column statistics
(``metafeatures``), and registers in **one** write the data set (what, where, who, when, why),
its meta-features and features, the ml:Ingestion that produced it (who, when, how, why) and, if
asked, the source it came from. Change tracking:

- same content (same sha256) from the same source → the data set already there is returned,
  ``created=False``, and nothing is written;
- changed content from the same source → a new data set, ``prov:wasRevisionOf`` the latest
  version (the newest data set from the source that nothing is a revision of).

Streams: ``register_source(kind="stream")`` then ``ingest_batch`` for each micro-batch. A
micro-batch is **not** a revision of the one before (it is new data, not a change of old data):
each batch is its own data set, member of one ``dcat:DatasetSeries`` per stream
(``dcat:inSeries``), pointing at the batch before it with ``dcat:prev`` (DCAT 3), and its
ml:Ingestion carries ``ml:windowStart`` / ``ml:windowEnd``.

Ids are minted readable and deterministic: ``dataset-<slug of title>-<10 hex>``, the hex a hash of
the source, the content hash (and the window, for a batch), so the same content from two sources
gives two data sets.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Final

import pandas as pd
from rdflib import Graph, Literal, Namespace, URIRef

from .errors import BadInputError, ConflictError
from .lake import LOCAL_USER, Lake, Principal
from .metafeatures import compute_metafeatures, feature_stats, metafeatures_graph, slugify
from .namespaces import DCAT, DCTERMS, ML, PROV, RDF, XSD
from .typed_records import parse_record, to_graph
from .validation import Finding

SUFFIXES: Final = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl",
                   ".ndjson": "jsonl"}
FORMATS: Final = {"csv": "csv", "parquet": "parquet", "jsonl": "jsonl", "ndjson": "jsonl",
                  "json-lines": "jsonl"}
PROGRESS_MIN_BYTES: Final = 8 * 1024 * 1024  # smaller files are read without a progress bar
_CHUNK: Final = 1024 * 1024
DCAT3: Final = Namespace(str(DCAT))  # rdflib's closed DCAT namespace lacks DCAT 3's series terms


class UnreadableFileError(BadInputError):
    """The file is missing, not readable, or not valid in its format."""


class UnknownFormatError(BadInputError):
    """The format is neither given nor known from the file's suffix."""


class EmptyTableError(BadInputError):
    """The table has no rows or no columns."""


@dataclass(frozen=True)
class Table:
    """A table as read: the frame, and the size and sha256 of the bytes it was read from
    (for an in-memory frame: no size, and the sha256 of ``frame_digest``)."""

    frame: pd.DataFrame
    sha256: str
    format: str
    size_bytes: int | None = None

    @property
    def content_hash(self) -> str:
        return f"sha256:{self.sha256}"


@dataclass(frozen=True)
class IngestResult:
    """What an ingestion did. With ``created=False`` nothing was written and the fields describe
    the data set already in the lake (``revision_of`` as it states it; ``ingestion`` None only
    for a data set registered by hand without prov:wasGeneratedBy)."""

    dataset: URIRef
    source: URIRef
    ingestion: URIRef | None
    created: bool
    revision_of: URIRef | None = None
    warnings: list[Finding] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------------------

def detect_format(path: str | Path, format: str | None = None) -> str:
    """``csv``, ``parquet`` or ``jsonl``: the given format, else the file's suffix."""
    if format is not None:
        if format.lower() not in FORMATS:
            raise UnknownFormatError(
                f"unknown format {format!r} for {path}; use one of csv, parquet, jsonl")
        return FORMATS[format.lower()]
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnknownFormatError(
            f"cannot tell the format of {path} from its suffix {suffix or '(none)'!r}; name the "
            f"file .csv, .parquet, .jsonl or .ndjson, or give the format (csv, parquet, jsonl)")
    return SUFFIXES[suffix]


def read_table(path: str | Path, format: str | None = None, *, progress: bool = True) -> Table:
    """Read a CSV, Parquet or JSON-lines file with pandas' defaults, with its size and sha256.

    A transient progress bar (on stderr) follows hashing and reading when ``progress`` is true
    and the file is larger than ``PROGRESS_MIN_BYTES``. Raises UnknownFormatError,
    UnreadableFileError or EmptyTableError (all BadInputError), each naming the file.
    """
    fmt = detect_format(path, format)
    where = str(path)
    try:
        size = Path(path).stat().st_size
        with _progress(progress and size > PROGRESS_MIN_BYTES, size) as advance:
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    digest.update(chunk)
                    advance("hashing", len(chunk))
            with open(path, "rb") as fh:
                reader: BinaryIO = fh
                if fmt != "parquet":  # parquet seeks to its footer first: no byte progress
                    reader = io.BufferedReader(_Tracked(fh, lambda n: advance("reading", n)))
                frame = _parse(reader, fmt, where)
                advance("reading", size)
    except OSError as exc:
        raise UnreadableFileError(f"cannot read {where}: {exc.strerror or exc}") from None
    return Table(frame, digest.hexdigest(), fmt, size)


def read_bytes(data: bytes | str, format: str = "jsonl", *, name: str = "batch") -> Table:
    """A table from bytes (e.g. a chunk of JSON lines from a stream); hashed as given."""
    raw = data.encode() if isinstance(data, str) else data
    fmt = detect_format(name, format)
    frame = _parse(io.BytesIO(raw), fmt, name)
    return Table(frame, hashlib.sha256(raw).hexdigest(), fmt, len(raw))


def table_from_frame(
    frame: pd.DataFrame | Sequence[Mapping[str, object]], *, name: str = "the batch",
) -> Table:
    """A table from a DataFrame or a list of records, hashed with ``frame_digest``."""
    df = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(list(frame))
    _check_not_empty(df, name)
    return Table(df, frame_digest(df), "dataframe")


def frame_digest(df: pd.DataFrame) -> str:
    """sha256 over the column names and dtypes and pandas' row hashes
    (``pd.util.hash_pandas_object(df, index=False)``): equal frames, equal digests."""
    digest = hashlib.sha256(json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode())
    try:
        digest.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    except TypeError:  # unhashable cells (lists, dicts): hash their JSON text instead
        digest.update(df.to_json(orient="records", lines=True, date_format="iso",
                                 double_precision=15, default_handler=str).encode())
    return digest.hexdigest()


def _parse(reader: BinaryIO, fmt: str, where: str) -> pd.DataFrame:
    try:
        if fmt == "csv":
            frame = pd.read_csv(reader)
        elif fmt == "parquet":
            frame = pd.read_parquet(reader)
        else:
            frame = pd.read_json(reader, lines=True)
    except pd.errors.EmptyDataError:
        raise EmptyTableError(f"{where} holds no table: it is empty") from None
    except (OSError, ValueError) as exc:  # parser errors, bad encodings, Arrow errors
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnreadableFileError(f"cannot read {where} as {fmt}: {message}") from None
    _check_not_empty(frame, where)
    return frame


def _check_not_empty(frame: pd.DataFrame, where: str) -> None:
    rows, columns = frame.shape
    if rows == 0 or columns == 0:
        raise EmptyTableError(
            f"{where} holds an empty table ({rows} rows, {columns} columns); nothing to ingest")


class _Tracked(io.RawIOBase):
    """A binary file that reports how many bytes were read from it."""

    def __init__(self, raw: BinaryIO, advance: Callable[[int], None]) -> None:
        self._raw = raw
        self._advance = advance

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[:len(data)] = data
        self._advance(len(data))
        return len(data)


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[str, int], None]]:
    if not enabled:
        yield lambda task, n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description:>8}"), BarColumn(), DownloadColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks = {name: bar.add_task(name, total=total) for name in ("hashing", "reading")}

        def advance(task: str, n: int) -> None:
            bar.update(tasks[task], completed=min(total, bar.tasks[tasks[task]].completed + n))

        yield advance


# -- ingesting ----------------------------------------------------------------------------------

def register_source(
    lake: Lake, *, kind: str, title: str, location: str, owner: str,
    id: str | None = None, description: str | None = None, purpose: str | None = None,
    contains_personal_data: bool | None = None, principal: Principal = LOCAL_USER,
) -> URIRef:
    """Register a data source (``kind`` file, database, stream or api) unless a node with its id
    is already in the lake; return its IRI. The id, when not given, is minted from the title,
    kind and location (``source-<slug>-<hex>``), so registering the same source twice is a
    no-op (the existing description is kept, not replaced)."""
    spec = {"kind": kind, "title": title, "location": location, "id": id,
            "description": description, "purpose": purpose,
            "contains_personal_data": contains_personal_data}
    node, graph = _source(lake, {k: v for k, v in spec.items() if v is not None}, owner)
    if graph is not None:
        lake.register(graph, principal=principal)
    return node


def ingest(
    lake: Lake, path: str | Path, *, owner: str, source: str | None = None,
    new_source: Mapping[str, object] | None = None, title: str | None = None,
    dataset_id: str | None = None, agent: str | None = None, purpose: str | None = None,
    target: str | None = None, description: str | None = None, keywords: Sequence[str] = (),
    format: str | None = None, location: str | None = None, progress: bool = False,
    code: str | Path | None = None, principal: Principal = LOCAL_USER,
) -> IngestResult:
    """Read ``path`` and register it as a data set ingested from a source, in one write.

    The source is ``source`` (an id or IRI already in the lake), or ``new_source`` (a source
    record: ``title``, ``kind`` file|database|stream|api, ``location``, optional ``id``,
    ``description`` …; registered in the same write unless its id is already taken), or, with
    neither, a file source for the path itself (``source-<file name>-<hex>``, reused on later
    ingestions of the same path). ``owner`` and ``agent`` (who ran it; default the owner) are ids
    or IRIs of agents in the lake. ``location`` defaults to the file's absolute ``file://`` URI.
    ``code``, when given, is the file of the program that ran the ingestion (``ml:implementedBy``;
    see ``operations.capture_code``).
    """
    if source is not None and new_source is not None:
        raise BadInputError("give either source (an existing source) or new_source, not both")
    started = _now()
    table = read_table(path, format, progress=progress)
    file_uri = Path(path).resolve().as_uri()
    if source is not None:
        source_iri, source_graph = lake.node_iri(source), None
    else:
        spec = dict(new_source) if new_source is not None else {"kind": "file"}
        spec.setdefault("title", Path(path).name)
        spec.setdefault("location", file_uri)
        source_iri, source_graph = _source(lake, spec, owner)
    if source_graph is None:
        found = _first(lake, "ingest/dataset-by-hash",
                       {"source": str(source_iri), "hash": table.content_hash})
        if found is not None:
            return _existing(lake, found, source_iri)
    previous = None if source_graph is not None else _first(
        lake, "ingest/latest-version", {"source": str(source_iri)})
    title = title or Path(path).name
    dataset = lake.node_iri(dataset_id or _mint("dataset", title, source_iri, table.content_hash))
    ingestion = lake.node_iri(_mint("ingestion", title, dataset))
    graph = source_graph if source_graph is not None else Graph()
    graph += _link(dataset_graph(
        lake, dataset, table, title=title, location=location or file_uri, owner=owner,
        target=target, purpose=purpose, description=description, keywords=keywords,
    ), dataset, source_iri, ingestion)
    if previous is not None:
        graph.add((dataset, PROV.wasRevisionOf, previous))
    graph += _ingestion_graph(
        lake, ingestion, title=f"Ingest {title}", source=source_iri, dataset=dataset,
        agent=agent or owner, purpose=purpose, started=started,
        how=f"Read {table.format} file {path} ({table.size_bytes} bytes) with pandas")
    graph += _code(lake, ingestion, code)
    written = lake.register(graph, principal=principal)
    return IngestResult(dataset, source_iri, ingestion, True, previous, written.warnings)


def ingest_batch(
    lake: Lake, source: str, batch: pd.DataFrame | Sequence[Mapping[str, object]] | bytes | str,
    *, window_start: datetime | str, window_end: datetime | str, owner: str,
    title: str | None = None, agent: str | None = None, purpose: str | None = None,
    target: str | None = None, format: str = "jsonl", location: str | None = None,
    code: str | Path | None = None, principal: Principal = LOCAL_USER,
) -> IngestResult:
    """Register one micro-batch of a stream source (an ml:StreamSource in the lake) read over
    the window [``window_start``, ``window_end``] (naive times are taken as UTC).

    ``batch`` is a DataFrame, a list of records, or raw bytes/text in ``format`` (JSON lines by
    default, as they arrive). The batch becomes a data set in the stream's series (created with
    the first batch), ``dcat:prev`` the batch before; the same content over the same window from
    the same source is a no-op. ``location`` defaults to ``<source location>#<start>/<end>``;
    ``code`` is as for ``ingest``.
    """
    started = _now()
    start, end = _aware(window_start, "window_start"), _aware(window_end, "window_end")
    if start > end:
        raise BadInputError(f"the window ends ({end.isoformat()}) before it starts "
                            f"({start.isoformat()})")
    source_iri = lake.node_iri(source)
    described = lake.describe(source_iri)
    if (source_iri, RDF.type, ML.StreamSource) not in described:
        raise BadInputError(f"<{source_iri}> is not a stream source (ml:StreamSource); register "
                            f"one with kind 'stream' first")
    table = (read_bytes(batch, format) if isinstance(batch, bytes | str)
             else table_from_frame(batch))
    found = _first(lake, "ingest/batch-by-window", {
        "source": str(source_iri), "hash": table.content_hash, "start": start, "end": end})
    if found is not None:
        return _existing(lake, found, source_iri)
    source_title = str(described.value(source_iri, DCTERMS.title) or lake.local_id(source_iri))
    series = lake.node_iri(_mint("series", source_title, source_iri))
    graph = Graph()
    previous = _first(lake, "ingest/latest-batch", {"series": str(series)})
    if previous is None and not lake.exists(series):
        graph += _series_graph(series, source_title, source_iri, owner, lake)
    window = f"{start.isoformat()}/{end.isoformat()}".replace("+00:00", "Z")
    name = title or f"{slugify(source_title, max_length=24)} {start:%Y%m%dT%H%M%S}"
    title = title or f"{source_title} {window}"
    dataset = lake.node_iri(_mint("dataset", name, source_iri, table.content_hash, window))
    ingestion = lake.node_iri(_mint("ingestion", name, dataset))
    where = described.value(source_iri, ML.storageLocation) or source_iri
    graph += _link(dataset_graph(
        lake, dataset, table, title=title, location=location or f"{where}#{window}", owner=owner,
        target=target, purpose=purpose,
    ), dataset, source_iri, ingestion)
    graph.add((dataset, DCAT3.inSeries, series))
    if previous is not None:
        graph.add((dataset, DCAT3.prev, previous))
    graph += _ingestion_graph(
        lake, ingestion, title=f"Ingest micro-batch {window}", source=source_iri,
        dataset=dataset, agent=agent or owner, purpose=purpose, started=started,
        how=f"Micro-batch of {len(table.frame)} records ({table.format})")
    graph.add((ingestion, ML.windowStart, Literal(start)))
    graph.add((ingestion, ML.windowEnd, Literal(end)))
    graph += _code(lake, ingestion, code)
    written = lake.register(graph, principal=principal)
    return IngestResult(dataset, source_iri, ingestion, True, None, written.warnings)


# -- graphs -------------------------------------------------------------------------------------

def dataset_graph(
    lake: Lake, dataset: URIRef, table: Table, *, title: str, location: str, owner: str,
    target: str | None = None, purpose: str | None = None, description: str | None = None,
    keywords: Sequence[str] = (),
) -> Graph:
    """A data set with its meta-features and features (what, where, who, when, why); no
    lineage. Shared by ingestion and processing operations."""
    g = Graph()
    g.add((dataset, RDF.type, ML.Dataset))
    g.add((dataset, DCTERMS.title, Literal(title)))
    g.add((dataset, ML.storageLocation, Literal(location, datatype=XSD.anyURI)))
    g.add((dataset, DCTERMS.created, Literal(_now())))
    g.add((dataset, ML.owner, lake.node_iri(owner)))
    g.add((dataset, ML.contentHash, Literal(table.content_hash)))
    if table.size_bytes is not None:
        g.add((dataset, DCAT.byteSize, Literal(table.size_bytes)))
    if table.format != "dataframe":
        g.add((dataset, ML.fileFormat, Literal(table.format)))
    for prop, value in ((ML.targetAttribute, target), (ML.purpose, purpose),
                        (DCTERMS.description, description)):
        if value is not None:
            g.add((dataset, prop, Literal(value)))
    for keyword in keywords:
        g.add((dataset, DCAT.keyword, Literal(keyword)))
    mf = compute_metafeatures(table.frame, target)
    g += metafeatures_graph(dataset, mf, feature_stats(table.frame, target))
    return g


def _link(g: Graph, dataset: URIRef, source: URIRef, ingestion: URIRef) -> Graph:
    g.add((dataset, ML.ingestedFrom, source))
    g.add((dataset, PROV.wasGeneratedBy, ingestion))
    return g


def _ingestion_graph(
    lake: Lake, ingestion: URIRef, *, title: str, source: URIRef, dataset: URIRef, agent: str,
    purpose: str | None, started: datetime, how: str,
) -> Graph:
    g = Graph()
    g.add((ingestion, RDF.type, ML.Ingestion))
    g.add((ingestion, DCTERMS.title, Literal(title)))
    g.add((ingestion, DCTERMS.description, Literal(how)))
    g.add((ingestion, PROV.used, source))
    g.add((ingestion, PROV.generated, dataset))
    g.add((ingestion, PROV.wasAssociatedWith, lake.node_iri(agent)))
    g.add((ingestion, PROV.startedAtTime, Literal(started)))
    g.add((ingestion, PROV.endedAtTime, Literal(_now())))
    g.add((ingestion, ML.library, Literal(f"pandas {pd.__version__}")))
    if purpose is not None:
        g.add((ingestion, ML.purpose, Literal(purpose)))
    return g


def _code(lake: Lake, operation: URIRef, code: str | Path | None) -> Graph:
    """ml:implementedBy the code file, with the code record if the lake does not have it."""
    g = Graph()
    if code is None:
        return g
    from .operations import capture_code, code_graph  # operations builds on this module

    node, description = code_graph(lake, capture_code(code))
    g.add((operation, ML.implementedBy, node))
    if not lake.exists(node):
        g += description
    return g


def _series_graph(
    series: URIRef, title: str, source: URIRef, owner: str, lake: Lake,
) -> Graph:
    g = Graph()
    g.add((series, RDF.type, DCAT3.DatasetSeries))
    g.add((series, DCTERMS.title, Literal(f"{title}: micro-batches")))
    g.add((series, DCTERMS.source, source))
    g.add((series, DCTERMS.created, Literal(_now())))
    g.add((series, ML.owner, lake.node_iri(owner)))
    return g


def _source(lake: Lake, spec: Mapping[str, object], owner: str) -> tuple[URIRef, Graph | None]:
    """The source's IRI, and its graph if it still has to be registered."""
    data = {"owner": owner, "created": _now().isoformat(), **spec}
    if data.get("id") is None:
        data["id"] = _mint("source", str(data.get("title", "")), data.get("kind"),
                           data.get("location"))
    node, graph = to_graph(parse_record("sources", data), base_iri=lake.base_iri)
    if not lake.exists(node):
        return node, graph
    if ML.DataSource not in lake.types(node):
        raise ConflictError(f"<{node}> is in the lake but is not a data source", [str(node)])
    return node, None


def _existing(lake: Lake, dataset: URIRef, source: URIRef) -> IngestResult:
    g = lake.describe(dataset)
    ingestion = g.value(dataset, PROV.wasGeneratedBy)
    revision = g.value(dataset, PROV.wasRevisionOf)
    return IngestResult(dataset, source, _iri(ingestion), False, _iri(revision))


def _iri(term: object) -> URIRef | None:
    return URIRef(str(term)) if isinstance(term, URIRef) else None


def _first(lake: Lake, query: str, params: Mapping[str, object]) -> URIRef | None:
    rows = lake.store.select(lake.catalogue.bind(query, params))
    return URIRef(str(rows[0]["dataset"])) if rows else None


def _mint(kind: str, title: str, *keys: object) -> str:
    """``<kind>-<slug of title>-<10 hex of the keys>``: readable, and the same for the same keys."""
    digest = hashlib.sha256("\x1f".join(str(k) for k in keys).encode()).hexdigest()[:10]
    return f"{kind}-{slugify(title)}-{digest}"


def _aware(value: datetime | str, name: str) -> datetime:
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        raise BadInputError(f"{name}: {value!r} is not an ISO 8601 date-time") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
