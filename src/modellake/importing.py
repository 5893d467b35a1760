"""What every importer shares: of published records (model cards, hubs, model zoos) and of
other systems' records (OpenLineage, MLflow).

Node identifiers made safely from registry ids, licences as SPDX IRIs, one task node per task
across registries, create-if-absent for shared nodes, one write per record, and the report of
what was imported and what was skipped (path and reason) — so a bad record is skipped and
reported, never half-written, and a re-import changes nothing that is already there.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Final, Literal, TypeVar

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import RDFS, SKOS

from .errors import ModelLakeError
from .lake import LOCAL_USER, Lake, Principal
from .metafeatures import slugify
from .namespaces import DCTERMS, FOAF, ML, RDF, XSD
from .resources import ontology_dir

T = TypeVar("T")
SPDX = "http://spdx.org/licenses/"
_UNSAFE = re.compile(r"[^a-z0-9._-]+")

# Licence names as registries write them (lower case) -> SPDX identifiers, for the common ones
# whose SPDX id differs from the written name; other names are looked up case-insensitively.
_LICENCE_ALIASES = {
    "apache 2.0": "Apache-2.0", "apache license 2.0": "Apache-2.0", "apache-2": "Apache-2.0",
    "gpl-2.0": "GPL-2.0-only", "gpl-3.0": "GPL-3.0-only", "lgpl-3.0": "LGPL-3.0-only",
    "lgpl-2.1": "LGPL-2.1-only", "agpl-3.0": "AGPL-3.0-only", "odbl": "ODbL-1.0",
    "cc-by-4.0": "CC-BY-4.0", "cc0": "CC0-1.0", "bsd": "BSD-3-Clause",
    # as the ONNX Model Zoo's pages write them
    "apache 2.0 license": "Apache-2.0", "mit license": "MIT", "bsd-3": "BSD-3-Clause",
    "bsd 3-clause license": "BSD-3-Clause",
    'bsd 3-clause "new" or "revised" license': "BSD-3-Clause",
}

# Task names of the registries -> one shared slug (Hugging Face pipeline tags where one fits).
_TASK_ALIASES = {
    "image classification": "image-classification", "classification": "image-classification",
    "image feature vector": "image-feature-extraction",
    "image-feature-vector": "image-feature-extraction",
    "object detection": "object-detection", "detection": "object-detection",
    "image segmentation": "image-segmentation", "segmentation": "image-segmentation",
    "semantic segmentation": "image-segmentation",
    "text embedding": "feature-extraction", "text-embedding": "feature-extraction",
    "sentence similarity": "sentence-similarity",
    "text classification": "text-classification", "text generation": "text-generation",
    "question answering": "question-answering", "machine translation": "translation",
    "speech recognition": "automatic-speech-recognition",
    "audio classification": "audio-classification", "pose detection": "pose-estimation",
    "image style transfer": "image-to-image", "super resolution": "image-to-image",
    # TensorFlow Hub (tags/task.yaml ids; the ones without an equivalent keep their own slug)
    "image classifier": "image-classification",
    "image classification logits": "image-classification",
    "image object detection": "object-detection", "image pose detection": "pose-estimation",
    "image depth estimation": "depth-estimation", "image super resolution": "image-to-image",
    "image deblurring": "image-to-image", "image denoising": "image-to-image",
    "image dehazing": "image-to-image", "image deraining": "image-to-image",
    "image enhancement": "image-to-image", "image extrapolation": "image-to-image",
    "audio event classification": "audio-classification",
    "audio command detection": "audio-classification",
    "audio stt": "automatic-speech-recognition", "audio speech synthesis": "text-to-speech",
    "text question answering": "question-answering",
    # the ONNX Model Zoo's categories (the manifest's second tag)
    "object detection segmentation": "object-detection", "style transfer": "image-to-image",
    "machine comprehension": "question-answering",
}


def slug(text: str, *, max_length: int = 80) -> str:
    """A lower-case identifier part made of [a-z0-9._-]; a short hash is added whenever the
    text had to be changed, so two different ids never get the same slug."""
    lowered = text.strip().lower()
    cleaned = _UNSAFE.sub("-", lowered).strip("-._") or "x"
    if cleaned == text and len(cleaned) <= max_length:
        return cleaned
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned[:max_length]}-{digest}"


def node_id(prefix: str, registry_id: str) -> str:
    """``hf-google-flan-t5-base-1a2b3c4d``: a registry prefix and a collision-free slug."""
    return f"{prefix}-{slug(registry_id)}"


@cache
def _spdx_ids() -> dict[str, str]:
    """Lower-case SPDX id -> SPDX id, for the licences the ontology describes."""
    graph = Graph().parse(ontology_dir() / "imports" / "spdx-licences.ttl", format="turtle")
    ids = {str(o) for o in graph.objects(None, DCTERMS.identifier)}
    return {i.lower(): i for i in ids}


def spdx_licence(name: str | None) -> URIRef | None:
    """The SPDX licence IRI of a licence name as a registry writes it, if the lake knows it."""
    if not name:
        return None
    key = name.strip().lower()
    known = _spdx_ids()
    spdx_id = known.get(key) or known.get(_LICENCE_ALIASES.get(key, "").lower())
    return URIRef(SPDX + spdx_id) if spdx_id else None


def task_slug(name: str | None) -> str | None:
    """One slug per task across registries (e.g. "Image classification" -> image-classification)."""
    if not name or not name.strip():
        return None
    key = re.sub(r"[\s_]+", " ", name.strip().lower())
    for candidate in (key, key.replace("-", " ")):  # "image-style-transfer" is a name too
        if candidate in _TASK_ALIASES:
            return _TASK_ALIASES[candidate]
    return _UNSAFE.sub("-", key.replace(" ", "-")).strip("-") or None


def task_node(base_iri: str, task: str) -> tuple[URIRef, Graph]:
    """The shared node of a task slug, with its label ("image classification")."""
    node = URIRef(f"{base_iri}task-{task}")
    graph = Graph()
    label = task.replace("-", " ")
    graph.add((node, RDF.type, ML.Task))
    graph.add((node, SKOS.prefLabel, RdfLiteral(label)))
    graph.add((node, RDFS.label, RdfLiteral(label)))
    return node, graph


Outcome = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class Skipped:
    """A record that was not imported: where it is and why."""

    path: str
    reason: str


@dataclass
class ImportReport:
    """Counts of one import run, the skipped records, and the warnings by message."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: Counter[str] = field(default_factory=Counter)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append(Skipped(path, reason))

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    def to_json(self) -> dict[str, object]:
        return {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "warnings": dict(self.warnings.most_common()),
        }

    def summary(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{len(self.skipped)} skipped")


def ensure_nodes(lake: Lake, graph: Graph, *, principal: Principal = LOCAL_USER
                 ) -> list[URIRef]:
    """Create the nodes of ``graph`` that the lake does not hold yet (shared data sets, tasks,
    publishers); existing ones are left as they are. One validated write, or none."""
    result = lake.register_missing(graph, principal=principal)
    return result.nodes if result is not None else []


def write_record(lake: Lake, node: URIRef, graph: Graph, *, update: bool = False,
                 report: ImportReport | None = None,
                 principal: Principal = LOCAL_USER) -> Outcome:
    """Write one imported record (a node and its parts) in one validated write.

    An existing record is left alone unless ``update``; then it is replaced when it differs. A
    stub (a model another record named, e.g. as its base model, before its own record came) is
    always replaced by the record: that is its creation.
    """
    if lake.exists(node):
        current = lake.describe(node)
        stub = (node, ML.sourceRecord, None) not in current
        if stub or (update and not lake.same_description(node, graph)):
            result = lake.replace(node, graph, if_match="*", principal=principal)
            _note_warnings(report, result.warnings)
            outcome: Outcome = "created" if stub else "updated"
        else:
            outcome = "unchanged"
    else:
        result = lake.register(graph, principal=principal)
        _note_warnings(report, result.warnings)
        outcome = "created"
    if report is not None:
        report.count(outcome)
    return outcome


def _note_warnings(report: ImportReport | None, warnings: Iterable[object]) -> None:
    if report is None:
        return
    for finding in warnings:
        report.warnings[str(getattr(finding, "message", finding))] += 1


def progress(items: Iterable[T], description: str, *, total: int | None = None,
             show: bool = True) -> Iterator[T]:
    """Iterate with a progress bar on stderr (for the CLI); plain iteration when not shown."""
    if not show:
        yield from items
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task)


class ImportFailed(ModelLakeError):
    """A record could not be read or mapped (the importer skips it and reports the reason)."""


# -- records of other systems (OpenLineage, MLflow) ---------------------------------------

# An owner's name may say what it is: "user:alice", "team:data-eng" (OpenLineage's ownership
# facet writes them so).
_AGENT_KINDS: Final = {"user": ML.Person, "person": ML.Person, "team": ML.Team,
                       "group": ML.Team, "service": ML.Service, "application": ML.Service}


def mint(kind: str, title: str, *keys: object) -> str:
    """``<kind>-<slug of title>-<16 hex of the keys>``: readable, safe, the same for the same
    keys (the keys are joined with a separator no name holds, then hashed)."""
    digest = hashlib.sha256("\x1f".join(str(k) for k in keys).encode("utf-8", "surrogatepass"))
    return f"{kind}-{slugify(title, default=kind)}-{digest.hexdigest()[:16]}"


def agent(lake: Lake, name: str, *, origin: str, description: str | None = None,
          ) -> tuple[URIRef, Graph]:
    """The agent another system names ``name`` (kind from a ``user:``/``team:`` prefix, else
    ml:User), as a node id and its description. ``origin`` keeps agents of different systems
    apart (an MLflow user "alice" is not known to be the token holder "alice")."""
    prefix, sep, rest = name.partition(":")
    cls = _AGENT_KINDS.get(prefix.lower()) if sep and rest else None
    shown = rest if cls is not None else name
    node = lake.node_iri(mint("agent", shown, origin, name))
    g = Graph()
    g.add((node, RDF.type, cls or ML.User))
    g.add((node, FOAF.name, RdfLiteral(shown)))
    if description:
        g.add((node, DCTERMS.description, RdfLiteral(description)))
    return node, g


def only_missing(lake: Lake, parts: Iterable[tuple[URIRef, Graph]]) -> Graph:
    """The descriptions of the nodes the lake does not have yet: shared nodes (agents, code,
    sources, algorithms) are created once and never rewritten by an import."""
    parts = list(parts)
    if not parts:
        return Graph()
    rows = lake.store.select(lake.catalogue.bind(
        "records/node-types", {"nodes": sorted({str(node) for node, _ in parts})}))
    present = {str(r["node"]) for r in rows}
    out = Graph()
    for node, graph in parts:
        if str(node) not in present:
            out += graph
    return out


def when(moment: datetime) -> RdfLiteral:
    """An xsd:dateTime literal in UTC, to the millisecond."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return RdfLiteral(text, datatype=XSD.dateTime)
