"""Import TensorFlow Hub's model documentation (the tensorflow/tfhub.dev repository).

Each page ``assets/docs/<publisher>/…/<n>.md`` starts with ``# <Kind> <publisher>/<name>/<n>``
(Module, Placeholder, Lite, Tfjs, Coral), a short description and metadata lines such as
``<!-- task: image-classification -->``; ``tags/*.yaml`` hold the vocabularies of those lines.

What becomes what:

- every model page (one version of a model) → an ``ml:ImportedModel`` with ``dcat:version``,
  ``prov:wasRevisionOf`` the previous version of the same model and ``dct:isVersionOf`` an
  ``ml:ModelLine`` node that stands for the model across its versions;
- Lite, TF.js and Coral pages → models of their own, ``ml:convertedFrom`` the model version their
  ``parent-model`` line names (their own versions are linked like any other);
- a publisher → one ``prov:Organization`` that every page of it is ``prov:wasAttributedTo``;
- task, data set, architecture, licence, language, format, fine-tunable lines → ``ml:task``
  (one shared task node per task), ``ml:trainedOn`` (one ``ml:ImportedDataset`` per data-set tag),
  ``ml:networkArchitecture``, ``dct:license`` + ``ml:declaredLicence``, ``ml:languageTag``,
  ``ml:fileFormat``, ``ml:fineTunable``;
- a collection → a ``dcat:Catalog`` whose ``dcat:resource`` are the models it links to.

A page that cannot be read or mapped is reported (path and reason) and skipped; every model is
one validated write, so nothing is half-written; a re-import leaves what is there unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral

from .errors import BadInputError, BindingError
from .importing import (
    ImportFailed,
    ImportReport,
    ensure_nodes,
    node_id,
    progress,
    spdx_licence,
    task_node,
    task_slug,
    write_record,
)
from .lake import Lake
from .namespaces import DCAT, DCTERMS, FOAF, ML, PROV, RDF, XSD
from .terms import check_iri

DOCS = Path("assets") / "docs"
# DCAT 3 terms (rdflib's DCAT namespace is DCAT 2 and closed).
DCAT_VERSION = URIRef(f"{DCAT}version")
DCAT_RESOURCE = URIRef(f"{DCAT}resource")
LANDING = "https://tfhub.dev/"
Kind = Literal["Module", "Placeholder", "Lite", "Tfjs", "Coral", "Publisher", "Collection"]
MODEL_KINDS: tuple[Kind, ...] = ("Module", "Placeholder", "Lite", "Tfjs", "Coral")
# Converted variants: the file format the page kind implies and a label for titles. tfhub.dev
# served them under <publisher>/lite-model/… and …/tfjs-model/…; Coral pages name no URL.
_VARIANTS: dict[str, tuple[str, str]] = {
    "Lite": ("tflite", "TF Lite"), "Tfjs": ("tfjs", "TF.js"),
    "Coral": ("tflite-edgetpu", "Coral Edge TPU"),
}
_MODEL_HEADING = re.compile(
    r"^# (Module|Placeholder|Lite|Tfjs|Coral) ([\w-]+)/([\w.-]+(?:/[\w.-]+)*)/(\d+)\s*$")
_PUBLISHER_HEADING = re.compile(r"^# Publisher ([\w-]+)\s*$")
_COLLECTION_HEADING = re.compile(r"^# Collection ([\w-]+)/([\w&;.-]+(?:/[\w&;.-]+)*)/(\d+)\s*$")
_METADATA = re.compile(r"^<!--(?P<key>[\w\s-]+):(?P<value>.+)-->\s*$")
_SINGLE_VALUED = frozenset({"asset-path", "parent-model", "format", "fine-tunable"})
_FENCE = re.compile(r"^\s*(```|~~~)")
_TFHUB_LINK = re.compile(r"https?://tfhub\.dev/([^\s)\"'`<>\]]+)")
_NOT_STATED = frozenset({"other"})  # "other" data set / architecture: the page names none
# Page sections that the card terms name (lower-case heading prefix -> property).
_SECTIONS = (("intended use", ML.purpose), ("uses & limitations", ML.limitations),
             ("limitations", ML.limitations), ("training", ML.trainingProcedure),
             ("evaluation", ML.evaluationDescription), ("metrics", ML.evaluationDescription))


@dataclass(frozen=True)
class Page:
    """One documentation page as written."""

    path: str  # relative to the imported directory
    kind: Kind
    publisher: str
    name: str = ""
    version: int = 0
    summary: str = ""
    metadata: dict[str, list[str]] = field(default_factory=dict)
    body: str = ""

    @property
    def handle(self) -> str:
        """The handle as the page's first line writes it (``google/spice/2``)."""
        return f"{self.publisher}/{self.name}/{self.version}"

    @property
    def group(self) -> str:
        """Which URL space the handle lives in: models and placeholders share one."""
        return "model" if self.kind in ("Module", "Placeholder") else self.kind.lower()

    def one(self, key: str) -> str | None:
        values = self.metadata.get(key)
        return values[0] if values else None


@dataclass
class TfhubImport:
    """What one import run did: the record counts, skips and warnings, and what it read."""

    report: ImportReport = field(default_factory=ImportReport)
    pages: Counter[str] = field(default_factory=Counter)  # pages read, by kind
    lines: int = 0  # model lines (models across versions) written or found
    publishers: int = 0
    datasets: int = 0
    tasks: int = 0

    def to_json(self) -> dict[str, object]:
        return {**self.report.to_json(), "pages": dict(sorted(self.pages.items())),
                "model_lines": self.lines, "publishers": self.publishers,
                "datasets": self.datasets, "tasks": self.tasks}


# -- reading ---------------------------------------------------------------------------------

def parse_page(text: str, path: str) -> Page:
    """Read one page; ImportFailed says why a page is not a page this importer understands."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFailed("the page is empty or its first line is blank")
    first = lines[0].replace("&zwnj;", "").rstrip()
    publisher_dir = Path(path).parts[2] if len(Path(path).parts) > 3 else ""
    if match := _PUBLISHER_HEADING.match(first):
        page = Page(path, "Publisher", match[1])
        if Path(path).name != f"{page.publisher}.md":
            raise ImportFailed(f"a publisher page must be {page.publisher}.md")
    elif match := _COLLECTION_HEADING.match(first):
        page = Page(path, "Collection", match[1], match[2], int(match[3]))
    elif match := _MODEL_HEADING.match(first):
        page = Page(path, match[1], match[2], match[3], int(match[4]))  # type: ignore[arg-type]
        if Path(path).stem != str(page.version):
            raise ImportFailed(f"the first line names version {page.version} but the file is "
                               f"{Path(path).name}")
    else:
        raise ImportFailed(f"the first line {first[:100]!r} is not '# <Module|Placeholder|Lite|"
                           f"Tfjs|Coral|Collection> <publisher>/<name>/<version>' or "
                           f"'# Publisher <publisher>'")
    if page.publisher != publisher_dir:
        raise ImportFailed(f"the page names publisher {page.publisher!r} but lies in the "
                           f"directory of {publisher_dir!r}")
    summary, index = _summary(lines)
    if not summary and page.kind != "Publisher":
        raise ImportFailed("no short description after the first line")
    metadata, index = _metadata(lines, index)
    for key in _SINGLE_VALUED & set(metadata):
        if len(set(metadata[key])) > 1:
            raise ImportFailed(f"'{key}' is given {len(set(metadata[key]))} different values")
    if page.kind in _VARIANTS and "parent-model" not in metadata:
        raise ImportFailed(f"a {page.kind} page needs a 'parent-model' line")
    fine_tunable = metadata.get("fine-tunable")
    if fine_tunable and fine_tunable[0].lower() not in ("true", "false"):
        raise ImportFailed(f"fine-tunable is {fine_tunable[0]!r}, not true or false")
    return Page(path, page.kind, page.publisher, page.name, page.version, summary, metadata,
                "\n".join(lines[index:]))


def _summary(lines: list[str]) -> tuple[str, int]:
    """The short description: the first paragraph after the first line (blank lines allowed)."""
    parts: list[str] = []
    index = 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines) and lines[index].strip() and not lines[index].startswith(
            ("<!--", "#", "[![")):
        parts.append(lines[index].strip())
        index += 1
    return " ".join(parts), index


def _metadata(lines: list[str], index: int) -> tuple[dict[str, list[str]], int]:
    """The metadata lines between the description and the first heading."""
    found: dict[str, list[str]] = {}
    while index < len(lines) and not lines[index].startswith("#"):
        if match := _METADATA.match(lines[index].strip()):
            values = found.setdefault(match["key"].strip().lower(), [])
            value = match["value"].strip()
            if value and value not in values:
                values.append(value)
        index += 1
    return found, index


def prose(body: str) -> str:
    """The page's text without code blocks, comments and images (for search)."""
    kept: list[str] = []
    in_code = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code or line.lstrip().startswith(("<!--", "[![", "![")):
            continue
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def sections(body: str) -> dict[str, str]:
    """Level-2 and level-3 sections of the page's text, by lower-case heading."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in prose(body).splitlines():
        if match := re.match(r"^#{2,3}\s+(.*)$", line):
            current = found.setdefault(match[1].strip().lower(), [])
        elif current is not None:
            current.append(line)
    return {k: "\n".join(v).strip() for k, v in found.items() if "\n".join(v).strip()}


@dataclass(frozen=True)
class Vocabularies:
    """The tags/*.yaml vocabularies: id -> display name."""

    tasks: dict[str, str]
    datasets: dict[str, str]
    architectures: dict[str, str]
    licences: dict[str, str]
    languages: dict[str, str]


def read_vocabularies(directory: Path, result: TfhubImport) -> Vocabularies:
    def read(name: str) -> dict[str, str]:
        path = directory / "tags" / name
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            values = data["values"] if isinstance(data, dict) else None
            if not isinstance(values, list):
                raise ValueError("no 'values' list")
            return {str(v["id"]): str(v.get("display_name") or v["id"]) for v in values}
        except FileNotFoundError:
            result.report.warnings[f"tags/{name} is missing: its tags keep their ids"] += 1
            return {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, KeyError,
                TypeError) as exc:
            result.report.skip(f"tags/{name}", f"unreadable vocabulary: {exc}")
            return {}

    return Vocabularies(read("task.yaml"), read("dataset.yaml"),
                        read("network_architecture.yaml"), read("license.yaml"),
                        read("language.yaml"))


def read_pages(directory: Path, result: TfhubImport, *, show_progress: bool = False
               ) -> list[Page]:
    """Every page under assets/docs that can be read; the others are reported and skipped."""
    docs = directory / DOCS
    if not docs.is_dir():
        raise BadInputError(f"{directory} has no {DOCS} directory: is it a copy of the "
                            f"tensorflow/tfhub.dev repository?")
    files = sorted(docs.rglob("*.md"))
    pages: list[Page] = []
    for file in progress(files, "reading TF Hub pages", total=len(files), show=show_progress):
        relative = file.relative_to(directory).as_posix()
        try:
            text = file.read_bytes().decode("utf-8")
            pages.append(parse_page(text, relative))
        except UnicodeDecodeError as exc:
            result.report.skip(relative, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        except OSError as exc:
            result.report.skip(relative, f"unreadable: {exc.strerror or exc}")
        except ImportFailed as exc:
            result.report.skip(relative, str(exc))
    return pages


# -- mapping ---------------------------------------------------------------------------------

def url_path(page: Page, *, versioned: bool = True) -> str:
    """The page's path on tfhub.dev (``google/lite-model/spice/1``), also its identity here."""
    name = f"{page.name}/{page.version}" if versioned else page.name
    if page.kind in _VARIANTS:
        return f"{page.publisher}/{page.kind.lower()}-model/{name}"
    return f"{page.publisher}/{name}"


class _Mapper:
    """Page -> graph, with the shared nodes (publishers, tasks, data sets, lines) it needs."""

    def __init__(self, lake: Lake, vocab: Vocabularies, result: TfhubImport) -> None:
        self.lake = lake
        self.vocab = vocab
        self.result = result
        self.base = lake.base_iri
        self.models: dict[tuple[str, str, str, int], URIRef] = {}  # (group, pub, name, n)
        self.lines: dict[tuple[str, str, str], URIRef] = {}
        self.latest: dict[tuple[str, str, str], URIRef] = {}  # newest version written so far
        self._present: set[URIRef] = set()

    def iri(self, prefix: str, key: str) -> URIRef:
        return self.lake.node_iri(node_id(prefix, key))

    def ensure(self, graph: Graph, node: URIRef) -> None:
        """Create a shared node unless this run or an earlier one did."""
        if node in self._present:
            return
        if not self.lake.exists(node):
            ensure_nodes(self.lake, graph)
        self._present.add(node)

    # shared nodes -------------------------------------------------------------------------
    def publisher(self, name: str, page: Page | None = None, *, update: bool = False
                  ) -> URIRef:
        node = self.iri("tfhub-publisher", name)
        if node in self._present:
            return node
        g = Graph()
        g.add((node, RDF.type, PROV.Organization))
        g.add((node, RDF.type, PROV.Agent))  # stated: the write closure knows only ml: classes
        g.add((node, FOAF.name, RdfLiteral(page.summary.rstrip(".") if page and page.summary
                                           else name)))
        g.add((node, ML.hubId, RdfLiteral(name)))
        g.add((node, ML.publishedIn, ML.TensorFlowHub))
        g.add((node, DCAT.landingPage, URIRef(LANDING + name)))
        if page is not None:
            g.add((node, ML.sourceRecord, RdfLiteral(page.path)))
            if text := prose(page.body):
                g.add((node, DCTERMS.description, RdfLiteral(text)))
            write_record(self.lake, node, g, update=update, report=self.result.report)
        else:
            self.ensure(g, node)
        self._present.add(node)
        self.result.publishers += 1
        return node

    def task(self, name: str) -> tuple[URIRef, str]:
        if name not in self.vocab.tasks and self.vocab.tasks:
            self.result.report.warnings[f"task {name!r} is not in tags/task.yaml"] += 1
        shared = task_slug(name) or "unknown"
        node, g = task_node(self.base, shared)
        if node not in self._present:
            self.ensure(g, node)
            self.result.tasks += 1
        return node, self.vocab.tasks.get(name, name)

    def dataset(self, tag: str) -> URIRef:
        node = self.iri("dataset-tfhub", tag)
        if node in self._present:
            return node
        if tag not in self.vocab.datasets and self.vocab.datasets:
            self.result.report.warnings[f"data set {tag!r} is not in tags/dataset.yaml"] += 1
        g = Graph()
        g.add((node, RDF.type, ML.ImportedDataset))
        g.add((node, DCTERMS.title, RdfLiteral(self.vocab.datasets.get(tag, tag))))
        g.add((node, ML.hubId, RdfLiteral(tag)))
        g.add((node, ML.publishedIn, ML.TensorFlowHub))
        g.add((node, ML.sourceRecord, RdfLiteral("tags/dataset.yaml")))
        self.ensure(g, node)
        self.result.datasets += 1
        return node

    def line(self, page: Page, publisher: URIRef) -> tuple[URIRef, Graph | None]:
        """The model line of a page, and its description when the lake does not hold it yet
        (then it is written with the line's first version, in the same write)."""
        key = (page.group, page.publisher, page.name)
        if key in self.lines:
            return self.lines[key], None
        path = url_path(page, versioned=False)
        node = self.iri("tfhub-line", path)
        if self.lake.exists(node):
            self.lines[key] = node
            self.result.lines += 1
            return node, None
        g = Graph()
        g.add((node, RDF.type, ML.ModelLine))
        label = _VARIANTS[page.kind][1] if page.kind in _VARIANTS else None
        g.add((node, DCTERMS.title, RdfLiteral(
            f"{page.publisher}/{page.name}" + (f" ({label})" if label else ""))))
        g.add((node, ML.hubId, RdfLiteral(f"{page.publisher}/{page.name}")))
        g.add((node, ML.publishedIn, ML.TensorFlowHub))
        g.add((node, PROV.wasAttributedTo, publisher))
        if page.kind != "Coral":
            g.add((node, DCAT.landingPage, URIRef(LANDING + path)))
        return node, g

    def written(self, page: Page, node: URIRef, line: URIRef) -> None:
        """Note a model version (and its line) the lake now holds."""
        key = (page.group, page.publisher, page.name)
        if key not in self.lines:
            self.lines[key] = line
            self.result.lines += 1
        self.models[(*key, page.version)] = node
        self.latest[key] = node

    # one model version --------------------------------------------------------------------
    def model(self, page: Page) -> tuple[URIRef, Graph, URIRef, Graph | None]:
        """A model version's description, its line, and the line's description if new."""
        publisher = self.publisher(page.publisher)
        previous = self.latest.get((page.group, page.publisher, page.name))
        node = self.iri("tfhub", url_path(page))
        g = Graph()
        variant = _VARIANTS.get(page.kind)
        g.add((node, RDF.type, ML.ImportedModel))
        g.add((node, DCTERMS.title, RdfLiteral(
            page.handle + (f" ({variant[1]})" if variant else ""))))
        g.add((node, ML.hubId, RdfLiteral(page.handle)))
        g.add((node, DCAT_VERSION, RdfLiteral(str(page.version))))
        g.add((node, ML.publishedIn, ML.TensorFlowHub))
        g.add((node, ML.sourceRecord, RdfLiteral(page.path)))
        g.add((node, PROV.wasAttributedTo, publisher))
        if page.kind != "Coral":
            g.add((node, DCAT.landingPage, URIRef(LANDING + url_path(page))))
        description = "\n\n".join(t for t in (page.summary, prose(page.body)) if t)
        g.add((node, DCTERMS.description, RdfLiteral(description)))
        if previous is not None:
            g.add((node, PROV.wasRevisionOf, previous))
        if variant is not None:
            parent = self._parent(page)
            g.add((node, ML.convertedFrom, parent))
            g.add((node, ML.fileFormat, RdfLiteral(variant[0])))
        elif fmt := page.one("format"):
            g.add((node, ML.fileFormat, RdfLiteral(fmt)))
        self._metadata(page, node, g)
        line, line_graph = self.line(page, publisher)
        g.add((node, DCTERMS.isVersionOf, line))
        return node, g, line, line_graph

    def _parent(self, page: Page) -> URIRef:
        """The model version a variant was converted from. A parent named without a version
        means, on tfhub.dev, the newest version of that model: the newest one imported."""
        written = (page.one("parent-model") or "").strip()
        match = re.fullmatch(r"([\w-]+)/(.+)/(\d+)", written)
        parent = self.models.get(("model", match[1], match[2], int(match[3]))) if match else None
        if parent is None and "/" in written:
            publisher, name = written.split("/", 1)
            parent = self.latest.get(("model", publisher, name))
            if parent is not None:
                self.result.report.warnings[
                    "parent model named without a version: linked to its newest version"] += 1
        if parent is None:
            raise ImportFailed(f"its parent model {written!r} was not imported (not in the "
                               f"corpus, or skipped)")
        return parent

    def _metadata(self, page: Page, node: URIRef, g: Graph) -> None:
        for name in page.metadata.get("task", []):
            task, label = self.task(name)
            g.add((node, ML.task, task))
            g.add((node, DCAT.keyword, RdfLiteral(label)))
        for tag in page.metadata.get("dataset", []):
            if tag.lower() not in _NOT_STATED:
                g.add((node, ML.trainedOn, self.dataset(tag)))
        for arch in page.metadata.get("network-architecture", []):
            if arch.lower() not in _NOT_STATED:
                g.add((node, ML.networkArchitecture,
                       RdfLiteral(self.vocab.architectures.get(arch, arch))))
        if tunable := page.one("fine-tunable"):
            g.add((node, ML.fineTunable, RdfLiteral(tunable.lower() == "true",
                                                    datatype=XSD.boolean)))
        for licence in page.metadata.get("license", []):
            g.add((node, ML.declaredLicence, RdfLiteral(licence)))
            if (spdx := spdx_licence(licence)) is not None:
                g.add((node, DCTERMS.license, spdx))
        for language in page.metadata.get("language", []):
            g.add((node, ML.languageTag, RdfLiteral(language)))
        asset = page.one("asset-path") or ""
        if asset.startswith(("https://", "http://")):
            try:
                g.add((node, DCAT.downloadURL, URIRef(check_iri(asset))))
            except BindingError:
                self.result.report.warnings["asset-path is not a valid IRI: left out"] += 1
        found = sections(page.body)
        for prefix, prop in _SECTIONS:
            for heading, text in found.items():
                if heading.startswith(prefix) and (node, prop, None) not in g:
                    g.add((node, prop, RdfLiteral(text)))

    # collections ---------------------------------------------------------------------------
    def collection(self, page: Page) -> tuple[URIRef, Graph]:
        publisher = self.publisher(page.publisher)
        node = self.iri("tfhub-collection", page.handle)
        g = Graph()
        g.add((node, RDF.type, DCAT.Catalog))
        g.add((node, DCTERMS.title, RdfLiteral(page.handle)))
        g.add((node, ML.hubId, RdfLiteral(page.handle)))
        g.add((node, ML.publishedIn, ML.TensorFlowHub))
        g.add((node, DCTERMS.isPartOf, ML.TensorFlowHub))
        g.add((node, ML.sourceRecord, RdfLiteral(page.path)))
        g.add((node, PROV.wasAttributedTo, publisher))
        g.add((node, DCAT.landingPage, URIRef(f"{LANDING}{page.publisher}/collections/"
                                              f"{page.name}/{page.version}")))
        description = "\n\n".join(t for t in (page.summary, prose(page.body)) if t)
        g.add((node, DCTERMS.description, RdfLiteral(description)))
        for name in page.metadata.get("task", []):
            g.add((node, DCAT.theme, self.task(name)[0]))
        unknown = 0
        for member in self.members(page.body):
            if member is None:
                unknown += 1
            else:
                g.add((node, DCAT_RESOURCE, member))
        if unknown:
            self.result.report.warnings[
                "a collection links to a model that was not imported"] += unknown
        return node, g

    def members(self, body: str) -> Iterator[URIRef | None]:
        """The models a collection links to: a version, or a model line when unversioned."""
        seen: set[str] = set()
        for match in _TFHUB_LINK.finditer(body):
            path = match[1].split("?")[0].split("#")[0].strip("/")
            if path in seen or "/collections/" in f"/{path}/" or "/" not in path:
                continue
            seen.add(path)
            publisher, rest = path.split("/", 1)
            group = "model"
            if variant := re.match(r"(lite|tfjs|coral)-model/(.+)$", rest):
                group, rest = variant[1], variant[2]
            versioned = re.fullmatch(r"(.+)/(\d+)", rest)
            if versioned and (group, publisher, versioned[1], int(versioned[2])) in self.models:
                yield self.models[(group, publisher, versioned[1], int(versioned[2]))]
            elif (group, publisher, rest) in self.lines:
                yield self.lines[(group, publisher, rest)]
            else:
                yield None


# -- the import ------------------------------------------------------------------------------

def import_tfhub(lake: Lake, directory: str | Path, *, update: bool = False,
                 show_progress: bool = False) -> TfhubImport:
    """Import a copy of the tfhub.dev repository (``assets/docs`` and ``tags``)."""
    root = Path(directory)
    result = TfhubImport()
    vocab = read_vocabularies(root, result)
    pages = read_pages(root, result, show_progress=show_progress)
    result.pages.update(p.kind for p in pages)
    mapper = _Mapper(lake, vocab, result)

    for page in (p for p in pages if p.kind == "Publisher"):
        def publisher(page: Page = page) -> None:
            mapper.publisher(page.publisher, page, update=update)
        _guarded(result, page, publisher)

    models = _in_order([p for p in pages if p.kind in MODEL_KINDS], result)
    for page in progress(models, "importing TF Hub models", total=len(models),
                         show=show_progress):
        _import_model(mapper, page, update=update)

    for page in (p for p in pages if p.kind == "Collection"):
        def write(page: Page = page) -> None:
            node, graph = mapper.collection(page)
            write_record(lake, node, graph, update=update, report=result.report)
        _guarded(result, page, write)
    return result


def _in_order(pages: list[Page], result: TfhubImport) -> list[Page]:
    """Models before the variants converted from them, each model's versions oldest first;
    a second page with the same handle is skipped."""
    seen: dict[tuple[str, str, str, int], str] = {}
    ordered: list[Page] = []
    rank = {"Module": 0, "Placeholder": 0, "Lite": 1, "Tfjs": 1, "Coral": 1}
    for page in sorted(pages, key=lambda p: (rank[p.kind], p.publisher, p.name, p.version,
                                             p.path)):
        key = (page.group, page.publisher, page.name, page.version)
        if key in seen:
            result.report.skip(page.path, f"{page.kind} {page.handle} is also documented by "
                                          f"{seen[key]}")
            continue
        seen[key] = page.path
        ordered.append(page)
    return ordered


def _import_model(mapper: _Mapper, page: Page, *, update: bool) -> None:
    def write() -> None:
        node, graph, line, line_graph = mapper.model(page)
        if line_graph is not None and not mapper.lake.exists(node):
            graph += line_graph  # a new line is written with its first version, atomically
        write_record(mapper.lake, node, graph, update=update, report=mapper.result.report)
        mapper.written(page, node, line)
    _guarded(mapper.result, page, write)


def _guarded(result: TfhubImport, page: Page, action: Callable[[], object]) -> None:
    """Run one page's writes; a page the lake refuses is reported and skipped."""
    try:
        action()
    except ImportFailed as exc:
        result.report.skip(page.path, str(exc))
    except BadInputError as exc:  # refused by the shapes or the reference check
        result.report.skip(page.path, f"refused by the lake: {exc}")


def skipped_reasons(report: ImportReport) -> Counter[str]:
    """The skip reasons with the page-specific parts (names, numbers) taken out, counted."""
    def general(reason: str) -> str:
        reason = re.sub(r"'[^']*'|\"[^\"]*\"", "…", reason)
        return re.sub(r"\b\d+\b", "N", reason)[:160]
    return Counter(general(s.reason) for s in report.skipped)
