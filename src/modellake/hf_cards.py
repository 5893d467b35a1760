"""Import Hugging Face model cards (README.md with YAML front matter) into the lake.

A card becomes an ``ml:ImportedModelCard`` node (not an ``ml:Model``: cards rarely state the
algorithm, an administrator, a creation date or training data, which the core shapes demand of a
model; those gaps come back as SHACL warnings, never invented). Base models and data sets named by
hub id become shared nodes ``<base>hf/<id>`` and ``<base>hf-datasets/<id>`` so cards that share a
base model meet in the graph; model-index results become ``ml:ClaimedCardResult`` nodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from .lake import Lake
from .namespaces import DCAT, DCTERMS, ML, RDF, XSD
from .resources import ontology_file
from .validation import Finding

SPDX = "http://spdx.org/licenses/"
_SPDX_IDS = {
    "mit": "MIT", "apache-2.0": "Apache-2.0", "bsd-2-clause": "BSD-2-Clause",
    "bsd-3-clause": "BSD-3-Clause", "cc-by-4.0": "CC-BY-4.0", "cc-by-nc-4.0": "CC-BY-NC-4.0",
    "cc-by-nc-nd-4.0": "CC-BY-NC-ND-4.0", "cc-by-nc-sa-4.0": "CC-BY-NC-SA-4.0",
    "cc-by-nd-4.0": "CC-BY-ND-4.0", "cc-by-sa-4.0": "CC-BY-SA-4.0", "cc0-1.0": "CC0-1.0",
    "gpl-2.0": "GPL-2.0-only", "gpl-3.0": "GPL-3.0-only", "lgpl-3.0": "LGPL-3.0-only",
    "agpl-3.0": "AGPL-3.0-only", "odbl": "ODbL-1.0",
}
_HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")
_SECTIONS: dict[str, tuple[str, ...]] = {
    "purpose": ("intended use", "intended uses", "uses", "how to use", "usage"),
    "limitations": ("limitation", "bias", "risk", "out-of-scope"),
    "training data": ("training data", "pretraining data", "dataset"),
    "training procedure": ("training procedure", "training"),
    "evaluation": ("evaluation", "results", "eval"),
    "description": ("model description", "description", "introduction", "overview"),
}
_NOTE_LIMIT = 2000


@dataclass
class ImportResult:
    """What one card gave: the card node, the nodes written and the facts it did not state."""

    hub_id: str
    node: URIRef
    created_nodes: list[URIRef] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    had_front_matter: bool = False


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
    return (data if isinstance(data, dict) else {}), body, True


def sections(body: str) -> dict[str, str]:
    """Markdown sections by lower-cased heading; text before the first heading is ``""``."""
    out: dict[str, list[str]] = {"": []}
    current = ""
    in_code = False
    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            current = match.group(1).strip().lower()
            out.setdefault(current, [])
        else:
            out[current].append(line)
    return {k: "\n".join(v).strip() for k, v in out.items()}


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | int | float):
        return [str(value)]
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and not isinstance(v, dict | list)]
    return []


def derivation(meta: Mapping[str, Any]) -> URIRef:
    """The relation to the base model: base_model_relation, else the tags, else fine-tune."""
    relation = str(meta.get("base_model_relation") or "").lower()
    tags = {t.lower() for t in _as_list(meta.get("tags"))}
    tags |= {str(meta.get("library_name") or "").lower()}
    if relation == "adapter" or tags & {"adapter", "lora", "peft"} or any(
            t.startswith("base_model:adapter:") for t in tags):
        return ML.adapterOf
    if relation == "quantized" or tags & {"quantized", "gguf", "gptq", "awq"}:
        return ML.quantizedFrom
    if relation == "merge" or tags & {"merge", "mergekit"}:
        return ML.mergedFrom
    return ML.fineTunedFrom


@cache
def _ontology() -> Graph:
    return Graph().parse(ontology_file())


def _measure_index(lake: Lake) -> dict[str, URIRef]:
    index: dict[str, URIRef] = {}
    onto = _ontology()
    for measure in onto.subjects(RDF.type, ML.EvaluationMeasure):
        if not isinstance(measure, URIRef):
            continue
        index[_norm(str(measure).rsplit("#", 1)[-1])] = measure
        for prop in (RDFS.label, SKOS.altLabel):
            for label in onto.objects(measure, prop):
                index[_norm(str(label))] = measure
    extra = {"f1": ML.F1, "wer": ML.WordErrorRate, "bleu": ML.Bleu, "sacrebleu": ML.Bleu,
             "rouge1": ML.Rouge, "rougel": ML.Rouge, "rouge": ML.Rouge, "em": ML.ExactMatch,
             "exactmatch": ML.ExactMatch}
    index.update(extra)
    return index


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:80] or "unnamed"


class _Builder:
    def __init__(self, lake: Lake) -> None:
        self.lake = lake
        self.graph = Graph()
        self.new: list[URIRef] = []
        self._measures = _measure_index(lake)

    def _fresh(self, node: URIRef) -> bool:
        return node not in self.new and not self.lake.exists(node)

    def model_stub(self, hub_id: str) -> URIRef:
        node = self.lake.node_iri("hf/" + hub_id)
        if self._fresh(node):
            self.new.append(node)
            self.graph.add((node, RDF.type, ML.ImportedModelCard))
            self.graph.add((node, DCTERMS.title, Literal(hub_id)))
            self.graph.add((node, ML.hubId, Literal(hub_id, datatype=XSD.string)))
            self.graph.add((node, DCAT.landingPage,
                            URIRef("https://huggingface.co/" + hub_id)))
        return node

    def dataset(self, hub_id: str) -> URIRef:
        node = self.lake.node_iri("hf-datasets/" + hub_id)
        if self._fresh(node):
            self.new.append(node)
            self.graph.add((node, RDF.type, ML.HubDataset))
            self.graph.add((node, DCTERMS.title, Literal(hub_id)))
            self.graph.add((node, ML.hubId, Literal(hub_id, datatype=XSD.string)))
        return node

    def measure(self, name: str) -> URIRef:
        known = self._measures.get(_norm(name))
        if known is not None:
            return known
        node = self.lake.node_iri("hf-metrics/" + _slug(name.lower()))
        if self._fresh(node):
            self.new.append(node)
            self.graph.add((node, RDF.type, ML.EvaluationMeasure))
            self.graph.add((node, DCTERMS.title, Literal(name)))
        return node


def _hub_id(path: Path | None, meta: Mapping[str, Any], owner: str | None) -> str:
    if path is not None:
        stem = path.stem
        owner_part, _, name = stem.partition("__")
        hub = f"{owner_part}/{name}" if name else stem
    else:
        hub = str(meta.get("model_name") or meta.get("model-index", [{}])[0].get("name")
                  if isinstance(meta.get("model-index"), list) else meta.get("model_name") or "")
    if owner and "/" not in hub:
        hub = f"{owner}/{hub}"
    hub = hub.replace("__", "-")
    if not _HUB_ID.match(hub):
        hub = _slug(hub)
    return hub


def _number(value: object) -> Literal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    match = re.match(r"^\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)", str(value))
    return Literal(float(match.group(1)), datatype=XSD.double) if match else None


def import_card(lake: Lake, path_or_text: str | Path, *, owner: str | None = None
                ) -> ImportResult:
    """Import one card (a path ``owner__name.md`` or the card's text) and register it."""
    path: Path | None = None
    if isinstance(path_or_text, Path) or (
            "\n" not in path_or_text and path_or_text.endswith(".md")
            and Path(path_or_text).exists()):
        path = Path(path_or_text)
        text = path.read_text(encoding="utf-8", errors="replace")
    else:
        text = str(path_or_text)
    meta, body, has_fm = split_front_matter(text)
    hub = _hub_id(path, meta, owner)
    b = _Builder(lake)
    card = lake.node_iri("hf/" + hub)
    card_exists = lake.exists(card)
    g = Graph()  # the card's own description
    g.add((card, RDF.type, ML.ImportedModelCard))
    g.add((card, DCTERMS.title, Literal(hub)))
    g.add((card, ML.hubId, Literal(hub, datatype=XSD.string)))
    g.add((card, DCAT.landingPage, URIRef("https://huggingface.co/" + hub)))
    if "/" in hub:
        publisher = lake.node_iri("hf-publishers/" + hub.split("/", 1)[0])
        if b._fresh(publisher):
            b.new.append(publisher)
            b.graph.add((publisher, RDF.type, ML.Team))
            b.graph.add((publisher, RDFS.label, Literal(hub.split("/", 1)[0])))
        g.add((card, DCTERMS.publisher, publisher))
    for licence in _as_list(meta.get("license")):
        g.add((card, ML.declaredLicence, Literal(licence, datatype=XSD.string)))
        spdx = _SPDX_IDS.get(licence.strip().lower())
        if spdx:
            g.add((card, DCTERMS.license, URIRef(SPDX + spdx)))
    for lang in _as_list(meta.get("language")):
        g.add((card, DCTERMS.language, Literal(lang)))
    for tag in _as_list(meta.get("tags")):
        if tag.strip():
            g.add((card, DCAT.keyword, Literal(tag.strip())))
    for key in ("pipeline_tag", "library_name"):
        if meta.get(key):
            g.add((card, DCAT.keyword, Literal(f"{key}:{meta[key]}")))
    tags = {t.lower() for t in _as_list(meta.get("tags"))}
    if str(meta.get("library_name") or "").lower() == "transformers" or "transformers" in tags:
        g.add((card, ML.usesAlgorithm, ML.Transformer))
    relation = derivation(meta)
    for base in _as_list(meta.get("base_model")):
        if _HUB_ID.match(base) and base != hub:
            g.add((card, relation, b.model_stub(base)))
    for ds in _as_list(meta.get("datasets")):
        if _HUB_ID.match(ds):
            g.add((card, ML.cardTrainedOn, b.dataset(ds)))
    # Markdown sections
    parts = sections(body)
    described = False
    for heading, content in parts.items():
        if not content:
            continue
        kind = next((k for k, keys in _SECTIONS.items() if any(x in heading for x in keys)),
                    None)
        clipped = content[:_NOTE_LIMIT]
        if kind == "purpose":
            g.add((card, ML.intendedPurpose, Literal(clipped, datatype=XSD.string)))
        elif kind == "description" and not described:
            g.add((card, DCTERMS.description, Literal(clipped)))
            described = True
        elif kind is not None:
            g.add((card, SKOS.note, Literal(f"{kind}: {clipped}")))
    if not described:
        lead = next((c for h, c in parts.items() if c and not c.startswith("```")), "")
        if lead:
            g.add((card, DCTERMS.description, Literal(lead[:_NOTE_LIMIT])))
    # model-index results
    index = meta.get("model-index")
    n = 0
    for entry in index if isinstance(index, list) else []:
        for res in (entry or {}).get("results") or [] if isinstance(entry, dict) else []:
            if not isinstance(res, dict):
                continue
            raw_ds = res.get("dataset")
            ds_info: dict[str, Any] = raw_ds if isinstance(raw_ds, dict) else {}
            ds_id = str(ds_info.get("type") or ds_info.get("name") or "")
            for metric in res.get("metrics") or []:
                if not isinstance(metric, dict):
                    continue
                value = _number(metric.get("value"))
                name = str(metric.get("type") or metric.get("name") or "").strip()
                if value is None or not name:
                    continue
                n += 1
                ev = lake.node_iri(f"hf/{hub}/claims/{n}")
                b.new.append(ev)
                b.graph.add((ev, RDF.type, ML.ClaimedCardResult))
                b.graph.add((ev, ML.claimedResultOf, card))
                b.graph.add((ev, ML.evaluationMeasure, b.measure(name)))
                b.graph.add((ev, ML.value, value))
                if metric.get("name"):
                    b.graph.add((ev, DCTERMS.title, Literal(str(metric["name"]))))
                if ds_id and _HUB_ID.match(ds_id):
                    b.graph.add((ev, ML.claimedOnDataset, b.dataset(ds_id)))
                if ds_info.get("split"):
                    b.graph.add((ev, ML.datasetSplit,
                                 Literal(str(ds_info["split"]), datatype=XSD.string)))
    result = ImportResult(hub, card, had_front_matter=has_fm)
    if card_exists:  # a stub (named as someone's base model) gets its card now
        if len(b.graph):
            result.warnings += lake.register(b.graph).warnings
        if b.new and card in b.new:
            b.new.remove(card)
        written = lake.replace(card, g, if_match="*")
        result.warnings += written.warnings
        result.created_nodes = list(b.new)
    else:
        b.graph += g
        written = lake.register(b.graph)
        result.warnings = list(written.warnings)
        result.created_nodes = [card, *b.new]
    result.missing = sorted({str(f.path) for f in result.warnings
                             if f.focus_node == str(card) and "ImportedModelCard" in
                             f.source_shape})
    return result


def import_cards(lake: Lake, paths: Iterable[str | Path], progress: bool = True
                 ) -> list[ImportResult]:
    """Import many cards in order; a progress bar on stderr unless ``progress`` is False."""
    items = [Path(p) for p in paths]
    results: list[ImportResult] = []
    if progress:
        from rich.progress import track
        for item in track(items, description="importing model cards"):
            results.append(import_card(lake, item))
    else:
        results = [import_card(lake, item) for item in items]
    return results
