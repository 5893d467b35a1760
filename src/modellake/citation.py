"""Data citation: the data a model was trained and evaluated on, up to its sources, as
citations someone can paste — BibTeX, CSL-JSON or DataCite JSON.

The items come from the model's upstream lineage (``Lake.lineage``): the model itself, every
data set (its training data, the intermediate and raw data sets those came from, the data its
evaluations were measured on, the data of base models) and every data source. Each fact is read
from the lake: title, owners, publisher (``dct:publisher``, or the registry a record was
imported from), version label, dates, location, licence, hub id, content hash. A fact the lake
does not hold is left out (BibTeX, CSL-JSON) or written as DataCite's standard value for
unavailable information, ``(:unav)``, where DataCite makes the property mandatory: nothing is
invented.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final
from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef

from .errors import BadInputError, NotFoundError
from .lake import Lake
from .namespaces import DCAT, DCTERMS, FOAF, ML, OWL, PROV, RDF, RDFS
from .resources import ontology_file

FORMATS: Final = {
    "bibtex": "application/x-bibtex",
    "csl-json": "application/vnd.citationstyles.csl+json",
    "datacite": "application/vnd.datacite.datacite+json",
}
DCAT3: Final = Namespace(str(DCAT))  # rdflib's closed DCAT namespace lacks dcat:version
UNAVAILABLE: Final = "(:unav)"  # DataCite's standard value for information not available
_PERSON_CLASSES: Final = frozenset({ML.Person, FOAF.Person, PROV.Person})
_LOCATIONS: Final = (ML.storageLocation, DCAT.downloadURL, DCAT.landingPage, PROV.atLocation)
_DATE_PROPS: Final = (DCTERMS.issued, DCTERMS.created, PROV.generatedAtTime)
_BIBTEX_SPECIAL: Final = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Agent:
    name: str
    person: bool


@dataclass
class CitedItem:
    """One thing to cite, with only the facts the lake holds."""

    iri: str
    id: str
    kind: str  # model, dataset or source
    roles: list[str]  # model, training, evaluation, upstream, source
    title: str | None = None
    authors: list[Agent] = field(default_factory=list)
    publisher: str | None = None
    version: str | None = None
    date: str | None = None  # ISO 8601, as recorded
    location: str | None = None
    licence: str | None = None
    licence_name: str | None = None
    hub_id: str | None = None
    content_hash: str | None = None
    sources: list[str] = field(default_factory=list)  # titles of what it was ingested from
    description: str | None = None

    @property
    def year(self) -> int | None:
        match = re.match(r"^(\d{4})", self.date or "")
        return int(match.group(1)) if match else None

    def missing(self) -> list[str]:
        facts = {"title": self.title, "owner": self.authors, "date": self.date,
                 "location": self.location, "version": self.version}
        return [name for name, value in facts.items() if not value]

    def to_json(self) -> dict[str, Any]:
        return {"iri": self.iri, "id": self.id, "kind": self.kind, "roles": self.roles,
                "title": self.title, "authors": [a.name for a in self.authors],
                "publisher": self.publisher, "version": self.version, "date": self.date,
                "location": self.location, "licence": self.licence,
                "licence_name": self.licence_name, "hub_id": self.hub_id,
                "content_hash": self.content_hash, "sources": self.sources,
                "missing": self.missing()}


def cited_items(lake: Lake, model: URIRef) -> list[CitedItem]:
    """The model and its data, up to the sources, model first, then by role and title."""
    if ML.Model not in lake.types(model):  # NotFoundError when there is no such node
        raise NotFoundError(f"<{model}> is not a model")
    graph = lake.lineage(model)
    evaluation_data = {
        o for e in graph.subjects(ML.evaluatedModel, model)
        for o in graph.objects(e, ML.evaluatedOn) if isinstance(o, URIRef)}
    training = {o for o in graph.objects(model, ML.trainedOn) if isinstance(o, URIRef)}
    items = [_item(lake, graph, model, "model", ["model"])]
    datasets = {s for s in graph.subjects(RDF.type, ML.Dataset) if isinstance(s, URIRef)}
    sources = {s for s in graph.subjects(RDF.type, ML.DataSource) if isinstance(s, URIRef)}
    for node in sorted(datasets):
        roles = [r for r, hit in (("training", node in training),
                                  ("evaluation", node in evaluation_data)) if hit]
        items.append(_item(lake, graph, node, "dataset", roles or ["upstream"]))
    for node in sorted(sources - datasets):
        items.append(_item(lake, graph, node, "source", ["source"]))
    rank = {"model": 0, "training": 1, "evaluation": 2, "upstream": 3, "source": 4}
    items.sort(key=lambda i: (rank[i.roles[0]], (i.title or i.id).casefold(), i.iri))
    return items


def cite(lake: Lake, model: URIRef, format: str) -> str:
    """The citations in ``format`` (bibtex, csl-json or datacite) as text."""
    fmt = check_format(format)
    items = cited_items(lake, model)
    if fmt == "bibtex":
        return to_bibtex(items, lake.local_id(model))
    document: Any = to_csl_json(items) if fmt == "csl-json" else to_datacite(items, str(model))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def check_format(format: str) -> str:
    fmt = (format or "").strip().lower()
    if fmt not in FORMATS:
        raise BadInputError(f"unknown citation format {format[:40]!r}; use one of "
                            f"{', '.join(FORMATS)}")
    return fmt


# -- reading the facts ---------------------------------------------------------------------------

def _item(lake: Lake, graph: Graph, node: URIRef, kind: str, roles: list[str]) -> CitedItem:
    item = CitedItem(str(node), lake.local_id(node), kind, roles)
    item.title = _first(graph, node, DCTERMS.title, RDFS.label, FOAF.name)
    item.description = _first(graph, node, DCTERMS.description)
    owners = [o for o in graph.objects(node, ML.owner) if isinstance(o, URIRef)]
    if not owners:
        owners = [o for o in graph.objects(node, PROV.wasAttributedTo) if isinstance(o, URIRef)]
    seen: set[str] = set()
    for owner in sorted(owners):
        name = _first(graph, owner, FOAF.name, DCTERMS.title, RDFS.label)
        if name and name not in seen:  # an agent the lineage does not describe is left out
            seen.add(name)
            person = bool(set(graph.objects(owner, RDF.type)) & _PERSON_CLASSES)
            item.authors.append(Agent(name, person))
    publisher = graph.value(node, DCTERMS.publisher)
    if isinstance(publisher, URIRef):
        item.publisher = _first(graph, publisher, FOAF.name, DCTERMS.title, RDFS.label)
    elif isinstance(publisher, Literal):
        item.publisher = str(publisher)
    registry = graph.value(node, ML.publishedIn)
    if item.publisher is None and isinstance(registry, URIRef):
        item.publisher = _registry_labels().get(str(registry))
    item.version = _first(graph, node, DCAT3.version, OWL.versionInfo)
    item.date = _first(graph, node, *_DATE_PROPS)
    item.location = _first(graph, node, *_LOCATIONS)
    licence = graph.value(node, DCTERMS.license)
    item.licence = str(licence) if licence is not None else None
    item.licence_name = _first(graph, node, ML.declaredLicence)
    item.hub_id = _first(graph, node, ML.hubId)
    item.content_hash = _first(graph, node, ML.contentHash)
    for source in sorted(o for o in graph.objects(node, ML.ingestedFrom) if isinstance(o, URIRef)):
        item.sources.append(_first(graph, source, DCTERMS.title) or lake.local_id(source))
    return item


def _first(graph: Graph, node: URIRef, *props: URIRef) -> str | None:
    for prop in props:
        values = sorted(str(v) for v in graph.objects(node, prop)
                        if isinstance(v, Literal | URIRef))
        if values:
            return values[0]
    return None


@cache
def _registry_labels() -> dict[str, str]:
    """Labels of the ontology's registries (ml:HuggingFaceHub …), read once."""
    onto = Graph().parse(ontology_file(), format="turtle")
    return {str(s): str(o) for s in onto.subjects(RDF.type, ML.ModelRegistry)
            for o in onto.objects(s, RDFS.label)}


# -- BibTeX --------------------------------------------------------------------------------------

def bibtex_key(item: CitedItem) -> str:
    """``modellake:<id>``: readable and stable; a hash is added when the id had to change."""
    slug = re.sub(r"[^A-Za-z0-9_.:-]+", "-", item.id).strip("-")[:80] or "node"
    if slug != item.id:
        slug += "-" + hashlib.sha256(item.iri.encode()).hexdigest()[:8]
    return f"modellake:{slug}"


def bibtex_escape(text: str) -> str:
    """Text safe inside a braced BibTeX field: LaTeX specials escaped, braces balanced."""
    out = "".join(_BIBTEX_SPECIAL.get(c, c) for c in text)
    return re.sub(r"\s+", " ", out).strip()


def _is_url(text: str) -> bool:
    return re.match(r"^[a-z][a-z0-9+.-]*://\S+$", text) is not None


def _bibtex_url(url: str) -> str:
    return quote(url, safe=":/?&=#%@+,;!$'()*[]~.-_")


def to_bibtex(items: list[CitedItem], model_id: str) -> str:
    entries = []
    for item in items:
        fields: list[tuple[str, str]] = []
        if item.title:
            fields.append(("title", "{" + bibtex_escape(item.title) + "}"))  # keep capitals
        if item.authors:
            fields.append(("author", " and ".join(
                "{" + bibtex_escape(a.name) + "}" for a in item.authors)))
        if item.year is not None:
            fields.append(("year", str(item.year)))
        if item.version:
            fields.append(("version", bibtex_escape(item.version)))
        if item.publisher:
            fields.append(("publisher", bibtex_escape(item.publisher)))
        if item.location and _is_url(item.location):
            fields.append(("url", _bibtex_url(item.location)))
            fields.append(("howpublished", r"\url{" + _bibtex_url(item.location) + "}"))
        notes = [_role_text(item, model_id)]
        if item.hub_id:
            notes.append(f"hub id {item.hub_id}")
        if item.sources:
            notes.append("from " + ", ".join(item.sources))
        if item.content_hash:
            notes.append(item.content_hash)
        if item.licence_name or item.licence:
            notes.append("licence " + (item.licence_name or str(item.licence)))
        notes.append(f"lake record {item.iri}")
        if item.missing():
            notes.append("not recorded: " + ", ".join(item.missing()))
        fields.append(("note", bibtex_escape("; ".join(notes))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@misc{{{bibtex_key(item)},\n{body}\n}}\n")
    return "\n".join(entries)


def _role_text(item: CitedItem, model_id: str) -> str:
    names = {"model": "the model", "training": f"training data of {model_id}",
             "evaluation": f"evaluation data of {model_id}",
             "upstream": f"data upstream of {model_id}", "source": f"data source of {model_id}"}
    return "; ".join(names[r] for r in item.roles)


# -- CSL-JSON ------------------------------------------------------------------------------------

def to_csl_json(items: list[CitedItem]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        entry: dict[str, Any] = {"id": bibtex_key(item),
                                 "type": "software" if item.kind == "model" else "dataset"}
        if item.title:
            entry["title"] = item.title
        if item.authors:
            entry["author"] = [{"literal": a.name} for a in item.authors]
        parts = _date_parts(item.date)
        if parts:
            entry["issued"] = {"date-parts": [parts]}
        if item.version:
            entry["version"] = item.version
        if item.publisher:
            entry["publisher"] = item.publisher
        if item.location and _is_url(item.location):
            entry["URL"] = item.location
        if item.sources:
            entry["source"] = ", ".join(item.sources)
        notes = [f"lake record {item.iri}"]
        if item.content_hash:
            notes.append(item.content_hash)
        if item.missing():
            notes.append("not recorded: " + ", ".join(item.missing()))
        entry["note"] = "; ".join(notes)
        out.append(entry)
    return out


def _date_parts(date: str | None) -> list[int]:
    match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", date or "")
    return [int(p) for p in match.groups() if p] if match else []


# -- DataCite ------------------------------------------------------------------------------------

def to_datacite(items: list[CitedItem], model: str) -> list[dict[str, Any]]:
    """One DataCite (metadata schema 4.x, JSON as the DataCite REST API writes it) record per
    item; the mandatory properties are always there, ``(:unav)`` when the lake lacks them."""
    out = []
    for item in items:
        record: dict[str, Any] = {
            "identifiers": [{"identifier": item.iri, "identifierType": "URL"}],
            "creators": [{"name": a.name,
                          "nameType": "Personal" if a.person else "Organizational"}
                         for a in item.authors] or [{"name": UNAVAILABLE}],
            "titles": [{"title": item.title or UNAVAILABLE}],
            "publisher": item.publisher or UNAVAILABLE,
            "publicationYear": str(item.year) if item.year is not None else UNAVAILABLE,
            "types": {"resourceTypeGeneral": "Model" if item.kind == "model" else "Dataset",
                      "resourceType": {"model": "Machine-learning model",
                                       "dataset": "Data set",
                                       "source": "Data source"}[item.kind]},
        }
        if item.version:
            record["version"] = item.version
        if item.date:
            record["dates"] = [{"date": item.date, "dateType": "Created"}]
        if item.licence or item.licence_name:
            rights: dict[str, str] = {"rights": item.licence_name or str(item.licence)}
            if item.licence:
                rights["rightsUri"] = item.licence
            record["rightsList"] = [rights]
        related = []
        if item.location and _is_url(item.location):
            related.append({"relatedIdentifier": item.location, "relatedIdentifierType": "URL",
                            "relationType": "IsIdenticalTo"})
        if item.kind != "model":
            related.append({"relatedIdentifier": model, "relatedIdentifierType": "URL",
                            "relationType": "IsSourceOf"})
        if related:
            record["relatedIdentifiers"] = related
        if item.hub_id:
            record["alternateIdentifiers"] = [{"alternateIdentifier": item.hub_id,
                                               "alternateIdentifierType": "hub id"}]
        if item.description:
            record["descriptions"] = [{"description": item.description,
                                       "descriptionType": "Abstract"}]
        out.append(record)
    return out
