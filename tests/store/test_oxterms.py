"""N-Triples from a SPARQL server, read with Oxigraph's parser: the same graph rdflib reads,
and a clear store error for text that does not parse."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from modellake.errors import StoreError
from modellake.store.oxterms import parse_ntriples

M = "<https://w3id.org/modellake/id/model-m>"
XSD = "http://www.w3.org/2001/XMLSchema#"
NTRIPLES = f"""\
{M} <http://purl.org/dc/terms/title> "Mod\\u00E8le \\"M\\""@fr .
{M} <https://w3id.org/modellake#value> "0.93"^^<{XSD}double> .
{M} <http://purl.org/dc/terms/description> "plain" .
{M} <http://purl.org/dc/terms/created> "2024-02-26"^^<{XSD}date> .
_:b0 <https://w3id.org/modellake#value> "8"^^<{XSD}integer> .
{M} <https://w3id.org/modellake#hasSetting> _:b0 .
""".encode()


def test_the_same_graph_as_rdflib_reads() -> None:
    ours = parse_ntriples(NTRIPLES)
    assert len(ours) == 6
    assert isomorphic(ours, Graph().parse(data=NTRIPLES, format="nt"))


def test_text_that_does_not_parse_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="N-Triples that do not parse"):
        parse_ntriples(b"<https://w3id.org/modellake/id/model-m> <no closing bracket .\n")
