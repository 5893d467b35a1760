"""POST /api/v1/import/hf-card: one card in, an imported model out; bad input changes nothing."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from .conftest import READER, WRITER

CARDS = Path(__file__).resolve().parents[1] / "data" / "corpus" / "model-cards"
MARKDOWN = {"Content-Type": "text/markdown"}


def _count(client: TestClient) -> int:
    app = client.app
    return int(app.state.lake.store.count())  # type: ignore[attr-defined]


def test_a_card_is_imported_and_readable(client: TestClient) -> None:
    card = (CARDS / "2en__distilbert-base-uncased-finetuned-emotion.md").read_bytes()
    response = client.post("/api/v1/import/hf-card",
                           params={"hub_id": "2en/distilbert-base-uncased-finetuned-emotion"},
                           content=card, headers={**WRITER, **MARKDOWN})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["outcome"] == "created"
    assert any("creation date" in m for m in body["missing"])
    got = client.get(body["href"], headers={"Accept": "text/turtle"})
    assert got.status_code == 200 and "ml:ClaimedEvaluation" in got.text
    again = client.post("/api/v1/import/hf-card",
                        params={"hub_id": "2en/distilbert-base-uncased-finetuned-emotion"},
                        content=card, headers={**WRITER, **MARKDOWN})
    assert again.status_code == 201 and again.json()["outcome"] == "unchanged"


def test_bad_requests_change_nothing(client: TestClient) -> None:
    before = _count(client)
    card = (CARDS / "bert-base-cased.md").read_bytes()
    cases = [
        ({"hub_id": "bert-base-cased"}, card, READER, 403),
        ({"hub_id": "bert-base-cased"}, card, {}, 401),
        ({"hub_id": 'x"> } ; DROP ALL'}, card, WRITER, 400),
        ({"hub_id": "bert-base-cased"}, b"---\nlicense: mit\n---\n\xff", WRITER, 400),
        ({}, card, WRITER, 422),
        ({"hub_id": "big"}, b"x" * 300_000, WRITER, 413),
    ]
    for params, body, headers, status in cases:
        response = client.post("/api/v1/import/hf-card", params=params, content=body,
                               headers={**headers, **MARKDOWN})
        assert response.status_code == status, (params, response.text)
        assert response.json()["message"]
    assert _count(client) == before
