"""The shapes in shapes/, the vocabulary closure and the validation entry point.

Fixtures are data: ``tests/shapes/<Shape>-valid[-NN].ttl``, ``<Shape>-invalid-NN.ttl`` and
``<Shape>-warning-NN.ttl``. Their leading comment lines say what to expect:

    # invalid: <why>            (or "# warning: <why>", "# valid: <what>")
    # expect: mlsh:<Shape>      (optional; default: the shape named by the file)
    # path: <path>              (optional; the result path, as Finding.path writes it)

A fixture holds the new records plus the nodes they point at; a node described only by rdf:type
triples is a reference and is passed as ``context``, as the writer passes the types it fetched
from the store.

A fixture is validated with the profile (shapes file) that defines its shape: a write-path
profile (``DEFAULT_PROFILES``) on top of ``core``, as every write has it; any other profile
(``annex-iv``) alone, as it is asked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from modellake.errors import BadInputError
from modellake.namespaces import DCTERMS, ML, MLS, MLSH, PROV, RDF, RDFS, SH
from modellake.resources import shapes_dir
from modellake.validation import (
    DEFAULT_PROFILES,
    Finding,
    Validator,
    available_profiles,
    split_references,
    validate,
)
from modellake.vocabulary import Vocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "shapes"
EX = "https://lake.example.org/id/"
FIXTURE_NAME = re.compile(r"^(?P<shape>[A-Za-z]+Shape)-(?P<kind>valid|invalid|warning)(-\d{2})?$")


@dataclass(frozen=True)
class Fixture:
    path: Path
    shape: str  # prefixed name of the shape the file is about, e.g. mlsh:ModelShape
    kind: str  # valid | invalid | warning
    expect: str  # shape that must report the result
    result_path: str | None

    def graphs(self) -> tuple[Graph, Graph]:
        """(data, context): type-only nodes are references, passed as context."""
        return split_references(Graph().parse(self.path, format="turtle"))

    @property
    def profiles(self) -> tuple[str, ...]:
        """The profiles to validate with: the shape's own, on top of core if it is a write-path
        profile (as every write has it); a profile validated only on request, alone."""
        profile = _shape_profiles().get(self.shape, "core")
        if profile in DEFAULT_PROFILES:
            return tuple(dict.fromkeys(("core", profile)))
        return (profile,)


def _load_fixture(path: Path) -> Fixture:
    match = FIXTURE_NAME.match(path.stem)
    assert match, f"{path.name}: name must be <Shape>-valid[-NN], <Shape>-invalid-NN or -warning-NN"
    header: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line.lstrip("# ").partition(":")
        header[key.strip()] = value.strip()
    kind = match["kind"]
    assert header.get(kind), f"{path.name}: the first line must be '# {kind}: <why>'"
    shape = f"mlsh:{match['shape']}"
    return Fixture(path, shape, kind, header.get("expect", shape), header.get("path"))


ALL_FIXTURES = [_load_fixture(p) for p in sorted(FIXTURES.glob("*.ttl"))]


def _shape_files() -> list[Path]:
    return sorted(shapes_dir().glob("*.ttl"))


def _prefixed(shape: URIRef) -> str:
    return f"mlsh:{shape.removeprefix(str(MLSH))}"


@cache
def _shape_profiles() -> dict[str, str]:
    """mlsh:<Shape> -> the profile (shapes file) that defines it."""
    found: dict[str, str] = {}
    for path in _shape_files():
        shapes = Graph().parse(path, format="turtle")
        for shape in shapes.subjects(RDF.type, SH.NodeShape):
            if isinstance(shape, URIRef):
                found[_prefixed(shape)] = path.stem
    return found


def _targeted_shapes() -> set[str]:
    shapes = Graph()
    for path in _shape_files():
        shapes.parse(path, format="turtle")
    return {_prefixed(s) for s in shapes.subjects(SH.targetClass, None) if isinstance(s, URIRef)}


def _describe(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.severity} {f.source_shape} {f.path}: {f.message}" for f in findings)


# --------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("fixture", ALL_FIXTURES, ids=[f.path.name for f in ALL_FIXTURES])
def test_fixture(fixture: Fixture) -> None:
    data, context = fixture.graphs()
    report = validate(data, context=context, profiles=fixture.profiles)
    if fixture.kind == "valid":
        assert report.conforms, f"expected no violation, got:\n{_describe(report.violations)}"
        own = [f for f in report.findings if f.source_shape == fixture.shape]
        assert not own, f"expected nothing from {fixture.shape}, got:\n{_describe(own)}"
        return
    if fixture.kind == "invalid":
        assert not report.conforms, "expected a violation, the data conforms"
        expected = report.violations
        others = [f for f in expected if f.source_shape != fixture.expect]
        assert not others, f"violations not from {fixture.expect}:\n{_describe(others)}"
    else:
        assert report.conforms, f"expected warnings only, got:\n{_describe(report.violations)}"
        expected = [f for f in report.warnings if f.source_shape == fixture.expect]
        assert expected, f"no warning of {fixture.expect}, got:\n{_describe(report.findings)}"
    if fixture.result_path is not None:
        paths = {f.path for f in expected}
        assert fixture.result_path in paths, f"expected a result on {fixture.result_path}: {paths}"
    assert all(f.message and f.message != "(no message)" for f in expected)
    assert all(f.focus_node.startswith(EX) for f in report.findings), "a reference was validated"


def test_every_shape_has_fixtures() -> None:
    kinds: dict[str, set[str]] = {}
    for fixture in ALL_FIXTURES:
        kinds.setdefault(fixture.shape, set()).add(fixture.kind)
    shapes = _targeted_shapes()
    assert shapes, "no shapes found"
    for shape in sorted(shapes):
        found = kinds.get(shape, set())
        assert "valid" in found, f"{shape} has no <Shape>-valid.ttl fixture"
        assert found & {"invalid", "warning"}, f"{shape} has no invalid or warning fixture"
    assert set(kinds) <= shapes, f"fixtures for shapes that do not exist: {set(kinds) - shapes}"


# --------------------------------------------------------------------------- the shapes themselves


@pytest.mark.parametrize("path", _shape_files(), ids=lambda p: p.name)
def test_shapes_conform_to_shacl_shacl(path: Path) -> None:
    shacl_shacl = Graph().parse(shapes_dir() / "meta" / "shacl-shacl.ttl", format="turtle")
    conforms, _, text = shacl_validate(
        Graph().parse(path, format="turtle"), shacl_graph=shacl_shacl, inference="none"
    )
    assert conforms, text


def test_shacl_shacl_is_the_published_file() -> None:
    published = ROOT.parent / "shared" / "standards" / "shacl-shacl.ttl"
    if not published.exists():
        pytest.skip("../shared/standards is not next to the repository")
    assert (shapes_dir() / "meta" / "shacl-shacl.ttl").read_bytes() == published.read_bytes()


def test_shapes_use_only_ontology_terms() -> None:
    vocabulary = load_vocabulary()
    unknown: set[str] = set()
    for path in _shape_files():
        shapes = Graph().parse(path, format="turtle")
        terms = set(shapes.objects()) | set(shapes.predicates())
        for query in shapes.objects(None, SH.select):  # SHACL-SPARQL constraints
            terms |= {ML[name] for name in re.findall(r"\bml:([A-Za-z_][\w-]*)", str(query))}
        for term in terms:
            ours = isinstance(term, URIRef) and term.startswith(str(ML))
            if ours and not vocabulary.is_ontology_term(term):
                unknown.add(f"{path.name}: {term}")
    assert not unknown, "ml: terms the ontology does not declare:\n" + "\n".join(sorted(unknown))


NODE_LEVEL_CONSTRAINTS = (SH["or"], SH["and"], SH["not"], SH.xone, SH.node, SH.sparql)


def test_every_shape_is_labelled_and_every_rule_has_a_message() -> None:
    for path in _shape_files():
        shapes = Graph().parse(path, format="turtle")
        for shape in shapes.subjects(SH.targetClass, None):
            assert (shape, RDF.type, SH.NodeShape) in shapes, shape
            assert shapes.value(shape, RDFS.label), shape
            for prop in shapes.objects(shape, SH.property):
                assert shapes.value(prop, SH.message), f"{shape}: a property shape has no message"
                assert shapes.value(prop, SH.severity), f"{shape}: a property shape has no severity"
            if any((shape, c, None) in shapes for c in NODE_LEVEL_CONSTRAINTS):
                # A "required when …" shape (sh:or with a condition) reports itself.
                assert shapes.value(shape, SH.message), f"{shape}: a node-level rule, no message"
                assert shapes.value(shape, SH.severity), f"{shape}: a node-level rule, no severity"
        for shape in shapes.subjects(RDF.type, SH.NodeShape):
            if isinstance(shape, URIRef):  # conditions used inside sh:or are named and labelled too
                assert shapes.value(shape, RDFS.label), shape
        for constraint in shapes.objects(None, SH.sparql):
            assert shapes.value(constraint, SH.select), f"{path.name}: a query-less constraint"
            assert shapes.value(constraint, SH.prefixes), f"{path.name}: no sh:prefixes"


def test_profiles_of_the_write_path() -> None:
    assert DEFAULT_PROFILES == ("core", "documentation", "governance")
    assert {"annex-iv", *DEFAULT_PROFILES} <= set(available_profiles())
    assert "annex-iv" not in DEFAULT_PROFILES  # validated only when asked for


def test_write_path_profiles_use_shacl_core_only() -> None:
    # pyshacl parses a SHACL-SPARQL query again for every focus node (several ms each): on the
    # write path "required when …" rules are SHACL Core (sh:or with a condition shape) instead.
    for name in DEFAULT_PROFILES:
        shapes = Graph().parse(shapes_dir() / f"{name}.ttl", format="turtle")
        assert not list(shapes.subject_objects(SH.sparql)), f"{name}.ttl uses sh:sparql"


def test_governance_repeats_no_core_rule() -> None:
    # One mistake, one finding: on the core fixtures the governance profile adds no violation.
    governance = {s for s, p in _shape_profiles().items() if p == "governance"}
    repeated = []
    for fixture in ALL_FIXTURES:
        if fixture.profiles != ("core",):
            continue
        data, context = fixture.graphs()
        report = validate(data, context=context, profiles=["core", "governance"])
        repeated += [
            f"{fixture.path.name}: {f.source_shape} {f.path}"
            for f in report.violations if f.source_shape in governance
        ]
    assert not repeated, "\n".join(repeated)


# --------------------------------------------------------------------------- Vocabulary


def test_close_adds_super_classes() -> None:
    vocabulary = load_vocabulary()
    run = URIRef(EX + "training")
    closed = vocabulary.close(Graph().add((run, RDF.type, ML.Training)))
    types = set(closed.objects(run, RDF.type))
    assert {ML.Training, ML.Operation, PROV.Activity, MLS.Run} <= types


def test_close_adds_super_properties() -> None:
    vocabulary = load_vocabulary()
    model, bob, base = URIRef(EX + "model"), URIRef(EX + "bob"), URIRef(EX + "base")
    source = Graph()
    source.add((model, ML.administrator, bob))
    source.add((model, ML.fineTunedFrom, base))
    closed = vocabulary.close(source)
    assert (model, ML.owner, bob) in closed
    assert (model, PROV.wasAttributedTo, bob) in closed
    assert (model, ML.derivedFromModel, base) in closed
    assert (model, PROV.wasDerivedFrom, base) in closed
    assert len(source) == 2, "close must not change its input"


def test_close_does_not_materialise_inverses() -> None:
    evaluation, model = URIRef(EX + "evaluation"), URIRef(EX + "model")
    closed = load_vocabulary().close(Graph().add((evaluation, ML.evaluatedModel, model)))
    assert (model, ML.hasEvaluation, evaluation) not in closed
    assert (evaluation, PROV.wasDerivedFrom, model) in closed


def test_hierarchies_are_reflexive_and_reach_external_terms() -> None:
    vocabulary = load_vocabulary()
    assert {ML.Dataset, PROV.Entity} <= vocabulary.super_classes(ML.Dataset)
    assert vocabulary.super_classes(URIRef(EX + "Unknown")) == {URIRef(EX + "Unknown")}
    assert vocabulary.super_properties(ML.administrator) == {
        ML.administrator, ML.owner, PROV.wasAttributedTo
    }
    assert all(isinstance(c, URIRef) for c in vocabulary.super_classes(ML.Model))


def test_ontology_terms_and_individuals() -> None:
    vocabulary = load_vocabulary()
    for term in (ML.Model, ML.trainedOn, ML.numberOfInstances, ML.Accuracy, ML.Production):
        assert vocabulary.is_ontology_term(term), term
    assert not vocabulary.is_ontology_term(ML.Modell)
    assert not vocabulary.is_ontology_term(PROV.Entity)  # aligned with, not declared by, us
    assert ML.trainedOn in vocabulary.object_properties
    assert ML.value in vocabulary.properties and ML.value not in vocabulary.object_properties
    assert vocabulary.individuals[ML.Accuracy] == {ML.EvaluationMeasure}
    assert ML.SupportVectorMachine in vocabulary.individuals
    assert ML.Model not in vocabulary.individuals
    assert load_vocabulary() is load_vocabulary()


def test_vocabulary_takes_extra_graphs() -> None:
    extra = Graph().add((URIRef(EX + "MyModel"), RDFS.subClassOf, ML.Model))
    vocabulary = Vocabulary.load([extra])
    assert PROV.Entity in vocabulary.super_classes(URIRef(EX + "MyModel"))


# --------------------------------------------------------------------------- validate()


def _fixture_graphs(name: str) -> tuple[Graph, Graph]:
    return _load_fixture(FIXTURES / f"{name}.ttl").graphs()


def test_context_nodes_are_never_targeted() -> None:
    data, context = _fixture_graphs("ModelShape-valid")
    dataset = URIRef(EX + "diabetes")
    assert (dataset, RDF.type, ML.Dataset) in context and (dataset, None, None) not in data
    report = validate(data, context=context)
    assert report.conforms
    assert {f.focus_node for f in report.findings} <= {EX + "diabetes-predictor"}
    # The same node given as data (type only) is a data set without title, location …
    data += context
    report = validate(data, focus_nodes=[dataset])
    assert {f.source_shape for f in report.violations} == {
        "mlsh:DatasetShape", "mlsh:DatasetLocationShape", "mlsh:DatasetOwnerShape",
        "mlsh:DatasetCreatedShape"}


def test_context_contributes_types_only() -> None:
    data, context = _fixture_graphs("ModelShape-valid")
    context.add((URIRef(EX + "tim"), ML.administrator, URIRef(EX + "diabetes")))
    assert validate(data, context=context).conforms


def test_references_need_their_types() -> None:
    data, _ = _fixture_graphs("ModelShape-valid")
    report = validate(data)  # no context: ex:diabetes and ex:tim have no known type
    paths = {f.path for f in report.violations}
    assert {"ml:trainedOn", "ml:owner"} <= paths
    assert "mlsh:ModelOriginShape" in {f.source_shape for f in report.violations}


def test_findings_say_where_and_what() -> None:
    data, context = _fixture_graphs("ModelShape-invalid-04")
    report = validate(data, context=context)
    [finding] = report.violations
    assert finding == Finding(
        focus_node=EX + "diabetes-predictor",
        path="dct:created",
        message=finding.message,
        severity="Violation",
        source_shape="mlsh:ModelShape",
        value='"March 2024"',
    )
    assert "xsd:date" in finding.message
    assert "dct:created" in report.text and "Conforms: False" in report.text


def test_value_checks_inside_sh_or_are_enforced() -> None:
    # Regression: pyshacl's focus_nodes option skips nested shapes on value nodes; ours must not.
    data, context = _fixture_graphs("EvaluationShape-invalid-02")
    report = validate(data, context=context)
    assert [f.path for f in report.violations] == ["ml:value"]


def test_to_json_is_json() -> None:
    data, context = _fixture_graphs("ModelAlgorithmShape-invalid-01")
    report = validate(data, context=context)
    rows = json.loads(json.dumps(report.to_json()))
    assert rows and set(rows[0]) == {
        "focus_node", "path", "message", "severity", "source_shape", "value"
    }
    assert [r["severity"] for r in rows].count("Violation") == len(report.violations)


def test_report_graph_holds_the_kept_results() -> None:
    data, context = _fixture_graphs("ModelAdministratorShape-invalid-01")
    report = validate(data, context=context)
    graph = report.report_graph
    [node] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == Literal(False)
    assert len(list(graph.objects(node, SH.result))) == len(report.findings)


def test_warnings_do_not_break_conformance() -> None:
    data, context = _fixture_graphs("ModelShape-valid")
    report = validate(data, context=context)
    assert report.conforms and report.warnings and not report.violations
    assert validate(data, context=context, profiles=["core"]).findings == []


def test_explicit_focus_nodes() -> None:
    data, _ = _fixture_graphs("HyperparameterSetShape-valid")
    setting = URIRef(EX + "diabetes-predictor-hp-c")
    data.remove((setting, ML.parameterName, None))
    assert not validate(data).conforms
    assert validate(data, focus_nodes=[URIRef(EX + "diabetes-predictor-hp")]).conforms


def test_empty_data_conforms() -> None:
    report = validate(Graph())
    assert report.conforms and report.findings == [] and report.to_json() == []


def test_unknown_profile() -> None:
    with pytest.raises(BadInputError, match="unknown validation profile"):
        validate(Graph(), profiles=["nope"])


def test_shapes_in_the_data_are_ignored() -> None:
    data, context = _fixture_graphs("ModelShape-valid")
    data.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://lake.example.org/id/EvilShape> a sh:NodeShape ;
            sh:targetClass <https://w3id.org/modellake#Model> ;
            sh:property [ sh:path <https://lake.example.org/id/never> ; sh:minCount 1 ] .
    """, format="turtle")
    report = validate(data, context=context)
    assert report.conforms
    assert not [f for f in report.findings if "EvilShape" in f.source_shape]


def test_validation_leaves_the_shapes_graph_alone() -> None:
    validator = Validator.for_profiles(["core", "documentation"])
    before = Graph()
    before += validator.shapes
    data, context = _fixture_graphs("DatasetOwnerShape-invalid-01")
    validator.validate(data, context=context)
    validator.validate(data, context=context)
    assert isomorphic(before, validator.shapes)


# --------------------------------------------------------------------------- EU AI Act Annex IV

ANNEX_IV = ["annex-iv"]
MODEL = URIRef(EX + "diabetes-predictor")
TRAINING_DATA = URIRef(EX + "diabetes")
EVALUATION = URIRef(EX + "diabetes-predictor-accuracy")


def _lineage() -> Graph:
    """A high-risk model with its whole lineage, as the compliance pack validates it."""
    return Graph().parse(FIXTURES / "AnnexIVShape-valid.ttl", format="turtle")


def _without(*pairs: tuple[URIRef, URIRef]) -> Callable[[Graph], None]:
    def mutate(graph: Graph) -> None:
        for subject, predicate in pairs:
            assert (subject, predicate, None) in graph, (subject, predicate)
            graph.remove((subject, predicate, None))
    return mutate


def _claimed_only(graph: Graph) -> None:
    graph.remove((EVALUATION, RDF.type, ML.MeasuredEvaluation))
    graph.add((EVALUATION, RDF.type, ML.ClaimedEvaluation))


# item: (how to lose it, the finding's path, its value, the Annex IV point its message names)
ANNEX_IV_ITEMS: dict[str, tuple[Callable[[Graph], None], str, str | None, str]] = {
    "description": (_without((MODEL, DCTERMS.description)), "dct:description", None,
                    "Annex IV point 1 (general description)"),
    "intended purpose": (_without((MODEL, ML.intendedPurpose)), "ml:intendedPurpose", None,
                         "Annex IV point 1(a)"),
    "provider": (_without((MODEL, ML.administrator)), "ml:administrator", None,
                 "Annex IV point 1(a)"),
    "version date": (_without((MODEL, DCTERMS.created)), "dct:created", None,
                     "Annex IV point 1(a)"),
    "licence": (_without((MODEL, DCTERMS.license)), "dct:license", None, "Annex IV point 1(d)"),
    "algorithm": (_without((MODEL, ML.usesAlgorithm)), "ml:usesAlgorithm", None,
                  "Annex IV point 2(b)"),
    "hyperparameters": (_without((MODEL, ML.hasHyperparameterSet)), "ml:hasHyperparameterSet",
                        None, "Annex IV point 2(b)"),
    "code": (_without((MODEL, ML.implementedBy)), "ml:implementedBy", None, "Annex IV point 2(c)"),
    "training data": (_without((MODEL, ML.trainedOn)), "ml:trainedOn", None,
                      "Annex IV point 2(d)"),
    "training data description": (_without((TRAINING_DATA, DCTERMS.description)), "ml:trainedOn",
                                  f"<{TRAINING_DATA}>", "Annex IV point 2(d)"),
    "training data provenance": (
        _without((TRAINING_DATA, ML.ingestedFrom), (TRAINING_DATA, PROV.wasGeneratedBy)),
        "ml:trainedOn", f"<{TRAINING_DATA}>", "Annex IV point 2(d)"),
    "measured evaluation": (_claimed_only, "^ml:evaluatedModel", None,
                            "Annex IV points 2(g) and 3"),
    "lifecycle stage": (_without((MODEL, ML.lifecycleStage)), "ml:lifecycleStage", None,
                        "Annex IV point 6"),
}


def test_annex_iv_full_lineage_conforms() -> None:
    lineage = _lineage()
    assert validate(lineage, profiles=ANNEX_IV).findings == []
    # As the compliance pack runs it: the lineage is the data, the model the focus node.
    assert validate(lineage, focus_nodes=[MODEL], profiles=ANNEX_IV).findings == []
    # The lineage is made of good records: every profile at once finds no violation.
    report = validate(lineage, profiles=[*DEFAULT_PROFILES, "annex-iv"])
    assert report.conforms, _describe(report.violations)


@pytest.mark.parametrize("level", [ML.MinimalRisk, ML.LimitedRisk, ML.UnacceptableRisk, None])
def test_annex_iv_concerns_high_risk_models_only(level: URIRef | None) -> None:
    model = Graph().add((MODEL, RDF.type, ML.Model))  # documents nothing at all
    if level is not None:
        model.add((MODEL, ML.aiActRiskLevel, level))
    assert validate(model, profiles=ANNEX_IV).findings == []
    model.set((MODEL, ML.aiActRiskLevel, ML.HighRisk))
    assert len(validate(model, profiles=ANNEX_IV).violations) == 11  # all but the data-set items


@pytest.mark.parametrize("item", list(ANNEX_IV_ITEMS))
def test_each_missing_annex_iv_item_is_one_finding(item: str) -> None:
    mutate, path, value, point = ANNEX_IV_ITEMS[item]
    lineage = _lineage()
    mutate(lineage)
    report = validate(lineage, profiles=ANNEX_IV)
    assert len(report.findings) == 1, _describe(report.findings)
    [finding] = report.findings
    assert finding.focus_node == str(MODEL)
    assert finding.severity == "Violation" and finding.source_shape == "mlsh:AnnexIVShape"
    assert finding.path == path
    assert finding.value == value
    assert finding.message.startswith(point), finding.message


def test_every_annex_iv_rule_is_covered() -> None:
    shapes = Graph().parse(shapes_dir() / "annex-iv.ttl", format="turtle")
    rules = list(shapes.objects(MLSH.AnnexIVShape, SH.property))
    assert len(rules) == len(ANNEX_IV_ITEMS)
    assert all(shapes.value(rule, SH.severity) == SH.Violation for rule in rules)


def test_annex_iv_on_the_model_alone_asks_for_its_lineage() -> None:
    # A model's own description (as a write has it) lacks what only the lineage shows.
    lineage = _lineage()
    data = Graph()
    for triple in lineage.triples((MODEL, None, None)):
        data.add(triple)
    context = Graph()
    for node in set(data.objects()):
        for triple in lineage.triples((node, RDF.type, None)):
            context.add(triple)
    report = validate(data, context=context, profiles=ANNEX_IV)
    assert sorted(f.path or "" for f in report.findings) == [
        "^ml:evaluatedModel", "ml:trainedOn", "ml:trainedOn"
    ]


def test_annex_iv_is_not_part_of_a_write() -> None:
    data, context = _fixture_graphs("AnnexIVShape-invalid-01")
    report = validate(data, context=context)  # the write-path profiles
    assert not [f for f in report.findings if f.source_shape == "mlsh:AnnexIVShape"]
