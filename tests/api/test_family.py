"""The derivation family of a model, and identifiers on the model sub-resources."""

from __future__ import annotations

from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from .conftest import BASE, WRITER, register_diabetes


def _model(client: TestClient, local: str, **links: str) -> None:
    body = {"id": local, "title": local.replace("-", " "), "algorithm": "SupportVectorMachine",
            "administrator": "agent-tim", "created": "2024-03-01", **links}
    response = client.post("/api/v1/models", json=body, headers=WRITER)
    assert response.status_code == 201, response.text


def test_family_of_a_base_model(client: TestClient) -> None:
    register_diabetes(client)
    _model(client, "dp-tuned", fine_tuned_from="model-diabetes-predictor",
           trained_on="dataset-diabetes-raw")
    _model(client, "dp-tuned-q8", quantized_from="dp-tuned")
    _model(client, "dp-distilled", distilled_from="model-diabetes-predictor")
    response = client.get("/api/v1/models/dp-tuned/family")
    assert response.status_code == 200, response.text
    family = response.json()
    assert [m["id"] for m in family["ancestors"]] == ["model-diabetes-predictor"]
    assert [m["id"] for m in family["descendants"]] == ["dp-tuned-q8"]
    assert [m["id"] for m in family["siblings"]] == ["dp-distilled"]
    assert {"child": BASE + "dp-tuned-q8", "relation": "quantizedFrom",
            "parent": BASE + "dp-tuned"} in family["edges"]
    base = client.get("/api/v1/models/model-diabetes-predictor/family").json()
    assert {m["id"] for m in base["descendants"]} == {"dp-tuned", "dp-tuned-q8", "dp-distilled"}
    # As RDF: every descendant with everything it was trained on, in one call.
    graph = Graph().parse(data=client.get("/api/v1/models/model-diabetes-predictor/family",
                                          params={"format": "ntriples"}).text, format="nt")
    subjects = set(graph.subjects())
    assert URIRef(BASE + "dp-tuned-q8") in subjects
    assert URIRef(BASE + "dataset-diabetes-raw") in subjects
    assert URIRef(BASE + "source-hospital-ehr") in subjects


def test_family_errors(client: TestClient) -> None:
    register_diabetes(client)
    assert client.get("/api/v1/models/nope/family").status_code == 404
    assert client.get("/api/v1/models/dataset-diabetes/family").status_code == 404


def test_documentation_score_of_a_model(client: TestClient) -> None:
    register_diabetes(client)
    score = client.get("/api/v1/models/model-diabetes-predictor/documentation-score")
    assert score.status_code == 200, score.text
    body = score.json()
    assert 0 < body["score"] < 100 and any("license" in m for m in body["missing"])
