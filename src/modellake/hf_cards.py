"""Import Hugging Face model cards (a README.md with YAML front matter) into the lake.

A card becomes an ``ml:ImportedModel``: what the card states is recorded, what it leaves out stays
missing and comes back as warnings of the documentation profile. Base models and data sets named
by hub id become shared nodes, so cards that share a base model or training data meet in the
graph; model-index results become ``ml:ClaimedEvaluation`` parts of the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from .errors import BadInputError, ModelLakeError
from .importing import (
    ImportReport,
    Outcome,
    ensure_nodes,
    node_id,
    progress,
    spdx_licence,
    task_node,
    task_slug,
    write_record,
)
from .lake import LOCAL_USER, Lake, Principal
from .namespaces import DCAT, DCTERMS, ML, PROV, RDF
from .resources import ontology_file

HUB = "https://huggingface.co/"
# A hub id: "name" or "owner/name", as the Hub allows them.
_HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")
_TEXT_LIMIT = 8000  # a section longer than this is cut (and marked): cards embed whole logs
# Generated cards keep placeholders where the author wrote nothing; such a section is missing.
_PLACEHOLDER = re.compile(
    r"^\W*(\[?more information needed\]?|needs? more information|tbd|todo|n/?a|none)\W*$",
    re.IGNORECASE)

# Card headings (lower case, matched by containment) -> the property their text goes to.
_SECTIONS: tuple[tuple[tuple[str, ...], URIRef], ...] = (
    (("intended use", "intended uses", "uses", "how to use", "usage"), ML.purpose),
    (("limitation", "bias", "risk", "out-of-scope"), ML.limitations),
    (("training data", "pretraining data", "pre-training data"), ML.trainingDataDescription),
    (("training procedure", "training", "hyperparameters"), ML.trainingProcedure),
    (("evaluation", "results", "performance"), ML.evaluationDescription),
    (("model description", "description", "introduction", "overview", "model details"),
     DCTERMS.description),
)

# base_model_relation values and tags -> the derivation relation.
_RELATIONS = {"adapter": ML.adapterOf, "quantized": ML.quantizedFrom, "merge": ML.mergedFrom,
              "finetune": ML.fineTunedFrom, "distillation": ML.distilledFrom}
_RELATION_TAGS = ((("adapter", "lora", "peft"), ML.adapterOf),
                  (("quantized", "gguf", "gptq", "awq"), ML.quantizedFrom),
                  (("merge", "mergekit"), ML.mergedFrom))

# Metric names cards use that the measure labels do not cover.
_METRIC_ALIASES = {"wer": ML.WordErrorRate, "bleu": ML.Bleu, "sacrebleu": ML.Bleu,
                   "rouge1": ML.Rouge, "rouge2": ML.Rouge, "rougel": ML.Rouge,
                   "rougelsum": ML.Rouge, "rouge": ML.Rouge, "em": ML.ExactMatch,
                   "exactmatch": ML.ExactMatch, "f1": ML.F1, "accuracy": ML.Accuracy,
                   "acc": ML.Accuracy, "map": ML.MeanAveragePrecision}


class CardError(BadInputError):
    """A card that cannot be imported (unreadable, or no usable hub id)."""


@dataclass(frozen=True)
class Card:
    """What a card says, parsed: its front matter, its sections and where it came from."""

    name: str  # the record's name: the hub id when the card has one, else its file stem
    hub_id: str | None
    meta: Mapping[str, Any]
    sections: Mapping[str, str]
    has_front_matter: bool
    source: str


def split_front_matter(text: str) -> tuple[dict[str, Any], str, bool]:
    """The card's YAML front matter (empty if none or unreadable) and its Markdown body."""
    if not text.startswith("---"):
        return {}, text, False
    end = re.search(r"^---\s*$", text[3:], flags=re.M)
    if end is None:
        return {}, text, False
    raw, body = text[3:3 + end.start()], text[3 + end.end():]
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError:
        return {}, body, False
    return (data if isinstance(data, dict) else {}), body, isinstance(data, dict)


def split_sections(body: str) -> dict[str, str]:
    """Markdown sections by lower-case heading; the text before the first heading is ``""``."""
    found: dict[str, list[str]] = {"": []}
    current = ""
    in_code = False
    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        heading = None if in_code else re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            current = heading.group(1).strip().lower()
            found.setdefault(current, [])
        else:
            found[current].append(line)
    return {k: "\n".join(v).strip() for k, v in found.items()}


def hub_id_of(path: Path) -> str | None:
    """The hub id a card file is named after: ``owner__name.md`` -> ``owner/name``,
    ``name.md`` -> ``name``; None for other names (e.g. a card found in a GitHub project,
    ``owner__repo__folder.md``), whose hub id is not known."""
    parts = path.stem.split("__")
    hub_id = "/".join(parts) if len(parts) <= 2 else None
    return hub_id if hub_id is not None and _HUB_ID.match(hub_id) else None


def read_sources(directory: Path) -> dict[str, str]:
    """``SOURCES.tsv`` of a card folder (file, repo, path, commit) -> where each card came from."""
    table = directory / "SOURCES.tsv"
    if not table.is_file():
        return {}
    found: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) == 4:
            file, repo, inner, commit = cells
            found[file] = f"https://github.com/{repo}/blob/{commit}/{inner}"
    return found


def read_card(path: Path, *, source: str | None = None) -> Card:
    """Parse one card file; ``source`` says where it was published (default: its file name)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CardError(f"cannot read the card: {exc}") from exc
    hub_id = hub_id_of(path)
    return parse_card(text, name=hub_id or path.stem, hub_id=hub_id, source=source or path.name)


def parse_card(text: str, *, name: str, hub_id: str | None, source: str) -> Card:
    """Parse a card's text; ``hub_id`` is its model id on the Hub when known."""
    if hub_id is not None and not _HUB_ID.match(hub_id):
        raise CardError(f"{hub_id!r} is not a Hugging Face model id: use owner/name or name, "
                        "with letters, digits, '.', '_' and '-'")
    if not name.strip():
        raise CardError("a card needs a name (the model's hub id, owner/name)")
    meta, body, has_front_matter = split_front_matter(text)
    return Card(name, hub_id, meta, split_sections(body), has_front_matter, source)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [str(value)] if str(value).strip() else []
    if isinstance(value, list):
        return [str(v).strip() for v in value
                if v is not None and not isinstance(v, dict | list | bool) and str(v).strip()]
    return []


def derivation(meta: Mapping[str, Any]) -> URIRef:
    """The relation to the base model: base_model_relation, else the tags, else fine-tuning."""
    relation = str(meta.get("base_model_relation") or "").strip().lower()
    if relation in _RELATIONS:
        return _RELATIONS[relation]
    tags = {t.lower() for t in _as_list(meta.get("tags"))}
    tags.add(str(meta.get("library_name") or "").lower())
    for names, prop in _RELATION_TAGS:
        if tags & set(names):
            return prop
    return ML.fineTunedFrom


def _number(value: object) -> Literal | None:
    """A claimed value as a number; "-147.07 +/- 80.80" keeps its mean."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    match = re.match(r"^\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)", str(value))
    return Literal(float(match.group(1)), datatype=XSD.double) if match else None


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@cache
def _measures() -> dict[str, URIRef]:
    """Normalised measure names (local name, label, alternative labels) -> measure IRI."""
    ontology = Graph().parse(ontology_file(), format="turtle")
    index: dict[str, URIRef] = {}
    for measure in ontology.subjects(RDF.type, ML.EvaluationMeasure):
        if isinstance(measure, URIRef) and measure != ML.OtherMeasure:
            index[_norm(str(measure).rsplit("#", 1)[-1])] = measure
            for prop in (RDFS.label, SKOS.altLabel):
                for label in ontology.objects(measure, prop):
                    index[_norm(str(label))] = measure
    index.update(_METRIC_ALIASES)
    return index


def measure_of(name: str) -> URIRef:
    return _measures().get(_norm(name), ML.OtherMeasure)


def _clip(text: str) -> Literal:
    if len(text) > _TEXT_LIMIT:
        text = text[:_TEXT_LIMIT] + " […]"
    return Literal(text)


class CardMapper:
    """Turns a parsed card into the model's record and the shared nodes it points at."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri

    def model_iri(self, hub_id: str) -> URIRef:
        return URIRef(self.base + node_id("hf", hub_id))

    def dataset_iri(self, hub_id: str) -> URIRef:
        return URIRef(self.base + node_id("dataset-hf", hub_id))

    def stub_model(self, hub_id: str, shared: Graph) -> URIRef:
        """A base model known only by its id (its own card may be imported later)."""
        node = self.model_iri(hub_id)
        shared.add((node, RDF.type, ML.ImportedModel))
        shared.add((node, DCTERMS.title, Literal(hub_id)))
        shared.add((node, ML.hubId, Literal(hub_id)))
        shared.add((node, ML.publishedIn, ML.HuggingFaceHub))
        shared.add((node, DCAT.landingPage, URIRef(HUB + hub_id)))
        return node

    def dataset(self, hub_id: str, shared: Graph) -> URIRef:
        node = self.dataset_iri(hub_id)
        shared.add((node, RDF.type, ML.ImportedDataset))
        shared.add((node, DCTERMS.title, Literal(hub_id)))
        shared.add((node, ML.hubId, Literal(hub_id)))
        shared.add((node, ML.publishedIn, ML.HuggingFaceHub))
        if _HUB_ID.match(hub_id):
            shared.add((node, DCAT.landingPage, URIRef(f"{HUB}datasets/{hub_id}")))
        return node

    def map(self, card: Card) -> tuple[URIRef, Graph, Graph]:
        """(model, the model's record, the shared nodes it needs)."""
        meta, hub_id = card.meta, card.hub_id
        model = self.model_iri(card.name)
        record, shared = Graph(), Graph()
        add = record.add
        add((model, RDF.type, ML.ImportedModel))
        add((model, DCTERMS.title, Literal(str(meta.get("model_name") or card.name).strip()
                                           or card.name)))
        add((model, ML.sourceRecord, Literal(card.source)))
        if hub_id is not None:
            add((model, ML.hubId, Literal(hub_id)))
            add((model, ML.publishedIn, ML.HuggingFaceHub))
            add((model, DCAT.landingPage, URIRef(HUB + hub_id)))
        if hub_id is not None and "/" in hub_id:
            owner = hub_id.split("/", 1)[0]
            publisher = URIRef(self.base + node_id("hf-user", owner))
            shared.add((publisher, RDF.type, ML.User))
            shared.add((publisher, RDFS.label, Literal(owner)))
            shared.add((publisher, DCAT.landingPage, URIRef(HUB + owner)))
            add((model, PROV.wasAttributedTo, publisher))
        for licence in _as_list(meta.get("license")):
            add((model, ML.declaredLicence, Literal(licence)))
            spdx = spdx_licence(licence)
            if spdx is not None:
                add((model, DCTERMS.license, spdx))
        for language in _as_list(meta.get("language")):
            add((model, ML.languageTag, Literal(language)))
        for tag in _as_list(meta.get("tags")):
            add((model, DCAT.keyword, Literal(tag)))
        if meta.get("library_name"):
            add((model, ML.library, Literal(str(meta["library_name"]))))
        task = task_slug(str(meta.get("pipeline_tag") or ""))
        if task:
            node, graph = task_node(self.base, task)
            shared += graph
            add((model, ML.task, node))
        relation = derivation(meta)
        for base in _as_list(meta.get("base_model")):
            if _HUB_ID.match(base) and base != card.name:
                add((model, relation, self.stub_model(base, shared)))
        for data in _as_list(meta.get("datasets")):
            add((model, ML.trainedOn, self.dataset(data, shared)))
        self._sections(model, card, record)
        self._claims(model, meta, record, shared)
        return model, record, shared

    def _sections(self, model: URIRef, card: Card, record: Graph) -> None:
        stated: set[URIRef] = set()
        sections = {h: t for h, t in card.sections.items() if t and not _PLACEHOLDER.match(t)}
        for heading, text in sections.items():
            if not heading:
                continue
            prop = next((p for keys, p in _SECTIONS if any(k in heading for k in keys)), None)
            if prop is not None and prop not in stated:
                record.add((model, prop, _clip(text)))
                stated.add(prop)
        if DCTERMS.description not in stated:
            # The text under the title (or before any heading) describes the model.
            lead = next((t for t in sections.values() if not t.startswith("```")), "")
            if lead:
                record.add((model, DCTERMS.description, _clip(lead)))

    def _claims(self, model: URIRef, meta: Mapping[str, Any], record: Graph,
                shared: Graph) -> None:
        entries = meta.get("model-index")
        count = 0
        for entry in entries if isinstance(entries, list) else []:
            results = entry.get("results") if isinstance(entry, dict) else None
            for result in results if isinstance(results, list) else []:
                if not isinstance(result, dict):
                    continue
                raw = result.get("dataset")
                data: dict[str, Any] = raw if isinstance(raw, dict) else {}
                data_id = str(data.get("type") or data.get("name") or "").strip()
                metrics = result.get("metrics")
                for metric in metrics if isinstance(metrics, list) else []:
                    if not isinstance(metric, dict):
                        continue
                    value = _number(metric.get("value"))
                    name = str(metric.get("type") or metric.get("name") or "").strip()
                    if value is None or not name:
                        continue
                    count += 1
                    claim = URIRef(f"{model}/claim/{count}")
                    record.add((model, ML.hasEvaluation, claim))
                    record.add((claim, RDF.type, ML.ClaimedEvaluation))
                    record.add((claim, ML.evaluatedModel, model))
                    record.add((claim, ML.evaluationMeasure, measure_of(name)))
                    record.add((claim, ML.measureName, Literal(name)))
                    record.add((claim, ML.value, value))
                    if data_id:
                        record.add((claim, ML.evaluatedOn, self.dataset(data_id, shared)))
                    if data.get("split"):
                        record.add((claim, ML.datasetSplit,
                                    Literal(str(data["split"]), datatype=XSD.string)))


def card_paths(paths: Iterable[Path]) -> list[Path]:
    """The card files named: files as given, directories searched for *.md (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*.md")) if p.name != "SOURCE.md")
        else:
            found.append(path)
    return found


def import_card(lake: Lake, card: Card, *, update: bool = False,
                report: ImportReport | None = None,
                principal: Principal = LOCAL_USER) -> tuple[URIRef, Outcome]:
    """Write one card: its shared nodes (if new), then the model in one validated write."""
    model, record, shared = CardMapper(lake.base_iri).map(card)
    if len(shared):
        ensure_nodes(lake, shared, principal=principal)
    outcome = write_record(lake, model, record, update=update, report=report,
                           principal=principal)
    return model, outcome


def import_cards(lake: Lake, paths: Iterable[Path], *, update: bool = False,
                 show_progress: bool = True) -> ImportReport:
    """Import every card named (files or directories); a bad card is reported and skipped."""
    report = ImportReport()
    files = card_paths(paths)
    sources: dict[Path, dict[str, str]] = {}
    for path in progress(files, "importing model cards", total=len(files), show=show_progress):
        if path.parent not in sources:
            sources[path.parent] = read_sources(path.parent)
        try:
            card = read_card(path, source=sources[path.parent].get(path.name))
            import_card(lake, card, update=update, report=report)
        except ModelLakeError as exc:
            report.skip(str(path), str(exc))
    return report
