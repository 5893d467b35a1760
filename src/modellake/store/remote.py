"""The remote store: any SPARQL 1.1 server, over the Query, Update and Graph Store protocols.

Apache Jena Fuseki is the reference server (see fuseki/). Every HTTP failure becomes one of the
project's store errors with a message naming the URL, never a traceback.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from .. import terms
from ..catalogue import Catalogue
from ..errors import (
    QueryRejectedError,
    StoreError,
    StoreTimeoutError,
    StoreUnavailableError,
)
from ..settings import Settings
from .base import QueryResult, Row, Store
from .guard import refuse_service
from .oxterms import parse_ntriples

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_CHUNK = 1 << 20  # bytes per chunk of a streamed upload


def term_from_json(binding: dict[str, Any]) -> Identifier:
    """A term of the SPARQL 1.1 JSON results format as an rdflib term."""
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return Literal(value, lang=binding["xml:lang"])
        datatype = binding.get("datatype")
        if datatype == XSD_STRING:  # RDF 1.1: the same as a plain literal
            datatype = None
        return Literal(value, datatype=URIRef(datatype) if datatype else None)
    raise StoreError(f"unexpected term in SPARQL results: {binding!r}")


class RemoteStore(Store):
    kind = "sparql"

    def __init__(self, settings: Settings, *, catalogue: Catalogue | None = None) -> None:
        super().__init__(catalogue)
        self.query_url = settings.sparql_query_url
        self.update_url = settings.sparql_update_url
        self.gsp_url = settings.sparql_gsp_url
        auth = None
        if settings.sparql_user is not None:
            auth = httpx.BasicAuth(settings.sparql_user, settings.sparql_password or "")
        timeout = httpx.Timeout(settings.query_timeout_s, connect=settings.connect_timeout_s)
        self._client = httpx.Client(timeout=timeout, follow_redirects=False)
        self._connect_timeout = settings.connect_timeout_s
        self._auth = auth

    # -- HTTP ----------------------------------------------------------------------------------
    def _post(
        self, url: str, *, data: dict[str, str] | None = None,
        content: bytes | Iterator[bytes] | None = None, headers: dict[str, str],
        params: dict[str, str] | None = None, write: bool = False,
        timeout: httpx.Timeout | None = None,
    ) -> httpx.Response:
        try:
            response = self._client.post(
                url, data=data, content=content, headers=headers, params=params,
                auth=self._auth if write and self._auth is not None else httpx.USE_CLIENT_DEFAULT,
                timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.ConnectError as exc:
            raise StoreUnavailableError(
                f"the SPARQL store at {url} did not answer ({exc}); is it running?"
            ) from exc
        except httpx.TimeoutException as exc:
            raise StoreTimeoutError(f"the SPARQL store at {url} timed out ({exc})") from exc
        except httpx.HTTPError as exc:
            raise StoreUnavailableError(
                f"could not talk to the SPARQL store at {url}: {exc}") from exc
        if response.status_code >= 400:
            self._raise_for(url, response)
        return response

    @staticmethod
    def _raise_for(url: str, response: httpx.Response) -> None:
        status = response.status_code
        detail = response.text.strip().splitlines()[0][:300] if response.text.strip() else ""
        if status in (401, 403):
            raise StoreError(
                f"the SPARQL store at {url} refused the request ({status}): check the store "
                f"user and password (MODELLAKE_SPARQL_USER / MODELLAKE_SPARQL_PASSWORD)"
            )
        if status == 503 and ("cancel" in detail.lower() or "timeout" in detail.lower()
                              or "timed out" in detail.lower()):
            raise StoreTimeoutError(f"the query ran longer than the store's time limit: {detail}")
        if 400 <= status < 500:
            raise QueryRejectedError(f"the SPARQL store rejected the request ({status}): {detail}")
        raise StoreError(f"the SPARQL store at {url} failed ({status}): {detail}")

    def _query(self, query: str, accept: str) -> httpx.Response:
        refuse_service(query)
        return self._post(self.query_url, data={"query": query}, headers={"Accept": accept})

    # -- Store ---------------------------------------------------------------------------------
    def select(self, query: str) -> list[Row]:
        body = self._json(self._query(query, SPARQL_JSON))
        if "results" not in body:
            raise QueryRejectedError("expected a SELECT query")
        return [
            {name: term_from_json(value) for name, value in solution.items()}
            for solution in body["results"]["bindings"]
        ]

    def ask(self, query: str) -> bool:
        body = self._json(self._query(query, SPARQL_JSON))
        if "boolean" not in body:
            raise QueryRejectedError("expected an ASK query")
        return bool(body["boolean"])

    def construct(self, query: str) -> Graph:
        return parse_ntriples(self._query(query, N_TRIPLES).content)

    def query(self, query: str, *, limit: int | None = None) -> QueryResult:
        # The server picks results or a graph by the query's form; we read what it sent.
        response = self._query(query, f"{SPARQL_JSON}, {N_TRIPLES};q=0.9")
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if media_type == N_TRIPLES:
            graph = parse_ntriples(response.content)
            truncated = limit is not None and len(graph) > limit
            if truncated:
                kept = Graph()
                for i, triple in enumerate(graph):
                    if i >= limit:  # type: ignore[operator]
                        break
                    kept.add(triple)
                graph = kept
            return QueryResult("CONSTRUCT", graph=graph, truncated=truncated)
        body = self._json(response)
        if "boolean" in body:
            return QueryResult("ASK", boolean=bool(body["boolean"]))
        names = list(body.get("head", {}).get("vars", []))
        bindings = body.get("results", {}).get("bindings", [])
        truncated = limit is not None and len(bindings) > limit
        if truncated:
            bindings = bindings[:limit]
        rows = [{n: term_from_json(v) for n, v in b.items()} for b in bindings]
        return QueryResult("SELECT", variables=names, rows=rows, truncated=truncated)

    def update(self, update: str) -> None:
        refuse_service(update)
        self._post(
            self.update_url, content=update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"}, write=True,
        )

    def load_graph(self, graph_iri: str, graph: Graph) -> None:
        terms.check_iri(graph_iri)
        body = terms.write_ntriples(graph).encode("utf-8")
        self._post(
            self.gsp_url, content=body, params={"graph": graph_iri},
            headers={"Content-Type": f"{N_TRIPLES}; charset=utf-8"}, write=True,
        )

    def bulk_load(self, data: bytes, *, format: str = "application/n-quads") -> None:
        # A Graph Store Protocol POST to the dataset adds quads in one request.
        self._post(self.gsp_url, content=data, headers={"Content-Type": format}, write=True)

    def bulk_load_file(self, path: Path, *, format: str = "application/n-quads") -> None:
        # The same POST, with the body streamed from the file in chunks; the server parses as it
        # reads. A big file takes longer than any query, so only connecting has a time limit.
        def chunks() -> Iterator[bytes]:
            opened = (gzip.open(path, "rb") if path.name.endswith(".gz")  # noqa: SIM115
                      else path.open("rb"))
            with opened as stream:
                while chunk := stream.read(_CHUNK):
                    yield chunk

        if not path.is_file():
            raise StoreError(f"no file {path} to load")
        try:
            if path.name.endswith(".gz"):
                with gzip.open(path, "rb") as probe:
                    probe.read(1)  # a file that is not gzip fails here, before any upload
            # A read error midway aborts the upload; Fuseki then loads nothing of it.
            self._post(self.gsp_url, content=chunks(), headers={"Content-Type": format},
                       write=True, timeout=httpx.Timeout(None, connect=self._connect_timeout))
        except OSError as exc:
            raise StoreError(f"could not read {path}: {exc}") from exc

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        try:
            body = json.loads(response.content)
        except json.JSONDecodeError as exc:
            raise StoreError(f"the SPARQL store sent a response that is not JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise StoreError("the SPARQL store sent an unexpected JSON response")
        return body

    def close(self) -> None:
        self._client.close()
