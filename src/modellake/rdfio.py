"""Parsing and serialising RDF without ever touching the network.

Accepted input: Turtle, N-Triples and JSON-LD. RDF/XML is refused (it can pull external
entities). A JSON-LD ``@context`` that is a URL is never fetched: the lake's own published
context is recognised and replaced by the local copy; any other URL, and ``@import``, are refused
before the document reaches a parser.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Final

from rdflib import Graph
from rdflib.term import URIRef

from . import terms
from .errors import BadInputError, BindingError, RDFSyntaxError, UnsafeInputError
from .resources import context_file

TURTLE: Final = "text/turtle"
N_TRIPLES: Final = "application/n-triples"
JSON_LD: Final = "application/ld+json"
N_QUADS: Final = "application/n-quads"

# Media types we read, with the rdflib parser for each.
READABLE: Final[dict[str, str]] = {
    TURTLE: "turtle",
    "application/x-turtle": "turtle",
    N_TRIPLES: "nt",
    "text/plain": "nt",  # the old N-Triples media type
    JSON_LD: "json-ld",
    "application/json": "json-ld",
}
REFUSED: Final = {
    "application/rdf+xml": "RDF/XML is not accepted (it can reference external entities); "
    "send Turtle, N-Triples or JSON-LD",
    "application/xml": "XML is not accepted; send Turtle, N-Triples or JSON-LD",
    "text/xml": "XML is not accepted; send Turtle, N-Triples or JSON-LD",
}

# The published context's canonical IRI; a context URL ending in CONTEXT_PATH (the API's own
# /api/v1/context.jsonld on any host) means the same document.
CONTEXT_IRI: Final = "https://w3id.org/modellake/context.jsonld"
CONTEXT_PATH: Final = "/api/v1/context.jsonld"


@lru_cache(maxsize=1)
def published_context() -> dict[str, Any]:
    """The ``@context`` object of ontology/context.jsonld."""
    document = json.loads(context_file().read_text(encoding="utf-8"))
    context = document.get("@context", document)
    if not isinstance(context, dict):
        raise RuntimeError("ontology/context.jsonld must hold one @context object")
    return context


def media_type_of(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _is_our_context(url: str) -> bool:
    return url == CONTEXT_IRI or url.rstrip("/").endswith(CONTEXT_PATH)


def _localise_context(value: Any) -> Any:
    """Replace references to our context by the local copy; refuse any other remote context."""
    if isinstance(value, str):
        if _is_our_context(value):
            return published_context()
        raise UnsafeInputError(
            f"remote JSON-LD context {value[:120]!r} is not fetched: inline the context, or use "
            f"the lake's own context {CONTEXT_IRI!r}"
        )
    if isinstance(value, list):
        return [_localise_context(item) for item in value]
    if isinstance(value, dict):
        if "@import" in value:
            raise UnsafeInputError("JSON-LD @import is not supported: inline the context")
        return {k: _localise_nested(v) for k, v in value.items()}
    return value


def _localise_nested(value: Any) -> Any:
    """Term definitions may carry scoped contexts of their own."""
    if isinstance(value, dict):
        return {
            k: (_localise_context(v) if k == "@context" else _localise_nested(v))
            for k, v in value.items()
        }
    return value


def _localise_document(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (_localise_context(v) if k == "@context" else _localise_document(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_localise_document(item) for item in node]
    return node


def parse_rdf(data: bytes | str, content_type: str | None, *, base_iri: str) -> Graph:
    """Parse an RDF document into a graph; relative IRIs resolve against ``base_iri``."""
    media_type = media_type_of(content_type)
    if media_type in REFUSED:
        raise UnsafeInputError(REFUSED[media_type])
    fmt = READABLE.get(media_type)
    if fmt is None:
        accepted = ", ".join(sorted({TURTLE, N_TRIPLES, JSON_LD}))
        raise BadInputError(
            f"unsupported media type {media_type or '(none)'!r}; send one of {accepted}"
        )
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    graph = Graph()
    if fmt == "json-ld":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RDFSyntaxError(f"the body is not valid JSON: {exc}") from exc
        text = json.dumps(_localise_document(document))
    try:
        graph.parse(data=text, format=fmt, publicID=base_iri)
    except UnsafeInputError:
        raise
    except Exception as exc:  # rdflib raises many parser-specific errors
        raise RDFSyntaxError(f"the {media_type} body does not parse: {_first_line(exc)}") from exc
    check_terms(graph)
    return graph


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300] if "\n" in text else text[:300]


def check_terms(graph: Graph) -> None:
    """Every IRI (including datatype IRIs) must be one we can store; else a clear error."""
    for triple in graph:
        for term in triple:
            try:
                if isinstance(term, URIRef):
                    terms.check_iri(str(term), schemes=terms.DATA_SCHEMES)
                else:
                    terms.write_term(term)
            except BindingError as exc:
                raise BadInputError(f"unusable RDF term: {exc}") from None
