"""The store contract: every test runs on the embedded store and on a real Fuseki."""

from __future__ import annotations

import gzip
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from modellake.errors import (
    BindingError,
    QueryRejectedError,
    StoreError,
    StoreUnavailableError,
    UnsafeInputError,
)
from modellake.namespaces import ML, ONTOLOGY_GRAPH, SHAPES_GRAPH
from modellake.settings import Settings
from modellake.store import EmbeddedStore, RemoteStore, Store
from modellake.system_graphs import install_system_graphs

EX = "https://example.org/lake/"
G1, G2 = EX + "graph/one", EX + "graph/two"
HOSTILE = [
    '"> } ; DROP ALL ; #',
    "quote \" and 'single' and \\ backslash",
    "new\nline\r\ncarriage\ttab",
    "unicode: Ünïcødé — 模型 🤖",
    "control \x01\x07\x1f chars",
    "\\u0022 escaped-looking \\n text",
    "}} GRAPH <urn:x:y> { <urn:a:b> <urn:a:c> <urn:a:d> }",
]


def _graph(*triples: tuple[object, object, object]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)  # type: ignore[arg-type]
    return g


def _sample() -> Graph:
    s = URIRef(EX + "model/dp")
    return _graph(
        (s, URIRef(EX + "title"), Literal("Diabetes Predictor", lang="en")),
        (s, URIRef(EX + "accuracy"), Literal("0.9354", datatype=XSD.decimal)),
        (s, URIRef(EX + "folds"), Literal(5)),
        (s, URIRef(EX + "created"), Literal("2024-02-25", datatype=XSD.date)),
        (s, URIRef(EX + "kernel"), Literal("rbf")),
        (s, URIRef(EX + "trainedOn"), URIRef(EX + "dataset/diabetes")),
    )


def test_empty_store_counts_zero(store: Store) -> None:
    assert store.count() == 0
    assert store.graphs() == {}
    store.ping()


def test_load_graph_and_read_it_back(store: Store) -> None:
    g = _sample()
    store.load_graph(G1, g)
    assert store.count() == 6
    assert store.count(G1) == 6
    assert store.count(G2) == 0
    assert store.has_graph(G1) and not store.has_graph(G2)
    back = store.graph(G1)
    assert set(back) == set(g)
    assert store.graphs() == {G1: 6}


def test_queries_see_the_union_of_named_graphs(store: Store) -> None:
    store.load_graph(G1, _graph((URIRef(EX + "a"), URIRef(EX + "p"), Literal(1))))
    store.load_graph(G2, _graph((URIRef(EX + "b"), URIRef(EX + "p"), Literal(2))))
    rows = store.select(f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?o")
    assert [(r["s"], r["o"]) for r in rows] == [
        (URIRef(EX + "a"), Literal(1)), (URIRef(EX + "b"), Literal(2)),
    ]


def test_select_returns_equal_typed_terms(store: Store) -> None:
    store.load_graph(G1, _sample())
    rows = store.select(f"SELECT ?p ?o WHERE {{ <{EX}model/dp> ?p ?o }}")
    values = {str(r["p"]).removeprefix(EX): r["o"] for r in rows}
    assert values["title"] == Literal("Diabetes Predictor", lang="en")
    assert values["accuracy"] == Literal("0.9354", datatype=XSD.decimal)
    assert values["accuracy"].toPython() == Decimal("0.9354")
    assert values["folds"] == Literal("5", datatype=XSD.integer)
    assert values["created"] == Literal("2024-02-25", datatype=XSD.date)
    assert values["kernel"] == Literal("rbf")
    assert values["trainedOn"] == URIRef(EX + "dataset/diabetes")


def test_unbound_variables_are_left_out(store: Store) -> None:
    store.load_graph(G1, _sample())
    rows = store.select(
        f"SELECT ?s ?missing WHERE {{ ?s <{EX}kernel> ?k OPTIONAL {{ ?s <{EX}nope> ?missing }} }}"
    )
    assert rows == [{"s": URIRef(EX + "model/dp")}]


def test_ask_and_construct(store: Store) -> None:
    store.load_graph(G1, _sample())
    assert store.ask(f"ASK {{ <{EX}model/dp> <{EX}kernel> \"rbf\" }}")
    assert not store.ask(f"ASK {{ <{EX}model/dp> <{EX}kernel> \"linear\" }}")
    g = store.construct(f"CONSTRUCT {{ ?s <{EX}k> ?o }} WHERE {{ ?s <{EX}kernel> ?o }}")
    assert set(g) == {(URIRef(EX + "model/dp"), URIRef(EX + "k"), Literal("rbf"))}


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_literals_round_trip_exactly(store: Store, text: str) -> None:
    subject = URIRef(EX + "node")
    store.replace_graph(G1, _graph((subject, URIRef(EX + "title"), Literal(text))))
    assert store.graphs() == {G1: 1}
    (row,) = store.select(f"SELECT ?t WHERE {{ <{EX}node> <{EX}title> ?t }}")
    assert str(row["t"]) == text


def test_replace_graphs_is_one_atomic_change(store: Store) -> None:
    store.load_graph(G1, _sample())
    store.load_graph(G2, _graph((URIRef(EX + "x"), URIRef(EX + "p"), Literal("old"))))
    new = _graph((URIRef(EX + "x"), URIRef(EX + "p"), Literal("new")))
    store.replace_graphs({G2: new}, drop=[G1])
    assert store.graphs() == {G2: 1}
    assert set(store.graph(G2)) == set(new)


def test_a_write_with_a_bad_term_changes_nothing(store: Store) -> None:
    store.load_graph(G1, _sample())
    before = store.quads()
    bad = _graph(
        (URIRef(EX + "ok"), URIRef(EX + "p"), Literal("fine")),
        (URIRef(EX + "ok"), URIRef(EX + "p"), URIRef("https://evil.example/> } ; DROP ALL ; #")),
    )
    with pytest.raises(BindingError):
        store.replace_graphs({G2: bad}, drop=[G1])
    bad_datatype = _graph(
        (URIRef(EX + "ok"), URIRef(EX + "p"), Literal("1", datatype=URIRef("https://x.org/t>"))),
    )
    with pytest.raises(BindingError):
        store.load_graph(G2, bad_datatype)
    assert store.quads() == before


def test_drop_graph(store: Store) -> None:
    store.load_graph(G1, _sample())
    store.load_graph(G2, _graph((URIRef(EX + "a"), URIRef(EX + "p"), Literal(1))))
    store.drop_graph(G1)
    assert store.graphs() == {G2: 1}


def test_blank_nodes_are_kept_within_a_graph(store: Store) -> None:
    b = BNode()
    store.load_graph(G1, _graph(
        (URIRef(EX + "hp"), URIRef(EX + "setting"), b),
        (b, URIRef(EX + "name"), Literal("C")),
        (b, URIRef(EX + "value"), Literal("2.3", datatype=XSD.decimal)),
    ))
    rows = store.select(
        f"SELECT ?n ?v WHERE {{ <{EX}hp> <{EX}setting> ?b . ?b <{EX}name> ?n ; <{EX}value> ?v }}"
    )
    assert [(str(r["n"]), str(r["v"])) for r in rows] == [("C", "2.3")]


def test_malformed_query_is_rejected_with_a_clear_error(store: Store) -> None:
    with pytest.raises(QueryRejectedError, match="rejected"):
        store.select("SELECT ?s WHERE { ?s ?p ")
    with pytest.raises(QueryRejectedError):
        store.update("INSERT DATA { <urn:a:b> }")
    assert store.count() == 0


def test_service_is_refused_before_it_reaches_the_store(store: Store) -> None:
    with pytest.raises(UnsafeInputError, match="SERVICE"):
        store.select("SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(UnsafeInputError):
        store.update(
            "INSERT { GRAPH <urn:g:1> { ?s ?p ?o } } "
            "WHERE { service <https://e.org/q> { ?s ?p ?o } }"
        )
    # The word in a literal or an IRI is not a SERVICE clause.
    assert store.select('SELECT ?x WHERE { BIND("customer SERVICE" AS ?x) }') != []
    assert store.count() == 0


def test_bulk_load_nquads(store: Store) -> None:
    data = (
        f'<{EX}a> <{EX}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <{G1}> .\n'
        f'<{EX}b> <{EX}p> "two"@en <{G2}> .\n'
    ).encode()
    store.bulk_load(data)
    assert store.graphs() == {G1: 1, G2: 1}


def test_bulk_load_file_streams_a_file_bigger_than_one_chunk(store: Store, tmp_path: Path) -> None:
    path, pad = tmp_path / "big.nq", "x" * 40
    with path.open("w", encoding="utf-8") as out:  # ~2.6 MB: several chunks of the upload
        for i in range(30_000):
            out.write(f'<{EX}s{i}> <{EX}p> "value {i} {pad}" <{G1 if i % 3 else G2}> .\n')
    store.bulk_load_file(path)
    assert store.graphs() == {G1: 20_000, G2: 10_000}
    assert store.ask(f'ASK {{ GRAPH <{G2}> {{ <{EX}s29997> <{EX}p> "value 29997 {pad}" }} }}')


def test_bulk_load_file_reads_gzip(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "dump.nq.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for i in range(5_000):
            out.write(f'<{EX}s{i}> <{EX}p> "{i}" <{G1 if i % 2 else G2}> .\n')
    store.bulk_load_file(path)
    assert store.graphs() == {G1: 2_500, G2: 2_500}


def test_bulk_load_file_refuses_a_broken_gzip_file_and_loads_nothing(
    store: Store, tmp_path: Path,
) -> None:
    path = tmp_path / "broken.nq.gz"
    path.write_bytes(b"this is not gzip at all")
    with pytest.raises(StoreError):
        store.bulk_load_file(path)
    assert store.count() == 0


def test_bulk_load_file_refuses_bad_data_and_missing_files(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text(f"<{EX}a> <{EX}p> this is not N-Quads .\n", encoding="utf-8")
    with pytest.raises(QueryRejectedError):
        store.bulk_load_file(bad)
    with pytest.raises(StoreError):
        store.bulk_load_file(tmp_path / "absent.nq")


def test_system_graphs_are_installed_and_replaced(store: Store) -> None:
    sizes = install_system_graphs(store)
    assert sizes[ONTOLOGY_GRAPH] > 300 and sizes[SHAPES_GRAPH] >= 0
    assert store.ask(
        f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <{ML.Accuracy}> a <{ML.EvaluationMeasure}> }} }}")
    install_system_graphs(store)  # idempotent: replaced, not doubled
    assert store.count(ONTOLOGY_GRAPH) == sizes[ONTOLOGY_GRAPH]


def test_named_store_queries_agree(store: Store) -> None:
    store.load_graph(G1, _sample())
    assert store.count(G1) == len(store.graph(G1))
    quads = store.quads()
    assert len(quads) == 6 and {str(q[3]) for q in quads} == {G1}


# -- store-specific behaviour ---------------------------------------------------------------

def test_embedded_store_persists_on_disk(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "lake")
    first.load_graph(G1, _sample())
    first.close()
    second = EmbeddedStore(tmp_path / "lake")
    assert second.count(G1) == 6
    second.close()


def test_a_sparql_store_that_is_down_names_its_url() -> None:
    with socket_port() as port:
        pass  # the port is free again: nothing listens there
    url = f"http://127.0.0.1:{port}/modellake"
    down = RemoteStore(Settings.for_sparql_server(url, connect_timeout_s=2))
    with pytest.raises(StoreUnavailableError, match=f"127.0.0.1:{port}"):
        down.ping()
    with pytest.raises(StoreUnavailableError, match="did not answer"):
        down.load_graph(G1, _sample())


def test_fuseki_refuses_writes_without_the_password(fuseki: object) -> None:
    server = fuseki
    good = RemoteStore(server.settings())  # type: ignore[attr-defined]
    good.update(good.catalogue.bind("store/drop-all"))
    anonymous = RemoteStore(Settings.for_sparql_server(server.dataset_url))  # type: ignore[attr-defined]
    wrong = RemoteStore(Settings.for_sparql_server(server.dataset_url, "modellake", "wrong"))  # type: ignore[attr-defined]
    for client in (anonymous, wrong):
        with pytest.raises(StoreError, match="refused"):
            client.load_graph(G1, _sample())
        with pytest.raises(StoreError, match="refused"):
            client.replace_graph(G1, _sample())
    assert good.count() == 0
    assert anonymous.count() == 0  # reads stay open


def test_fuseki_refuses_service_itself(fuseki: object) -> None:
    """Even a client that bypasses our guard cannot make Fuseki call out."""
    import httpx

    response = httpx.post(
        fuseki.dataset_url + "/query",  # type: ignore[attr-defined]
        data={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"},
    )
    assert response.status_code >= 400
    assert "SERVICE" in response.text


class socket_port:
    """A port number that was free a moment ago."""

    def __enter__(self) -> int:
        import socket

        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        return int(self._sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self._sock.close()


def test_query_of_any_form(store: Store) -> None:
    store.load_graph(G1, _sample())
    select = store.query(f"SELECT ?p ?o WHERE {{ <{EX}model/dp> ?p ?o }} ORDER BY ?p")
    assert select.form == "SELECT" and select.variables == ["p", "o"] and len(select.rows) == 6
    assert not select.truncated
    cut = store.query(f"SELECT ?p ?o WHERE {{ <{EX}model/dp> ?p ?o }}", limit=2)
    assert len(cut.rows) == 2 and cut.truncated
    ask = store.query(f"ASK {{ <{EX}model/dp> ?p ?o }}")
    assert ask.form == "ASK" and ask.boolean is True
    graph = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert graph.form == "CONSTRUCT" and graph.graph is not None and len(graph.graph) == 6
    small = store.query("CONSTRUCT WHERE { ?s ?p ?o }", limit=3)
    assert small.graph is not None and len(small.graph) == 3 and small.truncated
    with pytest.raises(QueryRejectedError):
        store.query("INSERT DATA { GRAPH <urn:g:1> { <urn:a:b> <urn:a:c> <urn:a:d> } }")
    assert store.count() == 6
