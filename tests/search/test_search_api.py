"""The discovery endpoints over the fixture lake, on both stores: results, 4xx for bad input,
and their OpenAPI descriptions."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from modellake.api import create_app
from modellake.settings import Settings
from modellake.store import Store

READER = {"Authorization": "Bearer r-token"}


@pytest.fixture(scope="module")
def api(search_store: Store) -> Iterator[TestClient]:
    settings = Settings(tokens={"r-token": "reader"})
    with TestClient(create_app(settings, store=search_store)) as client:
        yield client


def test_search_with_text_and_filters(api: TestClient) -> None:
    response = api.get("/api/v1/search", params={"q": "question answering"}, headers=READER)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["results"][0]["id"] == "hf-deepset-roberta-base-squad2"
    assert body["results"][0]["matches"]["task"] == ["question", "answering"]
    filtered = api.get("/api/v1/search", headers=READER, params={
        "task": "token-classification", "licence": "mit"}).json()
    assert [r["id"] for r in filtered["results"]] == ["hf-51la5-bert-large-ner"]
    paged = api.get("/api/v1/search", headers=READER,
                    params={"q": "diabetes", "limit": 2, "offset": 1}).json()
    assert len(paged["results"]) == 2 and paged["total"] >= 5
    metric = api.get("/api/v1/search", headers=READER, params={
        "q": "ner", "metric": "f1", "min_value": "91", "evaluated_on": "dataset-hf-conll2003"})
    assert {r["id"] for r in metric.json()["results"]} == {
        "hf-dslim-bert-base-ner", "hf-51la5-bert-large-ner"}


@pytest.mark.parametrize(("params", "status"), [
    ({}, 400),
    ({"q": "x" * 501}, 422),
    ({"language": "en'; DROP"}, 400),
    ({"metric": "accuracy"}, 400),
    ({"metric": "accuracy", "min_value": "high"}, 422),
    ({"trained_on": "dataset-nowhere"}, 404),
    ({"trained_on": "bad id with spaces"}, 400),
    ({"q": "bert", "limit": 0}, 422),
    ({"q": "bert", "limit": 1000}, 422),
])
def test_bad_search_input_is_a_4xx(api: TestClient, params: dict[str, str],
                                   status: int) -> None:
    response = api.get("/api/v1/search", params=params, headers=READER)
    assert response.status_code == status, response.text
    assert response.json().get("detail") or response.json().get("message") or response.json()


def test_hostile_query_text_is_answered_and_changes_nothing(api: TestClient) -> None:
    store = api.app.state.lake.store  # type: ignore[attr-defined]
    before = store.count()
    response = api.get("/api/v1/search", headers=READER, params={
        "q": '"} ; DROP ALL ; INSERT DATA { <a> <b> <c> } #'})
    assert response.status_code == 200
    assert store.count() == before


def test_related_models(api: TestClient) -> None:
    response = api.get("/api/v1/models/hf-dslim-bert-base-ner/related", headers=READER)
    assert response.status_code == 200, response.text
    related = response.json()["related"]
    assert related[0]["id"] == "hf-51la5-bert-large-ner"
    assert "both trained on <conll2003>" in related[0]["reasons"]
    iri = quote("https://w3id.org/modellake/id/onnx-resnet50-v2-7", safe="")
    by_iri = api.get(f"/api/v1/models/{iri}/related", headers=READER, params={"limit": 1})
    assert [r["id"] for r in by_iri.json()["related"]] == [
        "tfhub-google-imagenet-resnet_v2_50-classification-5"]
    assert api.get("/api/v1/models/model-nowhere/related", headers=READER).status_code == 404
    assert api.get("/api/v1/models/dataset-hf-squad/related",
                   headers=READER).status_code == 404


def test_similar_datasets_and_recommendations(api: TestClient) -> None:
    similar = api.get("/api/v1/datasets/dataset-iris-raw/similar", headers=READER)
    assert similar.status_code == 200, similar.text
    assert similar.json()["similar"][0]["title"].startswith("Iris flowers")
    assert api.get("/api/v1/datasets/dataset-hf-squad/similar",
                   headers=READER).status_code == 400
    assert api.get("/api/v1/datasets/hf-gpt2/similar", headers=READER).status_code == 404
    recommended = api.get("/api/v1/datasets/dataset-iris-raw/recommended-models",
                          headers=READER, params={"limit": 5})
    assert recommended.status_code == 200, recommended.text
    items = recommended.json()["recommended"]
    assert len(items) == 5 and all(i["id"].startswith("model-iris-") for i in items)
    assert [i["accuracy"] for i in items] == sorted((i["accuracy"] for i in items),
                                                    reverse=True)
    assert api.get("/api/v1/datasets/dataset-iris-raw/recommended-models", headers=READER,
                   params={"min_similarity": 2}).status_code == 422
    assert api.get("/api/v1/datasets/dataset-nowhere/recommended-models",
                   headers=READER).status_code == 404


def test_the_endpoints_are_described(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    for path in ("/api/v1/search", "/api/v1/models/{identifier}/related",
                 "/api/v1/datasets/{identifier}/similar",
                 "/api/v1/datasets/{identifier}/recommended-models"):
        operation = spec["paths"][path]["get"]
        assert operation["summary"] and len(operation["description"]) > 100
    names = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "task", "licence", "language", "algorithm", "trained_on", "metric",
            "min_value", "evaluated_on"} <= names
