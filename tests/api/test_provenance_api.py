"""The provenance endpoints on both stores: verify, citation, versions, aliases, diff, history
and reads as at a past time; refusals are 4xx and change nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pybtex.database import parse_string
from rdflib import Graph, Literal

from modellake.api import create_app
from modellake.namespaces import ML
from modellake.settings import Settings
from modellake.store import Store

from ..provenance_setup import Setup, build, claim
from .conftest import ADMIN, READER, TOKENS, WRITER

API = "/api/v1/models/model-predictor"


@pytest.fixture
def setup(store: Store, tmp_path: Path) -> Setup:
    return build(store, tmp_path)


def client_for(setup: Setup, store: Store, **settings: object) -> TestClient:
    options: dict[str, object] = {"tokens": TOKENS, "ingest_dirs": [setup.directory]}
    options.update(settings)
    return TestClient(create_app(Settings(**options), store=store))  # type: ignore[arg-type]


@pytest.fixture
def client(setup: Setup, store: Store) -> Iterator[TestClient]:
    with client_for(setup, store) as test_client:
        yield test_client


def test_verify_catches_a_wrong_claim(setup: Setup, client: TestClient) -> None:
    claimed = claim(setup.lake, setup.model, 0.99, setup.test)
    response = client.post(f"{API}/verify", params={"trust_pickle": "true"}, headers=ADMIN)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["passed"] is False and report["counts"] == {"ok": 1, "gap": 1, "skipped": 0}
    gap = next(c for c in report["checks"] if c["evaluation"] == str(claimed))
    assert gap["status"] == "gap"
    assert gap["measured"] == pytest.approx(setup.real_accuracy)
    assert report["artifact"]["status"] == "hash verified" and report["run"]
    node = client.get("/api/v1/evaluations/" + gap["measured_evaluation"].rsplit("/", 1)[-1],
                      params={"format": "turtle"})
    assert node.status_code == 200 and "reproduces" in node.text


def test_verify_passes_a_close_claim_and_the_tolerance_decides(setup: Setup,
                                                               client: TestClient) -> None:
    claim(setup.lake, setup.model, setup.real_accuracy + 0.01, setup.test)
    response = client.post(f"{API}/verify", headers=ADMIN,
                           params={"trust_pickle": "true", "record": "false"})
    assert response.status_code == 200 and response.json()["passed"] is True
    assert response.json()["run"] is None
    strict = client.post(f"{API}/verify", headers=ADMIN,
                         params={"trust_pickle": "true", "record": "false", "tolerance": 0.001})
    assert strict.json()["passed"] is False


def test_refusals_are_4xx_and_change_nothing(setup: Setup, client: TestClient,
                                             store: Store) -> None:
    claim(setup.lake, setup.model, 0.99, setup.test)
    before = store.quads()
    untrusted = client.post(f"{API}/verify", headers=ADMIN)
    assert untrusted.status_code == 403 and "trust_pickle" in untrusted.json()["message"]
    writer_trust = client.post(f"{API}/verify", params={"trust_pickle": "true"}, headers=WRITER)
    assert writer_trust.status_code == 403 and "admin" in writer_trust.json()["message"]
    assert client.post(f"{API}/verify", headers=READER).status_code == 403
    assert client.post(f"{API}/verify").status_code == 401
    assert client.post(f"{API}/verify", params={"tolerance": -1},
                       headers=ADMIN).status_code == 422
    assert client.post("/api/v1/models/model-nowhere/verify",
                       headers=ADMIN).status_code == 404
    with setup.artifact.open("ab") as handle:
        handle.write(b"tampered")
    changed = client.post(f"{API}/verify", params={"trust_pickle": "true"}, headers=ADMIN)
    assert changed.status_code == 409 and "sha256" in changed.json()["message"]
    assert store.quads() == before


def test_verify_reads_only_the_ingest_directories(setup: Setup, store: Store) -> None:
    claim(setup.lake, setup.model, 0.99, setup.test)
    with client_for(setup, store, ingest_dirs=[]) as client:
        response = client.post(f"{API}/verify", params={"trust_pickle": "true"}, headers=ADMIN)
    assert response.status_code == 403 and "MODELLAKE_INGEST_DIRS" in response.json()["message"]


def test_citation_formats(setup: Setup, client: TestClient) -> None:
    bib = client.get(f"{API}/citation")
    assert bib.status_code == 200 and bib.headers["content-type"].startswith(
        "application/x-bibtex")
    assert "modellake:model-predictor" in parse_string(bib.text, "bibtex").entries
    csl = client.get(f"{API}/citation", params={"format": "csl-json"})
    assert csl.headers["content-type"].startswith("application/vnd.citationstyles.csl+json")
    assert {i["id"] for i in csl.json()} >= {"modellake:dataset-diabetes-train"}
    datacite = client.get(f"{API}/citation", params={"format": "datacite"})
    assert all({"identifiers", "creators", "titles", "publisher", "publicationYear", "types"}
               <= set(r) for r in datacite.json())
    assert client.get(f"{API}/citation", params={"format": "ris"}).status_code == 400
    assert client.get("/api/v1/models/model-nowhere/citation").status_code == 404


def register_v2(client: TestClient, setup: Setup) -> None:
    algorithm = setup.lake.describe(setup.model).value(setup.model, ML.usesAlgorithm)
    turtle = f"""
@prefix ml: <https://w3id.org/modellake#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<model-predictor-v2> a ml:Model ; dct:title "Diabetes Predictor" ; dcat:version "2" ;
    ml:usesAlgorithm <{algorithm}> ; ml:trainedOn <{setup.test}> ;
    ml:administrator <agent-ada> ; dct:created "{datetime.now(UTC).isoformat()}"^^xsd:dateTime ;
    prov:wasRevisionOf <model-predictor> ; dct:description "Retrained." .
"""
    response = client.post("/api/v1/records", content=turtle,
                           headers={**WRITER, "Content-Type": "text/turtle"})
    assert response.status_code == 201, response.text


def test_versions_aliases_and_diff(setup: Setup, client: TestClient, store: Store) -> None:
    register_v2(client, setup)
    line = client.get(f"{API}/versions").json()
    assert [v["id"] for v in line["versions"]] == ["model-predictor-v2", "model-predictor"]
    assert line["versions"][0]["version"] == "2" and line["line"] == str(setup.model)
    made = client.post(f"{API}/aliases", json={"name": "production"}, headers=WRITER)
    assert made.status_code == 200 and made.json()["previous"] is None
    moved = client.post(f"{API}-v2/aliases", json={"name": "production"}, headers=WRITER)
    assert moved.json()["previous"] == str(setup.model)
    versions = client.get(f"{API}-v2/versions").json()["versions"]
    assert [v["aliases"] for v in versions] == [["production"], []]
    alias_id = moved.json()["alias"].rsplit("/", 1)[-1]
    events = client.get(f"/api/v1/nodes/{alias_id}/history").json()["events"]
    assert [e["action"] for e in events] == ["create", "replace"]
    before = store.quads()
    assert client.post(f"{API}/aliases", json={"name": "Prod!"},
                       headers=WRITER).status_code == 400
    assert client.post(f"{API}/aliases", json={"name": "x"}).status_code == 401
    assert store.quads() == before
    changes = client.get(f"{API}-v2/diff", params={"against": "model-predictor"}).json()
    by_name = {(c["aspect"], c["name"]): c for c in changes["changes"]}
    assert by_name[("documentation", "version label")]["change"] == "added"
    assert by_name[("training data", "data sets")]["old"] == "Diabetes train"
    assert client.get(f"{API}/diff", params={"against": "model-nowhere"}).status_code == 404
    assert client.get(f"{API}/diff").status_code == 422
    assert client.get("/api/v1/datasets/dataset-diabetes-train/versions").status_code == 200
    assert client.get("/api/v1/agents/agent-ada/versions").status_code == 404


def test_reads_as_at_a_time(setup: Setup, client: TestClient) -> None:
    time.sleep(0.01)
    before = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    register_v2(client, setup)
    graph = Graph()
    for triple in setup.lake.describe(setup.train):
        if triple[1] != ML.revision:
            graph.add(triple)
    graph.set((setup.train, ML.purpose, Literal("Training the predictor")))
    setup.lake.replace(setup.train, graph, if_match=setup.lake.revision(setup.train))
    then = client.get("/api/v1/datasets/dataset-diabetes-train",
                      params={"at": before, "format": "ntriples"})
    assert then.status_code == 200 and "Memento-Datetime" in then.headers
    assert "Training the predictor" not in then.text
    assert "Training the predictor" in client.get(
        "/api/v1/datasets/dataset-diabetes-train", params={"format": "ntriples"}).text
    missing = client.get(f"{API}-v2", params={"at": before})
    assert missing.status_code == 404 and "did not exist" in missing.json()["message"]
    lineage = client.get(f"{API}/lineage", params={"at": before, "format": "ntriples"})
    assert lineage.status_code == 200 and "diabetes-train" in lineage.text
    assert "Training the predictor" not in lineage.text
    assert client.get(API, params={"at": "last week"}).status_code == 400
    assert client.get("/api/v1/datasets/model-predictor",
                      params={"at": datetime.now(UTC).isoformat()}).status_code == 404
    assert json.loads(client.get(f"{API}/history").text)["events"][0]["action"] == "create"


def test_the_endpoints_are_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, method in (("/api/v1/models/{identifier}/verify", "post"),
                         ("/api/v1/models/{identifier}/citation", "get"),
                         ("/api/v1/{kind}/{identifier}/versions", "get"),
                         ("/api/v1/models/{identifier}/aliases", "post"),
                         ("/api/v1/models/{identifier}/diff", "get"),
                         ("/api/v1/{kind}/{identifier}/history", "get")):
        operation = spec["paths"][path][method]
        assert operation["tags"] == ["provenance"] and len(operation["description"]) > 100
    get_node = spec["paths"]["/api/v1/{kind}/{identifier}"]["get"]
    assert "at" in {p["name"] for p in get_node["parameters"]}
