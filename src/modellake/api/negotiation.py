"""Content negotiation, in one place: which serialisation a client gets, and producing it.

Graphs (node descriptions, lineage, CONSTRUCT results) are JSON-LD (default, compacted with the
published context), Turtle or N-Triples. Query solutions are SPARQL JSON (default), SPARQL XML,
CSV, TSV or an HTML table.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass
from typing import Final

from fastapi import Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from .. import jsonld
from ..errors import BadInputError
from ..namespaces import PREFIXES
from ..store.base import QueryResult
from ..terms import write_term


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str


JSON_LD: Final = Format("jsonld", "application/ld+json")
TURTLE: Final = Format("turtle", "text/turtle")
N_TRIPLES: Final = Format("ntriples", "application/n-triples")
# Written for clients that ask for it (SPARQLWrapper's default for graphs); never read.
RDF_XML: Final = Format("rdfxml", "application/rdf+xml")
RESULTS_JSON: Final = Format("json", "application/sparql-results+json")
RESULTS_XML: Final = Format("xml", "application/sparql-results+xml")
CSV: Final = Format("csv", "text/csv")
TSV: Final = Format("tsv", "text/tab-separated-values")
HTML: Final = Format("html", "text/html")

GRAPH_FORMATS: Final = (JSON_LD, TURTLE, N_TRIPLES, RDF_XML)
RESULT_FORMATS: Final = (RESULTS_JSON, RESULTS_XML, CSV, TSV, HTML)
_ALIASES: Final = {
    "json-ld": "jsonld", "ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples",
    "application/json": "json", "text/plain": "ntriples",
    # Turtle is a subset of N3, so N3 clients read it.
    "n3": "turtle", "text/n3": "turtle", "text/rdf+n3": "turtle", "xml-rdf": "rdfxml",
}


def choose(
    accept: str | None, requested: str | None, offered: tuple[Format, ...],
) -> Format:
    """The format a client asked for by ``?format=`` (wins) or ``Accept`` (by q), else the first."""
    if requested:
        # A name or media type; SPARQLWrapper sends a list of media types for some formats.
        for part in requested.split(","):
            key = part.split(";")[0].strip().lower()
            key = _ALIASES.get(key, key)
            for fmt in offered:
                if key in (fmt.name, fmt.media_type):
                    return fmt
        names = ", ".join(f.name for f in offered)
        raise BadInputError(f"unknown format {requested!r}; choose one of {names}")
    if not accept:
        return offered[0]
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, i, pieces[0].lower()))
    for negative_q, _, media in sorted(ranked):
        if negative_q == 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            return offered[0]
        aliases = {"application/json": offered[0].media_type,
                   "text/plain": "application/n-triples", "text/n3": "text/turtle",
                   "text/rdf+n3": "text/turtle"}
        media = aliases.get(media, media)
        for fmt in offered:
            if fmt.media_type == media:
                return fmt
    return offered[0]


# -- graphs ----------------------------------------------------------------------------------------

def serialize_graph(graph: Graph, fmt: Format) -> bytes:
    if fmt is TURTLE:
        g = _with_prefixes(graph)
        return g.serialize(format="turtle").encode("utf-8")
    if fmt is N_TRIPLES:
        return "".join(sorted(graph.serialize(format="nt").splitlines(keepends=True))).encode()
    if fmt is RDF_XML:
        return _with_prefixes(graph).serialize(format="xml").encode("utf-8")
    # JSON-LD compacted with the published context, written inline so that every JSON-LD
    # processor reads the same graph without fetching anything.
    return jsonld.dumps(graph)


def _with_prefixes(graph: Graph) -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g += graph
    return g


# -- query solutions -------------------------------------------------------------------------------

def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def serialize_result(result: QueryResult, fmt: Format) -> bytes:
    """SELECT or ASK results in a SPARQL results format, CSV, TSV or an HTML table."""
    if fmt is RESULTS_JSON:
        body: dict[str, object]
        if result.form == "ASK":
            body = {"head": {}, "boolean": bool(result.boolean)}
        else:
            body = {
                "head": {"vars": result.variables},
                "results": {"bindings": [
                    {k: _json_term(v) for k, v in row.items()} for row in result.rows
                ]},
            }
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    if fmt is RESULTS_XML:
        return _results_xml(result)
    if fmt in (CSV, TSV):
        return _delimited(result, fmt)
    return _html_table(result)


def _results_xml(result: QueryResult) -> bytes:
    esc = html.escape
    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
             "<head>"]
    if result.form == "ASK":
        parts += ["</head>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>",
                  "</sparql>"]
        return "\n".join(parts).encode("utf-8")
    parts += [f'<variable name="{esc(v)}"/>' for v in result.variables]
    parts += ["</head>", "<results>"]
    for row in result.rows:
        parts.append("<result>")
        for name, term in row.items():
            if isinstance(term, URIRef):
                value = f"<uri>{esc(str(term))}</uri>"
            elif isinstance(term, BNode):
                value = f"<bnode>{esc(str(term))}</bnode>"
            else:
                assert isinstance(term, Literal)
                attrs = ""
                if term.language:
                    attrs = f' xml:lang="{esc(term.language)}"'
                elif term.datatype is not None:
                    attrs = f' datatype="{esc(str(term.datatype))}"'
                value = f"<literal{attrs}>{esc(str(term))}</literal>"
            parts.append(f'<binding name="{esc(name)}">{value}</binding>')
        parts.append("</result>")
    parts += ["</results>", "</sparql>"]
    return "\n".join(parts).encode("utf-8")


def _delimited(result: QueryResult, fmt: Format) -> bytes:
    buffer = io.StringIO()
    if result.form == "ASK":
        buffer.write("boolean\n" + ("true" if result.boolean else "false") + "\n")
        return buffer.getvalue().encode("utf-8")
    if fmt is CSV:
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([str(row[v]) if v in row else "" for v in result.variables])
    else:  # TSV as SPARQL 1.1 defines it: ?-prefixed header, terms in Turtle syntax
        buffer.write("\t".join(f"?{v}" for v in result.variables) + "\n")
        for row in result.rows:
            buffer.write("\t".join(_tsv_term(row[v]) if v in row else ""
                                   for v in result.variables))
            buffer.write("\n")
    return buffer.getvalue().encode("utf-8")


def _html_table(result: QueryResult) -> bytes:
    esc = html.escape
    if result.form == "ASK":
        body = f"<p>{'true' if result.boolean else 'false'}</p>"
    else:
        head = "".join(f"<th>{esc(v)}</th>" for v in result.variables)
        rows = []
        for row in result.rows:
            cells = []
            for v in result.variables:
                term = row.get(v)
                if isinstance(term, URIRef):
                    cells.append(f'<td><a href="{esc(str(term))}">{esc(str(term))}</a></td>')
                else:
                    cells.append(f"<td>{esc(str(term)) if term is not None else ''}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        note = "<p><em>Results were cut at the limit.</em></p>" if result.truncated else ""
        body = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Model Lake query</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head>"
        f"<body>{body}</body></html>"
    )
    return page.encode("utf-8")


def result_response(result: QueryResult, accept: str | None, requested: str | None) -> Response:
    """Solutions or a graph, in the format the client asked for, flagged when cut."""
    if result.form == "CONSTRUCT":
        assert result.graph is not None
        fmt = choose(accept, requested, GRAPH_FORMATS)
        body = serialize_graph(result.graph, fmt)
    else:
        fmt = choose(accept, requested, RESULT_FORMATS)
        body = serialize_result(result, fmt)
    headers = {"Vary": "Accept"}
    if result.truncated:  # say where the answer was cut
        kept = len(result.graph) if result.graph is not None else len(result.rows)
        headers["X-Results-Truncated"] = f"limit {kept}"
    return Response(body, media_type=fmt.media_type, headers=headers)


def graph_response(graph: Graph, accept: str | None, requested: str | None,
                   headers: dict[str, str] | None = None) -> Response:
    fmt = choose(accept, requested, GRAPH_FORMATS)
    return Response(serialize_graph(graph, fmt), media_type=fmt.media_type,
                    headers={"Vary": "Accept", **(headers or {})})


def _tsv_term(term: Identifier) -> str:
    """A term in Turtle syntax on one line: TSV rows cannot hold a literal's raw newlines or
    tabs, which rdflib's n3() keeps (in triple quotes) for multi-line text."""
    if isinstance(term, Literal):
        return write_term(term)
    return term.n3()
