"""GET /api/v1/models/compare on both stores."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import WRITER, register_diabetes


def test_compare_two_models(client: TestClient) -> None:
    register_diabetes(client)
    created = client.post("/api/v1/models", headers=WRITER, json={
        "id": "model-diabetes-rf", "title": "Diabetes random forest",
        "algorithm": "RandomForest", "trained_on": ["dataset-diabetes"],
        "administrator": "agent-tim", "created": "2024-03-01"})
    assert created.status_code == 201, created.text
    response = client.get("/api/v1/models/compare",
                          params={"ids": "model-diabetes-predictor,model-diabetes-rf"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [m["id"] for m in body["models"]] == ["model-diabetes-predictor", "model-diabetes-rf"]
    rows = {(r["aspect"], r["name"]): r for r in body["rows"]}
    assert rows[("algorithm", "algorithm")]["differs"] is True
    training = [r for r in body["rows"] if r["aspect"].startswith("train")]
    assert training and not any(r["differs"] for r in training)


def test_compare_errors(client: TestClient) -> None:
    register_diabetes(client)
    one = client.get("/api/v1/models/compare", params={"ids": "model-diabetes-predictor"})
    assert one.status_code == 400
    unknown = client.get("/api/v1/models/compare",
                         params={"ids": "model-diabetes-predictor,model-nope"})
    assert unknown.status_code == 404 and "model-nope" in unknown.json()["message"]
    not_a_model = client.get("/api/v1/models/compare",
                             params={"ids": "model-diabetes-predictor,dataset-diabetes"})
    assert not_a_model.status_code == 404
