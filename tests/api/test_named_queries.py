"""The catalogue of named queries over HTTP (/api/v1/queries), on both stores: the list, running
one with its parameters bound as checked terms, the result formats, and the refusals."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient
from httpx import Response
from rdflib import Graph, Literal, URIRef

from modellake.namespaces import DCTERMS, RDF, XSD

from .conftest import BASE, WRITER, register_diabetes

MODEL_CLASS = "https://w3id.org/modellake#Model"
AGENT_CLASS = "http://www.w3.org/ns/prov#Agent"
MODEL = URIRef(BASE + "model-diabetes-predictor")
SOURCE = URIRef(BASE + "source-hospital-ehr")
LIST_NODES = "/api/v1/queries/records/list-nodes"
HOSTILE_NAME = "<script>alert(1)</script>"


def quads(client: TestClient) -> set[tuple[object, ...]]:
    return client.app.state.lake.store.quads()  # type: ignore[attr-defined,no-any-return]


def refused(response: Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    message = response.json()["message"]
    for word in words:
        assert word in message, message


def test_the_list_describes_every_query(client: TestClient) -> None:
    response = client.get("/api/v1/queries")
    assert response.status_code == 200
    entries = response.json()
    names = [e["name"] for e in entries]
    assert {"records/list-nodes", "lineage/upstream", "lineage/downstream"} <= set(names)
    for entry in entries:
        assert entry["title"] and isinstance(entry["title"], str), entry
        assert isinstance(entry["description"], str), entry
        assert entry["href"] == f"/api/v1/queries/{entry['name']}"
        assert isinstance(entry["parameters"], list), entry
        for param in entry["parameters"]:
            assert {"name", "kind", "default", "required"} <= param.keys(), entry["name"]
            assert param["kind"] in {"iri", "string", "integer", "decimal", "double", "boolean",
                                     "date", "datetime"}, param
            assert isinstance(param["required"], bool)
            if param["default"] is not None:  # a parameter with a default is never required
                assert param["required"] is False, param
    # Store-layer queries and updates are not offered.
    assert not [n for n in names if n.startswith("store/")]
    assert "records/create-nodes" not in names and "records/replace-node" not in names
    list_nodes = next(e for e in entries if e["name"] == "records/list-nodes")
    params = {p["name"]: p for p in list_nodes["parameters"]}
    assert params["class"]["kind"] == "iri" and params["class"]["required"] is True
    assert params["class"]["default"] is None
    assert params["text"]["kind"] == "string" and params["text"]["required"] is False
    assert params["limit"]["default"] == "50"


def test_list_nodes_as_json_csv_and_html(client: TestClient) -> None:
    register_diabetes(client)
    as_json = client.get(LIST_NODES, params={"class": MODEL_CLASS})
    assert as_json.status_code == 200, as_json.text
    assert as_json.headers["content-type"].startswith("application/sparql-results+json")
    body = as_json.json()
    assert body["head"]["vars"] == ["node", "title", "created"]
    [row] = body["results"]["bindings"]
    assert row["node"] == {"type": "uri", "value": str(MODEL)}
    assert row["title"]["value"] == "Diabetes Predictor"
    assert row["created"] == {"type": "literal", "value": "2024-02-26",
                              "datatype": str(XSD.date)}

    for response in (client.get(LIST_NODES, params={"class": MODEL_CLASS, "format": "csv"}),
                     client.get(LIST_NODES, params={"class": MODEL_CLASS},
                                headers={"Accept": "text/csv"})):
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows == [["node", "title", "created"],
                        [str(MODEL), "Diabetes Predictor", "2024-02-26"]]

    for response in (client.get(LIST_NODES, params={"class": MODEL_CLASS, "format": "html"}),
                     client.get(LIST_NODES, params={"class": MODEL_CLASS},
                                headers={"Accept": "text/html,application/xhtml+xml;q=0.9"})):
        assert response.headers["content-type"].startswith("text/html")
        assert "<table>" in response.text and "</table>" in response.text
        assert "<td>Diabetes Predictor</td>" in response.text
        assert f'<a href="{MODEL}">' in response.text

    # Parameters are bound as terms: the text filter is a literal, matched case-insensitively.
    filtered = client.get(LIST_NODES, params={"class": MODEL_CLASS, "text": "PREDICTOR"})
    assert len(filtered.json()["results"]["bindings"]) == 1
    quoted = client.get(LIST_NODES, params={"class": MODEL_CLASS, "text": '") } #'})
    assert quoted.status_code == 200 and quoted.json()["results"]["bindings"] == []


def test_html_table_escapes_what_users_wrote(client: TestClient) -> None:
    register_diabetes(client)
    agent = client.post("/api/v1/agents", headers=WRITER, json={
        "id": "agent-mallory", "kind": "person", "name": HOSTILE_NAME})
    assert agent.status_code == 201, agent.text
    response = client.get(LIST_NODES, params={"class": AGENT_CLASS, "format": "html"})
    assert response.status_code == 200
    assert "<table>" in response.text
    assert HOSTILE_NAME not in response.text and "<script" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    # The JSON still carries the name as it was written.
    rows = client.get(LIST_NODES, params={"class": AGENT_CLASS}).json()["results"]["bindings"]
    assert HOSTILE_NAME in {r["title"]["value"] for r in rows}
    # The result cap: ?max_results= keeps the first solutions and says it cut.
    one = client.get(LIST_NODES, params={"class": AGENT_CLASS, "max_results": 1})
    assert len(one.json()["results"]["bindings"]) == 1
    assert one.headers["x-results-truncated"] == "limit 1"
    # The query's own page size is a parameter like any other.
    page = client.get(LIST_NODES, params={"class": AGENT_CLASS, "limit": 1})
    assert len(page.json()["results"]["bindings"]) == 1
    assert "x-results-truncated" not in page.headers


def test_upstream_lineage_is_a_graph(client: TestClient) -> None:
    register_diabetes(client)
    url = "/api/v1/queries/lineage/upstream"
    response = client.get(url, params={"node": str(MODEL)})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    assert "@context" in json.loads(response.text)
    graph = Graph().parse(data=response.text, format="json-ld")
    assert (SOURCE, DCTERMS.title, Literal("Hospital EHR extract")) in graph
    assert (MODEL, DCTERMS.title, Literal("Diabetes Predictor")) in graph
    as_turtle = client.get(url, params={"node": str(MODEL)}, headers={"Accept": "text/turtle"})
    assert as_turtle.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=as_turtle.text, format="turtle")) == len(graph)
    # Lineage goes upstream only: the source's own lineage does not reach the model.
    source_only = client.get(url, params={"node": str(SOURCE), "format": "ntriples"})
    upstream = Graph().parse(data=source_only.text, format="nt")
    assert (SOURCE, RDF.type, None) in upstream and (MODEL, None, None) not in upstream


def test_missing_and_unknown_parameters_are_400_naming_them(client: TestClient) -> None:
    refused(client.get(LIST_NODES), 400, "'class'")
    refused(client.get(LIST_NODES, params={"text": "x"}), 400, "'class'")
    refused(client.get("/api/v1/queries/lineage/upstream"), 400, "'node'")
    refused(client.get(LIST_NODES, params={"class": MODEL_CLASS, "bogus": "1"}), 400, "'bogus'")
    refused(client.get(LIST_NODES, params={"class": MODEL_CLASS, "offset": "ten"}), 400,
            "'offset'")


def test_hostile_parameters_are_400_and_change_nothing(client: TestClient) -> None:
    register_diabetes(client)
    before = quads(client)
    for value in ("https://x.org/a> } ; DROP ALL ; #",
                  "https://x.org/a>}} DROP ALL #",
                  "https://x.org/a\n} ; DROP ALL",
                  'https://x.org/"a',
                  "not an iri"):
        for name, key in (("records/list-nodes", "class"), ("lineage/upstream", "node"),
                          ("lineage/downstream", "node")):
            response = client.get(f"/api/v1/queries/{name}", params={key: value})
            refused(response, 400, f"'{key}'")
    refused(client.get(LIST_NODES, params={"class": MODEL_CLASS, "offset": "0 ; DROP ALL"}),
            400, "'offset'")
    assert quads(client) == before


def test_unknown_and_internal_queries_are_never_run(client: TestClient) -> None:
    register_diabetes(client)
    before = quads(client)
    refused(client.get("/api/v1/queries/no/such-query"), 404, "no/such-query")
    refused(client.get("/api/v1/queries/records%2F..%2Fstore%2Fdrop-all"), 404)
    for name in ("store/count-quads", "store/all-quads", "store/drop-all",
                 "records/create-nodes", "records/replace-node"):
        response = client.get(f"/api/v1/queries/{name}")
        assert response.status_code in (400, 404), (name, response.text)
        assert name in response.json()["message"]
        assert "results" not in response.text  # nothing ran
    assert quads(client) == before
