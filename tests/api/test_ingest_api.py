"""Ingestion over HTTP: uploads, configured directories, and paths the server must not read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from sklearn.datasets import load_iris

from modellake.api import create_app
from modellake.namespaces import ML
from modellake.settings import Settings
from modellake.store import Store

from .conftest import TOKENS, WRITER, register_diabetes


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    load_iris(as_frame=True).frame.to_csv(folder / "iris.csv", index=False)
    return folder


@pytest.fixture
def ingest_client(store: Store, inbox: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(tokens=TOKENS, ingest_dirs=[inbox], upload_dir=tmp_path / "uploads")
    with TestClient(create_app(settings, store=store)) as client:
        register_diabetes(client)
        yield client


def _quads(client: TestClient) -> set[tuple[object, ...]]:
    return client.app.state.lake.store.quads()  # type: ignore[attr-defined,no-any-return]


def test_ingest_a_file_from_an_ingest_directory(ingest_client: TestClient, inbox: Path) -> None:
    body = {"path": str(inbox / "iris.csv"), "owner": "agent-bob", "title": "Iris",
            "target": "target", "source_title": "Iris flower measurements"}
    response = ingest_client.post("/api/v1/ingest", json=body, headers=WRITER)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["created"] is True
    graph = Graph().parse(data=ingest_client.get(result["href"], params={"format": "nt"}).text,
                          format="nt")
    assert Literal(150) in set(graph.objects(None, ML.numberOfInstances))
    assert Literal(3) in set(graph.objects(None, ML.numberOfClasses))
    before = _quads(ingest_client)
    again = ingest_client.post("/api/v1/ingest", json=body, headers=WRITER)
    assert again.status_code == 201 and again.json()["created"] is False
    assert _quads(ingest_client) == before


def test_upload(ingest_client: TestClient, inbox: Path) -> None:
    data = (inbox / "iris.csv").read_bytes()
    response = ingest_client.post(
        "/api/v1/ingest/upload", headers=WRITER,
        files={"file": ("iris.csv", data, "text/csv")},
        data={"owner": "agent-bob", "title": "Iris (uploaded)"})
    assert response.status_code == 201, response.text
    lineage = Graph().parse(data=ingest_client.get(
        response.json()["href"] + "/lineage", params={"format": "nt"}).text, format="nt")
    assert URIRef(response.json()["source"]) in set(lineage.subjects())


@pytest.mark.parametrize("path", ["/etc/passwd", "../../etc/passwd", "{inbox}/../secret.csv"])
def test_paths_outside_the_ingest_directories_are_403(
    ingest_client: TestClient, inbox: Path, path: str,
) -> None:
    (inbox.parent / "secret.csv").write_text("a,b\n1,2\n")
    before = _quads(ingest_client)
    response = ingest_client.post("/api/v1/ingest", headers=WRITER, json={
        "path": path.format(inbox=inbox), "owner": "agent-bob"})
    assert response.status_code == 403
    assert "ingest directories" in response.json()["message"]
    assert _quads(ingest_client) == before


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.csv", b"", "empty"),
    ("table.xlsx", b"PK\x03\x04", "format"),
    ("broken.parquet", b"not parquet", "parquet"),
])
def test_bad_uploads_are_refused_and_change_nothing(
    ingest_client: TestClient, name: str, content: bytes, message: str,
) -> None:
    before = _quads(ingest_client)
    response = ingest_client.post("/api/v1/ingest/upload", headers=WRITER,
                                  files={"file": (name, content)}, data={"owner": "agent-bob"})
    assert 400 <= response.status_code < 500, response.text
    assert message in response.json()["message"].lower()
    assert _quads(ingest_client) == before


def test_ingest_needs_a_writer(ingest_client: TestClient, inbox: Path) -> None:
    response = ingest_client.post("/api/v1/ingest", json={
        "path": str(inbox / "iris.csv"), "owner": "agent-bob"})
    assert response.status_code == 401
