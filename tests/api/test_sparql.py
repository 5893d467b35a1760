"""The read-only SPARQL 1.1 Protocol endpoint (/sparql), on both stores.

Every format a SELECT, ASK, CONSTRUCT or DESCRIBE can be answered in (by Accept and by
``?format=``), GET and both POST bodies, the result cap, and the refusals: updates in any
disguise, SERVICE, malformed and empty queries, and the time limit. A refusal is a 4xx whose
message says why, and leaves the store exactly as it was.
"""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from modellake.lake import Lake
from modellake.namespaces import DCTERMS, ML, ONTOLOGY_GRAPH, XSD
from modellake.settings import Settings
from modellake.store import EmbeddedStore, RemoteStore, Store, open_store

from .conftest import BASE, WRITER, register_diabetes

MODEL = URIRef(BASE + "model-diabetes-predictor")
PREFIXES = ("PREFIX ml: <https://w3id.org/modellake#>\n"
            "PREFIX dct: <http://purl.org/dc/terms/>\n")
MODELS = PREFIXES + """SELECT ?model ?title ?created WHERE {
  ?model a ml:Model ; dct:title ?title ; dct:created ?created .
} ORDER BY ?model"""
EXPECTED_ROW = {"model": MODEL, "title": Literal("Diabetes Predictor"),
                "created": Literal("2024-02-26", datatype=XSD.date)}
TITLES = PREFIXES + "CONSTRUCT { ?m dct:title ?t } WHERE { ?m a ml:Model ; dct:title ?t }"
ONTOLOGY_TRIPLES = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
SRX = "{http://www.w3.org/2005/sparql-results#}"
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}


def quads(client: TestClient) -> set[tuple[object, ...]]:
    return client.app.state.lake.store.quads()  # type: ignore[attr-defined,no-any-return]


def refused(response: Response, *words: str, status: int = 400) -> str:
    """Assert a refusal with the status and a message containing ``words``; return it."""
    assert response.status_code == status, response.text
    message: str = response.json()["message"]
    for word in words:
        assert word.lower() in message.lower(), message
    return message


# -- SELECT in every format ------------------------------------------------------------------

def _as_dicts(result: Result) -> list[dict[str, Any]]:
    return [dict(row.asdict()) for row in result]  # type: ignore[union-attr]


def _rows_from_json(response: Response) -> list[dict[str, Any]]:
    result = Result.parse(io.BytesIO(response.content), format="json")
    return _as_dicts(result)


def _rows_from_xml(response: Response) -> list[dict[str, Any]]:
    # The standard library sees well-formed SPARQL XML in the right namespace …
    root = ET.fromstring(response.content)
    assert root.tag == f"{SRX}sparql"
    assert [v.get("name") for v in root.iter(f"{SRX}variable")] == ["model", "title", "created"]
    first = {b.get("name"): b for b in root.iter(f"{SRX}binding")}
    assert first["model"].findtext(f"{SRX}uri") == str(MODEL)
    created = first["created"].find(f"{SRX}literal")
    assert created is not None and created.get("datatype") == str(XSD.date)
    # … and rdflib's SPARQL XML results parser reads the same terms.
    result = Result.parse(io.BytesIO(response.content), format="xml")
    return _as_dicts(result)


def _rows_from_csv(response: Response) -> list[dict[str, Any]]:
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["model", "title", "created"]
    # CSV has no term types: plain strings, as SPARQL 1.1 CSV defines.
    assert rows[1] == [str(MODEL), "Diabetes Predictor", "2024-02-26"]
    return [dict(EXPECTED_ROW)] if len(rows) == 2 else []


def _rows_from_tsv(response: Response) -> list[dict[str, Any]]:
    assert response.text.splitlines()[0] == "?model\t?title\t?created"
    result = Result.parse(io.BytesIO(response.content), format="tsv")
    return _as_dicts(result)


def _rows_from_html(response: Response) -> list[dict[str, Any]]:
    text = response.text
    assert "<table>" in text and "<th>model</th><th>title</th><th>created</th>" in text
    assert f'<a href="{MODEL}">' in text and "<td>Diabetes Predictor</td>" in text
    assert text.count("<tr>") == 2  # header + one solution
    return [dict(EXPECTED_ROW)]


SELECT_FORMATS = [
    ("json", "application/sparql-results+json", _rows_from_json),
    ("xml", "application/sparql-results+xml", _rows_from_xml),
    ("csv", "text/csv", _rows_from_csv),
    ("tsv", "text/tab-separated-values", _rows_from_tsv),
    ("html", "text/html", _rows_from_html),
]


def test_select_in_every_format_by_accept_and_by_format_parameter(client: TestClient) -> None:
    register_diabetes(client)
    for name, media_type, read in SELECT_FORMATS:
        by_accept = client.get("/sparql", params={"query": MODELS},
                               headers={"Accept": f"text/plain;q=0.1, {media_type}"})
        by_param = client.get("/sparql", params={"query": MODELS, "format": name},
                              headers={"Accept": "application/sparql-results+json"})
        for response in (by_accept, by_param):
            assert response.status_code == 200, (name, response.text)
            assert response.headers["content-type"].split(";")[0] == media_type
            assert "Accept" in response.headers["vary"]
            assert "x-results-truncated" not in response.headers
            assert read(response) == [EXPECTED_ROW], name
    # No Accept (or */*) gives SPARQL JSON; application/json is read as SPARQL JSON too.
    for accept in (None, "*/*", "application/json"):
        headers = {"Accept": accept} if accept else {}
        response = client.get("/sparql", params={"query": MODELS}, headers=headers)
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert _rows_from_json(response) == [EXPECTED_ROW]
    bad = client.get("/sparql", params={"query": MODELS, "format": "rdfxml"})
    refused(bad, "unknown format", "json")


def test_unbound_variables_and_typed_values(client: TestClient) -> None:
    register_diabetes(client)
    query = PREFIXES + """SELECT ?node ?licence ?n WHERE {
      ?node ml:numberOfInstances ?n . OPTIONAL { ?node dct:license ?licence }
    }"""
    body = client.get("/sparql", params={"query": query}).json()
    assert body["head"]["vars"] == ["node", "licence", "n"]
    [row] = body["results"]["bindings"]
    assert "licence" not in row  # unbound: left out, as SPARQL JSON says
    assert row["n"] == {"type": "literal", "value": "2358", "datatype": str(XSD.integer)}
    tsv = client.get("/sparql", params={"query": query, "format": "tsv"}).text.splitlines()
    assert tsv[1].split("\t")[1] == ""
    assert client.get("/sparql", params={"query": query, "format": "csv"}).text.splitlines()[
        1].endswith(",,2358")


def test_ask(client: TestClient) -> None:
    register_diabetes(client)
    yes = PREFIXES + f"ASK {{ <{MODEL}> a ml:Model }}"
    no = PREFIXES + f"ASK {{ <{MODEL}> a ml:Dataset }}"
    assert client.get("/sparql", params={"query": yes}).json() == {"head": {}, "boolean": True}
    assert client.get("/sparql", params={"query": no}).json()["boolean"] is False
    as_xml = client.get("/sparql", params={"query": yes},
                        headers={"Accept": "application/sparql-results+xml"})
    assert as_xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert ET.fromstring(as_xml.content).findtext(f"{SRX}boolean") == "true"
    assert Result.parse(io.BytesIO(as_xml.content), format="xml").askAnswer is True
    as_csv = client.get("/sparql", params={"query": no, "format": "csv"})
    assert as_csv.text.split() == ["boolean", "false"]
    assert "<p>true</p>" in client.get("/sparql", params={"query": yes, "format": "html"}).text


# -- CONSTRUCT and DESCRIBE ------------------------------------------------------------------

def _graphs(client: TestClient, query: str) -> list[Graph]:
    """The answer as JSON-LD (default), Turtle (by Accept) and N-Triples (by ?format=)."""
    as_jsonld = client.get("/sparql", params={"query": query})
    as_turtle = client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    as_nt = client.get("/sparql", params={"query": query, "format": "ntriples"})
    graphs = []
    for response, media_type, syntax in ((as_jsonld, "application/ld+json", "json-ld"),
                                         (as_turtle, "text/turtle", "turtle"),
                                         (as_nt, "application/n-triples", "nt")):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media_type
        graphs.append(Graph().parse(data=response.text, format=syntax))
    assert json.loads(as_jsonld.text)["@context"]  # compacted with the published context
    return graphs


def test_construct_in_jsonld_turtle_and_ntriples(client: TestClient) -> None:
    register_diabetes(client)
    by_jsonld, by_turtle, by_nt = _graphs(client, TITLES)
    assert set(by_nt) == {(MODEL, DCTERMS.title, Literal("Diabetes Predictor"))}
    assert isomorphic(by_jsonld, by_turtle) and isomorphic(by_turtle, by_nt)
    # ?format= may also be a list of media types, as SPARQLWrapper sends it.
    listed = client.get("/sparql", params={
        "query": TITLES, "format": "application/ld+json,application/x-json+ld"})
    assert listed.headers["content-type"].startswith("application/ld+json")
    assert isomorphic(Graph().parse(data=listed.text, format="json-ld"), by_nt)
    # A results format makes no sense for a graph: refused, saying which formats there are.
    refused(client.get("/sparql", params={"query": TITLES, "format": "csv"}), "turtle")


def test_describe_in_jsonld_turtle_and_ntriples(client: TestClient) -> None:
    register_diabetes(client)
    by_jsonld, by_turtle, by_nt = _graphs(client, f"DESCRIBE <{MODEL}>")
    assert isomorphic(by_jsonld, by_turtle) and isomorphic(by_turtle, by_nt)
    assert (MODEL, DCTERMS.title, Literal("Diabetes Predictor")) in by_nt
    assert (MODEL, ML.trainedOn, URIRef(BASE + "dataset-diabetes")) in by_nt


# -- POST --------------------------------------------------------------------------------------

def test_post_as_sparql_query_body_and_as_form(client: TestClient) -> None:
    register_diabetes(client)
    as_body = client.post("/sparql", content=MODELS.encode(), headers=SPARQL_QUERY)
    assert as_body.status_code == 200, as_body.text
    assert _rows_from_json(as_body) == [EXPECTED_ROW]
    charset = client.post("/sparql", content=MODELS.encode(), params={"format": "csv"},
                          headers={"Content-Type": "application/sparql-query; charset=UTF-8"})
    assert charset.headers["content-type"].startswith("text/csv")
    assert _rows_from_csv(charset) == [EXPECTED_ROW]
    as_form = client.post("/sparql", data={"query": MODELS},
                          headers={"Accept": "application/sparql-results+xml"})
    assert as_form.status_code == 200, as_form.text
    assert _rows_from_xml(as_form) == [EXPECTED_ROW]
    construct = client.post("/sparql", data={"query": TITLES}, headers={"Accept": "text/turtle"})
    assert (MODEL, DCTERMS.title, Literal("Diabetes Predictor")) in Graph().parse(
        data=construct.text, format="turtle")
    other = client.post("/sparql", content=MODELS.encode(), headers={"Content-Type": "text/plain"})
    refused(other, "application/sparql-query")


# -- the result cap ----------------------------------------------------------------------------

def test_results_are_cut_at_the_limit(client: TestClient) -> None:
    # The fixture sets sparql_result_limit=500; the ontology graph alone has more triples.
    select = client.get("/sparql", params={"query": ONTOLOGY_TRIPLES})
    assert select.status_code == 200
    assert len(select.json()["results"]["bindings"]) == 500
    assert select.headers["x-results-truncated"] == "limit 500"
    as_csv = client.get("/sparql", params={"query": ONTOLOGY_TRIPLES, "format": "csv"})
    assert len(as_csv.text.splitlines()) == 501 and "x-results-truncated" in as_csv.headers
    as_html = client.get("/sparql", params={"query": ONTOLOGY_TRIPLES, "format": "html"})
    assert as_html.text.count("<tr>") == 501 and "cut at the limit" in as_html.text
    construct = client.get("/sparql", params={
        "query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}",
        "format": "ntriples"})
    assert len(Graph().parse(data=construct.text, format="nt")) == 500
    assert construct.headers["x-results-truncated"] == "limit 500"
    # Exactly at the limit is not cut.
    exact = client.get("/sparql", params={"query": ONTOLOGY_TRIPLES + " LIMIT 500"})
    assert len(exact.json()["results"]["bindings"]) == 500
    assert "x-results-truncated" not in exact.headers


# -- refusals ----------------------------------------------------------------------------------

INSERT = ("INSERT DATA { GRAPH <https://x.org/g> "
          "{ <https://x.org/a> <https://x.org/b> <https://x.org/c> } }")
UPDATES = [
    INSERT,
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DROP ALL",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR DEFAULT",
    f"DELETE DATA {{ GRAPH <{MODEL}> {{ <{MODEL}> <http://purl.org/dc/terms/title> "
    '"Diabetes Predictor" } }',
    f"WITH <{MODEL}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    PREFIXES + "# a comment with a 'quote' and SELECT in it\nINSERT DATA { <https://x.org/a> "
    "dct:title 'x' }",
    "# leading comment\nPREFIX : <http://x.org/ns#>\nBASE <http://x.org/>\n  drop   all ;\n",
    "PREFIX dct: <http://purl.org/dc/terms/> #SELECT\n\n\tdelete where { ?s dct:title ?t }",
]


def test_updates_are_refused_in_every_disguise(client: TestClient) -> None:
    register_diabetes(client)
    before = quads(client)
    # The protocol's own ways of sending an update.
    refused(client.get("/sparql", params={"update": "DROP ALL"}), "read-only")
    refused(client.get("/sparql", params={"update": INSERT, "query": "ASK {}"}), "read-only")
    refused(client.post("/sparql", content=b"DROP ALL",
                        headers={"Content-Type": "application/sparql-update"}), "read-only")
    refused(client.post("/sparql", data={"update": "DROP ALL"}), "read-only")
    refused(client.post("/sparql", data={"update": "DROP ALL", "query": "ASK {}"}), "read-only")
    assert quads(client) == before
    # An update text where a query belongs: GET, POST body, POST form.
    for text in UPDATES:
        refused(client.get("/sparql", params={"query": text}), "read-only", "update")
        refused(client.post("/sparql", content=text.encode(), headers=SPARQL_QUERY), "read-only")
        refused(client.post("/sparql", data={"query": text}), "read-only")
        assert quads(client) == before, text


SERVICES = [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE<http://example.org/sparql>{ ?s ?p ?o } }",
    "SELECT * WHERE { BIND (<http://example.org/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    PREFIXES + """SELECT ?s WHERE {
      ?s a ml:Model .
      { SELECT ?s WHERE { Service <http://example.org/sparql> { ?s dct:title ?t } } LIMIT 1 }
    }""",
    "ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
]


def test_service_is_refused(client: TestClient) -> None:
    register_diabetes(client)
    before = quads(client)
    for text in SERVICES:
        refused(client.get("/sparql", params={"query": text}), "SERVICE", "not allowed")
        refused(client.post("/sparql", data={"query": text}), "SERVICE")
        refused(client.post("/sparql", content=text.encode(), headers=SPARQL_QUERY), "SERVICE")
    assert quads(client) == before


def test_the_word_service_in_strings_iris_and_comments_is_harmless(client: TestClient) -> None:
    query = ('SELECT ?x ?y WHERE { BIND ("SERVICE <http://x.org/>" AS ?x) '
             "BIND (<https://x.org/SERVICE> AS ?y) } # SERVICE <http://x.org/>")
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    [row] = response.json()["results"]["bindings"]
    assert row["x"]["value"] == "SERVICE <http://x.org/>"
    # An update keyword inside a string or a comment does not make a query an update either.
    insert = "# INSERT DATA\nSELECT ?x WHERE { BIND ('DROP ALL' AS ?x) }"
    assert client.get("/sparql", params={"query": insert}).json()["results"]["bindings"][0][
        "x"]["value"] == "DROP ALL"


def test_malformed_query_is_400_with_the_stores_message(client: TestClient) -> None:
    before = quads(client)
    for text in ("SELEC ?x WHERE { ?x ?y ?z }", "SELECT ?x WHERE { ?x ?y }",
                 "SELECT * WHERE { ?s <not an iri> ?o }"):
        for response in (client.get("/sparql", params={"query": text}),
                         client.post("/sparql", content=text.encode(), headers=SPARQL_QUERY)):
            message = refused(response, "rejected")
            assert response.json()["error"] == "QueryRejectedError"
            # Whatever the store said (a position, a token) is passed on.
            detail = message.split(":", 1)[1]
            assert len(detail.strip()) > 5, message
    assert quads(client) == before


def test_empty_query_is_400(client: TestClient) -> None:
    for response in (
        client.get("/sparql"),
        client.get("/sparql", params={"query": ""}),
        client.get("/sparql", params={"query": "  \n\t "}),
        client.post("/sparql", content=b"", headers=SPARQL_QUERY),
        client.post("/sparql", data={"query": ""}),
        client.post("/sparql", data={"format": "json"}),
    ):
        refused(response, "no query")


# -- the time limit ----------------------------------------------------------------------------

# On the embedded store the limit is checked between solutions: a cross join of the ontology
# graph with itself streams half a million of them.
STREAMING = (f"SELECT * WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?a ?p ?x }} "
             f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?b ?q ?y }} }}")
# On Fuseki the server has to sort the whole cross join before the first byte (1-2 s here).
HEAVY = STREAMING + " ORDER BY RAND() LIMIT 1"


def test_query_over_the_time_limit_is_a_4xx(
    client: TestClient, store: Store, request: pytest.FixtureRequest,
) -> None:
    lake: Lake = client.app.state.lake  # type: ignore[attr-defined]
    before = quads(client)
    if isinstance(store, EmbeddedStore):
        # Settings.query_timeout_s becomes the embedded store's limit …
        assert open_store(Settings(query_timeout_s=0.25)).query_timeout_s == 0.25  # type: ignore[attr-defined]
        # … which this test makes tiny for a moment.
        store.query_timeout_s = 0.0001
        short_lake = lake
        query = STREAMING
    else:
        # The session's Fuseki stops queries after 20 s, too long for a test: give the lake
        # a store whose own (client-side) limit is short instead.
        server = request.getfixturevalue("fuseki")
        short = lake.settings.model_copy(update={"query_timeout_s": 0.15})
        short_lake = Lake(RemoteStore(server.settings(query_timeout_s=0.15)), short)
        query = HEAVY
    client.app.state.lake = short_lake  # type: ignore[attr-defined]
    try:
        started = time.monotonic()
        response = client.get("/sparql", params={"query": query})
        elapsed = time.monotonic() - started
        message = refused(response, status=422)
        assert response.json()["error"] == "StoreTimeoutError"
        assert "time" in message.lower()
        assert elapsed < 1.5
        # The endpoint still answers small queries.
        ask = client.get("/sparql", params={"query": "ASK {}"})
        assert ask.status_code == 200 and ask.json()["boolean"] is True
    finally:
        client.app.state.lake = lake  # type: ignore[attr-defined]
        if isinstance(store, EmbeddedStore):
            store.query_timeout_s = 30.0
        else:
            short_lake.close()
    assert quads(client) == before


def test_construct_for_clients_that_ask_for_rdfxml_or_n3(client: TestClient) -> None:
    register_diabetes(client)
    query = ("CONSTRUCT { ?m <http://purl.org/dc/terms/title> ?t } WHERE { "
             "?m a <https://w3id.org/modellake#Model> ; <http://purl.org/dc/terms/title> ?t }")
    as_xml = client.get("/sparql", params={"query": query},
                        headers={"Accept": "application/rdf+xml"})
    assert as_xml.headers["content-type"].startswith("application/rdf+xml")
    as_n3 = client.get("/sparql", params={"query": query}, headers={"Accept": "text/n3"})
    assert as_n3.headers["content-type"].startswith("text/turtle")
    g1 = Graph().parse(data=as_xml.text, format="xml")
    g2 = Graph().parse(data=as_n3.text, format="n3")
    assert len(g1) == 1 and isomorphic(g1, g2)


def test_tsv_keeps_a_multi_line_literal_on_its_row(client: TestClient) -> None:
    body = PREFIXES + "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n" + (
        f'<{BASE}agent-x> a ml:Person ; foaf:name "Line one\\nline\\ttwo" .')
    assert client.post("/api/v1/records", content=body,
                       headers={**WRITER, "Content-Type": "text/turtle"}).status_code == 201
    query = ("PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
             "SELECT ?name WHERE { ?p foaf:name ?name }")
    response = client.get("/sparql", params={"query": query, "format": "tsv"})
    lines = response.text.splitlines()
    assert len(lines) == 2 and "\t" not in lines[1]
    parsed = Result.parse(io.BytesIO(response.content), format="tsv")
    assert [str(row[0]) for row in parsed] == ["Line one\nline\ttwo"]
