"""The query catalogue and its one binder: hostile values never change what a query means."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery

from modellake import terms
from modellake.catalogue import Catalogue, CatalogueError, default_catalogue
from modellake.errors import BindingError, UnknownQueryError
from modellake.store import Store

TEST_QUERIES = Path(__file__).parent / "data" / "queries"
HOSTILE_TEXT = [
    '"> } ; DROP ALL ; #',
    '" . } DELETE WHERE { ?s ?p ?o } #',
    "quote \" and 'single' \\ backslash \\\" mixed",
    "new\nline\r\nand\ttab",
    "unicode: Ünïcødé — 模型 🤖",
    "control \x00\x01\x1f\x7f chars",
    "\\u0022) } ; DROP ALL ; # (escape that SPARQL would pre-process)",
    "$value $title ?value",
    "'''\"\"\" long-quote breakers",
    r"\U00000022 and \\u0041 and \u00e9\u00E9",
]
BAD_IRIS = [
    "https://x.org/a> } ; DROP ALL ; #",
    "https://x.org/a b",
    "https://x.org/a\nb",
    'https://x.org/"quoted"',
    "https://x.org/{template}",
    "https://x.org/a|b",
    "https://x.org/a^b",
    "https://x.org/a\\b",
    "https://x.org/a`b",
    "https://x.org/a\x00",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "ftp://x.org/file",
    "mailto:someone@example.org",  # allowed in data, not as a query parameter
    "relative/path",
    "",
    "https://",
    "urn:",
    "x" * 5000,
]
GOOD_IRIS = [
    "https://example.org/model/1",
    "http://localhost:8000/id/dataset/diabetes?v=2#frag",
    "urn:isbn:0451450523",
    "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
    "https://example.org/模型/ünï",
    "https://example.org/a%20b",
]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(TEST_QUERIES)


def _bound_literal(catalogue: Catalogue, value: str) -> object:
    text = catalogue.bind("echo/string", {"value": value})
    algebra = prepareQuery(text).algebra
    # Find the BIND expression's value in the parsed algebra.
    found: list[object] = []

    def walk(node: object) -> None:
        if isinstance(node, Literal):
            found.append(node)
        elif isinstance(node, dict):
            for child in node.values():
                walk(child)
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)

    walk(algebra)
    assert len(found) == 1, f"expected exactly one literal in {text!r}"
    return found[0]


@pytest.mark.parametrize("value", HOSTILE_TEXT, ids=range(len(HOSTILE_TEXT)))
def test_hostile_string_binds_to_exactly_one_literal(catalogue: Catalogue, value: str) -> None:
    assert _bound_literal(catalogue, value) == Literal(value)


def test_random_hostile_strings_bind_exactly(catalogue: Catalogue) -> None:
    """Seeded fuzz over the characters that matter to SPARQL's lexer."""
    import random

    rng = random.Random(20261122)
    alphabet = list('\\uU0a2F"\'{}<>#;.$?\n\r\t x模🤖\x00\x1f')
    for _ in range(300):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert _bound_literal(catalogue, value) == Literal(value), repr(value)
    # Text without a backslash takes the binder's fast path: the same guarantee.
    plain = [c for c in alphabet if c != "\\"] + [chr(c) for c in range(0x20)] + ["\x7f"]
    for _ in range(300):
        value = "".join(rng.choice(plain) for _ in range(rng.randint(0, 24)))
        assert _bound_literal(catalogue, value) == Literal(value), repr(value)


@pytest.mark.parametrize("value", HOSTILE_TEXT, ids=range(len(HOSTILE_TEXT)))
def test_hostile_string_reaches_the_store_unchanged(store: Store, value: str) -> None:
    (row,) = store.select(Catalogue(TEST_QUERIES).bind("echo/string", {"value": value}))
    assert str(row["value"]) == value
    assert store.count() == 0


def test_hostile_title_matches_only_itself(store: Store) -> None:
    title = '"> } ; DROP ALL ; #'
    g = Graph()
    g.add((URIRef("https://example.org/lake/a"), URIRef("https://example.org/lake/title"),
           Literal(title)))
    g.add((URIRef("https://example.org/lake/b"), URIRef("https://example.org/lake/title"),
           Literal("plain")))
    store.load_graph("https://example.org/lake/g", g)
    rows = store.select(Catalogue(TEST_QUERIES).bind("echo/lookup", {"title": title}))
    assert [str(r["node"]) for r in rows] == ["https://example.org/lake/a"]


@pytest.mark.parametrize("iri", BAD_IRIS, ids=range(len(BAD_IRIS)))
def test_bad_iris_are_refused(catalogue: Catalogue, iri: str) -> None:
    with pytest.raises(BindingError, match="'iri'"):
        catalogue.bind("echo/typed", {"iri": iri})


@pytest.mark.parametrize("iri", GOOD_IRIS)
def test_good_iris_bind_as_themselves(catalogue: Catalogue, iri: str) -> None:
    text = catalogue.bind("echo/typed", {"iri": iri})
    assert f"<{iri}>" in text
    prepareQuery(text)


def test_typed_parameters_bind_as_typed_literals(store: Store) -> None:
    text = Catalogue(TEST_QUERIES).bind("echo/typed", {
        "iri": "https://example.org/x", "n": "42", "d": "0.9354", "flag": "true",
        "day": "2024-02-25", "at": "2024-02-25T10:30:00Z", "x": "1.5e3",
    })
    (row,) = store.select(text)
    assert row["iri"] == URIRef("https://example.org/x")
    assert row["n"] == Literal("42", datatype=XSD.integer)
    assert row["d"] == Literal("0.9354", datatype=XSD.decimal)
    assert row["flag"] == Literal("true", datatype=XSD.boolean)
    assert row["day"] == Literal("2024-02-25", datatype=XSD.date)
    assert row["at"].toPython().year == 2024  # type: ignore[union-attr]
    assert float(row["x"]) == 1500.0  # type: ignore[arg-type]


def test_defaults_apply_and_optional_parameters_stay_unbound(catalogue: Catalogue) -> None:
    text = catalogue.bind("echo/typed", {"iri": "https://example.org/x"})
    assert "BIND(10 AS ?n)" in text
    assert "BIND($d AS ?d)" in text  # not given: left as a variable
    prepareQuery(text)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("n", "10; DROP ALL"), ("n", "1.5"), ("n", ""), ("d", "1e5x"), ("d", "NaN"),
        ("flag", "yes please"), ("day", "2024-02-25T00:00:00"), ("day", "25/02/2024"),
        ("at", "2024-02-25 10:00"), ("at", '2024-02-25T10:00:00"'), ("x", "1.0) } #"),
    ],
)
def test_values_of_the_wrong_kind_are_refused(catalogue: Catalogue, name: str, value: str) -> None:
    with pytest.raises(BindingError, match=f"parameter '{name}'"):
        catalogue.bind("echo/typed", {"iri": "https://example.org/x", name: value})


def test_unknown_and_missing_parameters_are_named(catalogue: Catalogue) -> None:
    with pytest.raises(BindingError, match=r"no parameter 'nope'.*iri, n, d"):
        catalogue.bind("echo/typed", {"iri": "https://example.org/x", "nope": "1"})
    with pytest.raises(BindingError, match="needs parameter 'iri'"):
        catalogue.bind("echo/typed", {})


def test_unknown_query_is_named(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownQueryError, match="no query named 'lineage/nope'"):
        catalogue.get("lineage/nope")


def test_header_is_read(catalogue: Catalogue) -> None:
    query = catalogue.get("echo/typed")
    assert query.title == "Echo typed values"
    assert query.form == "SELECT" and not query.is_update
    n = query.parameter("n")
    assert (n.kind, n.default, n.required, n.description) == (
        "integer", "10", False, "a whole number")
    assert query.parameter("iri").required
    assert query.parameter("d").optional
    assert catalogue.get("echo/string").description.startswith("Returns the bound string")


def test_datatype_and_language_are_checked() -> None:
    with pytest.raises(BindingError, match="character '>'"):
        terms.write_literal("1", datatype="https://x.org/t> } ; DROP ALL ; #")
    with pytest.raises(BindingError, match="language tag"):
        terms.write_literal("hi", language='en" } #')
    assert terms.write_literal("hi", language="en-GB") == '"hi"@en-GB'


def test_a_file_whose_placeholders_do_not_match_its_header_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.rq").write_text(
        "# title: Bad\n# param: a iri — declared\nSELECT * WHERE { $a ?p $b }\n"
    )
    with pytest.raises(CatalogueError, match="do not match"):
        Catalogue(tmp_path)
    (tmp_path / "bad.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(CatalogueError, match="no 'title:'"):
        Catalogue(tmp_path)
    (tmp_path / "bad.rq").write_text("# title: T\n# param: a whatever — x\nSELECT * {}\n")
    with pytest.raises(CatalogueError, match="bad parameter line"):
        Catalogue(tmp_path)


def test_every_project_query_loads_and_parses() -> None:
    catalogue = default_catalogue()
    assert "store/count-graph" in catalogue.names(include_internal=True)
    assert all(not n.startswith("store/") for n in catalogue.names())
    samples = {"iri": "https://example.org/x", "string": "x", "integer": "1",
               "decimal": "1.0", "double": "1.0", "boolean": "true", "date": "2024-01-01",
               "datetime": "2024-01-01T00:00:00Z"}
    for name in catalogue.names(include_internal=True):
        query = catalogue.get(name)
        if query.is_update or any(p.kind in ("iri-list", "quad-data") for p in query.parameters):
            continue
        params = {p.name: samples[p.kind] for p in query.parameters}
        prepareQuery(catalogue.bind(name, params))
