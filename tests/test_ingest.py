"""Ingestion on both stores: formats, stored meta-features, change tracking, streams, errors."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, XSD
from rdflib.term import Node
from sklearn.datasets import load_breast_cancer, load_iris, load_wine

import modellake.ingest as ingest_module
from modellake.errors import BadInputError, UnknownReferenceError
from modellake.ingest import (
    EmptyTableError,
    IngestResult,
    UnknownFormatError,
    UnreadableFileError,
    ingest,
    ingest_batch,
    read_table,
    register_source,
)
from modellake.lake import Lake
from modellake.namespaces import ML, RDF
from modellake.store import Store

from .conftest import lake_on

BASE = "https://w3id.org/modellake/id/"
BOB = URIRef(BASE + "agent-bob")
IN_SERIES = URIRef(str(DCAT) + "inSeries")
PREV = URIRef(str(DCAT) + "prev")
AGENTS = f"""
@prefix ml: <https://w3id.org/modellake#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
<{BASE}agent-bob> a ml:Person ; foaf:name "Bob" .
<{BASE}agent-ingest-bot> a ml:Service ; foaf:name "Ingestion bot" .
"""


@pytest.fixture
def lake(store: Store) -> Iterator[Lake]:
    yield lake_on(store, AGENTS)


def frame(loader: object) -> pd.DataFrame:
    return loader(as_frame=True).frame  # type: ignore[operator]


def number(g: Graph, node: Node | None, prop: URIRef) -> object:
    value = g.value(node, prop)
    assert isinstance(value, Literal), f"no {prop} on {node}"
    return value.toPython()


def test_csv_ingestion_stores_the_data_set_its_source_and_pandas_figures(
    lake: Lake, tmp_path: Path,
) -> None:
    path = tmp_path / "breast_cancer.csv"
    frame(load_breast_cancer).to_csv(path, index=False)
    result = ingest(lake, path, owner="agent-bob", agent="agent-ingest-bot", target="target",
                    purpose="Screening research", keywords=["healthcare", "oncology"],
                    description="Wisconsin diagnostic breast cancer data")
    assert result.created and result.revision_of is None
    assert str(result.dataset).startswith(BASE + "dataset-breast-cancer-csv-")
    g = lake.describe(result.dataset)
    d = result.dataset
    data = path.read_bytes()
    assert g.value(d, ML.contentHash) == Literal("sha256:" + hashlib.sha256(data).hexdigest())
    assert number(g, d, DCAT.byteSize) == len(data)
    assert g.value(d, ML.fileFormat) == Literal("csv")
    assert g.value(d, ML.storageLocation) == Literal(path.resolve().as_uri(), datatype=XSD.anyURI)
    assert g.value(d, ML.targetAttribute) == Literal("target")
    assert g.value(d, ML.ingestedFrom) == result.source
    assert g.value(d, PROV.wasGeneratedBy) == result.ingestion
    assert g.value(d, ML.owner) == BOB
    assert set(g.objects(d, DCAT.keyword)) == {Literal("healthcare"), Literal("oncology")}
    assert g.value(d, DCTERMS.created).datatype == XSD.dateTime  # type: ignore[union-attr]

    # The stored meta-features are pandas' figures for the file as read.
    df = pd.read_csv(path)
    numeric = df.drop(columns=["target"])
    mf = g.value(d, ML.hasMetafeatures)
    assert isinstance(mf, URIRef) and (mf, RDF.type, ML.DatasetMetafeatures) in g
    assert number(g, mf, ML.numberOfInstances) == 569
    assert number(g, mf, ML.numberOfAttributes) == 31
    assert number(g, mf, ML.numberOfClasses) == 2
    for prop, value in ((ML.meanSkewnessOfNumericAtts, numeric.skew().mean()),
                        (ML.meanKurtosisOfNumericAtts, numeric.kurt().mean()),
                        (ML.minMeansOfNumericAtts, numeric.mean().min()),
                        (ML.meanMeansOfNumericAtts, numeric.mean().mean()),
                        (ML.meanStdDevOfNumericAtts, numeric.std().mean())):
        assert number(g, mf, prop) == value, prop
    features = {str(g.value(f, ML.featureName)): f for f in g.objects(d, ML.hasFeature)}
    assert len(features) == 31
    radius = features["mean radius"]
    assert number(g, radius, ML.mean) == df["mean radius"].mean()
    assert number(g, radius, ML.standardDeviation) == df["mean radius"].std()
    assert number(g, radius, ML.maximum) == df["mean radius"].max()
    assert number(g, features["target"], ML.isTarget) is True

    # The ingestion says who, when, from where and why; the new file source came with it.
    op = lake.describe(result.ingestion)
    i = result.ingestion
    assert (i, RDF.type, ML.Ingestion) in op
    assert op.value(i, PROV.used) == result.source
    assert op.value(i, PROV.generated) == d
    assert op.value(i, PROV.wasAssociatedWith) == URIRef(BASE + "agent-ingest-bot")
    assert op.value(i, ML.purpose) == Literal("Screening research")
    assert number(op, i, PROV.startedAtTime) <= number(op, i, PROV.endedAtTime)  # type: ignore[operator]
    src = lake.describe(result.source)
    assert (result.source, RDF.type, ML.FileSource) in src
    assert src.value(result.source, DCTERMS.title) == Literal("breast_cancer.csv")


def test_parquet_and_json_lines(lake: Lake, tmp_path: Path) -> None:
    wine = tmp_path / "wine.parquet"
    frame(load_wine).to_parquet(wine)
    iris = tmp_path / "iris.jsonl"
    frame(load_iris).to_json(iris, orient="records", lines=True)
    for path, fmt, rows, columns in ((wine, "parquet", 178, 14), (iris, "jsonl", 150, 5)):
        result = ingest(lake, path, owner="agent-bob", target="target")
        g = lake.describe(result.dataset)
        mf = g.value(result.dataset, ML.hasMetafeatures)
        assert isinstance(mf, URIRef)
        assert g.value(result.dataset, ML.fileFormat) == Literal(fmt)
        assert number(g, mf, ML.numberOfInstances) == rows
        assert number(g, mf, ML.numberOfAttributes) == columns
        assert number(g, mf, ML.numberOfClasses) == 3
        df = read_table(path, progress=False).frame
        assert number(g, mf, ML.meanMeansOfNumericAtts) == df.drop(
            columns=["target"]).mean().mean()


def test_same_content_twice_writes_nothing(lake: Lake, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "iris.csv"
    frame(load_iris).to_csv(path, index=False)
    first = ingest(lake, path, owner="agent-bob")
    before = store.quads()
    again = ingest(lake, path, owner="agent-bob")
    assert not again.created
    assert (again.dataset, again.source, again.ingestion) == (
        first.dataset, first.source, first.ingestion)
    assert store.quads() == before


def test_changed_content_is_a_new_version(lake: Lake, store: Store, tmp_path: Path) -> None:
    source = register_source(lake, kind="database", title="Clinic export",
                             location="postgresql://db.example/clinic", owner="agent-bob")
    assert register_source(lake, kind="database", title="Clinic export",
                           location="postgresql://db.example/clinic", owner="agent-bob") == source
    path = tmp_path / "export.csv"
    df = frame(load_wine)
    versions: list[IngestResult] = []
    for rows in (50, 100, 178):
        df.iloc[:rows].to_csv(path, index=False)
        versions.append(ingest(lake, path, source=source, title="Clinic export",
                               owner="agent-bob"))
    assert [v.created for v in versions] == [True, True, True]
    assert [v.revision_of for v in versions] == [None, versions[0].dataset, versions[1].dataset]
    assert len({v.dataset for v in versions}) == 3
    newest = lake.describe(versions[2].dataset)
    assert newest.value(versions[2].dataset, PROV.wasRevisionOf) == versions[1].dataset
    latest = store.select(lake.catalogue.bind("ingest/latest-version", {"source": str(source)}))
    assert [r["dataset"] for r in latest] == [versions[2].dataset]
    # the latest content again: nothing new
    before = store.quads()
    assert not ingest(lake, path, source=source, owner="agent-bob").created
    assert store.quads() == before


def test_new_source_is_registered_in_the_same_write(lake: Lake, tmp_path: Path) -> None:
    path = tmp_path / "iris.csv"
    frame(load_iris).to_csv(path, index=False)
    result = ingest(lake, path, owner="agent-bob", new_source={
        "id": "source-iris-api", "kind": "api", "title": "Iris API",
        "location": "https://api.example.org/iris"})
    assert result.source == URIRef(BASE + "source-iris-api")
    g = lake.describe(result.source)
    assert (result.source, RDF.type, ML.APISource) in g
    assert g.value(result.source, ML.owner) == BOB
    assert lake.dependents(result.source) == sorted([result.dataset, result.ingestion])


def test_stream_micro_batches_with_their_windows(lake: Lake, store: Store) -> None:
    stream = register_source(lake, kind="stream", title="Ward sensors",
                             location="kafka://broker.example/ward-sensors", owner="agent-bob")
    chunks = [
        b'{"bed": 1, "heart_rate": 71.5, "alarm": "none"}\n'
        b'{"bed": 2, "heart_rate": 88.0, "alarm": "high"}\n',
        [{"bed": 1, "heart_rate": 73.0, "alarm": "none"}],
        pd.DataFrame({"bed": [1, 2, 3], "heart_rate": [70.0, None, 95.5],
                      "alarm": ["none", None, "high"]}),
    ]
    windows = [("2024-03-01T10:00:00Z", "2024-03-01T10:05:00Z"),
               ("2024-03-01T10:05:00Z", "2024-03-01T10:10:00Z"),
               ("2024-03-01T10:10:00Z", "2024-03-01T10:15:00Z")]
    batches = [ingest_batch(lake, stream, chunk, window_start=start, window_end=end,
                            owner="agent-bob", target="alarm")
               for chunk, (start, end) in zip(chunks, windows, strict=True)]
    assert all(b.created and b.revision_of is None and b.source == stream for b in batches)
    series = {lake.describe(b.dataset).value(b.dataset, IN_SERIES) for b in batches}
    assert len(series) == 1
    (series_iri,) = series
    assert (series_iri, RDF.type, URIRef(str(DCAT) + "DatasetSeries")) in lake.describe(
        series_iri)  # type: ignore[arg-type]
    for i, batch in enumerate(batches):
        g = lake.describe(batch.dataset)
        assert (batch.dataset, PROV.wasRevisionOf, None) not in g  # new data, not a new version
        assert g.value(batch.dataset, PREV) == (batches[i - 1].dataset if i else None)
        assert g.value(batch.dataset, ML.ingestedFrom) == stream
        op = lake.describe(batch.ingestion)
        start, end = windows[i]
        assert op.value(batch.ingestion, ML.windowStart).toPython() == pd.Timestamp(  # type: ignore[union-attr]
            start).to_pydatetime()
        assert op.value(batch.ingestion, ML.windowEnd).toPython() == pd.Timestamp(  # type: ignore[union-attr]
            end).to_pydatetime()
    last = lake.describe(batches[2].dataset)
    mf = last.value(batches[2].dataset, ML.hasMetafeatures)
    assert isinstance(mf, URIRef)
    assert number(last, mf, ML.numberOfInstances) == 3
    assert number(last, mf, ML.numberOfMissingValues) == 2
    assert number(last, mf, ML.numberOfClasses) == 2
    assert str(last.value(batches[2].dataset, ML.storageLocation)).startswith(
        "kafka://broker.example/ward-sensors#2024-03-01T10:10:00Z/")
    first = lake.describe(batches[0].dataset)
    assert number(first, batches[0].dataset, DCAT.byteSize) == len(chunks[0])

    before = store.quads()
    again = ingest_batch(lake, stream, chunks[0], window_start=windows[0][0],
                         window_end=windows[0][1], owner="agent-bob")
    assert not again.created and again.dataset == batches[0].dataset
    assert store.quads() == before
    with pytest.raises(BadInputError, match="before it starts"):
        ingest_batch(lake, stream, chunks[1], window_start=windows[1][1],
                     window_end=windows[1][0], owner="agent-bob")
    file_source = register_source(lake, kind="file", title="Not a stream",
                                  location="/data/x.csv", owner="agent-bob")
    with pytest.raises(BadInputError, match="not a stream source"):
        ingest_batch(lake, file_source, chunks[1], window_start=windows[1][0],
                     window_end=windows[1][1], owner="agent-bob")


def _bad_files(tmp: Path) -> list[tuple[Path, type[BadInputError], str]]:
    (tmp / "data.xlsx").write_bytes(b"PK\x03\x04 not really")
    (tmp / "empty.csv").write_bytes(b"")
    (tmp / "header-only.csv").write_text("a,b,c\n")
    (tmp / "ragged.csv").write_text("a,b\n1,2\n3,4,5,6\n")
    (tmp / "broken.parquet").write_text("a,b\n1,2\n")
    (tmp / "broken.jsonl").write_text('{"a": 1}\n{"a": \n')
    (tmp / "empty.jsonl").write_text("")
    (tmp / "folder.csv").mkdir()
    return [
        (tmp / "missing.csv", UnreadableFileError, "No such file"),
        (tmp / "data.xlsx", UnknownFormatError, "'.xlsx'"),
        (tmp / "empty.csv", EmptyTableError, "empty"),
        (tmp / "header-only.csv", EmptyTableError, "0 rows, 3 columns"),
        (tmp / "ragged.csv", UnreadableFileError, "as csv"),
        (tmp / "broken.parquet", UnreadableFileError, "as parquet"),
        (tmp / "broken.jsonl", UnreadableFileError, "as jsonl"),
        (tmp / "empty.jsonl", EmptyTableError, "empty"),
        (tmp / "folder.csv", UnreadableFileError, "cannot read"),
    ]


def test_bad_files_are_refused_with_nothing_written(
    lake: Lake, store: Store, tmp_path: Path,
) -> None:
    before = store.quads()
    for path, error, text in _bad_files(tmp_path):
        with pytest.raises(error, match=text) as caught:
            ingest(lake, path, owner="agent-bob")
        assert str(path) in str(caught.value)
        assert isinstance(caught.value, BadInputError)
    good = tmp_path / "iris.csv"
    frame(load_iris).to_csv(good, index=False)
    with pytest.raises(BadInputError, match="target column 'label'"):
        ingest(lake, good, owner="agent-bob", target="label")
    with pytest.raises(UnknownFormatError, match="unknown format 'xml'"):
        ingest(lake, good, owner="agent-bob", format="xml")
    with pytest.raises(UnknownReferenceError, match="source-nowhere"):
        ingest(lake, good, owner="agent-bob", source="source-nowhere")
    with pytest.raises(BadInputError, match="kind"):
        ingest(lake, good, owner="agent-bob", new_source={"title": "x", "kind": "ftp"})
    assert store.quads() == before


def test_progress_bar_reads_the_same_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    df = frame(load_breast_cancer)
    for name, write in (("bc.csv", df.to_csv), ("bc.jsonl", None), ("bc.parquet", df.to_parquet)):
        path = tmp_path / name
        if write is None:
            df.to_json(path, orient="records", lines=True)
        else:
            write(path, **({"index": False} if name.endswith(".csv") else {}))
        quiet = read_table(path, progress=False)
        monkeypatch.setattr(ingest_module, "PROGRESS_MIN_BYTES", 0)
        shown = read_table(path, progress=True)
        monkeypatch.setattr(ingest_module, "PROGRESS_MIN_BYTES", 8 * 1024 * 1024)
        pd.testing.assert_frame_equal(quiet.frame, shown.frame)
        assert (quiet.sha256, quiet.size_bytes) == (shown.sha256, shown.size_bytes)
        assert quiet.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert capsys.readouterr().out == ""  # the bar goes to stderr, never stdout
