"""The lake's own named graphs: the ontology and the shapes, loaded on start.

They let governance queries use the vocabulary's labels and individuals (evaluation measures,
lifecycle stages …) with plain SPARQL, and they are replaced as a whole on each start so the
store always holds the version the code was started with. The ontology graph also holds the
governance facts the compliance queries read: the DPV subset (which personal data categories are
special categories, GDPR Art. 9) and the SPDX licences with what they permit.
"""

from __future__ import annotations

from rdflib import Graph

from .errors import RDFSyntaxError
from .namespaces import ONTOLOGY_GRAPH, SHAPES_GRAPH
from .resources import ontology_dir, ontology_file, shapes_dir
from .store import Store


def _parse_turtle_files(*paths: object) -> Graph:
    graph = Graph()
    for path in paths:
        try:
            graph.parse(str(path), format="turtle")
        except Exception as exc:  # rdflib raises several parser errors
            raise RDFSyntaxError(f"{path} is not valid Turtle: {exc}") from exc
    return graph


# Pinned imports whose facts queries need in the store (the other imports only define the
# external terms the ontology aligns with, and stay out of the lake).
GOVERNANCE_IMPORTS = ("dpv-subset.ttl", "spdx-licences.ttl")


def ontology_graph() -> Graph:
    imports = ontology_dir() / "imports"
    return _parse_turtle_files(ontology_file(), *(imports / name for name in GOVERNANCE_IMPORTS))


def shapes_graph() -> Graph:
    return _parse_turtle_files(*sorted(shapes_dir().glob("*.ttl")))


def install_system_graphs(store: Store) -> dict[str, int]:
    """Replace the ontology and shapes graphs in one transaction; return their sizes."""
    graphs = {ONTOLOGY_GRAPH: ontology_graph(), SHAPES_GRAPH: shapes_graph()}
    store.replace_graphs(graphs)
    return {iri: len(g) for iri, g in graphs.items()}
