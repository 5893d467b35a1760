"""SHACL validation of writes, in the style of pySHACL: one function, one report.

``validate(data, context=...)`` checks the new nodes of a write against the shapes in ``shapes/``
(never shapes found in the data). Before validating, the data is closed under the ontology's
class and property hierarchies (``Vocabulary.close``), so pyshacl runs with no inference and no
ontology graph. ``context`` holds the rdf:type triples of the nodes the write points at: they make
``sh:class`` checks on references work, and only those triples are used. The graph validated is
the write plus those types, so the cost follows the size of the write, not of the lake.

Only results about the focus nodes (the new nodes) are reported. pyshacl's own ``focus_nodes``
option is not used for that: in pyshacl 0.40 it also filters the nodes that nested shapes
(``sh:or``, ``sh:node``, ``sh:qualifiedValueShape`` …) are evaluated on, so a value that is not
itself a focus node silently passes (a string in ``dct:created`` would pass its ``sh:or`` of date
types). So pyshacl validates the whole small graph, and the results whose focus node is a
referenced node (which has only its types, so lacks everything its shape asks for) are dropped.

Profiles are the shape files of ``shapes/`` by name. ``DEFAULT_PROFILES`` are the write-path
profiles, used by every write and by default here: ``core`` (what a record must have),
``documentation`` (5W1H recommendations, warnings) and ``governance`` (governance facts
well-formed, production approval; recommendations as warnings). Any other file is validated only
when asked for by name, e.g. ``annex-iv`` (EU AI Act Annex IV documentation of high-risk models,
meant for a model together with its lineage: ``Validator.for_profiles(["annex-iv"])``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from typing import Literal as TypingLiteral

from pyshacl import ShapesGraph
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from .errors import BadInputError, ModelLakeError
from .namespaces import PREFIXES, RDF, SH
from .resources import shapes_dir
from .vocabulary import Vocabulary, load_vocabulary

Severity = TypingLiteral["Violation", "Warning", "Info"]
DEFAULT_PROFILES: tuple[str, ...] = ("core", "documentation", "governance")

_SEVERITIES: dict[Node, Severity] = {
    SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info",
}
_PATH_SUFFIXES = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


@dataclass(frozen=True)
class Finding:
    """One validation result, in words a user can act on."""

    focus_node: str
    path: str | None
    message: str
    severity: Severity
    source_shape: str
    value: str | None

    def to_json(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: ``conforms`` is False only if there is a violation."""

    conforms: bool
    findings: list[Finding]
    report_graph: Graph

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def text(self) -> str:
        lines = [f"Conforms: {self.conforms}"]
        for f in self.findings:
            where = f" {f.path}" if f.path else ""
            value = f" (value: {f.value})" if f.value is not None else ""
            lines.append(
                f"{f.severity}: <{f.focus_node}>{where}: {f.message}{value} [{f.source_shape}]"
            )
        return "\n".join(lines)

    def to_json(self) -> list[dict[str, str | None]]:
        return [f.to_json() for f in self.findings]


def _names() -> NamespaceManager:
    manager = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace)
    return manager


def _shape_owners(shapes: Graph) -> dict[Node, URIRef]:
    """Map every blank node of a named shape's description to that shape's IRI."""
    owners: dict[Node, URIRef] = {}
    for subject in set(shapes.subjects()):
        if not isinstance(subject, URIRef):
            continue
        todo: list[Node] = [subject]
        while todo:
            for obj in shapes.objects(todo.pop(), None):
                if isinstance(obj, BNode) and obj not in owners:
                    owners[obj] = subject
                    todo.append(obj)
    return owners


def _first(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    return next(iter(graph.objects(subject, predicate)), None)


class Validator:
    """A shapes graph and the vocabulary, ready to validate many writes."""

    def __init__(self, shapes: Graph, vocabulary: Vocabulary | None = None) -> None:
        # pyshacl adds its "system triples" (two RDFS axioms) to the shapes graph it is given;
        # keep a private copy that already has them, so validating never changes a shared graph.
        self.shapes = Graph()
        self.shapes += shapes
        for triple in ShapesGraph.system_triples:
            self.shapes.add(triple)
        self.vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
        self._owners = _shape_owners(self.shapes)
        self._names = _names()
        self._required_paths = self._conditional_paths()

    @classmethod
    def for_profiles(
        cls, profiles: Sequence[str] = DEFAULT_PROFILES, vocabulary: Vocabulary | None = None
    ) -> Validator:
        shapes = Graph()
        for name in profiles:
            shapes += _profile_graph(name)
        return cls(shapes, vocabulary)

    def validate(
        self,
        data: Graph,
        *,
        focus_nodes: Iterable[URIRef] | None = None,
        context: Graph | None = None,
    ) -> ValidationReport:
        """Validate the nodes ``focus_nodes`` (default: every IRI subject of ``data``)."""
        if focus_nodes is None:
            focus = frozenset(s for s in data.subjects() if isinstance(s, URIRef))
        else:
            focus = frozenset(URIRef(node) for node in focus_nodes)
        if not focus:
            return self._report([], Graph())
        graph = Graph()
        graph += data
        if context is not None:
            graph += context.triples((None, RDF.type, None))
        for obj in set(data.objects()):
            if isinstance(obj, URIRef):
                for cls in self.vocabulary.individuals.get(obj, ()):
                    graph.add((obj, RDF.type, cls))
        _, results, _ = shacl_validate(
            self.vocabulary.close(graph),
            shacl_graph=self.shapes,
            inference="none",
            advanced=False,
            inplace=True,
            allow_warnings=True,
            allow_infos=True,
            do_owl_imports=False,
        )
        if not isinstance(results, Graph):  # pyshacl returns its failure instead of raising
            raise ModelLakeError(f"SHACL validation could not run: {results}")
        kept = [
            r for r in results.objects(None, SH.result) if _first(results, r, SH.focusNode) in focus
        ]
        return self._report(kept, results)

    def validate_as_is(self, data: Graph) -> ValidationReport:
        """Validate every node of ``data`` as it is: no closure under our ontology, no focus.

        For documents in other vocabularies (the catalogue export against the official
        application profiles), where our ontology has nothing to add."""
        _, results, _ = shacl_validate(
            data, shacl_graph=self.shapes, inference="none", advanced=False, inplace=False,
            allow_warnings=True, allow_infos=True, do_owl_imports=False,
        )
        if not isinstance(results, Graph):
            raise ModelLakeError(f"SHACL validation could not run: {results}")
        return self._report(list(results.objects(None, SH.result)), results)

    def _report(self, results: list[Node], source: Graph) -> ValidationReport:
        # One finding per distinct (node, path, message, value): a property shape whose value
        # breaks two of its constraints (say sh:nodeKind and sh:or) is reported once.
        kept: dict[Finding, Node] = {}
        for result in results:
            kept.setdefault(self._finding(source, result), result)
        findings = sorted(
            kept,
            key=lambda f: (f.severity != "Violation", f.focus_node, f.source_shape, f.path or ""),
        )
        conforms = not any(f.severity == "Violation" for f in findings)
        report_graph = Graph()
        for prefix, namespace in PREFIXES.items():
            report_graph.bind(prefix, namespace)
        report = BNode()
        report_graph.add((report, RDF.type, SH.ValidationReport))
        report_graph.add((report, SH.conforms, Literal(conforms)))
        for result in kept.values():
            report_graph.add((report, SH.result, result))
            todo = [result]
            while todo:
                for s, p, o in source.triples((todo.pop(), None, None)):
                    report_graph.add((s, p, o))
                    if isinstance(o, BNode):
                        todo.append(o)
        return ValidationReport(conforms, findings, report_graph)

    def _finding(self, graph: Graph, result: Node) -> Finding:
        def first(predicate: URIRef) -> Node | None:
            return _first(graph, result, predicate)

        shape = first(SH.sourceShape)
        path = first(SH.resultPath)
        value = first(SH.value)
        severity = first(SH.resultSeverity)
        if path is not None:
            path_text: str | None = self._path_text(graph, path)
        else:
            path_text = self._required_paths.get(shape) if shape is not None else None
        return Finding(
            focus_node=str(first(SH.focusNode)),
            path=path_text,
            message=str(first(SH.resultMessage) or "(no message)"),
            severity=_SEVERITIES.get(severity, "Violation") if severity else "Violation",
            # A blank-node property shape is reported as the named shape it belongs to.
            source_shape=self._name(self._owners.get(shape, shape)) if shape is not None else "",
            value=self._name(value) if value is not None else None,
        )

    def _conditional_paths(self) -> dict[Node, str]:
        """The paths a "required when …" shape asks for (``sh:or ( <condition> [ sh:path p ] … )``).

        pyshacl reports such a node-level result without a path; the finding names the missing
        properties anyway, so clients see which one to add ("a|b" when any of them will do).
        """
        found: dict[Node, str] = {}
        for shape, members in self.shapes.subject_objects(SH["or"]):
            if not isinstance(shape, URIRef) or not isinstance(members, BNode):
                continue
            paths = [
                self._path_text(self.shapes, path)
                for member in Collection(self.shapes, members)
                if (path := _first(self.shapes, member, SH.path)) is not None
            ]
            if paths:
                found[shape] = "|".join(paths)
        return found

    def _name(self, node: Node) -> str:
        if isinstance(node, (URIRef, Literal)):
            return node.n3(self._names)
        return str(node)

    def _path_text(self, graph: Graph, path: Node) -> str:
        if not isinstance(path, BNode):
            return self._name(path)
        if (path, RDF.first, None) in graph:
            return "/".join(self._path_text(graph, p) for p in Collection(graph, path))
        alternatives = _first(graph, path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(self._path_text(graph, p) for p in Collection(graph, alternatives))
        inverse = _first(graph, path, SH.inversePath)
        if inverse is not None:
            return "^" + self._path_text(graph, inverse)
        for predicate, suffix in _PATH_SUFFIXES.items():
            inner = _first(graph, path, predicate)
            if inner is not None:
                return f"({self._path_text(graph, inner)}){suffix}"
        return str(path)


def available_profiles() -> list[str]:
    """Names of the shape files in ``shapes/`` (``core``, ``documentation`` …)."""
    return sorted(p.stem for p in shapes_dir().glob("*.ttl"))


@cache
def _profile_graph(name: str) -> Graph:
    if name not in available_profiles():
        raise BadInputError(
            f"unknown validation profile {name!r}; choose from {', '.join(available_profiles())}"
        )
    graph = Graph()
    graph.parse(shapes_dir() / f"{name}.ttl", format="turtle")
    return graph


@cache
def _default_validator(profiles: tuple[str, ...]) -> Validator:
    return Validator.for_profiles(profiles)


def validate(
    data: Graph,
    *,
    focus_nodes: Iterable[URIRef] | None = None,
    context: Graph | None = None,
    profiles: Sequence[str] = DEFAULT_PROFILES,
) -> ValidationReport:
    """Validate a write: ``data`` are the new nodes, ``context`` the types of what they point at.

    Only the focus nodes (default: every IRI subject of ``data``) are validated; sh:Warning and
    sh:Info results are reported but do not break conformance. Types of ontology individuals the
    data points at (ml:Accuracy, ml:SupportVectorMachine …) are added from the vocabulary.
    """
    validator = _default_validator(tuple(profiles))
    return validator.validate(data, focus_nodes=focus_nodes, context=context)


def split_references(document: Graph) -> tuple[Graph, Graph]:
    """(data, context) of a standalone document: nodes it states nothing about but their
    rdf:type are references to nodes described elsewhere, passed as context, not validated."""
    data, context = Graph(), Graph()
    for subject in set(document.subjects()):
        only_types = set(document.predicates(subject, None)) == {RDF.type}
        target = context if only_types else data
        for triple in document.triples((subject, None, None)):
            target.add(triple)
    return data, context
