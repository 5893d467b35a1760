"""Versions of models and data sets: the version line, aliases and the diff of two versions.

A *version line* is every model (or data set) connected to another through
``prov:wasRevisionOf``; a version's label is its ``dcat:version`` (DCAT 3) or
``owl:versionInfo``. An *alias* (``ml:VersionAlias``: production, champion …) points at exactly
one version of a line; it is an ordinary lake node, so creating and moving it are recorded writes
in the audit trail (a move replaces the alias node at the revision read just before). A *diff*
lists what changed from one model to another: hyperparameters, training data, metrics and
documentation fields, each added, removed or changed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral

from .compare import Value, compare_models
from .errors import BadInputError, ConflictError, NotFoundError
from .lake import LOCAL_USER, Lake, Principal
from .metafeatures import slugify
from .namespaces import DCTERMS, ML, RDF, XSD

ALIAS_NAME: Final = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
Change = Literal["added", "removed", "changed"]
_DOCUMENTATION: Final = {
    "http://purl.org/dc/terms/title": "title",
    "http://purl.org/dc/terms/description": "description",
    "http://www.w3.org/ns/dcat#version": "version label",
    "https://w3id.org/modellake#purpose": "purpose",
    "https://w3id.org/modellake#intendedPurpose": "intended purpose",
    "https://w3id.org/modellake#limitations": "limitations",
    "https://w3id.org/modellake#trainingDataDescription": "training data description",
    "https://w3id.org/modellake#trainingProcedure": "training procedure",
    "https://w3id.org/modellake#evaluationDescription": "evaluation description",
    "http://www.w3.org/ns/dcat#keyword": "keywords",
    "http://purl.org/dc/terms/license": "licence",
    "https://w3id.org/modellake#declaredLicence": "declared licence",
    "https://w3id.org/modellake#task": "task",
    "https://w3id.org/modellake#lifecycleStage": "lifecycle stage",
    "http://www.w3.org/ns/prov#wasRevisionOf": "revision of",
    "https://w3id.org/modellake#storageLocation": "artifact location",
    "https://w3id.org/modellake#contentHash": "artifact hash",
}


@dataclass(frozen=True)
class Version:
    iri: str
    id: str
    title: str | None
    label: str | None
    created: str | None
    stage: str | None
    revision_of: list[str]
    aliases: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"iri": self.iri, "id": self.id, "title": self.title, "version": self.label,
                "created": self.created, "stage": self.stage, "revision_of": self.revision_of,
                "aliases": self.aliases}


@dataclass(frozen=True)
class AliasMove:
    alias: URIRef
    name: str
    version: URIRef
    previous: URIRef | None  # where it pointed before (None: the alias is new)
    revision: str | None  # the write's revision; None when nothing changed

    @property
    def changed(self) -> bool:
        return self.revision is not None

    def to_json(self) -> dict[str, Any]:
        return {"alias": str(self.alias), "name": self.name, "version": str(self.version),
                "previous": str(self.previous) if self.previous else None,
                "revision": self.revision, "changed": self.changed}


@dataclass(frozen=True)
class FieldChange:
    aspect: str  # hyperparameter, training data, evaluation, documentation, algorithm, model
    name: str
    change: Change
    old: Value
    new: Value

    def to_json(self) -> dict[str, Any]:
        return {"aspect": self.aspect, "name": self.name, "change": self.change,
                "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Diff:
    old: URIRef
    new: URIRef
    changes: list[FieldChange]

    def to_json(self) -> dict[str, Any]:
        counts = {kind: sum(1 for c in self.changes if c.change == kind)
                  for kind in ("added", "removed", "changed")}
        return {"old": str(self.old), "new": str(self.new), "counts": counts,
                "changes": [c.to_json() for c in self.changes]}


# -- the version line ----------------------------------------------------------------------------

def version_line(lake: Lake, node: URIRef) -> list[Version]:
    """Every version of the node's line, newest first (by creation date, then by how many
    versions precede it), each with its label, date, stage, predecessor and aliases."""
    types = lake.types(node)  # NotFoundError when there is no such node
    if not types & {ML.Model, ML.Dataset}:
        raise NotFoundError(f"<{node}> is neither a model nor a data set: it has no versions")
    rows = lake.store.select(lake.catalogue.bind("versions/line", {"node": str(node)}))
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = str(row["version"])
        item = found.setdefault(iri, {
            "title": _text(row.get("title")), "label": _text(row.get("label")),
            "created": _text(row.get("created")), "stage": _local(row.get("stage")),
            "previous": set()})
        if "previous" in row:
            item["previous"].add(str(row["previous"]))
    aliases: dict[str, list[str]] = {}
    if found:
        for row in lake.store.select(lake.catalogue.bind(
                "versions/aliases", {"versions": sorted(found)})):
            aliases.setdefault(str(row["version"]), []).append(str(row["name"]))

    def ancestors(iri: str) -> int:
        seen: set[str] = set()
        todo = [iri]
        while todo:
            for prev in found.get(todo.pop(), {}).get("previous", ()):
                if prev not in seen:
                    seen.add(prev)
                    todo.append(prev)
        return len(seen)

    order = sorted(found, key=lambda i: (found[i]["created"] or "", ancestors(i), i),
                   reverse=True)
    return [Version(iri, lake.local_id(iri), found[iri]["title"], found[iri]["label"],
                    found[iri]["created"], found[iri]["stage"], sorted(found[iri]["previous"]),
                    sorted(aliases.get(iri, []))) for iri in order]


def line_root(versions: list[Version]) -> URIRef:
    """The first version of a line: a revision of no other (the oldest, if several)."""
    roots = [v for v in versions if not v.revision_of] or versions
    return URIRef(min(roots, key=lambda v: (v.created or "", v.iri)).iri)


# -- aliases -------------------------------------------------------------------------------------

def alias_iri(lake: Lake, root: URIRef, name: str) -> URIRef:
    local = lake.local_id(root)
    slug = slugify(local, default="model", max_length=60)
    if slug != local:
        slug += "-" + hashlib.sha256(str(root).encode()).hexdigest()[:8]
    return lake.node_iri(f"alias-{slug}-{name}")


def set_alias(
    lake: Lake, model: URIRef, name: str, *, principal: Principal = LOCAL_USER,
) -> AliasMove:
    """Point the alias ``name`` of the model's line at ``model``: create it, or move it from
    the version it points at now (a replace, recorded in the audit trail). Idempotent."""
    if not ALIAS_NAME.match(name):
        raise BadInputError(f"alias {name[:60]!r}: use lower-case letters, digits and '-', "
                            f"starting with a letter (at most 40), e.g. production, champion")
    if ML.Model not in lake.types(model):
        raise NotFoundError(f"<{model}> is not a model; aliases point at model versions")
    root = line_root(version_line(lake, model))
    alias = alias_iri(lake, root, name)
    g = Graph()
    g.add((alias, RDF.type, ML.VersionAlias))
    g.add((alias, ML.aliasName, RDFLiteral(name)))
    g.add((alias, ML.aliasFor, model))
    g.add((alias, ML.modelLine, root))
    g.add((alias, DCTERMS.title, RDFLiteral(f"{name} ({lake.local_id(root)})")))
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    g.add((alias, DCTERMS.modified, RDFLiteral(now, datatype=XSD.dateTime)))
    revision = lake.revision(alias)
    if revision is None:
        result = lake.register(g, principal=principal)
        return AliasMove(alias, name, model, None, result.revision)
    current = lake.describe(alias)
    if (alias, RDF.type, ML.VersionAlias) not in current or \
            current.value(alias, ML.modelLine) not in (None, root):
        raise ConflictError(f"<{alias}> exists but is not the alias {name!r} of this line",
                            [str(alias)])
    previous = current.value(alias, ML.aliasFor)
    if previous == model:
        return AliasMove(alias, name, model, model, None)
    result = lake.replace(alias, g, if_match=revision, principal=principal)
    return AliasMove(alias, name, model, URIRef(str(previous)) if previous else None,
                     result.revision)


# -- diff ----------------------------------------------------------------------------------------

def diff(lake: Lake, old: URIRef, new: URIRef) -> Diff:
    """What changed from model ``old`` to model ``new``: added (only in new), removed (only in
    old) and changed values of hyperparameters, training data, metrics, algorithm and
    documentation fields."""
    for model in (old, new):
        if ML.Model not in lake.types(model):
            raise NotFoundError(f"<{model}> is not a model")
    if old == new:
        return Diff(old, new, [])
    comparison = compare_models(lake, [old, new])
    rows: list[tuple[str, str, Value, Value]] = [
        (r.aspect, r.name, r.values[0], r.values[1]) for r in comparison.rows
        if not (r.aspect == "model" and r.name == "title")]
    docs: dict[tuple[str, str], dict[str, set[str]]] = {}
    for row in lake.store.select(lake.catalogue.bind(
            "versions/documentation", {"models": [str(old), str(new)]})):
        name = _DOCUMENTATION.get(str(row["property"]), str(row["property"]))
        cell = docs.setdefault(("documentation", name), {str(old): set(), str(new): set()})
        value = row["value"]
        cell[str(row["model"])].add(lake.local_id(str(value)) if isinstance(value, URIRef)
                                    else str(value))
    for (aspect, name), cell in sorted(docs.items()):
        rows.append((aspect, name, _one(cell[str(old)]), _one(cell[str(new)])))
    changes = []
    for aspect, name, before, after in rows:
        if _same(before, after):
            continue
        kind: Change = "added" if before is None else "removed" if after is None else "changed"
        changes.append(FieldChange(aspect, name, kind, before, after))
    return Diff(old, new, changes)


def _one(values: set[str]) -> Value:
    if not values:
        return None
    return next(iter(values)) if len(values) == 1 else sorted(values)


def _same(a: Value, b: Value) -> bool:
    def key(v: Value) -> Any:
        return v.get("value") if isinstance(v, dict) else v
    return bool(key(a) == key(b))


def _text(term: object) -> str | None:
    return str(term) if term is not None else None


def _local(term: object) -> str | None:
    return str(term).rsplit("#", 1)[-1] if term is not None else None
