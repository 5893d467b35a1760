"""The one place where values become SPARQL / N-Triples term text.

Every IRI, literal, language tag and datatype that ends up in text sent to a triplestore is
written here, after a strict check. Query parameters (see ``catalogue.bind``) and data written by
the store layer both go through these functions, so user text can never change the structure of
a query or an update: an IRI that fails the check is refused, and a literal is always a single,
fully escaped string token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Final

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from .errors import BindingError

# Schemes a query parameter may use; data may also carry mailto: (foaf:mbox).
PARAMETER_SCHEMES: Final = frozenset({"http", "https", "urn"})
DATA_SCHEMES: Final = frozenset({"http", "https", "urn", "mailto"})

# Characters never allowed in an IRI we write: the IRIREF exclusions of SPARQL/N-Triples plus
# backslash, backtick, whitespace and controls.
_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f-\x9f\s]')
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HTTP = re.compile(r"^https?://[^/?#@:]+(:[0-9]{1,5})?([/?#].*)?$", re.DOTALL)
_URN = re.compile(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:.+$", re.DOTALL)
_MAILTO = re.compile(r"^mailto:[^@]+@[^@]+$", re.DOTALL)
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_BNODE = re.compile(r"^[A-Za-z0-9_]{1,100}$")
MAX_IRI_LENGTH: Final = 4096

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def check_iri(value: str, *, schemes: frozenset[str] = PARAMETER_SCHEMES) -> str:
    """Return ``value`` if it is an IRI we are willing to write, else raise BindingError."""
    if not isinstance(value, str) or not value:
        raise BindingError("an IRI must be a non-empty string")
    if len(value) > MAX_IRI_LENGTH:
        raise BindingError(f"IRI longer than {MAX_IRI_LENGTH} characters")
    bad = _FORBIDDEN.search(value)
    if bad:
        raise BindingError(
            f"IRI {value[:80]!r} contains the character {bad.group()!r}, which IRIs may not contain"
        )
    match = _SCHEME.match(value)
    scheme = match.group(1).lower() if match else ""
    if scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise BindingError(f"IRI {value[:80]!r} must use one of the schemes {allowed}")
    shape = {"http": _HTTP, "https": _HTTP, "urn": _URN, "mailto": _MAILTO}.get(scheme)
    if shape is not None and not shape.match(value):
        raise BindingError(f"IRI {value[:80]!r} is not a well-formed {scheme}: IRI")
    return value


# Escapes for text without a backslash (most text): one str.translate instead of a loop.
_SIMPLE_ESCAPES: Final = {
    **{code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)},
    ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_string(text: str) -> str:
    if "\\" not in text:
        if _SURROGATE.search(text):
            raise BindingError("text contains a lone surrogate code point, which RDF cannot hold")
        return '"' + text.translate(_SIMPLE_ESCAPES) + '"'
    out: list[str] = []
    hex_run = 0  # characters after an escaped u that must be escaped too
    for i, ch in enumerate(text):
        code = ord(ch)
        if ch in "uU" and i > 0 and text[i - 1] == "\\":
            # Never write the characters backslash-u: SPARQL parsers may decode \uXXXX (or
            # \UXXXXXXXX) before tokenising, whatever precedes it. Written as escapes, the u and
            # the hex digits after it mean themselves to every parser.
            out.append(f"\\u{code:04X}")
            hex_run = 8
        elif hex_run and ch in "0123456789abcdefABCDEF":
            out.append(f"\\u{code:04X}")
            hex_run -= 1
        elif ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise BindingError("text contains a lone surrogate code point, which RDF cannot hold")
        else:
            out.append(ch)
        if ch not in "uU0123456789abcdefABCDEF":
            hex_run = 0
    return '"' + "".join(out) + '"'


def write_iri(value: str, *, schemes: frozenset[str] = PARAMETER_SCHEMES) -> str:
    return f"<{check_iri(value, schemes=schemes)}>"


def write_literal(
    lexical: str, *, datatype: str | None = None, language: str | None = None,
    schemes: frozenset[str] = PARAMETER_SCHEMES,
) -> str:
    """A literal token: escaped lexical form with a checked language tag or datatype IRI."""
    if not isinstance(lexical, str):
        raise BindingError("a literal's lexical form must be a string")
    text = _escape_string(lexical)
    if language:
        if not _LANG.match(language):
            raise BindingError(f"{language!r} is not a valid language tag")
        return f"{text}@{language}"
    if datatype and datatype not in (XSD + "string", RDF_LANG_STRING):
        return f"{text}^^{write_iri(datatype, schemes=schemes)}"
    return text


def write_bnode(label: str) -> str:
    if not _BNODE.match(label):
        raise BindingError(f"blank node label {label[:40]!r} is not allowed")
    return f"_:{label}"


def write_term(term: Node, *, schemes: frozenset[str] = DATA_SCHEMES) -> str:
    """Write an rdflib term (IRI, literal or blank node) as N-Triples / SPARQL text."""
    if isinstance(term, URIRef):
        return write_iri(str(term), schemes=schemes)
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return write_literal(str(term), datatype=datatype, language=term.language, schemes=schemes)
    if isinstance(term, BNode):
        return write_bnode(str(term))
    raise BindingError(f"cannot write {type(term).__name__} as an RDF term")


def write_value(value: object) -> str:
    """Write a plain Python value as a typed literal (str, bool, int, Decimal, float)."""
    if isinstance(value, bool):
        return write_literal("true" if value else "false", datatype=XSD + "boolean")
    if isinstance(value, int):
        return write_literal(str(value), datatype=XSD + "integer")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise BindingError("a decimal must be finite")
        return write_literal(format(value, "f"), datatype=XSD + "decimal")
    if isinstance(value, float):
        return write_literal(repr(value).replace("inf", "INF"), datatype=XSD + "double")
    if isinstance(value, str):
        return write_literal(value)
    raise BindingError(f"cannot write a {type(value).__name__} as a literal")


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise BindingError(f"{text[:40]!r} is not a decimal number") from exc
    if not value.is_finite():
        raise BindingError(f"{text[:40]!r} is not a finite decimal number")
    return value


def _triples_text(graph: Graph, *, schemes: frozenset[str]) -> Iterable[str]:
    for s, p, o in graph:
        if isinstance(p, BNode | Literal):
            raise BindingError("a predicate must be an IRI")
        if isinstance(s, Literal):
            raise BindingError("a subject cannot be a literal")
        yield (
            f"{write_term(s, schemes=schemes)} {write_term(p, schemes=schemes)} "
            f"{write_term(o, schemes=schemes)} ."
        )


def write_ntriples(graph: Graph, *, schemes: frozenset[str] = DATA_SCHEMES) -> str:
    """The graph as N-Triples, every term checked."""
    return "\n".join(_triples_text(graph, schemes=schemes)) + "\n"


def write_nquads(graphs: Mapping[str, Graph], *, schemes: frozenset[str] = DATA_SCHEMES) -> str:
    """Named graphs as N-Quads, every term checked."""
    lines: list[str] = []
    for graph_iri, graph in graphs.items():
        name = write_iri(graph_iri, schemes=PARAMETER_SCHEMES)
        lines.extend(f"{triple[:-2]} {name} ." for triple in _triples_text(graph, schemes=schemes))
    return "\n".join(lines) + "\n"


def write_quad_data(graphs: Mapping[str, Graph], *, schemes: frozenset[str] = DATA_SCHEMES) -> str:
    """Named graphs as the body of a SPARQL ``INSERT DATA`` (``GRAPH <g> { … }`` blocks)."""
    blocks = []
    for graph_iri, graph in graphs.items():
        name = write_iri(graph_iri, schemes=PARAMETER_SCHEMES)
        body = "\n".join(_triples_text(graph, schemes=schemes))
        blocks.append(f"GRAPH {name} {{\n{body}\n}}")
    return "\n".join(blocks)


def as_identifier(value: Identifier | str) -> Identifier:
    return value if isinstance(value, Identifier) else URIRef(value)
