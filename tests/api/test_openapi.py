"""The OpenAPI document explains every endpoint."""

from __future__ import annotations

from fastapi.testclient import TestClient

from modellake.api import create_app
from modellake.settings import Settings
from modellake.store import EmbeddedStore


def test_every_operation_has_a_summary_and_a_description() -> None:
    with TestClient(create_app(Settings(), store=EmbeddedStore())) as client:
        spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "Model Lake"
    missing = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not operation.get("summary") or len(operation.get("description", "")) < 40:
                missing.append(f"{method.upper()} {path}")
    assert missing == []
    paths = set(spec["paths"])
    for expected in ("/api/v1/records", "/api/v1/models", "/api/v1/datasets",
                     "/api/v1/{kind}/{identifier}", "/api/v1/{kind}/{identifier}/lineage",
                     "/sparql", "/api/v1/queries", "/healthz"):
        assert any(p.startswith(expected) for p in paths), expected
    # Typed bodies are documented with their fields.
    model = spec["components"]["schemas"]["ModelIn"]
    assert "trained_on" in model["properties"]
    assert model["properties"]["trained_on"].get("description")
