"""Registration, reading, replacement and deletion through HTTP, on both stores."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic

from modellake.namespaces import DCTERMS, ML, PROV, RDF

from .conftest import ADMIN, BASE, READER, WRITER, diabetes_turtle, register_diabetes

TTL = {**WRITER, "Content-Type": "text/turtle"}
PREFIXES = """@prefix ml: <https://w3id.org/modellake#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def quads(client: TestClient) -> set[tuple[object, ...]]:
    return client.app.state.lake.store.quads()  # type: ignore[attr-defined,no-any-return]


def user_quads(client: TestClient) -> set[tuple[object, ...]]:
    """The lake's content without its own ontology and shapes graphs."""
    return {q for q in quads(client) if not str(q[3]).startswith("https://w3id.org/modellake/graph/")}


def test_register_the_worked_example(client: TestClient) -> None:
    response = client.post("/api/v1/records", content=diabetes_turtle(), headers=TTL)
    assert response.status_code == 201, response.text
    body = response.json()
    ids = {n["id"] for n in body["nodes"]}
    assert {"model-diabetes-predictor", "dataset-diabetes", "source-hospital-ehr"} <= ids
    assert response.headers["Location"] == body["nodes"][0]["href"]
    assert response.headers["ETag"] == f'"{body["revision"]}"'
    # The example documents no licence: a warning, not a violation.
    assert any(w["path"] == "dct:license" and w["severity"] == "Warning" for w in body["warnings"])


def test_each_node_lives_in_its_own_graph_with_the_type_closure(client: TestClient) -> None:
    register_diabetes(client)
    store = client.app.state.lake.store  # type: ignore[attr-defined]
    model = BASE + "model-diabetes-predictor"
    graph = store.graph(model)
    node = URIRef(model)
    assert (node, RDF.type, ML.Model) in graph
    assert (node, RDF.type, PROV.Entity) in graph  # super-class stated
    assert (node, PROV.wasDerivedFrom, URIRef(BASE + "dataset-diabetes")) in graph  # super-prop
    assert (node, PROV.wasAttributedTo, URIRef(BASE + "agent-tim")) in graph
    assert {s for s in graph.subjects()} == {node}


def test_get_node_in_each_format(client: TestClient) -> None:
    register_diabetes(client)
    url = "/api/v1/models/model-diabetes-predictor"
    as_jsonld = client.get(url)
    assert as_jsonld.status_code == 200
    assert as_jsonld.headers["content-type"].startswith("application/ld+json")
    etag = as_jsonld.headers["ETag"]
    as_turtle = client.get(url, headers={"Accept": "text/turtle"})
    as_nt = client.get(url, params={"format": "ntriples"})
    g1 = Graph().parse(data=as_jsonld.text, format="json-ld")
    g2 = Graph().parse(data=as_turtle.text, format="turtle")
    g3 = Graph().parse(data=as_nt.text, format="nt")
    assert isomorphic(g1, g2) and isomorphic(g2, g3)
    assert (URIRef(BASE + "model-diabetes-predictor"), DCTERMS.title,
            Literal("Diabetes Predictor")) in g1
    assert client.get(url, headers={"Accept": "text/turtle"}).headers["ETag"] == etag


def test_jsonld_means_the_same_graph_to_pyld_and_rdflib(client: TestClient) -> None:
    register_diabetes(client)
    text = client.get("/api/v1/models/model-diabetes-predictor/lineage").text
    by_rdflib = Graph().parse(data=text, format="json-ld")
    nquads = jsonld.to_rdf(json.loads(text), {"format": "application/n-quads"})
    by_pyld = Graph().parse(data=nquads, format="nt")
    assert len(by_rdflib) > 100
    assert to_isomorphic(by_rdflib) == to_isomorphic(by_pyld)


def test_unknown_ids_and_wrong_kinds_are_404(client: TestClient) -> None:
    register_diabetes(client)
    missing = client.get("/api/v1/models/no-such-model")
    assert missing.status_code == 404
    assert "no-such-model" in missing.json()["message"]
    wrong_kind = client.get("/api/v1/datasets/model-diabetes-predictor")
    assert wrong_kind.status_code == 404
    assert "is not a dataset" in wrong_kind.json()["message"]
    assert client.get("/api/v1/widgets/x").status_code == 404
    assert client.get("/api/v1/models/model-diabetes-predictor",
                      params={"format": "yaml"}).status_code == 400


def test_nodes_with_their_own_iris_are_reachable(client: TestClient) -> None:
    iri = "https://example.org/people/ada lovelace".replace(" ", "%20")
    body = f'{PREFIXES}<{iri}> a ml:Person ; foaf:name "Ada" .'
    response = client.post("/api/v1/records", content=body, headers=TTL)
    assert response.status_code == 201, response.text
    href = response.json()["nodes"][0]["href"]
    assert href == "/api/v1/nodes/" + quote(iri, safe="")
    got = client.get(href, params={"format": "turtle"})
    assert got.status_code == 200 and "Ada" in got.text
    assert client.get("/api/v1/agents/" + quote(iri, safe="")).status_code == 200


def test_list_pages_and_filters(client: TestClient) -> None:
    register_diabetes(client)
    page = client.get("/api/v1/datasets", params={"limit": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    second = client.get("/api/v1/datasets", params={"limit": 1, "offset": 1}).json()
    assert {page["items"][0]["id"], second["items"][0]["id"]} == {
        "dataset-diabetes", "dataset-diabetes-raw"}
    raw = client.get("/api/v1/datasets", params={"q": "RAW"}).json()
    assert [i["id"] for i in raw["items"]] == ["dataset-diabetes-raw"]
    assert client.get("/api/v1/datasets", params={"limit": 0}).status_code == 422


def test_typed_json_registration(client: TestClient) -> None:
    register_diabetes(client)
    agent = client.post("/api/v1/agents", json={"id": "agent-eve", "kind": "person",
                                                "name": "Eve"}, headers=WRITER)
    assert agent.status_code == 201, agent.text
    assert agent.headers["Location"] == "/api/v1/agents/agent-eve"
    model = client.post("/api/v1/models", headers=WRITER, json={
        "id": "diabetes-predictor-v2", "title": "Diabetes Predictor v2",
        "algorithm": "SupportVectorMachine", "trained_on": ["dataset-diabetes"],
        "administrator": "agent-eve", "created": "2024-03-01",
    })
    assert model.status_code == 201, model.text
    evaluation = client.post("/api/v1/evaluations", headers=WRITER, json={
        "id": "v2-accuracy", "model": "diabetes-predictor-v2", "measure": "accuracy",
        "value": 0.95, "evaluated_on": "dataset-diabetes", "method": "cross-validation",
        "folds": 5, "claimed": False,
    })
    assert evaluation.status_code == 201, evaluation.text
    lineage = Graph().parse(
        data=client.get("/api/v1/models/diabetes-predictor-v2/lineage",
                        params={"format": "ntriples"}).text, format="nt")
    assert URIRef(BASE + "source-hospital-ehr") in set(lineage.subjects())
    assert URIRef(BASE + "v2-accuracy") in set(lineage.subjects())


def test_put_needs_if_match_and_detects_lost_updates(client: TestClient) -> None:
    register_diabetes(client)
    url = "/api/v1/agents/agent-bob"
    etag = client.get(url).headers["ETag"]
    new = f'{PREFIXES}<{BASE}agent-bob> a ml:Person ; foaf:name "Robert" .'
    assert client.put(url, content=new, headers=TTL).status_code == 428
    stale = client.put(url, content=new, headers={**TTL, "If-Match": '"not-the-revision"'})
    assert stale.status_code == 412
    ok = client.put(url, content=new, headers={**TTL, "If-Match": etag})
    assert ok.status_code == 200, ok.text
    assert ok.headers["ETag"] != etag
    again = client.put(url, content=new, headers={**TTL, "If-Match": etag})
    assert again.status_code == 412  # the first writer's ETag is now stale
    names = Graph().parse(data=client.get(url, params={"format": "nt"}).text, format="nt")
    assert {str(o) for o in names.objects(None, URIRef("http://xmlns.com/foaf/0.1/name"))} == {
        "Robert"}


def test_put_creates_a_missing_node_and_refuses_other_nodes(client: TestClient) -> None:
    url = "/api/v1/agents/agent-zoe"
    body = f'{PREFIXES}<{BASE}agent-zoe> a ml:Person ; foaf:name "Zoe" .'
    assert client.put(url, content=body, headers=TTL).status_code == 201
    other = f'{PREFIXES}<{BASE}agent-yan> a ml:Person ; foaf:name "Yan" .'
    response = client.put(url, content=other,
                          headers={**TTL, "If-Match": client.get(url).headers["ETag"]})
    assert response.status_code == 400
    assert "exactly the node" in response.json()["message"]


def test_post_of_an_existing_node_is_a_conflict(client: TestClient) -> None:
    register_diabetes(client)
    before = quads(client)
    response = client.post("/api/v1/records", content=diabetes_turtle(), headers=TTL)
    assert response.status_code == 409
    assert "already exist" in response.json()["message"]
    assert quads(client) == before


def test_delete_refuses_while_others_depend_unless_cascade(client: TestClient) -> None:
    register_diabetes(client)
    refused = client.delete("/api/v1/datasets/dataset-diabetes", headers=WRITER)
    assert refused.status_code == 409
    assert BASE + "model-diabetes-predictor" in refused.json()["nodes"]
    leaf = client.delete("/api/v1/evaluations/evaluation-diabetes-predictor-accuracy",
                         headers=WRITER)
    assert leaf.status_code == 200
    assert client.get("/api/v1/evaluations/evaluation-diabetes-predictor-accuracy"
                      ).status_code == 404
    cascade = client.delete("/api/v1/datasets/dataset-diabetes", params={"cascade": "true"},
                            headers=WRITER)
    assert cascade.status_code == 200, cascade.text
    deleted = set(cascade.json()["deleted"])
    assert {BASE + "dataset-diabetes", BASE + "model-diabetes-predictor",
            BASE + "operation-train-diabetes-predictor"} <= deleted
    assert client.get("/api/v1/sources/source-hospital-ehr").status_code == 200


def test_writes_leave_an_audit_trail(client: TestClient) -> None:
    register_diabetes(client)
    client.delete("/api/v1/evaluations/evaluation-diabetes-predictor-accuracy", headers=ADMIN)
    query = """PREFIX ml: <https://w3id.org/modellake#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT ?action ?who ?role WHERE { ?e a ml:WriteEvent ; ml:action ?action ;
      ml:principalName ?who ; ml:principalRole ?role ; prov:startedAtTime ?t } ORDER BY ?t"""
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert [(r["action"]["value"], r["role"]["value"]) for r in rows] == [
        ("create", "writer"), ("delete", "admin")]
    assert rows[1]["who"]["value"] == "ada"


# -- bad input: a clear 4xx, and the store exactly as it was -------------------------------------

BAD_BODIES = [
    ("text/turtle", "@prefix ml: <https://w3id.org/modellake#> . <a> a ml:Person ; ", 400,
     "does not parse"),
    ("application/ld+json", '{"@id": "x", ', 400, "not valid JSON"),
    ("application/ld+json", '{"@context": "https://evil.example.org/ctx.jsonld", "@id": "x", '
     '"@type": "https://w3id.org/modellake#Person"}', 400, "not fetched"),
    ("application/ld+json", '{"@context": [{"@import": "https://evil.example.org/c"}], '
     '"@id": "x"}', 400, "@import"),
    ("application/rdf+xml", "<rdf:RDF/>", 400, "RDF/XML"),
    ("application/n-triples",
     '<https://w3id.org/modellake/id/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
     '"1"^^<https://x.org/t\\u003E> .\n', 400, "character '>'"),
    ("text/turtle", "", 400, "empty"),
    ("text/csv", "a,b\n", 400, "unsupported media type"),
    ("text/turtle", PREFIXES + '<x> dct:title "no type" .', 400, "no node"),
    ("text/turtle", PREFIXES + f'<{BASE}m> a ml:Model ; dct:title "M" ; ml:usesAlgorithm '
     f'ml:SupportVectorMachine ; ml:administrator <{BASE}agent-nobody> ; ml:trainedOn '
     f'<{BASE}dataset-nowhere> ; dct:created "2024-01-01"^^xsd:date .', 422, "dataset-nowhere"),
    ("text/turtle", PREFIXES + f'<{BASE}m> a ml:Model ; dct:title "No algorithm" .', 422,
     "shapes"),
    ("text/turtle", PREFIXES + 'ml:Accuracy a ml:Person ; foaf:name "x" .', 400,
     "own namespace"),
]


@pytest.mark.parametrize(("media", "body", "status", "message"), BAD_BODIES,
                         ids=[f"{i}-{b[3][:20]}" for i, b in enumerate(BAD_BODIES)])
def test_bad_rdf_is_refused_and_changes_nothing(
    client: TestClient, media: str, body: str, status: int, message: str,
) -> None:
    register_diabetes(client)
    before = quads(client)
    response = client.post("/api/v1/records", content=body.encode(),
                           headers={**WRITER, "Content-Type": media})
    assert response.status_code == status, response.text
    assert message in response.json()["message"]
    assert quads(client) == before


def test_a_violation_report_names_focus_node_path_and_message(client: TestClient) -> None:
    body = PREFIXES + f'<{BASE}m> a ml:Model ; dct:title "No algorithm" .'
    response = client.post("/api/v1/records", content=body, headers=TTL)
    assert response.status_code == 422
    violations = response.json()["violations"]
    algorithm = [v for v in violations if v["path"] == "ml:usesAlgorithm"]
    assert algorithm and algorithm[0]["focus_node"] == BASE + "m"
    assert algorithm[0]["severity"] == "Violation" and algorithm[0]["message"]


def test_unknown_reference_names_the_missing_node(client: TestClient) -> None:
    register_diabetes(client)
    body = PREFIXES + (
        f'<{BASE}m2> a ml:Model ; dct:title "M2" ; ml:usesAlgorithm ml:RandomForest ; '
        f'ml:administrator <{BASE}agent-tim> ; ml:trainedOn <{BASE}dataset-unknown> ; '
        f'dct:created "2024-01-01"^^xsd:date .')
    response = client.post("/api/v1/records", content=body, headers=TTL)
    assert response.status_code == 422
    missing = response.json()["missing"]
    assert missing == [{"subject": BASE + "m2", "predicate": str(ML.trainedOn),
                        "object": BASE + "dataset-unknown"}]


HOSTILE = 'Model "> } ; DROP ALL ; #\nline two\t— Ünïcødé 模型 \\u0022 \\'


def test_hostile_title_round_trips_exactly(client: TestClient) -> None:
    register_diabetes(client)
    response = client.post("/api/v1/agents", headers=WRITER,
                           json={"id": "agent-hostile", "kind": "person", "name": HOSTILE})
    assert response.status_code == 201, response.text
    got = Graph().parse(data=client.get("/api/v1/agents/agent-hostile").text, format="json-ld")
    assert {str(o) for o in got.objects(None, URIRef("http://xmlns.com/foaf/0.1/name"))} == {
        HOSTILE}
    listed = client.get("/api/v1/agents", params={"q": "DROP ALL"}).json()
    assert [i["title"] for i in listed["items"]] == [HOSTILE]


@pytest.mark.parametrize("bad_id", ['x"> } ; DROP ALL ; #', "a b", "../etc", "ünï"])
def test_hostile_ids_are_refused(client: TestClient, bad_id: str) -> None:
    before = quads(client)
    response = client.post("/api/v1/agents", headers=WRITER,
                           json={"id": bad_id, "kind": "person", "name": "x"})
    assert response.status_code == 422
    assert quads(client) == before


def test_body_over_the_limit_is_413(client: TestClient) -> None:
    before = quads(client)
    big = PREFIXES + f'<{BASE}a> a ml:Person ; foaf:name "{"x" * 300_000}" .'
    response = client.post("/api/v1/records", content=big, headers=TTL)
    assert response.status_code == 413
    assert quads(client) == before


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401), ({"Authorization": "Bearer wrong"}, 401), ({"Authorization": "Basic abc"}, 401),
    (READER, 403),
])
def test_writes_need_a_writer_token(client: TestClient, headers: dict[str, str],
                                    status: int) -> None:
    before = quads(client)
    response = client.post("/api/v1/records", content=diabetes_turtle(),
                           headers={**headers, "Content-Type": "text/turtle"})
    assert response.status_code == status
    assert response.json()["message"]
    assert quads(client) == before
    assert user_quads(client) == set()


def test_reads_can_be_protected(store: object) -> None:
    from modellake.api import create_app
    from modellake.settings import Settings

    settings = Settings(tokens={"r-token": "reader", "w-token": "writer"}, open_reads=False)
    with TestClient(create_app(settings, store=store)) as closed:  # type: ignore[arg-type]
        assert closed.get("/api/v1/models").status_code == 401
        assert closed.get("/sparql", params={"query": "ASK {}"}).status_code == 401
        assert closed.get("/api/v1/models", headers=READER).status_code == 200
        assert closed.get("/healthz").status_code == 200  # health stays open for probes


def test_validation_cost_follows_the_write_not_the_lake(client: TestClient) -> None:
    """The validator sees the new nodes and the types of what they reference, never the lake."""
    register_diabetes(client)
    lake = client.app.state.lake  # type: ignore[attr-defined]
    for i in range(30):  # grow the lake with unrelated nodes
        client.post("/api/v1/agents", json={"id": f"agent-{i}", "kind": "person",
                                            "name": f"Person {i}"}, headers=WRITER)
    seen: list[int] = []
    original = lake.validator.validate

    def spy(data: Graph, **kwargs: object) -> object:
        context = kwargs.get("context")
        seen.append(len(data) + (len(context) if context is not None else 0))  # type: ignore[arg-type]
        return original(data, **kwargs)

    lake.validator.validate = spy
    body = PREFIXES + (
        f'<{BASE}m3> a ml:Model ; dct:title "M3" ; ml:usesAlgorithm ml:RandomForest ; '
        f'ml:administrator <{BASE}agent-tim> ; ml:trainedOn <{BASE}dataset-diabetes> ; '
        f'dct:created "2024-01-01"^^xsd:date .')
    assert client.post("/api/v1/records", content=body, headers=TTL).status_code == 201
    (size,) = seen
    assert size < 40, f"validator saw {size} triples for a 6-triple write"
    assert len(user_quads(client)) > 400


def test_parts_live_in_their_nodes_graph(client: TestClient) -> None:
    """Features and meta-features minted under a data set's IRI are parts of it."""
    register_diabetes(client)
    ds = f"{BASE}dataset-iris"
    body = PREFIXES + f"""
    <{ds}> a ml:Dataset ; dct:title "Iris" ; ml:storageLocation "iris.csv" ;
        ml:owner <{BASE}agent-bob> ; dct:created "2024-01-01"^^xsd:date ;
        ml:hasMetafeatures <{ds}/metafeatures> ;
        ml:hasFeature <{ds}/feature/sepal_length> .
    <{ds}/metafeatures> a ml:DatasetMetafeatures ; ml:numberOfInstances 150 .
    <{ds}/feature/sepal_length> a ml:Feature ; ml:featureName "sepal length" .
    """
    response = client.post("/api/v1/records", content=body, headers=TTL)
    assert response.status_code == 201, response.text
    assert [n["iri"] for n in response.json()["nodes"]] == [ds]
    store = client.app.state.lake.store  # type: ignore[attr-defined]
    assert ds + "/feature/sepal_length" not in store.graphs()
    described = Graph().parse(data=client.get("/api/v1/datasets/dataset-iris",
                                              params={"format": "nt"}).text, format="nt")
    assert URIRef(ds + "/feature/sepal_length") in set(described.subjects())
    model = PREFIXES + f"""
    <{BASE}model-iris> a ml:Model ; dct:title "Iris model" ; ml:usesAlgorithm ml:DecisionTree ;
        ml:trainedOn <{ds}> ; ml:trainedOnFeature <{ds}/feature/sepal_length> ;
        ml:administrator <{BASE}agent-bob> ; dct:created "2024-01-02"^^xsd:date ."""
    assert client.post("/api/v1/records", content=model, headers=TTL).status_code == 201
    # Replacing the data set replaces its parts with it.
    etag = client.get("/api/v1/datasets/dataset-iris").headers["ETag"]
    smaller = body.replace(f"ml:hasFeature <{ds}/feature/sepal_length> .", ".").replace(
        f'<{ds}/feature/sepal_length> a ml:Feature ; ml:featureName "sepal length" .', "")
    assert client.put("/api/v1/datasets/dataset-iris", content=smaller,
                      headers={**TTL, "If-Match": etag}).status_code == 200
    after = store.graph(ds)
    assert URIRef(ds + "/feature/sepal_length") not in set(after.subjects())
