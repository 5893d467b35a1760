"""OWL 2 reasoning over the Model Lake ontology with HermiT (run by owlready2).

For offline checks and tests, never for requests: a run starts a JVM and takes seconds
(design §4 keeps reasoners out of the per-write path).

The ontology and every pinned file in ``ontology/imports/`` are merged with rdflib, brought into
OWL 2 DL shape (see ``_owl_view``) and handed to owlready2 as N-Triples (it reads no Turtle). Each
call builds a fresh owlready2 ``World``, so runs never see each other's individuals. Nothing is
fetched: ``owl:imports`` triples are removed, so neither owlready2 nor HermiT's OWL API loader
follows them.
"""

from __future__ import annotations

import functools
import io
import tempfile
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import owlready2
import owlready2.reasoning
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from modellake.errors import ModelLakeError
from modellake.resources import ontology_dir

OWL_NOTHING = str(OWL.Nothing)
OWL_THING = str(OWL.Thing)
# owlready2 imports the Python module named by this annotation on an ontology it loads; records
# are data, so the annotation is removed with owl:imports.
_OWLREADY_NS = "http://www.lesfleursdunormal.fr/static/_downloads/owlready_ontology.owl#"
_LOAD_IRI = "urn:x-modellake:reasoning"


@dataclass(frozen=True)
class ReasoningReport:
    """What HermiT said. ``consistent`` is logical consistency (some model exists);
    ``inconsistent_classes`` are the named classes that can have no member (owl:Nothing left out).
    A sound ontology has both ``consistent`` and no inconsistent classes (``coherent``)."""

    consistent: bool
    inconsistent_classes: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def coherent(self) -> bool:
        return self.consistent and not self.inconsistent_classes


class InconsistentOntologyError(ModelLakeError):
    """Raised when inferences are asked of an inconsistent ontology (which entails everything)."""


def ontology_files() -> list[Path]:
    """modellake.ttl first, then the pinned imports in a fixed order."""
    root = ontology_dir()
    return [root / "modellake.ttl", *sorted((root / "imports").glob("*.ttl"))]


def _strip_unsafe(graph: Graph) -> None:
    graph.remove((None, OWL.imports, None))
    for triple in list(graph):
        if str(triple[1]).startswith(_OWLREADY_NS):
            graph.remove(triple)


def _owl_view(graph: Graph) -> None:
    """Make the merged vocabularies OWL 2 DL enough for owlready2 and HermiT, in place.

    The pinned files stay byte-for-byte as published; only this in-memory view changes. It only
    fixes how external terms are declared and drops links OWL 2 DL forbids; no axiom about an ml:
    term is touched:

    - DCAT 3 leaves the inverse properties it deprecates (dcat:isVersionOf, dcat:inCatalog, ...)
      undeclared except for ``owl:inverseOf``; OWL allows that only between object properties, so
      they are declared as such (the OWL API does the same when it parses them).
    - PROV-O puns prov:wasRevisionOf and prov:specializationOf as annotation properties too; we use
      them as object properties, so the annotation typing goes.
    - DCMI Terms and schema.org are RDFS vocabularies: their rdf:Property terms get no OWL kind,
      which owlready2 cannot load. They become annotation properties (as ML-Schema already
      declares the DCMI terms it uses), so no OWL tool draws conclusions from them.
    - DCAT 3 makes object properties sub-properties of those DCMI terms; OWL 2 DL forbids
      sub-property links between logical and annotation properties, so those links go.
    """
    _strip_unsafe(graph)
    for pair in list(graph.subject_objects(OWL.inverseOf)):
        for prop in pair:
            if (prop, RDF.type, None) not in graph:
                graph.add((prop, RDF.type, OWL.ObjectProperty))
    logical = set(graph.subjects(RDF.type, OWL.ObjectProperty)) | set(
        graph.subjects(RDF.type, OWL.DatatypeProperty)
    )
    for prop in logical:
        graph.remove((prop, RDF.type, OWL.AnnotationProperty))
    for prop in set(graph.subjects(RDF.type, RDF.Property)) - logical:
        graph.add((prop, RDF.type, OWL.AnnotationProperty))
    annotation = set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    for link in (RDFS.subPropertyOf, OWL.equivalentProperty):
        for sub, sup in list(graph.subject_objects(link)):
            if (sub in logical and sup in annotation) or (sub in annotation and sup in logical):
                graph.remove((sub, link, sup))


@functools.lru_cache(maxsize=1)
def _ontology_ntriples() -> bytes:
    """The ontology and its imports, merged and cleaned: read once per process."""
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    _owl_view(graph)
    return graph.serialize(format="nt", encoding="utf-8")


def _extra_ntriples(extra: Graph | None) -> bytes:
    if extra is None:
        return b""
    copy = Graph()
    for triple in extra:
        copy.add(triple)
    _strip_unsafe(copy)
    return copy.serialize(format="nt", encoding="utf-8")


def _individual_iris(extra: Graph) -> set[str]:
    """The IRIs ``extra`` talks about as things: subjects and non-type objects, not predicates."""
    iris = {str(s) for s in extra.subjects() if isinstance(s, URIRef)}
    iris |= {str(o) for _, p, o in extra if isinstance(o, URIRef) and p != RDF.type}
    return iris


_HERMIT_LOCK = threading.Lock()


@contextmanager
def _hermit_scratch_dir() -> Iterator[None]:
    """Give owlready2's reasoner a private temporary directory, removed afterwards.

    owlready2 writes the world to a temporary file for HermiT and deletes it only on success; when
    HermiT reports an inconsistency the file (~0.8 MB) would stay in /tmp. owlready2 has no option
    for the place, so its module's ``tempfile`` is pointed at the private directory for the run;
    the lock keeps concurrent runs from swapping it under each other.
    """
    module: Any = owlready2.reasoning
    with _HERMIT_LOCK, tempfile.TemporaryDirectory(prefix="modellake-hermit-") as scratch:
        original = module.tempfile
        module.tempfile = types.SimpleNamespace(
            NamedTemporaryFile=functools.partial(tempfile.NamedTemporaryFile, dir=scratch)
        )
        try:
            yield
        finally:
            module.tempfile = original


class Inferences:
    """The outcome of one HermiT run on the ontology plus an optional graph of individuals.

    Holds its own owlready2 World; ``close()`` (or a ``with`` block) releases it.
    """

    def __init__(self, extra: Graph | None = None) -> None:
        self._world: Any = owlready2.World()
        self._world.get_ontology(_LOAD_IRI).load(
            fileobj=io.BytesIO(_ontology_ntriples() + _extra_ntriples(extra)), format="ntriples"
        )
        self.consistent = True
        self.message = "HermiT: consistent"
        # ignore_unsupported_datatypes: DCAT 3 ranges dcat:temporalResolution over xsd:duration
        # and records may carry xsd:date literals; neither is in the OWL 2 datatype map, and
        # HermiT would otherwise refuse the whole ontology. Those axioms and literals are then
        # left out of reasoning (sound, possibly incomplete).
        try:
            with _hermit_scratch_dir():
                owlready2.sync_reasoner_hermit(
                    self._world,
                    infer_property_values=True,
                    debug=0,
                    ignore_unsupported_datatypes=True,
                )
        except owlready2.OwlReadyInconsistentOntologyError:
            self.consistent = False
            self.message = "HermiT: the ontology with the given individuals is inconsistent"
        self.inconsistent_classes: list[str] = []
        if self.consistent:
            self.inconsistent_classes = sorted(
                c.iri for c in self._world.inconsistent_classes() if c.iri != OWL_NOTHING
            )
            if self.inconsistent_classes:
                self.message = "HermiT: consistent, but some classes are unsatisfiable: " + (
                    ", ".join(self.inconsistent_classes)
                )

    def __enter__(self) -> Inferences:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._world.close()

    def report(self) -> ReasoningReport:
        return ReasoningReport(self.consistent, list(self.inconsistent_classes), self.message)

    def _require_consistent(self) -> None:
        if not self.consistent:
            raise InconsistentOntologyError(self.message)

    def _individual(self, iri: str) -> Any:
        entity = self._world[iri]
        return entity if isinstance(entity, owlready2.Thing) else None

    def is_individual(self, iri: str) -> bool:
        return self._individual(iri) is not None

    def types(self, iri: str) -> set[str]:
        """Every named class the individual belongs to after reasoning (owl:Thing left out)."""
        self._require_consistent()
        individual = self._individual(iri)
        if individual is None:
            return set()
        classes: set[str] = set()
        for cls in individual.is_a:
            if isinstance(cls, owlready2.ThingClass):
                classes |= {c.iri for c in cls.ancestors(include_self=True)}
        classes.discard(OWL_THING)
        return classes

    def objects(self, subject_iri: str, property_iri: str) -> set[str]:
        """The individuals related to the subject by the object property after reasoning.

        HermiT's property-value output (``-Y``) adds values entailed through inverses but not
        through the property hierarchy, so the closure over sub-properties, inverses and
        transitivity is taken by owlready2 on the classified world. owlready2 also lists the
        fillers of existential restrictions as "values"; those are classes and are left out.
        """
        self._require_consistent()
        individual = self._individual(subject_iri)
        prop = self._world[property_iri]
        if individual is None or not isinstance(prop, owlready2.ObjectPropertyClass):
            return set()
        # owlready2's own (underscored) entry point behind ``individual.INDIRECT_<name>``; the
        # public attribute goes through Python names, which clash (dcat:hasVersion, dct:hasVersion).
        values = prop._get_indirect_values_for_individual(individual)
        return {v.iri for v in values if isinstance(v, owlready2.Thing)}


def check_consistency(extra: Graph | None = None) -> ReasoningReport:
    """Run HermiT on the ontology, its imports and the individuals in ``extra``."""
    with Inferences(extra) as inferences:
        return inferences.report()


def classify_individuals(extra: Graph) -> dict[str, set[str]]:
    """Map each individual IRI in ``extra`` to every class IRI it has after reasoning.

    Raises InconsistentOntologyError if ``extra`` makes the ontology inconsistent."""
    with Inferences(extra) as inferences:
        return {
            iri: inferences.types(iri)
            for iri in sorted(_individual_iris(extra))
            if inferences.is_individual(iri)
        }


def inferred_objects(extra: Graph, subject_iri: str, property_iri: str) -> set[str]:
    """The objects ``subject_iri`` has for the object property ``property_iri`` after reasoning
    (asserted or entailed). Raises InconsistentOntologyError on an inconsistent ontology."""
    with Inferences(extra) as inferences:
        return inferences.objects(subject_iri, property_iri)
