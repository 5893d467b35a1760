"""Generate ontology/context.jsonld, the one JSON-LD 1.1 context of the API, from modellake.ttl.

Run from anywhere: ``python ontology/build_context.py`` rewrites the file; ``--check`` only says
(exit status 1) whether the committed file is out of date. Needs rdflib only; reads no network.

Every ml: class becomes a term named by its local name; every ml: property too, with
``"@type": "@id"`` for object properties and the datatype for datatype properties whose range is
one xsd datatype. The PROV-O / DCAT / DCTERMS / FOAF properties our records use get short terms.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

HERE = Path(__file__).resolve().parent
ML = "https://w3id.org/modellake#"

PREFIXES = {
    "ml": ML,
    "mlsh": "https://w3id.org/modellake/shapes#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "mls": "http://www.w3.org/ns/mls#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": str(XSD),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "dpv": "https://w3id.org/dpv#",
    # Used by the catalogue export (MLDCAT-AP, data quality, checksums).
    "mldcat": "http://data.europa.eu/it6/",
    "dqv": "http://www.w3.org/ns/dqv#",
    "spdx": "http://spdx.org/rdf/terms#",
}

# Short terms for the external properties records use. Values: None (the JSON value decides:
# strings stay strings, language maps stay language-tagged), "@id" (a node), or a datatype.
# dct:created / dct:modified are coerced to xsd:dateTime like the PROV times, because that is what
# the lake writes; a client can still send {"@value": "2024-05-01", "@type": "xsd:date"}.
EXTERNAL: dict[str, tuple[str, str | None]] = {
    "title": ("dct:title", None),
    "description": ("dct:description", None),
    "keyword": ("dcat:keyword", None),
    "created": ("dct:created", "xsd:dateTime"),
    "modified": ("dct:modified", "xsd:dateTime"),
    "license": ("dct:license", "@id"),
    "used": ("prov:used", "@id"),
    "generated": ("prov:generated", "@id"),
    "wasGeneratedBy": ("prov:wasGeneratedBy", "@id"),
    "wasDerivedFrom": ("prov:wasDerivedFrom", "@id"),
    "wasAttributedTo": ("prov:wasAttributedTo", "@id"),
    "wasAssociatedWith": ("prov:wasAssociatedWith", "@id"),
    "startedAtTime": ("prov:startedAtTime", "xsd:dateTime"),
    "endedAtTime": ("prov:endedAtTime", "xsd:dateTime"),
    "generatedAtTime": ("prov:generatedAtTime", "xsd:dateTime"),
    "wasRevisionOf": ("prov:wasRevisionOf", "@id"),
    "atLocation": ("prov:atLocation", "@id"),
    "downloadURL": ("dcat:downloadURL", "@id"),
    # DCAT 3 and DCAT-AP give the byte size as xsd:nonNegativeInteger.
    "byteSize": ("dcat:byteSize", "xsd:nonNegativeInteger"),
    "name": ("foaf:name", None),
    "version": ("dcat:version", None),
}


def _local(iri: URIRef) -> str:
    return str(iri)[len(ML) :]


def _ml_subjects(g: Graph, kind: URIRef) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef) and s.startswith(ML)}


def build(ontology: Path = HERE / "modellake.ttl") -> dict[str, object]:
    g = Graph().parse(ontology, format="turtle")
    ctx: dict[str, object] = {"@version": 1.1, **PREFIXES}

    for cls in sorted(_ml_subjects(g, OWL.Class)):
        ctx[_local(cls)] = f"ml:{_local(cls)}"

    object_props = _ml_subjects(g, OWL.ObjectProperty)
    data_props = _ml_subjects(g, OWL.DatatypeProperty)
    for prop in sorted(object_props | data_props):
        name = _local(prop)
        if name in ctx:
            raise SystemExit(f"term {name!r} defined twice")
        definition: dict[str, str] = {"@id": f"ml:{name}"}
        ranges = list(g.objects(prop, RDFS.range))
        if prop in object_props:
            definition["@type"] = "@id"
        elif len(ranges) == 1 and str(ranges[0]).startswith(str(XSD)):
            definition["@type"] = f"xsd:{str(ranges[0])[len(str(XSD)) :]}"
        ctx[name] = definition

    for name, (iri, coercion) in EXTERNAL.items():
        if name in ctx:
            raise SystemExit(f"term {name!r} defined twice")
        ctx[name] = {"@id": iri} if coercion is None else {"@id": iri, "@type": coercion}
    return {"@context": ctx}


def render(context: dict[str, object]) -> str:
    return json.dumps(context, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    target = HERE / "context.jsonld"
    text = render(build())
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is out of date; run python {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
