"""Real SPARQL clients and JSON-LD processors against a live server.

A uvicorn server runs the app in a background thread on a free loopback port, over an in-memory
embedded store holding the worked example (registered through the HTTP API with a writer token).
SPARQLWrapper, rdflib's SPARQLStore and Jena's ``rsparql`` query it; rdflib, pyld and Jena's
``riot`` must read every JSON-LD document it emits as the same graph. Jena comes from the pinned
Fuseki jar (``fuseki/install.sh``): without Java or the jar these tests skip, unless CI is set.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, JSONLD, TURTLE, XML, SPARQLWrapper

from modellake.api import create_app
from modellake.namespaces import DCAT, DCTERMS, ML, PROV, RDF
from modellake.settings import Settings
from modellake.store import EmbeddedStore

from .conftest import BASE, TOKENS, WRITER, diabetes_turtle

ROOT = Path(__file__).resolve().parents[2]
MODEL = URIRef(BASE + "model-diabetes-predictor")
SOURCE = URIRef(BASE + "source-hospital-ehr")
TITLE = Literal("Diabetes Predictor")
PREFIXES = ("PREFIX ml: <https://w3id.org/modellake#>\n"
            "PREFIX dct: <http://purl.org/dc/terms/>\n")
MODEL_TITLE = PREFIXES + f"SELECT ?title WHERE {{ <{MODEL}> dct:title ?title }}"
TITLES = PREFIXES + "CONSTRUCT { ?m dct:title ?t } WHERE { ?m a ml:Model ; dct:title ?t }"
JAVA_OPTS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"]


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    """The app under uvicorn in a background thread, with the worked example registered."""
    settings = Settings(tokens=TOKENS, sparql_result_limit=500)
    app = create_app(settings, store=EmbeddedStore())
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # a free port, held from now on: no race with other processes
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    try:
        response = httpx.post(f"{base}/api/v1/records", content=diabetes_turtle(),
                              headers={**WRITER, "Content-Type": "text/turtle"}, timeout=30)
        assert response.status_code == 201, response.text
        yield LiveServer(base)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def jena_jar() -> str:
    """The Fuseki jar, which holds Jena's command-line tools; skip (fail under CI) without it."""
    problem = None
    if shutil.which("java") is None:
        problem = "Java is not installed"
    else:
        proc = subprocess.run(["bash", str(ROOT / "fuseki" / "install.sh")],
                              capture_output=True, text=True, timeout=600)
        if proc.returncode == 0 and proc.stdout.strip():
            return proc.stdout.strip().splitlines()[-1]
        problem = f"no Fuseki jar: {proc.stderr.strip() or proc.stdout.strip()}"
    if os.environ.get("CI"):
        pytest.fail(problem)
    pytest.skip(problem)


def _java(jar: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(["java", *JAVA_OPTS, "-cp", jar, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, f"{proc.args!r}: {err or out}"
    return out


# -- SPARQLWrapper ---------------------------------------------------------------------------

def _wrapper(live: LiveServer, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(live.sparql)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setTimeout(10)
    return sparql


def test_sparqlwrapper_select_as_json_and_xml(live: LiveServer) -> None:
    for method in ("GET", "POST"):
        body = _wrapper(live, MODEL_TITLE, JSON, method).queryAndConvert()
        assert isinstance(body, dict)
        assert body["head"]["vars"] == ["title"]
        assert [b["title"]["value"] for b in body["results"]["bindings"]] == [str(TITLE)]

        document: Any = _wrapper(live, MODEL_TITLE, XML, method).queryAndConvert()
        literals = document.getElementsByTagName("literal")
        assert [node.firstChild.data for node in literals] == [str(TITLE)]


def test_sparqlwrapper_ask(live: LiveServer) -> None:
    yes = _wrapper(live, PREFIXES + f"ASK {{ <{MODEL}> a ml:Model }}", JSON).queryAndConvert()
    assert yes == {"head": {}, "boolean": True}
    no: Any = _wrapper(live, PREFIXES + f"ASK {{ <{MODEL}> a ml:Dataset }}", XML).queryAndConvert()
    assert no.getElementsByTagName("boolean")[0].firstChild.data == "false"


def test_sparqlwrapper_construct(live: LiveServer) -> None:
    as_turtle = _wrapper(live, TITLES, TURTLE).queryAndConvert()
    assert isinstance(as_turtle, bytes)
    graph = Graph().parse(data=as_turtle.decode(), format="turtle")
    assert set(graph) == {(MODEL, DCTERMS.title, TITLE)}
    as_jsonld = _wrapper(live, TITLES, JSONLD).queryAndConvert()  # SPARQLWrapper parses it
    assert isinstance(as_jsonld, Graph)
    assert isomorphic(as_jsonld, graph)


# -- rdflib's SPARQLStore --------------------------------------------------------------------

def test_rdflib_sparqlstore_as_a_graph(live: LiveServer) -> None:
    graph = Graph(store=SPARQLStore(query_endpoint=live.sparql, returnFormat="xml"))
    rows = list(graph.query(MODEL_TITLE))
    assert [row.title for row in rows] == [TITLE]  # type: ignore[union-attr]
    assert graph.query(PREFIXES + f"ASK {{ <{MODEL}> a ml:Model }}").askAnswer is True
    assert list(graph.triples((MODEL, DCTERMS.title, None))) == [(MODEL, DCTERMS.title, TITLE)]
    trained_on = set(graph.objects(MODEL, ML.trainedOn))
    assert trained_on == {URIRef(BASE + "dataset-diabetes")}
    assert (MODEL, DCTERMS.title, TITLE) in graph
    as_json = Graph(store=SPARQLStore(query_endpoint=live.sparql, returnFormat="json"))
    assert [row.title for row in as_json.query(MODEL_TITLE)] == [TITLE]  # type: ignore[union-attr]


# -- Jena ------------------------------------------------------------------------------------

def test_jena_rsparql(live: LiveServer, jena_jar: str, tmp_path: Path) -> None:
    query_file = tmp_path / "title.rq"
    query_file.write_text(MODEL_TITLE, encoding="utf-8")
    procs = {fmt: _java(jena_jar, "arq.rsparql", "--service", live.sparql,
                        "--query", str(query_file), f"--results={fmt}")
             for fmt in ("CSV", "JSON")}
    as_csv = _finish(procs["CSV"])
    assert as_csv.splitlines()[-2:] == ["title", str(TITLE)]
    as_json = json.loads(_finish(procs["JSON"]))
    assert [b["title"]["value"] for b in as_json["results"]["bindings"]] == [str(TITLE)]


# Every endpoint that emits JSON-LD, with the query and headers that make it do so.
OFFICER = {"Authorization": "Bearer o-token"}
JSONLD_ENDPOINTS: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    "node": ("/api/v1/models/model-diabetes-predictor", {}, {}),
    "lineage": ("/api/v1/models/model-diabetes-predictor/lineage", {}, {}),
    "impact": ("/api/v1/datasets/dataset-diabetes-raw/impact", {}, {}),
    "family": ("/api/v1/models/model-diabetes-predictor/family", {}, {}),
    "lineage-prov": ("/api/v1/models/model-diabetes-predictor/lineage", {"profile": "prov"}, {}),
    "impact-prov": ("/api/v1/datasets/dataset-diabetes-raw/impact", {"profile": "prov"}, {}),
    "catalog": ("/api/v1/catalog", {}, {}),
    "catalog-mldcat": ("/api/v1/catalog", {"profile": "mldcat-ap"}, {}),
    "named-query": ("/api/v1/queries/lineage/upstream", {"node": str(MODEL)}, {}),
    "construct": ("/sparql", {"query": TITLES.replace("?m a ml:Model ;", "?m a ?class ;")}, {}),
    "compliance": ("/api/v1/compliance", {"format": "jsonld"}, OFFICER),
}
RIOT_AT_ONCE = 3  # each riot run starts a JVM; the machine has two cores


@pytest.fixture(scope="module")
def documents(live: LiveServer, jena_jar: str, tmp_path_factory: pytest.TempPathFactory,
              ) -> dict[str, tuple[str, Graph]]:
    """Each JSON-LD document the server emits, with the graph Jena's riot reads in it."""
    folder = tmp_path_factory.mktemp("jsonld")
    texts: dict[str, str] = {}
    for name, (path, params, headers) in JSONLD_ENDPOINTS.items():
        response = httpx.get(live.url + path, params=params, timeout=60,
                             headers={"Accept": "application/ld+json", **headers})
        assert response.status_code == 200, f"{name}: {response.text}"
        assert response.headers["content-type"].startswith("application/ld+json"), name
        texts[name] = response.text
        (folder / f"{name}.jsonld").write_text(response.text, encoding="utf-8")
    out: dict[str, tuple[str, Graph]] = {}
    names = list(texts)
    for start in range(0, len(names), RIOT_AT_ONCE):
        # N-Quads out: Jena logs to stdout, and warns there when N-Triples are asked of JSON-LD.
        procs = {name: _java(jena_jar, "riotcmd.riot", "--syntax=jsonld", "--output=nq",
                             str(folder / f"{name}.jsonld"))
                 for name in names[start:start + RIOT_AT_ONCE]}
        for name, proc in procs.items():
            # Without named graphs every N-Quads line is an N-Triples line (else this fails).
            out[name] = (texts[name], Graph().parse(data=_finish(proc), format="nt"))
    return out


def _no_remote_documents(url: str, options: object = None) -> object:
    raise AssertionError(f"pyld was asked to fetch {url}: our JSON-LD must be self-contained")


@pytest.mark.parametrize("name", list(JSONLD_ENDPOINTS))
def test_jsonld_means_the_same_graph_to_rdflib_pyld_and_riot(
    documents: dict[str, tuple[str, Graph]], name: str,
) -> None:
    text, by_riot = documents[name]
    by_rdflib = Graph().parse(data=text, format="json-ld")
    nquads = jsonld.to_rdf(json.loads(text), {"format": "application/n-quads",
                                              "documentLoader": _no_remote_documents})
    by_pyld = Graph().parse(data=nquads, format="nt")
    assert len(by_rdflib) > 0
    assert isomorphic(by_rdflib, by_pyld), f"{name}: rdflib and pyld disagree"
    assert isomorphic(by_rdflib, by_riot), f"{name}: rdflib and Jena riot disagree"
    if name == "lineage":
        assert (SOURCE, DCTERMS.title, Literal("Hospital EHR extract")) in by_riot
        assert len(by_riot) > 100
    if name == "node":
        assert (MODEL, DCTERMS.title, TITLE) in by_riot
    if name.startswith("catalog"):
        assert (URIRef(BASE + "catalog"), RDF.type, DCAT.Catalog) in by_riot
    if name.endswith("-prov"):
        assert (MODEL, PROV.wasGeneratedBy, None) in by_riot
