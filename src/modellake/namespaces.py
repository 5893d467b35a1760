"""RDF namespaces used across the project."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

ML = Namespace("https://w3id.org/modellake#")
MLSH = Namespace("https://w3id.org/modellake/shapes#")
MLS = Namespace("http://www.w3.org/ns/mls#")
SCHEMA = Namespace("https://schema.org/")
DPV = Namespace("https://w3id.org/dpv#")
MLDCAT = Namespace("http://data.europa.eu/it6/")  # MLDCAT-AP's own terms
DQV = Namespace("http://www.w3.org/ns/dqv#")
SPDX = Namespace("http://spdx.org/rdf/terms#")

# Named graphs the lake keeps for itself (not for user records).
ONTOLOGY_GRAPH = "https://w3id.org/modellake/graph/ontology"
SHAPES_GRAPH = "https://w3id.org/modellake/graph/shapes"

PREFIXES: dict[str, str] = {
    "ml": str(ML),
    "mlsh": str(MLSH),
    "mls": str(MLS),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "dpv": str(DPV),
    "mldcat": str(MLDCAT),
    "dqv": str(DQV),
    "spdx": str(SPDX),
}

__all__ = [
    "DCAT",
    "DCTERMS",
    "DPV",
    "DQV",
    "FOAF",
    "ML",
    "MLDCAT",
    "MLS",
    "MLSH",
    "ONTOLOGY_GRAPH",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SHAPES_GRAPH",
    "SKOS",
    "SPDX",
    "XSD",
]
