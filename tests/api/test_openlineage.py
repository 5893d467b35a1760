"""OpenLineage run events over HTTP: the nodes and lineage they give, and what is refused."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from sklearn.datasets import load_iris

from modellake.namespaces import DCTERMS, ML, PROV, RDF

from .conftest import READER, WRITER

PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python"
RAW = {"namespace": "s3://lake", "name": "raw/iris.csv"}
CLEAN = {"namespace": "postgres://db.example:5432", "name": "shop.public.iris_clean"}


def iris_schema() -> dict[str, Any]:
    """A schema facet with the real columns and dtypes of scikit-learn's iris data set."""
    frame = load_iris(as_frame=True).frame
    return {"fields": [{"name": str(c), "type": str(t)} for c, t in frame.dtypes.items()]}


def event(event_type: str | None, run_id: str, *, time: str = "2024-05-01T02:00:00Z",
          job: str = "clean_iris", inputs: list[dict[str, Any]] | None = None,
          outputs: list[dict[str, Any]] | None = None, run_facets: dict[str, Any] | None = None,
          job_facets: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "eventTime": time, "producer": PRODUCER,
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": run_id, "facets": run_facets or {}},
        "job": {"namespace": "etl", "name": job, "facets": job_facets or {}},
        "inputs": inputs if inputs is not None else [RAW],
        "outputs": outputs if outputs is not None else [CLEAN],
    }
    if event_type is not None:
        body["eventType"] = event_type
    return body


def post(client: TestClient, body: object, path: str = "/api/v1/lineage") -> Any:
    return client.post(path, content=json.dumps(body), headers={
        **WRITER, "Content-Type": "application/json"})


def quads(client: TestClient) -> set[tuple[object, ...]]:
    return client.app.state.lake.store.quads()  # type: ignore[attr-defined,no-any-return]


def node(client: TestClient, iri: str) -> Graph:
    return client.app.state.lake.describe(URIRef(iri))  # type: ignore[attr-defined,no-any-return]


def test_a_run_start_to_complete_gives_job_run_data_sets_and_lineage(
    client: TestClient,
) -> None:
    run_id = str(uuid.uuid4())
    facets = {"schema": iris_schema(),
              "documentation": {"description": "Iris measurements without missing rows"},
              "dataSource": {"name": "shop database", "uri": "postgres://db.example:5432"},
              "ownership": {"owners": [{"name": "team:data-eng", "type": "MAINTAINER"}]}}
    job_facets = {
        "sourceCodeLocation": {"type": "git", "url": "https://git.example.org/etl/blob/abc123/"
                               "clean_iris.py", "repoUrl": "https://git.example.org/etl.git",
                               "path": "clean_iris.py", "version": "abc123"},
        "sourceCode": {"language": "python", "sourceCode": "df.dropna()"},
        "ownership": {"owners": [{"name": "user:alice"}]},
        "documentation": {"description": "Drops incomplete rows"},
    }
    start = post(client, event("START", run_id, job_facets=job_facets,
                               outputs=[{**CLEAN, "facets": facets}]))
    assert start.status_code == 201, start.text
    started = start.json()
    run_revision = client.app.state.lake.revision(started["run"])  # type: ignore[attr-defined]
    done = post(client, event("COMPLETE", run_id, time="2024-05-01T02:03:10.5Z"),
                path="/api/v1/openlineage")
    assert done.status_code == 201, done.text
    result = done.json()
    assert result["run"] == started["run"] and result["job"] == started["job"]
    assert client.app.state.lake.revision(result["run"]) != run_revision  # type: ignore

    run, job = URIRef(result["run"]), URIRef(result["job"])
    raw, clean = URIRef(result["inputs"][0]), URIRef(result["outputs"][0])
    run_graph = node(client, run)
    assert run_graph.value(run, ML.runState) == ML.RunCompleted
    assert run_graph.value(run, ML.runOf) == job
    assert str(run_graph.value(run, ML.runId)) == run_id
    assert run_graph.value(run, PROV.startedAtTime).toPython().minute == 0
    assert run_graph.value(run, PROV.endedAtTime).toPython().second == 10
    job_graph = node(client, job)
    assert {ML.Job, ML.Processing, ML.Operation} <= set(job_graph.objects(job, RDF.type))
    assert (job, PROV.used, raw) in job_graph and (job, PROV.generated, clean) in job_graph
    assert str(job_graph.value(job, DCTERMS.description)) == "Drops incomplete rows"
    code = job_graph.value(job, ML.implementedBy)
    assert str(node(client, code).value(code, ML.commit)) == "abc123"

    clean_graph = node(client, clean)
    assert str(clean_graph.value(clean, ML.storageLocation)) == \
        "postgres://db.example:5432/shop.public.iris_clean"
    assert clean_graph.value(clean, DCTERMS.created).toPython() == datetime(2024, 5, 1, 2,
                                                                            tzinfo=UTC)
    assert clean_graph.value(clean, PROV.wasGeneratedBy) == job
    names = {str(n) for n in clean_graph.objects(None, ML.featureName)}
    assert names == set(load_iris(as_frame=True).frame.columns)
    owner = clean_graph.value(clean, ML.owner)
    assert (owner, RDF.type, ML.Team) in client.app.state.lake.describe(owner)  # type: ignore
    source = clean_graph.value(clean, ML.ingestedFrom)
    assert (source, RDF.type, ML.DatabaseSource) in node(client, source)
    raw_graph = node(client, raw)
    alice = raw_graph.value(raw, ML.owner)  # no ownership facet: the job's owner
    assert str(node(client, alice).value(alice, URIRef("http://xmlns.com/foaf/0.1/name"))) == \
        "alice"

    lineage = Graph().parse(data=client.get(
        "/api/v1/datasets/" + client.app.state.lake.local_id(clean) + "/lineage",  # type: ignore
        params={"format": "nt"}).text, format="nt")
    assert (clean, PROV.wasGeneratedBy, job) in lineage
    assert (job, PROV.used, raw) in lineage
    assert (raw, DCTERMS.title, Literal("raw/iris.csv")) in lineage
    impact = Graph().parse(data=client.get(
        "/api/v1/datasets/" + client.app.state.lake.local_id(raw) + "/impact",  # type: ignore
        params={"format": "nt"}).text, format="nt")
    assert (run, ML.runState, ML.RunCompleted) in impact

    before = quads(client)
    again = post(client, event("COMPLETE", run_id, time="2024-05-01T02:03:10.5Z"))
    assert again.status_code == 200 and again.json()["written"] == []
    assert quads(client) == before


@pytest.mark.parametrize("sequence, state", [
    ([("START", 0), ("RUNNING", 1), (None, 2), ("FAIL", 3)], ML.RunFailed),
    ([("COMPLETE", 5), ("START", 0)], ML.RunCompleted),  # delivered out of order
    ([("START", 0), ("ABORT", 1), ("RUNNING", 2)], ML.RunAborted),  # an end is final
    ([(None, 0), ("OTHER", 1)], None),
])
def test_every_event_type_updates_one_run(
    client: TestClient, sequence: list[tuple[str | None, int]], state: URIRef | None,
) -> None:
    run_id = str(uuid.uuid4())
    runs = set()
    for kind, minute in sequence:
        facets = {"errorMessage": {"message": "Table not found", "programmingLanguage": "SQL"}} \
            if kind == "FAIL" else None
        response = post(client, event(kind, run_id, time=f"2024-05-01T02:0{minute}:00Z",
                                      run_facets=facets))
        assert response.status_code in (200, 201), response.text
        runs.add(response.json()["run"])
    (run,) = runs
    graph = node(client, run)
    assert graph.value(URIRef(run), ML.runState) == state
    if sequence[0][0] == "COMPLETE":
        assert graph.value(URIRef(run), PROV.startedAtTime).toPython().minute == 0
        assert graph.value(URIRef(run), PROV.endedAtTime).toPython().minute == 5
    if state == ML.RunFailed:
        assert str(graph.value(URIRef(run), ML.errorMessage)) == "Table not found"


def test_a_new_data_set_version_is_a_revision_of_the_one_before(client: TestClient) -> None:
    outputs = []
    for i, version in enumerate(["v1", "v2"]):
        output = {**CLEAN, "facets": {"version": {"datasetVersion": version}}}
        response = post(client, event("COMPLETE", str(uuid.uuid4()),
                                      time=f"2024-05-0{i + 1}T02:00:00Z", outputs=[output]))
        assert response.status_code == 201, response.text
        outputs.append(URIRef(response.json()["outputs"][0]))
        run = URIRef(response.json()["run"])
    first, second = outputs
    assert first != second
    graph = node(client, second)
    assert graph.value(second, PROV.wasRevisionOf) == first
    assert graph.value(second, PROV.wasGeneratedBy) == run  # a version is written by its run


def test_names_of_any_shape_are_stored_as_text_under_safe_iris(client: TestClient) -> None:
    names = ['x" } ; DROP ALL ; INSERT DATA { <a> <b> <c> } #', "a/b:c#d?e%20f", "a_b:c#d?e%20f",
             "日本語のテーブル", "<script>alert(1)</script>", "' OR 1=1 --"]
    response = post(client, event("START", str(uuid.uuid4()), job=names[0],
                                  inputs=[{"namespace": "ns:1", "name": n} for n in names[1:]]))
    assert response.status_code == 201, response.text
    result = response.json()
    assert len(set(result["inputs"])) == len(names) - 1
    lake = client.app.state.lake  # type: ignore[attr-defined]
    for iri, name in zip(result["inputs"], names[1:], strict=True):
        assert str(lake.describe(URIRef(iri)).value(URIRef(iri), ML.lineageName)) == name
    assert str(lake.describe(URIRef(result["job"])).value(URIRef(result["job"]),
                                                          DCTERMS.title)) == names[0]
    assert {str(g) for _, _, _, g in quads(client)} >= {result["job"], result["run"]}
    assert not any(str(s) == "a" for s, _, _, _ in quads(client))


MALFORMED: list[tuple[str, object, int]] = [
    ("not JSON", "{not json", 400),
    ("a JSON array", [], 422),
    ("no run", {k: v for k, v in event("START", str(uuid.uuid4())).items() if k != "run"}, 422),
    ("no run id", {**event("START", "x"), "run": {"facets": {}}}, 422),
    ("run id not a UUID", event("START", "run-1"), 422),
    ("no event time", {k: v for k, v in event("START", str(uuid.uuid4())).items()
                       if k != "eventTime"}, 422),
    ("event time without zone", event("START", str(uuid.uuid4()), time="2024-05-01T02:00:00"),
     422),
    ("event time a number", {**event("START", str(uuid.uuid4())), "eventTime": 1714528800},
     422),
    ("unknown event type", {**event("START", str(uuid.uuid4())), "eventType": "DONE"}, 422),
    ("inputs not a list", {**event("START", str(uuid.uuid4())), "inputs": "s3://x"}, 422),
    ("namespace a number", event("START", str(uuid.uuid4()), inputs=[{"namespace": 5,
                                                                       "name": "x"}]), 422),
    ("empty job name", {**event("START", str(uuid.uuid4())),
                        "job": {"namespace": "etl", "name": ""}}, 422),
    ("newline in a name", event("START", str(uuid.uuid4()), job="a\nb"), 422),
    ("NUL in a name", event("START", str(uuid.uuid4()), inputs=[{"namespace": "n",
                                                                  "name": "a\x00b"}]), 422),
    ("overlong name", event("START", str(uuid.uuid4()), job="j" * 5000), 422),
    ("schema fields not a list", event("START", str(uuid.uuid4()), inputs=[
        {**RAW, "facets": {"schema": {"fields": "petal length"}}}]), 422),
    ("data source without uri", event("START", str(uuid.uuid4()), inputs=[
        {**RAW, "facets": {"dataSource": {"name": "lake"}}}]), 422),
    ("end before start", None, 422),  # filled in below: needs a started run
]


@pytest.mark.parametrize("name, body, status", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_events_are_refused_and_nothing_is_stored(
    client: TestClient, name: str, body: object, status: int,
) -> None:
    if body is None:
        run_id = str(uuid.uuid4())
        assert post(client, event("START", run_id, time="2024-05-01T02:00:00Z")).status_code \
            == 201
        body = event("COMPLETE", run_id, time="2024-05-01T01:00:00Z")
    before = quads(client)
    text = body if isinstance(body, str) else json.dumps(body)
    response = client.post("/api/v1/lineage", content=text,
                           headers={**WRITER, "Content-Type": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["message"]
    assert quads(client) == before


def test_lone_surrogate_in_a_name_is_refused(client: TestClient) -> None:
    before = quads(client)
    text = json.dumps(event("START", str(uuid.uuid4()), job="x")).replace('"x"', '"\\ud800"')
    response = client.post("/api/v1/lineage", content=text,
                           headers={**WRITER, "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert quads(client) == before


def test_tokens_gzip_and_run_ids_of_other_jobs(client: TestClient) -> None:
    before = quads(client)
    body = json.dumps(event("START", str(uuid.uuid4()))).encode()
    assert client.post("/api/v1/lineage", content=body).status_code == 401
    assert client.post("/api/v1/lineage", content=body, headers=READER).status_code == 403
    bad_gzip = client.post("/api/v1/lineage", content=b"\x1f\x8b\x08garbage",
                           headers={**WRITER, "Content-Encoding": "gzip"})
    assert bad_gzip.status_code == 400
    bomb = gzip.compress(b" " * 300_000)  # inflates past the test server's 200 kB limit
    assert client.post("/api/v1/lineage", content=bomb,
                       headers={**WRITER, "Content-Encoding": "gzip"}).status_code == 413
    assert quads(client) == before

    run_id = str(uuid.uuid4())
    zipped = client.post("/api/v1/lineage", content=gzip.compress(
        json.dumps(event("START", run_id)).encode()), headers={
        **WRITER, "Content-Encoding": "gzip", "Content-Type": "application/json"})
    assert zipped.status_code == 201, zipped.text
    after = quads(client)
    other = post(client, event("COMPLETE", run_id, job="another_job"))
    assert other.status_code == 409
    assert quads(client) == after


def test_deleted_facets_take_back_what_they_gave(client: TestClient) -> None:
    owned = {**RAW, "facets": {"ownership": {"owners": [{"name": "user:bob"}]},
                               "documentation": {"description": "Raw iris export"}}}
    first = post(client, event("START", str(uuid.uuid4()), inputs=[owned]))
    assert first.status_code == 201, first.text
    raw = URIRef(first.json()["inputs"][0])
    bob = node(client, raw).value(raw, ML.owner)
    deleted = {**RAW, "facets": {"ownership": {"_deleted": True},
                                 "documentation": {"_deleted": True}}}
    second = post(client, event("START", str(uuid.uuid4()), inputs=[deleted]))
    assert second.status_code == 201, second.text
    graph = node(client, raw)
    assert (raw, DCTERMS.description, None) not in graph
    owners = set(graph.objects(raw, ML.owner))
    assert owners and bob not in owners  # back to the token holder
