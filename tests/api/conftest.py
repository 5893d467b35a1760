"""An API client on each store, with tokens for every role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from modellake.api import create_app
from modellake.settings import Settings
from modellake.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKENS = {"w-token": "writer", "r-token": "reader", "o-token": "officer",
          "a-token": {"role": "admin", "name": "ada"}}
WRITER = {"Authorization": "Bearer w-token"}
ADMIN = {"Authorization": "Bearer a-token"}
READER = {"Authorization": "Bearer r-token"}
BASE = "https://w3id.org/modellake/id/"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    settings = Settings(tokens=TOKENS, max_body_bytes=200_000, sparql_result_limit=500)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


def turtle(text: str) -> dict[str, str]:
    return {**WRITER, "Content-Type": "text/turtle"}


def diabetes_turtle() -> str:
    return (EXAMPLES / "diabetes.ttl").read_text(encoding="utf-8")


def register_diabetes(client: TestClient) -> None:
    response = client.post("/api/v1/records", content=diabetes_turtle(),
                           headers={**WRITER, "Content-Type": "text/turtle"})
    assert response.status_code == 201, response.text
