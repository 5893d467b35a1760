"""The compliance pack: run the checks in queries/compliance/ (and the Annex IV SHACL profile),
score documentation completeness, gate lifecycle stages, and record every run in the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from .errors import BadInputError, ConflictError, NotFoundError

__all__ = ["BadInputError", "Check", "CheckResult", "ComplianceReport", "change_stage",
           "checks", "documentation_score", "run_check", "run_pack"]
from .lake import LOCAL_USER, Lake, Principal
from .namespaces import DCTERMS, ML, PROV, RDF, SH, XSD
from .registration import new_revision
from .validation import Finding, Validator, _profile_graph

PREFIX = "compliance/"
ANNEX_IV = "annex-iv"
# Checks that need a starting node: run on request, not as part of the whole pack.
NEEDS_NODE = frozenset({"erasure-impact"})
# Checks whose rows list every node, flagging some (a `missing` column says which).
FLAGGING = frozenset({"accountability"})
DEFAULT_BLOCKING = ("personal-data-without-legal-basis", "consent-withdrawn-after-training",
                    "licence-conflicts", "models-without-measured-evaluation",
                    "purpose-limitation", ANNEX_IV)
STAGES = {"development": ML.Development, "staging": ML.Staging,
          "production": ML.Production, "retired": ML.Retired}


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    description: str
    regulation: str
    severity: str
    parameters: tuple[str, ...] = ()


@dataclass
class CheckResult:
    check: Check
    findings: list[dict[str, str]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.findings

    def involves(self, node: URIRef) -> bool:
        return any(f.get("node") == str(node) for f in self.findings)


@dataclass
class ComplianceReport:
    results: list[CheckResult]
    generated_at: str
    principal: str
    scores: dict[str, DocumentationScore] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at, "run_by": self.principal,
            "summary": {"checks": len(self.results),
                        "failing": sum(1 for r in self.results if not r.passed),
                        "findings": sum(len(r.findings) for r in self.results)},
            "checks": [{"name": r.check.name, "title": r.check.title,
                        "regulation": r.check.regulation, "severity": r.check.severity,
                        "description": r.check.description, "passed": r.passed,
                        "findings": r.findings} for r in self.results],
            "documentation": {m: s.to_json() for m, s in self.scores.items()},
        }


@dataclass(frozen=True)
class DocumentationScore:
    model: str
    title: str
    score: int  # 0–100
    missing: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model, "title": self.title, "score": self.score,
                "missing": list(self.missing)}


# -- the catalogue of checks -------------------------------------------------------------------

def checks(lake: Lake) -> list[Check]:
    found = []
    for name in lake.catalogue.names(include_internal=True):
        if not name.startswith(PREFIX):
            continue
        query = lake.catalogue.get(name)
        found.append(Check(name[len(PREFIX):], query.title, query.description,
                           query.fields.get("regulation", ""),
                           query.fields.get("severity", "medium"),
                           tuple(p.name for p in query.parameters)))
    found.append(Check(
        ANNEX_IV, "EU AI Act Annex IV documentation of high-risk models",
        "Each model with ml:aiActRiskLevel ml:HighRisk is validated, with its lineage, against "
        "the SHACL profile shapes/annex-iv.ttl; every missing item of the technical "
        "documentation is a finding.", "EU AI Act Art. 11, Annex IV", "high"))
    return sorted(found, key=lambda c: c.name)


def check(lake: Lake, name: str) -> Check:
    for candidate in checks(lake):
        if candidate.name == name:
            return candidate
    known = ", ".join(c.name for c in checks(lake))
    raise NotFoundError(f"no compliance check {name!r}; the checks are: {known}")


def run_check(
    lake: Lake, name: str, params: Mapping[str, object] | None = None, *,
    principal: Principal = LOCAL_USER, record: bool = True,
) -> CheckResult:
    """Run one check; the run (who, when, which check and parameters, how many findings) is
    recorded in the audit trail."""
    spec = check(lake, name)
    params = dict(params or {})
    if name == ANNEX_IV:
        findings = _annex_iv(lake)
    else:
        if name in NEEDS_NODE and "node" in params:
            params["node"] = str(lake.node_iri(str(params["node"])))
        rows = lake.store.select(lake.catalogue.bind(PREFIX + name, params))
        findings = [_row(row) for row in rows]
        if name in FLAGGING:
            findings = [f for f in findings if f.get("missing", "false") in ("true", "1")]
    result = CheckResult(spec, findings)
    if record:
        _record(lake, [result], params, principal)
    return result


def run_pack(
    lake: Lake, *, principal: Principal = LOCAL_USER, with_scores: bool = True,
) -> ComplianceReport:
    """Every check that needs no starting node, and the documentation scores of all models."""
    results = [run_check(lake, c.name, principal=principal, record=False)
               for c in checks(lake) if c.name not in NEEDS_NODE]
    _record(lake, results, {}, principal)
    scores = documentation_scores(lake) if with_scores else {}
    return ComplianceReport(results, _now(), principal.name, scores)


def _row(row: Mapping[str, Identifier]) -> dict[str, str]:
    return {k: str(v) for k, v in row.items()}


def _annex_iv(lake: Lake) -> list[dict[str, str]]:
    rows = lake.store.select(lake.catalogue.bind(PREFIX + "high-risk-models"))
    validator = _annex_validator()
    findings: list[dict[str, str]] = []
    for row in rows:
        model = URIRef(str(row["node"]))
        report = validator.validate(lake.lineage(model), focus_nodes=[model])
        for f in report.findings:
            if f.focus_node == str(model):
                findings.append({"node": str(model), "title": str(row.get("title", "")),
                                 "detail": f.message, "path": f.path or ""})
    return findings


@cache
def _annex_validator() -> Validator:
    return Validator.for_profiles([ANNEX_IV])


def record_query_run(lake: Lake, name: str, params: Mapping[str, object], findings: int,
                     principal: Principal) -> None:
    """Record a compliance query run through the named-query API like any other run."""
    spec = Check(name.removeprefix(PREFIX), name, "", "", "")
    _record(lake, [CheckResult(spec, [{}] * findings)], params, principal)


def _record(lake: Lake, results: Sequence[CheckResult], params: Mapping[str, object],
            principal: Principal) -> None:
    """One ml:ComplianceRun per run, in its own named graph, like the write events."""
    revision = new_revision()
    run = URIRef(f"{lake.base_iri}audit/{revision}")
    g = Graph()
    g.add((run, RDF.type, ML.ComplianceRun))
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, ML.principalName, Literal(principal.name)))
    g.add((run, ML.principalRole, Literal(principal.role)))
    g.add((run, PROV.startedAtTime, Literal(_now(), datatype=XSD.dateTime)))
    for result in results:
        g.add((run, ML.checkName, Literal(result.check.name)))
    g.add((run, ML.findingCount, Literal(sum(len(r.findings) for r in results))))
    if params:
        g.add((run, ML.parameters, Literal(", ".join(f"{k}={v}" for k, v in
                                                     sorted(params.items())))))
    lake.store.replace_graphs({str(run): g})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- documentation completeness -------------------------------------------------------------------

@cache
def _documentation_rules() -> tuple[Validator, int]:
    """The documentation profile and how many recommendations it makes for a model."""
    shapes = _profile_graph("documentation")
    rules = 0
    for shape in shapes.subjects(SH.targetClass, ML.Model):
        rules += len(list(shapes.objects(shape, SH.property)))
    return Validator.for_profiles(["documentation"]), max(rules, 1)


def documentation_score(lake: Lake, model: URIRef) -> DocumentationScore:
    """100 × the share of the documentation profile's recommendations the model meets."""
    graph = lake.describe(model)
    if ML.Model not in set(graph.objects(model, RDF.type)):
        raise NotFoundError(f"<{model}> is not a model")
    validator, rules = _documentation_rules()
    report = validator.validate(graph, focus_nodes=[model])
    missing = sorted({_missing(f) for f in report.findings if f.focus_node == str(model)})
    title = str(graph.value(model, DCTERMS.title) or lake.local_id(model))
    return DocumentationScore(str(model), title, round(100 * (rules - len(missing)) / rules),
                              tuple(missing))


def _missing(finding: Finding) -> str:
    return f"{finding.path}: {finding.message}" if finding.path else finding.message


def documentation_scores(lake: Lake) -> dict[str, DocumentationScore]:
    items, _ = lake.list_nodes(ML.Model, limit=1000)
    return {item["iri"] or "": documentation_score(lake, URIRef(item["iri"] or ""))
            for item in items}


# -- the lifecycle gate ---------------------------------------------------------------------------

@dataclass(frozen=True)
class StageChange:
    model: URIRef
    stage: str
    transition: URIRef
    revision: str


def change_stage(
    lake: Lake, model: URIRef, stage: str, *, approver: str, evidence: Sequence[str] = (),
    note: str | None = None, blocking: Sequence[str] = DEFAULT_BLOCKING,
    principal: Principal = LOCAL_USER,
) -> StageChange:
    """Move a model to a lifecycle stage, recorded as an ml:StageTransition with its approver.

    Moving to production runs the blocking checks first; any finding about this model refuses
    the move (ConflictError naming the failing checks) and nothing is written."""
    if stage not in STAGES:
        raise BadInputError(f"unknown stage {stage!r}; use one of {', '.join(STAGES)}")
    current = lake.describe(model)
    if ML.Model not in set(current.objects(model, RDF.type)):
        raise NotFoundError(f"<{model}> is not a model")
    if stage == "production":
        failing = [r for r in (run_check(lake, name, principal=principal) for name in blocking)
                   if r.involves(model)]
        if failing:
            raise ConflictError(
                "the model fails blocking compliance checks: " + "; ".join(
                    f"{r.check.name} ({next(f.get('detail', '') for f in r.findings if f.get('node') == str(model))})"  # noqa: E501
                    for r in failing),
                [r.check.name for r in failing])
    revision = lake.revision(model)
    approver_iri = lake.node_iri(approver)
    evidence_iris = [lake.node_iri(e) for e in evidence]
    at = Literal(_now(), datatype=XSD.dateTime)
    transition = URIRef(f"{model}/stage/{new_revision()[:12]}")
    graph = Graph()
    for s, p, o in current:
        if p in (ML.lifecycleStage, ML.approvedBy, ML.approvedAt, ML.revision) and s == model:
            continue
        graph.add((s, p, o))
    graph.add((model, ML.lifecycleStage, STAGES[stage]))
    graph.add((model, ML.approvedBy, approver_iri))
    graph.add((model, ML.approvedAt, at))
    old = current.value(model, ML.lifecycleStage)
    graph.add((transition, RDF.type, ML.StageTransition))
    graph.add((transition, PROV.used, model))
    graph.add((model, ML.stageTransition, transition))
    if old is not None:
        graph.add((transition, ML.fromStage, old))
    graph.add((transition, ML.toStage, STAGES[stage]))
    graph.add((transition, PROV.wasAssociatedWith, approver_iri))
    graph.add((transition, PROV.endedAtTime, at))
    for item in evidence_iris:
        graph.add((transition, ML.evidence, item))
    if note:
        graph.add((transition, DCTERMS.description, Literal(note)))
    result = lake.replace(model, graph, if_match=revision, principal=principal)
    return StageChange(model, stage, transition, result.revision)
