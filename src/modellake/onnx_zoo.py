"""Import the ONNX Model Zoo's published metadata: the ONNX Hub manifest, the model pages and
the turnkey export records.

- Each manifest entry becomes an ml:ImportedModel (``onnx-<file stem>``) with its hash, size,
  opset, tags, input and output tensors, task, and what its model page says: description, use
  cases, training data, licence and the claimed results of the page's tables (one
  ml:ClaimedEvaluation part per table cell, on a shared ml:ImportedDataset when the page names
  one). A table row belongs to the manifest model its download link points at.
- Each turnkey record (``<Category>/<name>_Opset<N>_<author>/turnkey_stats.yaml``) is one ONNX
  export: an ml:ImportedModel with its opset, size, input shapes and operator counts, and
  ``ml:convertedFrom`` the source network (``onnx-network-…``): one ml:ImportedModel per
  (author, model name) with its class (ml:networkArchitecture), parameter count and library. The
  exports of one network at several opsets are thus conversions of one model, and siblings in
  its family; no opset export is a revision of another, since none replaces the others.

Licences: the zoo's LICENSE (Apache-2.0) covers the repository — its code, documentation and
manifest — not the models, whose licences come from their original authors. A model gets a
licence only when its page's "License" section states one; turnkey exports get none.

A record that cannot be read or mapped is skipped and reported (path and reason); the import goes
on. Each model is one validated write with its parts, so nothing is ever half-written, and a
re-import leaves what is there unchanged (``update`` replaces records that differ).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDFS

from .errors import BadInputError, ConflictError
from .importing import (
    ImportFailed,
    ImportReport,
    ensure_nodes,
    node_id,
    progress,
    slug,
    spdx_licence,
    task_node,
    task_slug,
    write_record,
)
from .lake import Lake
from .namespaces import ML, RDF, XSD
from .onnx_records import Port, add_operator_counts, add_ports

DEFAULT_DIR = Path("../shared/corpus/onnx-model-zoo")
MANIFEST = "ONNX_HUB_MANIFEST.json"
TURNKEY = "turnkey_stats.yaml"
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Data sets the model pages name, in the words they use -> (id part, title).
_DATASETS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), key, title) for pattern, key, title in (
        (r"ImageNet|ILSVRC", "imagenet", "ImageNet (ILSVRC)"),
        (r"\bCOCO\b", "coco", "COCO"),
        (r"SQuAD", "squad-v1.1", "SQuAD v1.1"),
        (r"\bMNIST\b", "mnist", "MNIST"),
        (r"(?i)pascal voc", "pascal-voc", "PASCAL VOC"),
        (r"(?i)cityscapes", "cityscapes", "Cityscapes"),
        (r"\bLFW\b", "lfw", "LFW (Labeled Faces in the Wild)"),
        (r"CFP-FF", "cfp-ff", "CFP-FF"),
        (r"CFP-FP", "cfp-fp", "CFP-FP"),
        (r"AgeDB-30", "agedb-30", "AgeDB-30"),
    ))
_NON_METRIC = {"model", "download", "download (with sample test data)", "compressed",
               "onnx version", "opset version", "dataset"}
_PROPORTIONS = {ML.Accuracy, ML.Top1Accuracy, ML.Top5Accuracy, ML.MeanAveragePrecision,
                ML.ExactMatch}
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ONNX_LINK = re.compile(r"\]\(([^)\s]+\.onnx)\)")
_PLAIN = re.compile(r"^(?P<num>\d+(?:\.\d+)?)\s*(?P<pct>%)?$")
_NAMED = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9-]*)\s+(?:of\s+)?(?P<num>\d+(?:\.\d+)?)\s*"
                    r"(?P<pct>%)?(?:\s+(?:in|on)\s+(?P<dataset>.+))?$")
_HEADING = re.compile(r"^\s*(#{1,6})\s*(.*?)\s*#*\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}")


# -- what the records say ------------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """One claimed result of a page's table: a cell, read."""

    measure: URIRef
    measure_name: str
    value: Decimal  # as written, or written per cent / 100
    dataset: str | None  # key of _DATASETS
    written: str  # "Top-1 accuracy (%): 69.93"


@dataclass
class Page:
    """What a model page says that the lake keeps."""

    path: str  # relative to the zoo directory
    title: str | None = None
    description: str | None = None
    purpose: str | None = None
    training_data: str | None = None
    licence: str | None = None
    claims: dict[str, list[Claim]] = field(default_factory=dict)  # model path -> its claims
    linked: list[str] = field(default_factory=list)  # model paths the table rows link to
    unread_cells: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ManifestModel:
    index: int
    name: str
    path: str
    opset: int
    onnx_version: str | None
    sha256: str
    size: int
    tags: tuple[str, ...]
    inputs: tuple[Port, ...]
    outputs: tuple[Port, ...]


@dataclass(frozen=True)
class TurnkeyRecord:
    path: str  # relative path of the YAML file
    model_name: str
    author: str
    network_class: str
    parameters: int
    task: str
    opset: int
    ir_version: int | None
    size_kib: float | None
    operators: dict[str, int]
    inputs: tuple[Port, ...]
    script: str | None


@dataclass
class ZooCounts:
    """What the import read and wrote, beside the created/unchanged/updated counts."""

    manifest_models: int = 0
    pages: int = 0
    pages_matched: int = 0
    claimed_evaluations: int = 0
    table_rows_without_manifest_model: int = 0
    unread_cells: int = 0
    turnkey_records: int = 0
    networks: int = 0
    conversions: int = 0
    models_with_licence: int = 0

    def to_json(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class ZooImport:
    report: ImportReport
    counts: ZooCounts

    def to_json(self) -> dict[str, object]:
        return {**self.report.to_json(), "counts": self.counts.to_json()}


# -- the import ----------------------------------------------------------------------------------

def import_onnx_zoo(lake: Lake, directory: str | Path = DEFAULT_DIR, *, update: bool = False,
                    show_progress: bool = False) -> ZooImport:
    """Import the zoo's manifest, model pages and turnkey records found in ``directory``."""
    root = Path(directory)
    if not root.is_dir():
        raise BadInputError(f"{directory}: no such directory (expected an ONNX Model Zoo "
                            f"checkout with {MANIFEST}, validated/ and turnkey records)")
    report, counts = ImportReport(), ZooCounts()
    manifest = _read_manifest(root, report)
    counts.manifest_models = len(manifest)
    pages = _read_pages(root, report, show_progress)
    counts.pages = len(pages)
    turnkey = _read_turnkey(root, report, show_progress)
    counts.turnkey_records = len(turnkey)
    known = {m.path for m in manifest}
    for page in pages.values():
        counts.table_rows_without_manifest_model += sum(p not in known for p in page.linked)
        counts.unread_cells += len(page.unread_cells)
        for cell in page.unread_cells:
            report.warnings[f"table cell not understood (not imported): {cell}"] += 1

    base = lake.base_iri
    shared = Graph()
    named = [_manifest_task(m) for m in manifest] + [task_slug(t.task) for t in turnkey]
    for task in sorted({t for t in named if t}):
        shared += task_node(base, task)[1]
    for _pattern, key, title in _DATASETS:
        if any(c.dataset == key for p in pages.values() for cs in p.claims.values() for c in cs):
            shared += _dataset_graph(lake.node_iri(f"dataset-onnx-{key}"), title)
    if len(shared):
        ensure_nodes(lake, shared)

    networks: dict[tuple[str, str], list[TurnkeyRecord]] = defaultdict(list)
    for record in turnkey:
        networks[(record.author, record.model_name)].append(record)
    total = len(manifest) + len(networks) + len(turnkey)
    items = progress(_jobs(lake, manifest, pages, networks, counts, report), "ONNX Model Zoo",
                     total=total, show=show_progress)
    failed_networks: set[URIRef] = set()
    for path, node, graph, needs in items:
        if needs is not None and needs in failed_networks:
            report.skip(path, f"its source network <{needs}> could not be imported")
            continue
        try:
            write_record(lake, node, graph, update=update, report=report)
        except (BadInputError, ConflictError, ImportFailed) as exc:
            report.skip(path, str(exc))
            if needs is None and str(node).startswith(f"{base}onnx-network-"):
                failed_networks.add(node)
    return ZooImport(report, counts)


def _jobs(lake: Lake, manifest: list[ManifestModel], pages: dict[str, Page],
          networks: dict[tuple[str, str], list[TurnkeyRecord]], counts: ZooCounts,
          report: ImportReport) -> Iterator[tuple[str, URIRef, Graph, URIRef | None]]:
    """(record path, node, graph, network it needs) for each write, in order."""
    matched: set[str] = set()
    for model in manifest:
        page = pages.get(_page_dir(model.path))
        if page is not None:
            matched.add(page.path)
        node = lake.node_iri(node_id("onnx", Path(model.path).stem))
        graph, evaluations = _manifest_graph(lake, node, model, page, report)
        counts.claimed_evaluations += evaluations
        counts.models_with_licence += bool(page and page.licence and spdx_licence(page.licence))
        yield f"{MANIFEST}#{model.index}", node, graph, None
    counts.pages_matched = len(matched)
    for (author, name), records in sorted(networks.items()):
        network = lake.node_iri(node_id("onnx-network", f"{author}/{name}"))
        counts.networks += 1
        yield records[0].path, network, _network_graph(lake, network, records, report), None
        for record in records:
            node = lake.node_iri(node_id("onnx-turnkey", Path(record.path).parent.name))
            counts.conversions += 1
            yield record.path, node, _export_graph(lake, node, network, record), network


# -- the manifest --------------------------------------------------------------------------------

def _read_manifest(root: Path, report: ImportReport) -> list[ManifestModel]:
    try:
        entries = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.skip(MANIFEST, f"cannot read the manifest: {exc}")
        return []
    if not isinstance(entries, list):
        report.skip(MANIFEST, "the manifest is not a JSON array of models")
        return []
    models = []
    for index, entry in enumerate(entries):
        try:
            models.append(_manifest_model(index, entry))
        except ImportFailed as exc:
            report.skip(f"{MANIFEST}#{index}", str(exc))
    return models


def _manifest_model(index: int, entry: object) -> ManifestModel:
    if not isinstance(entry, dict):
        raise ImportFailed("the entry is not a JSON object")
    meta = entry.get("metadata")
    if not isinstance(meta, dict):
        raise ImportFailed("the entry has no 'metadata' object")
    path = _text(entry, "model_path")
    if not path.endswith(".onnx"):
        raise ImportFailed(f"model_path {path!r} is no .onnx file")
    sha = _text(meta, "model_sha").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise ImportFailed("metadata.model_sha is not a SHA-256 hex digest")
    tags = meta.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ImportFailed("metadata.tags is not a list of strings")
    ports = meta.get("io_ports") or {}
    if not isinstance(ports, dict):
        raise ImportFailed("metadata.io_ports is not an object")
    version = entry.get("onnx_version")
    return ManifestModel(
        index=index, name=_text(entry, "model"), path=path, opset=_int(entry, "opset_version"),
        onnx_version=str(version) if isinstance(version, str | int | float) else None,
        sha256=sha, size=_int(meta, "model_bytes"), tags=tuple(t.strip() for t in tags if t),
        inputs=_manifest_ports(ports.get("inputs", [])),
        outputs=_manifest_ports(ports.get("outputs", [])))


def _manifest_ports(items: object) -> tuple[Port, ...]:
    if not isinstance(items, list):
        raise ImportFailed("io_ports inputs/outputs is not a list")
    ports = []
    for item in items:
        if not isinstance(item, dict):
            raise ImportFailed("an io port is not an object")
        shape = item.get("shape")
        # A dimension is a number, a symbolic name, or null when the exporter did not know it.
        if shape is not None and not (isinstance(shape, list) and all(
                d is None or (isinstance(d, str | int) and not isinstance(d, bool))
                for d in shape)):
            raise ImportFailed(f"io port {item.get('name')!r} has a malformed shape")
        kind = item.get("type")
        ports.append(Port(_text(item, "name"), kind if isinstance(kind, str) else None, shape))
    return tuple(ports)


def _manifest_task(model: ManifestModel) -> str | None:
    # The manifest's second tag is the zoo's category ("classification", "style transfer" …).
    return task_slug(model.tags[1]) if len(model.tags) > 1 else None


def _page_dir(model_path: str) -> str:
    """validated/vision/classification/resnet/model/x.onnx -> validated/…/resnet"""
    return posixpath.dirname(posixpath.dirname(model_path))


def _manifest_graph(lake: Lake, node: URIRef, model: ManifestModel, page: Page | None,
                    report: ImportReport) -> tuple[Graph, int]:
    g = Graph()
    g.add((node, RDF.type, ML.ImportedModel))
    g.add((node, DCTERMS.title, Literal(f"{model.name} (opset {model.opset})")))
    g.add((node, ML.hubId, Literal(model.path)))
    g.add((node, ML.publishedIn, ML.ONNXModelZoo))
    g.add((node, ML.sourceRecord, Literal(MANIFEST)))
    g.add((node, ML.contentHash, Literal(f"sha256:{model.sha256}")))
    g.add((node, DCAT.byteSize, Literal(model.size, datatype=XSD.integer)))
    g.add((node, ML.fileFormat, Literal("onnx")))
    g.add((node, ML.opsetVersion, Literal(model.opset, datatype=XSD.integer)))
    if model.onnx_version:
        g.add((node, ML.onnxVersion, Literal(model.onnx_version)))
    for tag in model.tags:
        g.add((node, DCAT.keyword, Literal(tag)))
    task = _manifest_task(model)
    if task:
        g.add((node, ML.task, task_node(lake.base_iri, task)[0]))
    add_ports(g, node, model.inputs, model.outputs)
    if page is None:
        return g, 0
    g.add((node, ML.sourceRecord, Literal(page.path)))
    for prop, text in ((ML.networkArchitecture, page.title), (DCTERMS.description,
                       page.description), (ML.purpose, page.purpose),
                       (ML.trainingDataDescription, page.training_data)):
        if text:
            g.add((node, prop, Literal(text)))
    if page.licence:
        g.add((node, ML.declaredLicence, Literal(page.licence)))
        licence = spdx_licence(page.licence)
        if licence is not None:
            g.add((node, DCTERMS.license, licence))
    seen: set[URIRef] = set()
    for claim in page.claims.get(model.path, []):
        key = f"{claim.measure_name} {claim.dataset or ''}".strip()
        part = URIRef(f"{node}/claimed/{slug(key)}")
        if part in seen:
            report.warnings[f"{page.path}: a second claim of the same measure for one model "
                            f"(kept the first)"] += 1
            continue
        seen.add(part)
        g.add((node, ML.hasEvaluation, part))
        g.add((part, RDF.type, ML.ClaimedEvaluation))
        g.add((part, ML.evaluatedModel, node))
        g.add((part, ML.evaluationMeasure, claim.measure))
        g.add((part, ML.measureName, Literal(claim.measure_name)))
        g.add((part, ML.value, Literal(claim.value, datatype=XSD.decimal)))
        g.add((part, DCTERMS.description, Literal(claim.written)))
        g.add((part, ML.sourceRecord, Literal(page.path)))
        if claim.dataset:
            g.add((part, ML.evaluatedOn, lake.node_iri(f"dataset-onnx-{claim.dataset}")))
    return g, len(seen)


def _dataset_graph(node: URIRef, title: str) -> Graph:
    g = Graph()
    g.add((node, RDF.type, ML.ImportedDataset))
    g.add((node, DCTERMS.title, Literal(title)))
    g.add((node, RDFS.label, Literal(title)))
    return g


# -- the model pages -----------------------------------------------------------------------------

def _read_pages(root: Path, report: ImportReport, show: bool) -> dict[str, Page]:
    """Model pages by the directory they describe (relative, posix)."""
    pages: dict[str, Page] = {}
    found = sorted((root / "validated").rglob("README.md")) if (root / "validated").is_dir() \
        else []
    for path in progress(found, "model pages", total=len(found), show=show):
        relative = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
            pages[posixpath.dirname(relative)] = read_page(relative, text)
        except (OSError, UnicodeDecodeError, ImportFailed) as exc:
            report.skip(relative, f"cannot read the page: {exc}")
    return pages


def read_page(relative: str, text: str) -> Page:
    """Title, sections and claimed results of one model page (markdown)."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    page = Page(relative)
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading and not line.lstrip().startswith("#!"):
            level, name = len(heading.group(1)), re.sub(r"<[^>]+>", "", heading.group(2))
            if level == 1 and page.title is None:
                page.title = name
            sections.append((name.lower(), []))
        else:
            sections[-1][1].append(line)
    if page.title is None:
        raise ImportFailed("the page has no '# title' heading")

    def section(*prefixes: str) -> str | None:
        for name, lines in sections:
            if name.startswith(prefixes):
                body = "\n".join(lines).replace("<hr>", "").strip()
                if body:
                    return body
        return None

    page.description = section("description")
    page.purpose = section("use cases", "use-cases")
    page.training_data = section("dataset")
    licence = section("license", "licence")
    if licence:
        first = _LINK.sub(r"\1", licence.splitlines()[0]).strip()
        page.licence = first or None
    context = " ".join(t for t in (section("validation", "results"), page.training_data) if t)
    page_dir = posixpath.dirname(relative)
    for header, rows in _tables(text):
        _read_table(page, page_dir, header, rows, context)
    return page


def _tables(text: str) -> Iterator[tuple[list[str], list[list[str]]]]:
    lines = text.splitlines()
    i = 0
    while i < len(lines) - 1:
        if lines[i].strip().startswith("|") and _SEPARATOR.match(lines[i + 1]):
            header = _cells(lines[i])
            rows = []
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            yield header, rows
        else:
            i += 1


def _cells(line: str) -> list[str]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") else text
    return [cell.strip() for cell in text.split("|")]


def _read_table(page: Page, page_dir: str, header: list[str], rows: list[list[str]],
                context: str) -> None:
    names = [_LINK.sub(r"\1", h).strip() for h in header]
    metrics = [i for i, n in enumerate(names) if n.lower() not in _NON_METRIC and i > 0]
    for row in rows:
        link = next((m.group(1) for cell in row for m in [_ONNX_LINK.search(cell)] if m), None)
        if link is None:
            continue  # a table of something else (data set files, results of another model)
        model_path = posixpath.normpath(posixpath.join(page_dir, link))
        claims = []
        for i in metrics:
            cell = row[i].strip() if i < len(row) else ""
            if not cell or cell.upper() in {"N/A", "-"}:
                continue
            claim = _claim(names[i], cell, context)
            if claim is None:
                page.unread_cells.append(f"{page.path}: {names[i]} = {cell!r}")
            else:
                claims.append(claim)
        page.linked.append(model_path)
        if claims:
            page.claims.setdefault(model_path, []).extend(claims)


def _claim(header: str, cell: str, context: str) -> Claim | None:
    """One cell as a claim; None when the cell is not one number with an optional name."""
    plain = _LINK.sub(r"\1", cell).strip()
    match = _PLAIN.match(plain) or _NAMED.match(plain)
    if match is None:
        return None
    groups = match.groupdict()
    name = groups.get("name") or header
    measure = _measure(name)
    value = Decimal(groups["num"])  # exact: 69.93 % is 0.6993, not 0.6992999…
    if groups.get("pct") or "%" in header or (measure in _PROPORTIONS and value > 1):
        value = value / 100  # written as a percentage
    value = Decimal(format(value.normalize(), "f"))  # 0.9140 -> 0.914, as stores write it
    if measure in _PROPORTIONS and not 0 <= value <= 1:
        return None
    dataset = None
    for text in (groups.get("dataset") or "", header, context):
        dataset = _dataset_in(text)
        if dataset:
            break
    return Claim(measure, name, value, dataset, f"{header}: {plain}")


def _measure(name: str) -> URIRef:
    key = re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()
    if "error" in key or "pixel" in key:
        return ML.OtherMeasure
    if key.startswith("top 1") and "accuracy" in key:
        return ML.Top1Accuracy
    if key.startswith("top 5") and "accuracy" in key:
        return ML.Top5Accuracy
    if key in {"map", "mean average precision"} or key.startswith("map "):
        return ML.MeanAveragePrecision
    if key in {"em", "exact match"}:
        return ML.ExactMatch
    if key.endswith("accuracy"):
        return ML.Accuracy
    return ML.OtherMeasure


def _dataset_in(text: str) -> str | None:
    """The data set the text names first, if any."""
    best: tuple[int, str] | None = None
    for pattern, key, _title in _DATASETS:
        found = pattern.search(text)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), key)
    return best[1] if best else None


# -- the turnkey records -------------------------------------------------------------------------

def _read_turnkey(root: Path, report: ImportReport, show: bool) -> list[TurnkeyRecord]:
    found = sorted(p for p in root.rglob(TURNKEY) if "validated" not in p.parts)
    records = []
    for path in progress(found, "turnkey records", total=len(found), show=show):
        relative = path.relative_to(root).as_posix()
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
            records.append(turnkey_record(relative, data))
        except (OSError, UnicodeDecodeError) as exc:
            report.skip(relative, f"cannot read the record: {exc}")
        except yaml.YAMLError as exc:
            report.skip(relative, f"not valid YAML: {_yaml_problem(exc)}")
        except ImportFailed as exc:
            report.skip(relative, str(exc))
    return records


def turnkey_record(relative: str, data: object) -> TurnkeyRecord:
    """One export record, checked: the fields the lake keeps must be there and well-typed."""
    if not isinstance(data, dict):
        raise ImportFailed("the record is not a YAML mapping")
    info = data.get("onnx_model_information")
    if not isinstance(info, dict):
        raise ImportFailed("the record has no 'onnx_model_information' mapping")
    operators = data.get("onnx_ops_counter")
    if not isinstance(operators, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in operators.items()):
        raise ImportFailed("'onnx_ops_counter' is not a mapping of operator names to counts")
    dimensions = data.get("onnx_input_dimensions") or {}
    if not isinstance(dimensions, dict) or not all(
            isinstance(d, list) and all(isinstance(x, int) and not isinstance(x, bool)
                                        for x in d) for d in dimensions.values()):
        raise ImportFailed("'onnx_input_dimensions' is not a mapping of inputs to shapes")
    size = info.get("size on disk (KiB)")
    ir_version = info.get("ir_version")
    script = data.get("builtin_model_script")
    return TurnkeyRecord(
        path=relative, model_name=_text(data, "model_name"), author=_text(data, "author"),
        network_class=_text(data, "class"), parameters=_int(data, "parameters"),
        task=_text(data, "task"), opset=_int(info, "opset"),
        ir_version=ir_version if isinstance(ir_version, int) else None,
        size_kib=float(size) if isinstance(size, int | float) and size >= 0 else None,
        operators=dict(operators),
        inputs=tuple(Port(str(name), None, shape) for name, shape in dimensions.items()),
        script=script if isinstance(script, str) and script.startswith("https://") else None)


def _network_graph(lake: Lake, node: URIRef, records: list[TurnkeyRecord],
                   report: ImportReport) -> Graph:
    first = records[0]
    if any((r.network_class, r.parameters) != (first.network_class, first.parameters)
           for r in records):
        report.warnings[f"exports of {first.author}/{first.model_name} disagree on class or "
                        f"parameters (kept the first)"] += 1
    g = Graph()
    g.add((node, RDF.type, ML.ImportedModel))
    g.add((node, DCTERMS.title, Literal(f"{first.model_name} ({first.author})")))
    g.add((node, DCTERMS.description, Literal(
        f"The {first.author} network {first.model_name} that the ONNX Model Zoo's turnkey "
        f"records export to ONNX.")))
    g.add((node, ML.publishedIn, ML.ONNXModelZoo))
    g.add((node, ML.hubId, Literal(f"{first.author}/{first.model_name}")))
    for record in records:
        g.add((node, ML.sourceRecord, Literal(record.path)))
    g.add((node, ML.networkArchitecture, Literal(first.network_class)))
    g.add((node, ML.parameterCount, Literal(first.parameters, datatype=XSD.integer)))
    g.add((node, ML.library, Literal(first.author)))
    g.add((node, DCAT.keyword, Literal(first.author)))
    if first.script:
        g.add((node, DCTERMS.source, URIRef(first.script)))
    task = task_slug(first.task)
    if task:
        g.add((node, ML.task, task_node(lake.base_iri, task)[0]))
    return g


def _export_graph(lake: Lake, node: URIRef, network: URIRef, record: TurnkeyRecord) -> Graph:
    g = Graph()
    g.add((node, RDF.type, ML.ImportedModel))
    g.add((node, DCTERMS.title, Literal(
        f"{record.model_name} ({record.author}) ONNX export, opset {record.opset}")))
    g.add((node, ML.publishedIn, ML.ONNXModelZoo))
    g.add((node, ML.hubId, Literal(posixpath.dirname(record.path))))
    g.add((node, ML.sourceRecord, Literal(record.path)))
    g.add((node, ML.convertedFrom, network))
    g.add((node, ML.fileFormat, Literal("onnx")))
    g.add((node, ML.opsetVersion, Literal(record.opset, datatype=XSD.integer)))
    if record.ir_version is not None:
        g.add((node, ML.irVersion, Literal(record.ir_version, datatype=XSD.integer)))
    if record.size_kib is not None:
        # The record gives the size in KiB with four decimals: the byte count is approximate.
        g.add((node, DCAT.byteSize, Literal(round(record.size_kib * 1024),
                                            datatype=XSD.integer)))
    g.add((node, ML.networkArchitecture, Literal(record.network_class)))
    g.add((node, ML.parameterCount, Literal(record.parameters, datatype=XSD.integer)))
    g.add((node, DCAT.keyword, Literal(record.author)))
    task = task_slug(record.task)
    if task:
        g.add((node, ML.task, task_node(lake.base_iri, task)[0]))
    add_ports(g, node, record.inputs, ())
    add_operator_counts(g, node, record.operators)
    return g


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


# -- small readers -------------------------------------------------------------------------------

def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ImportFailed(f"{key!r} is missing or not a text")
    return value.strip()


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ImportFailed(f"{key!r} is missing or not a whole number ≥ 0")
    return value


__all__ = ["DEFAULT_DIR", "Page", "ZooImport", "import_onnx_zoo", "read_page", "turnkey_record"]
