"""Evaluation facets: the lake's derived index for run searches.

An experiment tracker's run search ("max_depth = 8 and accuracy > 0.9") asked of the graph as it
is starts from every setting of that parameter, checks its value, and walks to the model and its
evaluations: thousands of index seeks at 10^4 models (docs/benchmarks.md). The facets turn it
into one index range: for each measured evaluation the lake keeps, in the graph
``ml:EvaluationFacets``, one triple per hyperparameter setting of the model it evaluates,
``<evaluation> <facet property> <score>``. The facet property names the search key, ``"<measure
IRI> <parameter>=<value key>"``, percent-encoded under ``FACET_NS``; its value is the
evaluation's score (``ml:value``), so a search reads one range of the predicate index, scores
included, and compares them with its threshold there (docs/benchmarks.md: ~2.5x faster than
reading each found evaluation's score).

Facets are derived data, computed here in Python (so the keys do not depend on how a store
writes numbers back: Jena returns the double 0.1 as ``1.0E-1``), and written in the same update
request as the write they follow. Bulk loads rebuild them (``rebuild``).

Value keys: a number (an integer, decimal or double, or text that reads as one) is keyed by its
value as a double (8, 8.0 and "8" share the key ``8``; 0.1 and 1.0E-1 share ``0.1``); other text
(strings, booleans, language-tagged text) by its text. A search looks up both the key of the
text it is given and the text itself, so it finds exactly what the comparison "the same text,
or the same number" finds.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from . import terms
from .namespaces import ML

if TYPE_CHECKING:
    from .store.base import Store

FACET_GRAPH = str(ML.EvaluationFacets)
FACET_NS = "https://w3id.org/modellake/facet/"
_LONGEST_KEY = 1000  # characters of an encoded key kept as they are
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$")
_NUMERIC_TYPES = frozenset({
    XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.short,
    XSD.nonNegativeInteger, XSD.positiveInteger, XSD.nonPositiveInteger,
    XSD.negativeInteger, XSD.unsignedInt, XSD.unsignedLong,
})


def number_key(text: str) -> str | None:
    """The key of text that reads as a finite number, else None."""
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    value = float(text)
    if not math.isfinite(value):
        return None
    return str(int(value)) if value.is_integer() else repr(value)


def value_key(value: Literal) -> str:
    """The key a stored setting value is filed under."""
    text = str(value)
    if value.datatype in _NUMERIC_TYPES:
        return number_key(text) or text
    return text


def facet(measure: str, parameter: str, key: str) -> str:
    """The facet property of a search key: an IRI whatever the parameter's name and value
    (a very long one is named by its digest, so the IRI stays short)."""
    text = f"{measure} {parameter}={key}"
    encoded = quote(text, safe="")
    if len(encoded) > _LONGEST_KEY:
        encoded = "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    return FACET_NS + encoded


def search_keys(measure: str, parameter: str, value: str) -> list[str]:
    """The facet properties a search for ``parameter = value`` under ``measure`` reads."""
    keys = [facet(measure, parameter, value)]
    number = number_key(value)
    if number is not None and number != value:
        keys.append(facet(measure, parameter, number))
    return keys


# -- computing the facets of a write ---------------------------------------------------------------

class _View:
    """The lake as a write leaves it, as far as the facets need it: the written graphs, and the
    stored graphs of the other nodes they lead to, fetched on demand. A node counts as known
    once some graph describes it (a setting may live in its set's graph or in its own)."""

    def __init__(self, written: Mapping[str, Graph],
                 describe: Callable[[list[str]], Graph]) -> None:
        self.graph = Graph()
        for graph in written.values():
            self.graph += graph
        self._describe = describe
        self._fetched: set[str] = set(written)

    def fetch(self, nodes: Iterable[str]) -> None:
        missing = sorted({n for n in nodes if n not in self._fetched
                          and (URIRef(n), None, None) not in self.graph})
        if missing:
            self.graph += self._describe(missing)
            self._fetched.update(missing)

    def objects(self, node: str, predicate: URIRef) -> list[str]:
        return [str(o) for o in self.graph.objects(URIRef(node), predicate)]

    def literals(self, node: str, predicate: URIRef) -> list[Literal]:
        return [o for o in self.graph.objects(URIRef(node), predicate) if isinstance(o, Literal)]


def write_facets(
    written: Mapping[str, Graph], stored_evaluations: Iterable[str],
    describe: Callable[[list[str]], Graph],
) -> tuple[list[str], Graph]:
    """The evaluations whose facets a write changes, and their new facets.

    ``written``: node IRI → its graph as the write stores it; ``stored_evaluations``: evaluations
    already in the lake that evaluate a written model or a model with a written hyperparameter
    set; ``describe``: reads stored node graphs. Returns the evaluations to clear and the facet
    triples to insert for them.
    """
    view = _View(written, describe)
    written_evaluations = {str(s) for s in view.graph.subjects(RDF.type, ML.MeasuredEvaluation)}
    evaluations = sorted({*stored_evaluations, *written_evaluations})
    view.fetch(evaluations)
    plans = [(evaluation, measure, model) for evaluation in evaluations
             if (URIRef(evaluation), RDF.type, ML.MeasuredEvaluation) in view.graph
             for measure in view.objects(evaluation, ML.evaluationMeasure)
             for model in view.objects(evaluation, ML.evaluatedModel)]
    view.fetch(model for _, _, model in plans)
    sets = {model: view.objects(model, ML.hasHyperparameterSet) for _, _, model in plans}
    view.fetch(s for found in sets.values() for s in found)
    view.fetch(setting for found in sets.values() for s in found
               for setting in view.objects(s, ML.hasSetting))
    facets = Graph()
    for evaluation, measure, model in plans:
        scores = view.literals(evaluation, ML.value)
        for name, value in _settings(view.graph, sets[model]):
            key = URIRef(facet(measure, name, value_key(value)))
            for score in scores:
                facets.add((URIRef(evaluation), key, score))
    return evaluations, facets


def _settings(graph: Graph, sets: list[str]) -> Iterator[tuple[str, Literal]]:
    for hyper in sets:
        for setting in graph.objects(URIRef(hyper), ML.hasSetting):
            for name in graph.objects(setting, ML.parameterName):
                for value in graph.objects(setting, ML.parameterValue):
                    if isinstance(value, Literal):
                        yield str(name), value


# -- rebuilding after a bulk load ------------------------------------------------------------------

def rebuild(store: Store, *, batch: int = 500, flush_at: int = 1_000_000,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every evaluation facet of the lake (after a bulk load, which writes none).

    Reads the measured evaluations in batches and loads their facets with the store's bulk
    path. Returns the number of facets written; ``progress(done, total)`` after each batch.
    """
    catalogue = store.catalogue
    store.drop_graph(FACET_GRAPH)
    evaluations = sorted({str(row["evaluation"]) for row in store.select(
        catalogue.bind("records/measured-evaluations"))})
    written = 0
    graph = f"<{FACET_GRAPH}>"
    pending: set[str] = set()
    for start in range(0, len(evaluations), batch):
        rows = store.select(catalogue.bind(
            "records/facet-sources", {"evaluations": evaluations[start:start + batch]}))
        for row in rows:
            value, score = row.get("value"), row.get("score")
            if isinstance(value, Literal) and isinstance(score, Literal):
                key = facet(str(row["measure"]), str(row["name"]), value_key(value))
                # Checked terms only, as everywhere the lake writes RDF as text.
                pending.add(f"{terms.write_term(row['evaluation'])} "
                            f"{terms.write_term(URIRef(key))} {terms.write_term(score)} "
                            f"{graph} .\n")
        # Few large loads: each bulk load of Oxigraph writes and ingests index files, which
        # costs seconds on a big store whatever the size of the load.
        if len(pending) >= flush_at or start + batch >= len(evaluations):
            if pending:
                store.bulk_load("".join(sorted(pending)).encode("utf-8"))
            written += len(pending)
            pending = set()
        if progress is not None:
            progress(min(start + batch, len(evaluations)), len(evaluations))
    return written
