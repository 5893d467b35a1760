"""A deterministic generator of realistic lakes, written as the API would have written them.

    python -m bench.generate --models 10000 --out var/bench/lake-10000.nq [--seed 8]

For a number of models it makes a whole lake: people, code, data sources (about a third with
personal data, most with a legal basis, a few with withdrawn consent), an ingestion of each
source into a raw data set, processing pipelines of 2–6 operations (cleaning, transformation,
integration, reduction) that each produce an intermediate data set with its meta-features, final
data sets with their features, and the models: each with its training run, hyperparameter set,
two or three measured evaluations (sometimes a claimed one too), licence, lifecycle stage and
AI Act risk level; about a third are fine-tuned from an earlier model, in trees up to five deep.

The output is N-Quads in the very shape ``Lake.register`` stores (see registration.py): one named
graph per node (parts — settings, meta-features, features — in their node's graph), the rdf:type
super-class and super-property closure computed from the ontology, the write's ``ml:revision`` on
each node and one audit graph per write. Writes are grouped as the tools would register them (a
model with its training run, hyperparameters and evaluations is one write, like the scikit-learn
capture; an operation with its output data set is one write, like the operation recorder).
tests/test_bench_generate.py registers a small generated lake write by write through
Lake.register and checks the stored quads are the same, up to revision tokens and audit times.

The same seed and size give the same file, byte for byte. A JSON manifest beside the output
names sample nodes for the benchmarks (deep fine-tunes, personal-data sources …) and counts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from rdflib import Literal
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from modellake.facets import FACET_GRAPH, facet, value_key
from modellake.settings import Settings
from modellake.vocabulary import Vocabulary, load_vocabulary

ML = "https://w3id.org/modellake#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DPV = "https://w3id.org/dpv#"
PD = "https://w3id.org/dpv/pd#"
GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
SPDX = "http://spdx.org/licenses/"

START = datetime(2022, 1, 3, 8, 0, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
PRINCIPAL = ("bench-generator", "writer")  # who the audit records say registered everything

FIRST_NAMES = ("Alice", "Bob", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jun",
               "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tim",
               "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe")
LAST_NAMES = ("Garcia", "Nguyen", "Okafor", "Schmidt", "Rossi", "Kowalski", "Haddad", "Tanaka",
              "Silva", "Dubois", "Larsen", "Novak", "Petrov", "Moreau", "Costa", "Ito")
DOMAINS = (("healthcare", "Patient records"), ("finance", "Card transactions"),
           ("retail", "Basket events"), ("telecom", "Call detail records"),
           ("energy", "Smart meter readings"), ("insurance", "Claims"),
           ("manufacturing", "Sensor logs"), ("mobility", "Trip records"),
           ("education", "Course interactions"), ("hr", "Applicant files"))
PERSONAL = {"healthcare": (PD + "Health", PD + "MedicalHealth"),
            "finance": (PD + "Financial",), "insurance": (PD + "Health",),
            "hr": (PD + "Race",), "telecom": (PD + "Location",),
            "mobility": (PD + "Location",), "education": (PD + "Age",)}
SOURCE_KINDS = ("FileSource", "DatabaseSource", "StreamSource", "APISource")
PROCESSING = ("Cleaning", "Transformation", "Reduction", "Integration")
LICENCES = ("MIT", "Apache-2.0", "BSD-3-Clause", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0",
            "CC0-1.0", "ODbL-1.0")
MODEL_LICENCES = ("Apache-2.0", "MIT", "BSD-3-Clause", "CC-BY-4.0", "GPL-3.0-only")
PURPOSES = (DPV + "ResearchAndDevelopment", DPV + "ServiceProvision",
            DPV + "ServiceOptimisation", DPV + "FraudPreventionAndDetection", DPV + "Marketing")
LEGAL_BASES = (GDPR + "A6-1-a", GDPR + "A6-1-b", GDPR + "A6-1-f", GDPR + "A9-2-a",
               GDPR + "A9-2-h")
STAGES = (("Development", 55), ("Staging", 20), ("Production", 18), ("Retired", 7))
RISKS = (("MinimalRisk", 62), ("LimitedRisk", 25), ("HighRisk", 3), (None, 10))

# Algorithms (ontology individuals) with the hyperparameters a run of each records.
ALGORITHMS: dict[str, dict[str, Callable[[random.Random], object]]] = {
    "RandomForest": {"n_estimators": lambda r: r.choice((100, 200, 500)),
                     "max_depth": lambda r: r.choice((4, 8, 16, 32)),
                     "min_samples_leaf": lambda r: r.choice((1, 2, 5)),
                     "criterion": lambda r: r.choice(("gini", "entropy"))},
    "GradientBoosting": {"n_estimators": lambda r: r.choice((100, 300, 1000)),
                         "max_depth": lambda r: r.choice((3, 4, 8)),
                         "learning_rate": lambda r: r.choice((0.01, 0.05, 0.1))},
    "DecisionTree": {"max_depth": lambda r: r.choice((4, 8, 16)),
                     "criterion": lambda r: r.choice(("gini", "entropy", "log_loss"))},
    "SupportVectorMachine": {"kernel": lambda r: r.choice(("rbf", "linear", "poly")),
                             "C": lambda r: r.choice((0.1, 1.0, 2.3, 10.0)),
                             "gamma": lambda r: r.choice(("scale", "auto"))},
    "LogisticRegression": {"C": lambda r: r.choice((0.1, 1.0, 10.0)),
                           "penalty": lambda r: r.choice(("l2", "l1")),
                           "max_iter": lambda r: r.choice((100, 1000))},
    "KNearestNeighbours": {"n_neighbors": lambda r: r.choice((3, 5, 11)),
                           "weights": lambda r: r.choice(("uniform", "distance"))},
    "NeuralNetwork": {"learning_rate": lambda r: r.choice((0.001, 0.0003, 0.0001)),
                      "batch_size": lambda r: r.choice((32, 64, 128)),
                      "epochs": lambda r: r.choice((10, 20, 50)),
                      "optimizer": lambda r: r.choice(("adam", "sgd", "adamw"))},
    "Transformer": {"learning_rate": lambda r: r.choice((0.0001, 0.00005, 0.00002)),
                    "batch_size": lambda r: r.choice((16, 32)),
                    "epochs": lambda r: r.choice((3, 5, 10)),
                    "warmup_steps": lambda r: r.choice((0, 500, 1000))},
}
FINE_TUNE_PARAMS: dict[str, Callable[[random.Random], object]] = {
    "learning_rate": lambda r: r.choice((0.0001, 0.00005, 0.00002)),
    "epochs": lambda r: r.choice((1, 3, 5)),
    "lora_rank": lambda r: r.choice((8, 16, 64)),
}
COLUMNS = ("age", "income", "tenure", "score", "region", "visits", "amount", "duration",
           "channel", "balance", "rate", "count", "weight", "height", "glucose", "label")


# -- terms as N-Triples text ---------------------------------------------------------------------

def iri(value: str) -> str:
    return f"<{value}>"


def text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


def integer(value: int) -> str:
    return typed(str(value), "integer")


def double(value: float) -> str:
    return typed(repr(float(value)), "double")


def boolean(value: bool) -> str:
    return typed("true" if value else "false", "boolean")


def date(moment: datetime) -> str:
    return typed(moment.date().isoformat(), "date")


def date_time(moment: datetime) -> str:
    return typed(_stamp(moment), "dateTime")


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def value_term(value: object) -> str:
    """A hyperparameter value as the scikit-learn capture types it (setting_value)."""
    if isinstance(value, bool):
        return boolean(value)
    if isinstance(value, int):
        return integer(value)
    if isinstance(value, float):
        return double(value)
    return text(str(value))


# -- writes --------------------------------------------------------------------------------------

Triple = tuple[str, str, str]  # subject IRI, predicate IRI, object as N-Triples text


@dataclass
class Write:
    """One registration: node IRIs with the triples each node's graph holds, as asserted."""

    kind: str
    at: datetime
    graphs: dict[str, list[Triple]] = field(default_factory=dict)
    run: dict[str, Any] | None = None  # for a model: the same run as MLflow would log it
    # The evaluation facets the lake derives from the write (facets.py): (evaluation, facet
    # property, score as an N-Triples literal).
    facets: list[tuple[str, str, str]] = field(default_factory=list)

    def node(self, node: str) -> list[Triple]:
        return self.graphs.setdefault(node, [])

    def ntriples(self) -> str:
        """The write as a client would send it: the asserted triples only."""
        return "".join(f"<{s}> <{p}> {o} .\n" for g in self.graphs.values() for s, p, o in g)


class Closure:
    """The type and super-property closure of the ontology, as text, computed once."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        from rdflib import URIRef

        self._vocabulary = vocabulary
        self._uri = URIRef
        self._types: dict[str, tuple[str, ...]] = {}
        self._props: dict[str, tuple[str, ...]] = {}

    def types(self, cls: str) -> tuple[str, ...]:
        found = self._types.get(cls)
        if found is None:
            closure = self._vocabulary.super_classes(self._uri(cls))
            found = self._types[cls] = tuple(sorted(f"<{c}>" for c in closure))
        return found

    def properties(self, prop: str) -> tuple[str, ...]:
        found = self._props.get(prop)
        if found is None:
            closure = self._vocabulary.super_properties(self._uri(prop))
            found = self._props[prop] = tuple(sorted(f"<{p}>" for p in closure))
        return found


class NQuadsWriter:
    """Writes each write as Lake.register stores it: closed node graphs with their revision,
    and the audit record of the write in its own graph."""

    def __init__(self, out: IO[str], base_iri: str, rng: random.Random) -> None:
        self.out = out
        self.base_iri = base_iri
        self.rng = rng
        self.closure = Closure(load_vocabulary())
        self.quads = 0
        self.graphs = 0
        self.bytes = 0  # of N-Quads, before any compression

    def write(self, write: Write) -> None:
        revision = f"{self.rng.getrandbits(128):032x}"
        lines: list[str] = []
        rdf_type = f"<{RDF_TYPE}>"
        for node, triples in write.graphs.items():
            graph = f"<{node}>"
            seen: dict[str, None] = {}
            for s, p, o in triples:
                subject = f"<{s}>"
                if p == RDF_TYPE:
                    for cls in self.closure.types(o[1:-1]):
                        seen[f"{subject} {rdf_type} {cls} {graph} .\n"] = None
                else:
                    for prop in self.closure.properties(p):
                        seen[f"{subject} {prop} {o} {graph} .\n"] = None
            seen[f"{graph} <{ML}revision> {text(revision)} {graph} .\n"] = None
            lines.extend(seen)
        event = f"{self.base_iri}audit/{revision}"
        g, e, at = f"<{event}>", f"<{event}>", date_time(write.at)
        audit = [(RDF_TYPE, f"<{ML}WriteEvent>"), (RDF_TYPE, f"<{PROV}Activity>"),
                 (ML + "action", text("create")), (ML + "revision", text(revision)),
                 (ML + "principalName", text(PRINCIPAL[0])),
                 (ML + "principalRole", text(PRINCIPAL[1])),
                 (PROV + "startedAtTime", at), (DCT + "created", at)]
        audit += [(ML + "affectedNode", f"<{node}>") for node in write.graphs]
        lines.extend(f"{e} <{p}> {o} {g} .\n" for p, o in audit)
        lines.extend(f"<{evaluation}> <{key}> {score} <{FACET_GRAPH}> .\n"
                     for evaluation, key, score in write.facets)
        chunk = "".join(lines)
        self.out.write(chunk)
        self.bytes += len(chunk.encode("utf-8"))
        self.quads += len(lines)
        self.graphs += len(write.graphs) + 1


# -- the lake ------------------------------------------------------------------------------------

@dataclass
class Plan:
    """How many of each kind of node a lake of ``models`` models has."""

    models: int
    people: int
    code: int
    sources: int
    pipelines: int

    @classmethod
    def for_models(cls, models: int) -> Plan:
        return cls(models=models, people=max(6, models // 40), code=max(6, models // 30),
                   sources=max(4, models // 250), pipelines=max(3, models // 60))

    @property
    def writes(self) -> int:
        """About how many writes the lake takes (for the timeline and the progress bar)."""
        return self.people + self.code + 2 * self.sources + 5 * self.pipelines + self.models


@dataclass
class Sample:
    """Nodes the benchmarks start from, by role."""

    models: list[str] = field(default_factory=list)            # trained from scratch
    fine_tunes: list[tuple[str, int]] = field(default_factory=list)  # (model, depth)
    personal_sources: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    final_datasets: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)


class LakeGenerator:
    """Yields the writes of a lake in an order Lake.register accepts (references first)."""

    def __init__(self, models: int, *, seed: int = 8, base_iri: str | None = None) -> None:
        if models < 1:
            raise ValueError("a lake needs at least one model")
        self.plan = Plan.for_models(models)
        self.rng = random.Random(seed)
        self.base = base_iri or Settings().base_iri
        self.sample = Sample()
        self.counts: dict[str, int] = {}
        self._tick = 0
        self._step = SPAN / max(self.plan.writes, 1)

    # -- helpers ---------------------------------------------------------------------------------
    def id(self, local: str) -> str:
        return self.base + local

    def _now(self) -> datetime:
        self._tick += 1
        jitter = timedelta(seconds=self.rng.randint(0, 50))
        return START + self._step * self._tick + jitter

    def _count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + n

    def _pick(self, weighted: tuple[tuple[Any, int], ...]) -> Any:
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights)[0]

    # -- the writes ------------------------------------------------------------------------------
    def writes(self) -> Iterator[Write]:
        plan, rng = self.plan, self.rng
        people = [self.id(f"person-{i}") for i in range(plan.people)]
        for i, person in enumerate(people):
            yield self._person(i, person)
        self.sample.people = people[:20]
        code = [self.id(f"code-{i}") for i in range(plan.code)]
        for i, node in enumerate(code):
            yield self._code(i, node)
        self.sample.code = code[:20]
        raw: list[tuple[str, str, dict[str, Any]]] = []  # (dataset, domain, source facts)
        for i in range(plan.sources):
            domain = DOMAINS[i % len(DOMAINS)][0]
            source, facts, write = self._source(i, domain, rng.choice(people))
            yield write
            dataset, write = self._ingestion(i, source, domain, facts, people, code)
            raw.append((dataset, domain, facts))
            yield write
        finals: list[tuple[str, str]] = []  # (final data set, domain)
        for p in range(plan.pipelines):
            inputs = [raw[p % len(raw)]]
            if rng.random() < 0.25 and len(raw) > 1:
                inputs.append(rng.choice(raw))
            *steps, final = self._pipeline(p, inputs, people, code)
            yield from steps
            yield final
            finals.append((final.run["dataset"], inputs[0][1]))  # type: ignore[index]
        self.sample.final_datasets = [d for d, _ in finals[:20]]
        depth: dict[str, int] = {}
        recent: list[str] = []
        for m in range(plan.models):
            # Models cluster on the data of their time; a third refine a recent model.
            dataset, domain = finals[min(len(finals) - 1, m * len(finals) // plan.models)]
            parent = None
            if recent and rng.random() < 0.33:
                candidate = rng.choice(recent[-40:])
                if depth[candidate] < 5:
                    parent = candidate
            write = self.model_write(f"model-{m}", dataset=dataset, domain=domain,
                                     parent=parent, parent_depth=depth.get(parent or "", 0),
                                     people=people, code=code)
            model = write.run["model"]  # type: ignore[index]
            depth[model] = depth.get(parent or "", -1) + 1 if parent else 0
            if parent is None and len(self.sample.models) < 50:
                self.sample.models.append(model)
            elif parent is not None and depth[model] >= 3:
                self.sample.fine_tunes.append((model, depth[model]))
                self.sample.fine_tunes = sorted(self.sample.fine_tunes, key=lambda x: -x[1])[:20]
            recent.append(model)
            if len(recent) > 200:
                del recent[:100]
            yield write

    def _person(self, i: int, node: str) -> Write:
        w = Write("person", self._now())
        g = w.node(node)
        first, last = FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[(i // 7) % len(LAST_NAMES)]
        kind = "Team" if i % 17 == 16 else "Person"
        name = f"{last} data team {i}" if kind == "Team" else f"{first} {last} {i}"
        g += [(node, RDF_TYPE, iri(ML + kind)), (node, FOAF + "name", text(name))]
        if kind == "Person":
            g.append((node, FOAF + "mbox", iri(f"mailto:{first.lower()}.{i}@example.org")))
        self._count(kind)
        return w

    def _code(self, i: int, node: str) -> Write:
        w = Write("code", self._now())
        repo = f"https://git.example.org/ml/{['pipelines', 'models', 'features'][i % 3]}"
        w.node(node).extend([
            (node, RDF_TYPE, iri(ML + "Code")),
            (node, DCT + "title", text(f"step_{i}.py")),
            (node, ML + "filePath", text(f"src/steps/step_{i}.py")),
            (node, ML + "repository", typed(repo, "anyURI")),
            (node, ML + "commit", text(f"{self.rng.getrandbits(160):040x}")),
        ])
        self._count("Code")
        return w

    def _source(self, i: int, domain: str, owner: str) -> tuple[str, dict[str, Any], Write]:
        rng = self.rng
        node = self.id(f"source-{i}")
        kind = SOURCE_KINDS[i % len(SOURCE_KINDS)]
        title = dict(DOMAINS)[domain]
        w = Write("source", self._now())
        g = w.node(node)
        g += [(node, RDF_TYPE, iri(ML + kind)),
              (node, DCT + "title", text(f"{title} ({domain} source {i})")),
              (node, DCT + "description", text(f"{title} exported from the {domain} systems.")),
              (node, ML + "storageLocation",
               typed(f"postgresql://db{i % 9}.example.org/{domain}_{i}", "anyURI")),
              (node, ML + "owner", iri(owner)),
              (node, DCT + "created", date(w.at))]
        facts: dict[str, Any] = {"personal": False, "licence": rng.choice(LICENCES)}
        g.append((node, DCT + "license", iri(SPDX + facts["licence"])))
        if domain in PERSONAL and rng.random() < 0.6:
            facts["personal"] = True
            g.append((node, ML + "containsPersonalData", boolean(True)))
            for category in PERSONAL[domain]:
                g.append((node, DPV + "hasPersonalData", iri(category)))
            if rng.random() < 0.85:  # the rest miss it: a compliance finding, not an error
                g.append((node, DPV + "hasLegalBasis", iri(rng.choice(LEGAL_BASES))))
            g.append((node, DPV + "hasPurpose", iri(rng.choice(PURPOSES[:3]))))
            g.append((node, ML + "retentionPeriod", typed(f"P{rng.choice((2, 5, 10))}Y",
                                                          "duration")))
            if rng.random() < 0.1:
                withdrawn = w.at + timedelta(days=rng.randint(30, 600))
                g.append((node, DPV + "hasConsentStatus", iri(DPV + "ConsentWithdrawn")))
                g.append((node, ML + "consentWithdrawnAt", date_time(withdrawn)))
            self.sample.personal_sources.append(node)
        else:
            g.append((node, ML + "containsPersonalData", boolean(False)))
        if len(self.sample.sources) < 20:
            self.sample.sources.append(node)
        self._count("DataSource")
        return node, facts, w

    def _dataset(self, g: list[Triple], node: str, title: str, domain: str, owner: str,
                 at: datetime, licence: str, *, instances: int, attributes: int) -> None:
        rng = self.rng
        g += [(node, RDF_TYPE, iri(ML + "Dataset")),
              (node, DCT + "title", text(title)),
              (node, DCT + "description", text(f"{title}, {instances} rows.")),
              (node, ML + "storageLocation",
               typed(f"s3://lake/{domain}/{node.rsplit('/', 1)[-1]}.parquet", "anyURI")),
              (node, ML + "administrator", iri(owner)),
              (node, DCT + "created", date(at)),
              (node, DCT + "license", iri(SPDX + licence)),
              (node, DCAT + "keyword", text(domain)),
              (node, DCAT + "byteSize", integer(instances * attributes * 8)),
              (node, ML + "purpose", text(f"Models for {domain}."))]
        mf = f"{node}/metafeatures"
        g += [(node, ML + "hasMetafeatures", iri(mf)),
              (mf, RDF_TYPE, iri(ML + "DatasetMetafeatures")),
              (mf, ML + "numberOfInstances", integer(instances)),
              (mf, ML + "numberOfAttributes", integer(attributes)),
              (mf, ML + "numberOfMissingValues", integer(rng.randint(0, instances // 10))),
              (mf, ML + "meanSkewnessOfNumericAtts", double(round(rng.uniform(-1, 3), 4))),
              (mf, ML + "minMeansOfNumericAtts", double(round(rng.uniform(-5, 0), 4))),
              (mf, ML + "meanMeansOfNumericAtts", double(round(rng.uniform(0, 5), 4))),
              (mf, ML + "meanStdDevOfNumericAtts", double(round(rng.uniform(0.1, 9), 4)))]
        self._count("Dataset")

    def _operation(self, g: list[Triple], node: str, kind: str, title: str, used: list[str],
                   generated: str, agent: str, code: str, at: datetime) -> None:
        minutes = self.rng.randint(1, 90)
        g += [(node, RDF_TYPE, iri(ML + kind)), (node, DCT + "title", text(title)),
              (node, DCT + "description", text(f"{kind} step of the pipeline.")),
              (node, ML + "purpose", text("Prepare the data for training.")),
              (node, PROV + "generated", iri(generated)),
              (node, PROV + "wasAssociatedWith", iri(agent)),
              (node, ML + "implementedBy", iri(code)),
              (node, PROV + "startedAtTime", date_time(at - timedelta(minutes=minutes))),
              (node, PROV + "endedAtTime", date_time(at))]
        g += [(node, PROV + "used", iri(u)) for u in used]
        self._count(kind)

    def _ingestion(self, i: int, source: str, domain: str, facts: dict[str, Any],
                   people: list[str], code: list[str]) -> tuple[str, Write]:
        rng = self.rng
        w = Write("ingestion", self._now())
        dataset, op = self.id(f"dataset-raw-{i}"), self.id(f"ingestion-{i}")
        d = w.node(dataset)
        owner = rng.choice(people)
        self._dataset(d, dataset, f"{dict(DOMAINS)[domain]} raw {i}", domain, owner, w.at,
                      facts["licence"], instances=rng.randint(10_000, 5_000_000),
                      attributes=rng.randint(8, 120))
        d += [(dataset, ML + "ingestedFrom", iri(source)),
              (dataset, PROV + "wasGeneratedBy", iri(op))]
        self._operation(w.node(op), op, "Ingestion", f"Ingest source {i}", [source], dataset,
                        owner, rng.choice(code), w.at)
        return dataset, w

    def _pipeline(self, p: int, inputs: list[tuple[str, str, dict[str, Any]]],
                  people: list[str], code: list[str]) -> list[Write]:
        rng = self.rng
        domain, licence = inputs[0][1], inputs[0][2]["licence"]
        owner = rng.choice(people)
        current = [d for d, _, _ in inputs]
        writes: list[Write] = []
        length = rng.randint(2, 6)
        instances, attributes = rng.randint(10_000, 2_000_000), rng.randint(8, 60)
        for step in range(length):
            w = Write("processing", self._now())
            kind = "Integration" if step == 0 and len(current) > 1 else rng.choice(PROCESSING[:3])
            final = step == length - 1
            dataset = self.id(f"dataset-{p}-{step}" if not final else f"dataset-{p}")
            op = self.id(f"operation-{p}-{step}")
            instances = max(1000, int(instances * rng.uniform(0.6, 1.0)))
            attributes = max(4, attributes - rng.randint(0, 3))
            d = w.node(dataset)
            title = (f"{domain.title()} training set {p}" if final
                     else f"{domain.title()} {kind.lower()} {p}.{step}")
            self._dataset(d, dataset, title, domain, owner, w.at, licence,
                          instances=instances, attributes=attributes)
            d.append((dataset, PROV + "wasGeneratedBy", iri(op)))
            d += [(dataset, PROV + "wasDerivedFrom", iri(c)) for c in current]
            if not final:
                d.append((dataset, RDF_TYPE, iri(ML + "IntermediateDataset")))
            else:
                for k in range(min(attributes, rng.randint(6, 12))):
                    f = f"{dataset}/feature/{COLUMNS[k]}"
                    d += [(dataset, ML + "hasFeature", iri(f)),
                          (f, RDF_TYPE, iri(ML + "Feature")),
                          (f, ML + "featureName", text(COLUMNS[k])),
                          (f, ML + "featureIndex", integer(k)),
                          (f, ML + "dataType", text("float64")),
                          (f, ML + "mean", double(round(rng.uniform(0, 100), 3))),
                          (f, ML + "standardDeviation", double(round(rng.uniform(0, 20), 3)))]
                self._count("Feature", min(attributes, 12))
            self._operation(w.node(op), op, kind, f"{kind} {p}.{step}", current, dataset,
                            owner, rng.choice(code), w.at)
            current = [dataset]
            writes.append(w)
        writes[-1].run = {"dataset": current[0]}
        return writes

    def model_write(
        self, local: str, *, dataset: str, domain: str, people: list[str], code: list[str],
        parent: str | None = None, parent_depth: int = 0, at: datetime | None = None,
    ) -> Write:
        """A model with its training run, hyperparameter set and evaluations: one write."""
        rng = self.rng
        w = Write("model", at or self._now())
        model, training = self.id(local), self.id(f"training-{local}")
        hyper = self.id(f"hyperparameters-{local}")
        owner, runner = rng.choice(people), rng.choice(people)
        if parent is None:
            algorithm = rng.choice(list(ALGORITHMS))
            params = {name: make(rng) for name, make in ALGORITHMS[algorithm].items()}
        else:
            algorithm = "Transformer" if rng.random() < 0.5 else "NeuralNetwork"
            params = {name: make(rng) for name, make in FINE_TUNE_PARAMS.items()}
        title = (f"{domain.title()} {algorithm} {local}" if parent is None
                 else f"{domain.title()} fine-tune {local} (depth {parent_depth + 1})")
        g = w.node(model)
        g += [(model, RDF_TYPE, iri(ML + "Model")), (model, DCT + "title", text(title)),
              (model, DCT + "description", text(f"{algorithm} model for {domain}.")),
              (model, ML + "usesAlgorithm", iri(ML + algorithm)),
              (model, ML + "trainedOn", iri(dataset)),
              (model, ML + "hasHyperparameterSet", iri(hyper)),
              (model, ML + "administrator", iri(owner)),
              (model, PROV + "wasGeneratedBy", iri(training)),
              (model, ML + "implementedBy", iri(rng.choice(code))),
              (model, ML + "storageLocation", typed(f"s3://models/{local}.joblib", "anyURI")),
              (model, DCT + "created", date(w.at)),
              (model, DCAT + "keyword", text(domain)),
              (model, ML + "purpose", text(f"Decisions in {domain}.")),
              (model, DCT + "license", iri(SPDX + rng.choice(MODEL_LICENCES)))]
        if parent is not None:
            g.append((model, ML + "fineTunedFrom", iri(parent)))
        stage = self._pick(STAGES)
        g.append((model, ML + "lifecycleStage", iri(ML + stage)))
        if stage == "Production":
            g += [(model, ML + "approvedBy", iri(rng.choice(people))),
                  (model, ML + "approvedAt", date_time(w.at + timedelta(days=3)))]
        risk = self._pick(RISKS)
        if risk is not None:
            g.append((model, ML + "aiActRiskLevel", iri(ML + risk)))
            if risk == "HighRisk":
                g.append((model, ML + "intendedPurpose", text(f"Automated {domain} decisions.")))
        if rng.random() < 0.3:
            g.append((model, DPV + "hasPurpose", iri(rng.choice(PURPOSES))))
        if rng.random() < 0.2:
            g.append((model, ML + "commercialUse", boolean(True)))
        h = w.node(hyper)
        h += [(hyper, RDF_TYPE, iri(ML + "HyperparameterSet")),
              (hyper, DCT + "title", text(f"Hyperparameters of {title}"))]
        for name, value in params.items():
            setting = f"{hyper}/setting/{name}"
            h += [(hyper, ML + "hasSetting", iri(setting)),
                  (setting, RDF_TYPE, iri(ML + "HyperparameterSetting")),
                  (setting, ML + "parameterName", text(name)),
                  (setting, ML + "parameterValue", value_term(value))]
        minutes = rng.randint(2, 600)
        t = w.node(training)
        t += [(training, RDF_TYPE, iri(ML + "Training")),
              (training, DCT + "title", text(f"Training of {title}")),
              (training, PROV + "used", iri(dataset)), (training, PROV + "used", iri(hyper)),
              (training, PROV + "generated", iri(model)),
              (training, ML + "usesAlgorithm", iri(ML + algorithm)),
              (training, ML + "hasHyperparameterSet", iri(hyper)),
              (training, PROV + "wasAssociatedWith", iri(runner)),
              (training, PROV + "startedAtTime", date_time(w.at - timedelta(minutes=minutes))),
              (training, PROV + "endedAtTime", date_time(w.at))]
        if parent is not None:
            t.append((training, PROV + "used", iri(parent)))
        base = rng.uniform(0.6, 0.97)
        metrics = {"accuracy": round(base, 4),
                   "f1": round(max(0.0, base - rng.uniform(0, 0.08)), 4)}
        if rng.random() < 0.5:
            metrics["roc_auc"] = round(min(1.0, base + rng.uniform(0, 0.05)), 4)
        measures = {"accuracy": "Accuracy", "f1": "F1", "roc_auc": "RocAuc"}
        for name, value in metrics.items():
            evaluation = self.id(f"evaluation-{local}-{name}")
            self._evaluation(w, evaluation, "MeasuredEvaluation", model, measures[name], value,
                             dataset, w.at, training)
            w.facets += [(evaluation, facet(ML + measures[name], param, value_key(Literal(v))),
                          double(value)) for param, v in params.items()]
            t.append((training, PROV + "generated", iri(evaluation)))
        if rng.random() < 0.2:  # the card's claim, sometimes far from what was measured
            claim = round(min(0.999, metrics["accuracy"] + rng.choice((0.0, 0.01, 0.08))), 4)
            self._evaluation(w, self.id(f"evaluation-{local}-claimed"), "ClaimedEvaluation",
                             model, "Accuracy", claim, None, w.at, None)
        self._count("Model")
        self._count("Evaluation", len(metrics))
        w.run = {"model": model, "title": title, "algorithm": algorithm, "params": params,
                 "metrics": metrics, "dataset": dataset, "parent": parent}
        return w

    def _evaluation(self, w: Write, node: str, kind: str, model: str, measure: str,
                    value: float, dataset: str | None, at: datetime, run: str | None) -> None:
        e = w.node(node)
        e += [(node, RDF_TYPE, iri(ML + kind)),
              (node, DCT + "title", text(f"{measure} of {model.rsplit('/', 1)[-1]}")),
              (node, ML + "evaluatedModel", iri(model)),
              (node, ML + "evaluationMeasure", iri(ML + measure)),
              (node, ML + "value", double(value)),
              (node, PROV + "generatedAtTime", date_time(at))]
        if dataset is not None:
            e += [(node, ML + "evaluatedOn", iri(dataset)),
                  (node, ML + "evaluationMethod", iri(ML + "HoldOut")),
                  (node, ML + "datasetSplit", text("test"))]
        if run is not None:
            e.append((node, PROV + "wasGeneratedBy", iri(run)))


# -- the program ---------------------------------------------------------------------------------

@dataclass
class Generated:
    path: Path
    manifest: dict[str, Any]


# Bumped whenever the generator writes something new, so that a cached lake of an older shape
# is not reused (2: the evaluation facets; 3: facets as properties with the score).
FORMAT = 3


def manifest_path(out: Path) -> Path:
    return out.with_name(out.name + ".json")


def generate(out: Path, models: int, *, seed: int = 8, progress: bool = True) -> Generated:
    """Write the lake of ``models`` models to ``out`` (N-Quads; gzip-compressed when the name
    ends in .gz, for the largest lakes) and its manifest beside it."""
    generator = LakeGenerator(models, seed=seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    writes = 0
    opened: IO[str] = (gzip.open(out, "wt", encoding="utf-8", compresslevel=1)  # noqa: SIM115
                       if out.name.endswith(".gz")
                       else out.open("w", encoding="utf-8", buffering=1 << 20))
    with opened as stream, _bar(progress) as bar:
        task = bar.add_task(f"{models:,} models", total=generator.plan.writes)
        writer = NQuadsWriter(stream, generator.base, random.Random(seed + 1))
        for write in generator.writes():
            writer.write(write)
            writes += 1
            if writes % 2000 == 0:
                bar.update(task, completed=writes)
        bar.update(task, completed=generator.plan.writes)
    sample = generator.sample
    manifest = {
        "models": models, "seed": seed, "quads": writer.quads, "graphs": writer.graphs,
        "writes": writes, "bytes": writer.bytes, "file_bytes": out.stat().st_size,
        "format": FORMAT, "base_iri": generator.base,
        "principal": list(PRINCIPAL), "counts": dict(sorted(generator.counts.items())),
        "sample": {"models": sample.models, "fine_tunes": sample.fine_tunes,
                   "personal_sources": sample.personal_sources[:20], "sources": sample.sources,
                   "final_datasets": sample.final_datasets, "people": sample.people,
                   "code": sample.code},
    }
    manifest_path(out).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return Generated(out, manifest)


def _bar(enabled: bool) -> Progress:
    return Progress(TextColumn("generating {task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeRemainingColumn(), disable=not enabled,
                    transient=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, required=True, help="number of models (e.g. 1000)")
    parser.add_argument("--out", type=Path, required=True, help="the N-Quads file to write")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    result = generate(args.out, args.models, seed=args.seed, progress=not args.quiet)
    m = result.manifest
    print(f"{m['models']:,} models: {m['quads']:,} quads in {m['graphs']:,} graphs "
          f"({m['writes']:,} writes, {m['bytes'] / 1e6:,.1f} MB) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
