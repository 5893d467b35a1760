"""Related models, similar data sets and model recommendations, each with its reasons.

All three read the cached discovery index (discovery_index.py), so a call costs one cheap
"last write" query plus, for recommendations, one query for the candidates' evaluations.

Related models are scored by adding up what two models share (weights in ``WEIGHTS``):
derivation (one made from the other, at any depth, or both made from the same ancestor),
training data (the same data set, or data sets close by meta-features), task, network
architecture (compared case- and spacing-insensitively: "ResNet V2 50" = "resnet-v2-50" =
"ResNet50-v2"), algorithm, and name (hub ids and titles, by IDF-weighted shared words, so the
same network published in several registries is found).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from .bm25 import fold
from .discovery_index import DiscoveryIndex, ModelEntry
from .errors import BadInputError, NotFoundError
from .namespaces import ML
from .similarity import Distance, MetafeatureSpace

if TYPE_CHECKING:
    from rdflib import URIRef

    from .lake import Lake

WEIGHTS: Final[dict[str, float]] = {
    "derivation": 5.0, "ancestry": 3.0, "shared ancestor": 2.5, "training data": 4.0,
    "similar training data": 3.0, "task": 2.0, "architecture": 2.0, "algorithm": 1.0,
    "name": 3.0,
}
NAME_THRESHOLD: Final = 0.5  # share of the shorter name's (IDF-weighted) words
DATA_SIMILARITY_THRESHOLD: Final = 0.8
MAX_LIMIT: Final = 100
RELATIONS: Final[dict[str, str]] = {
    "fineTunedFrom": "fine-tuned from", "adapterOf": "an adapter of",
    "quantizedFrom": "quantized from", "mergedFrom": "merged from",
    "distilledFrom": "distilled from", "convertedFrom": "converted from",
    "wasRevisionOf": "a revision of",
}


def name_tokens(text: str) -> set[str]:
    """Words of a name, with a long word that runs into digits split ("resnet50" → resnet, 50;
    "v2" stays whole)."""
    tokens: set[str] = set()
    for word in re.findall(r"[a-z0-9]+", fold(text)):
        match = re.fullmatch(r"([a-z]{3,})([0-9]+)", word)
        tokens.update(match.groups() if match else (word,))
    return tokens


def architecture_key(text: str) -> frozenset[str]:
    return frozenset(name_tokens(text))


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInputError(f"limit must be between 1 and {MAX_LIMIT}")


def _label(index: DiscoveryIndex, iri: str, lake: Lake) -> str:
    entry = index.models.get(iri)
    if entry and entry.title:
        return entry.title
    dataset = index.datasets.get(iri)
    if dataset and dataset.title:
        return dataset.title
    for model in index.models.values():
        if iri in model.trained_on:
            return model.trained_on[iri]
    return lake.local_id(iri)


def _space(index: DiscoveryIndex) -> MetafeatureSpace:
    if "space" not in index.memo:
        index.memo["space"] = MetafeatureSpace(
            {iri: d.metafeatures for iri, d in index.datasets.items()})
    space: MetafeatureSpace = index.memo["space"]
    return space


def _require(lake: Lake, identifier: str | URIRef, cls: URIRef, what: str) -> str:
    node = lake.node_iri(str(identifier))
    if not lake.exists(node) or cls not in lake.types(node):
        raise NotFoundError(f"no {what} <{node}> in the lake")
    return str(node)


# -- similar data sets ---------------------------------------------------------------------------
def _feature_reasons(index: DiscoveryIndex, dataset: str, distance: Distance,
                     count: int = 3) -> list[str]:
    labels = index.datasets[dataset].labels
    return [f"{labels.get(d.feature, d.feature.rsplit('#', 1)[-1])}: {d.value:g} vs {d.other:g}"
            for d in distance.shared[:count]]


def similar_datasets(lake: Lake, dataset: str | URIRef, *, limit: int = 10) -> dict[str, Any]:
    """Data sets ranked by the distance of their normalised meta-feature vectors to this one."""
    _check_limit(limit)
    iri = _require(lake, dataset, ML.Dataset, "data set")
    index = lake.discovery_index()
    space = _space(index)
    if iri not in space:
        raise BadInputError(
            f"<{iri}> has no meta-features recorded (ml:hasMetafeatures); similarity needs them "
            f"— ingest the data (modellake ingest) to compute them")
    similar = [{
        "iri": other, "id": lake.local_id(other), "title": index.datasets[other].title,
        "distance": round(d.distance, 4), "similarity": round(d.similarity, 4),
        "compared": len(d.shared), "reasons": _feature_reasons(index, other, d),
    } for other, d in space.nearest(iri)[:limit]]
    return {"dataset": iri, "title": index.datasets[iri].title, "similar": similar}


# -- related models ------------------------------------------------------------------------------
@dataclass
class _Related:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def add(self, weight: float, reason: str) -> None:
        self.score += weight
        self.reasons.append(reason)


def _walk(edges: dict[str, list[tuple[str, str]]], start: str) -> dict[str, int]:
    """Nodes reachable from start along the edges, with their distance in steps."""
    seen = {start: 0}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt, _ in edges.get(node, []):
                if nxt not in seen:
                    seen[nxt] = seen[node] + 1
                    following.append(nxt)
        frontier = following
    del seen[start]
    return seen


def related_models(lake: Lake, model: str | URIRef, *, limit: int = 10) -> dict[str, Any]:
    """Other models ranked by what they share with this one, each with its reasons."""
    _check_limit(limit)
    iri = _require(lake, model, ML.Model, "model")
    index = lake.discovery_index()
    me = index.models.get(iri) or ModelEntry(iri)
    found: dict[str, _Related] = defaultdict(_Related)

    def name(node: str) -> str:
        return f"<{_label(index, node, lake)}>"

    # derivation: direct edges, further ancestors and descendants, shared ancestors
    up: dict[str, list[tuple[str, str]]] = defaultdict(list)
    down: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for edge in index.edges:
        up[edge.child].append((edge.parent, edge.relation))
        down[edge.parent].append((edge.child, edge.relation))
    for parent, relation in up.get(iri, []):
        found[parent].add(WEIGHTS["derivation"], f"this model is {RELATIONS[relation]} it")
    for child, relation in down.get(iri, []):
        found[child].add(WEIGHTS["derivation"], f"it is {RELATIONS[relation]} this model")
    ancestors, descendants = _walk(up, iri), _walk(down, iri)
    for node, steps in ancestors.items():
        if steps > 1:
            found[node].add(WEIGHTS["ancestry"], f"an ancestor of this model ({steps} steps up)")
    for node, steps in descendants.items():
        if steps > 1:
            found[node].add(WEIGHTS["ancestry"],
                            f"a descendant of this model ({steps} steps down)")
    family = {iri, *ancestors, *descendants}
    for ancestor in sorted(ancestors, key=lambda a: (ancestors[a], a)):
        for cousin in sorted(_walk(down, ancestor)):
            if cousin not in family:
                family.add(cousin)
                found[cousin].add(WEIGHTS["shared ancestor"], f"both derived from {name(ancestor)}")

    # training data: the same data set, or data sets close by meta-features
    space = _space(index)
    for other_iri, other in index.models.items():
        if other_iri == iri:
            continue
        shared = sorted(set(me.trained_on) & set(other.trained_on))
        for dataset in shared[:2]:
            found[other_iri].add(WEIGHTS["training data"], f"both trained on {name(dataset)}")
        if not shared:
            best = _closest_data(space, me.trained_on, other.trained_on)
            if best is not None and best[2].similarity >= DATA_SIMILARITY_THRESHOLD:
                mine, theirs, distance = best
                found[other_iri].add(
                    WEIGHTS["similar training data"] * distance.similarity,
                    f"trained on {name(theirs)}, close by meta-features to {name(mine)} "
                    f"(similarity {distance.similarity:.2f})")
        for task in sorted(set(me.tasks) & set(other.tasks)):
            found[other_iri].add(WEIGHTS["task"], f"same task: {me.tasks[task]}")
        mine_arch = {architecture_key(a): a for a in me.architectures}
        for arch in other.architectures:
            if architecture_key(arch) in mine_arch:
                found[other_iri].add(WEIGHTS["architecture"],
                                     f"same architecture: {mine_arch[architecture_key(arch)]}")
                break
        shared_algorithms = sorted(set(me.fields.get("algorithm", []))
                                   & set(other.fields.get("algorithm", [])))
        if shared_algorithms:
            found[other_iri].add(WEIGHTS["algorithm"], f"same algorithm: {shared_algorithms[0]}")
    _name_similarity(index, me, found)

    ranked = sorted(((k, v) for k, v in found.items() if k != iri and v.score > 0),
                    key=lambda kv: (-kv[1].score, kv[0]))
    return {"model": iri, "title": me.title, "related": [{
        "iri": k, "id": lake.local_id(k), "title": _label(index, k, lake),
        "score": round(v.score, 4), "reasons": v.reasons} for k, v in ranked[:limit]]}


def _closest_data(space: MetafeatureSpace, mine: Iterable[str], theirs: Iterable[str]
                  ) -> tuple[str, str, Distance] | None:
    best: tuple[str, str, Distance] | None = None
    for a in mine:
        for b in theirs:
            d = space.distance(a, b) if a != b else None
            if d is not None and (best is None or d.distance < best[2].distance):
                best = (a, b, d)
    return best


def _names(entry: ModelEntry) -> set[str]:
    tokens: set[str] = set()
    for text in [*entry.hub_ids, *entry.fields.get("title", [])]:
        tokens |= name_tokens(text)
    return tokens


def _name_table(index: DiscoveryIndex) -> tuple[dict[str, set[str]], dict[str, float]]:
    """Every model's name words and each word's IDF (computed once per index)."""
    if "names" not in index.memo:
        names = {iri: _names(m) for iri, m in index.models.items()}
        df: dict[str, int] = defaultdict(int)
        for tokens in names.values():
            for token in tokens:
                df[token] += 1
        index.memo["names"] = (names, {t: math.log(1 + len(names) / n) for t, n in df.items()})
    table: tuple[dict[str, set[str]], dict[str, float]] = index.memo["names"]
    return table


def _name_similarity(index: DiscoveryIndex, me: ModelEntry, found: dict[str, _Related]) -> None:
    names, idfs = _name_table(index)
    mine = names.get(me.iri) or _names(me)
    if not mine:
        return

    def idf(token: str) -> float:
        return idfs.get(token, math.log(1 + len(names)))

    my_weight = sum(idf(t) for t in mine)
    for other, tokens in names.items():
        if other == me.iri or not tokens:
            continue
        shared = mine & tokens
        if not shared:
            continue
        similarity = sum(idf(t) for t in shared) / min(my_weight, sum(idf(t) for t in tokens))
        if similarity >= NAME_THRESHOLD:
            entry = index.models[other]
            label = (entry.hub_ids or [entry.title or other])[0]
            found[other].add(WEIGHTS["name"] * similarity,
                             f"similar name: {label} (shared words: {', '.join(sorted(shared))})")


# -- recommendations -----------------------------------------------------------------------------
def recommended_models(
    lake: Lake, dataset: str | URIRef, *, metric: str = "accuracy", datasets: int = 5,
    min_similarity: float = 0.5, limit: int = 10,
) -> dict[str, Any]:
    """Models for this data set, the paper's way: the data sets nearest by meta-features (this
    one first), then the models trained on them, nearest data first and, among the models of
    one data set, the best evaluation of ``metric`` first."""
    _check_limit(limit)
    if not 1 <= datasets <= 50:
        raise BadInputError("datasets must be between 1 and 50")
    if not 0.0 <= min_similarity <= 1.0:
        raise BadInputError("min_similarity must be between 0 and 1")
    measure = " ".join(metric.split()).lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9 ._()%-]{0,99}", measure):
        raise BadInputError(f"metric {metric[:60]!r} is not a valid measure name")
    iri = _require(lake, dataset, ML.Dataset, "data set")
    index = lake.discovery_index()
    space = _space(index)
    picks: dict[str, tuple[int, float, str, str]] = {}  # model → (rank, similarity, data, why)
    # Models trained on this data set or on data derived from it (its cleaned, transformed …
    # versions) come first, whatever their meta-features.
    lineage = lake.store.select(lake.catalogue.bind("search/models-trained-on", {"dataset": iri}))
    for r in sorted(lineage, key=lambda r: (str(r["trainedOn"]) != iri, str(r["model"]))):
        data = str(r["trainedOn"])
        picks.setdefault(str(r["model"]), (0, 1.0, data, "trained on this data set" if data == iri
                         else f"trained on <{_label(index, data, lake)}>, derived from this "
                         f"data set"))
    neighbours: list[tuple[str, float, str]] = [(iri, 1.0, "this data set")]
    if iri in space:
        for other, d in space.nearest(iri)[:datasets]:
            if d.similarity >= min_similarity:
                neighbours.append((other, d.similarity, (
                    f"trained on <{_label(index, other, lake)}>, close by meta-features to this "
                    f"data set (similarity {d.similarity:.2f}; "
                    f"{'; '.join(_feature_reasons(index, other, d, 2))})")))
    trained: dict[str, list[str]] = defaultdict(list)
    for model_iri, entry in index.models.items():
        for data in entry.trained_on:
            trained[data].append(model_iri)
    for rank, (data, similarity, why) in enumerate(neighbours[1:], start=1):
        for model_iri in sorted(trained.get(data, [])):
            picks.setdefault(model_iri, (rank, similarity, data, why))
    scores = _evaluations(lake, sorted(picks), measure)
    items = []
    for model_iri, (rank, similarity, data, why) in picks.items():
        value = scores.get(model_iri, {}).get(data) or scores.get(model_iri, {}).get("")
        reasons = [why]
        if value is not None:
            reasons.append(f"{measure} {value[0]:.4g} ({value[1]})")
        items.append({"iri": model_iri, "id": lake.local_id(model_iri),
                      "title": _label(index, model_iri, lake), "score": round(similarity, 4),
                      "trained_on": data, measure: value[0] if value else None,
                      "reasons": reasons, "_rank": (rank, -(value[0] if value else -math.inf))})
    items.sort(key=lambda i: (i["_rank"], i["iri"]))
    for item in items:
        del item["_rank"]
    return {"dataset": iri, "title": _label(index, iri, lake), "metric": measure,
            "has_metafeatures": iri in space,
            "datasets": [{"iri": d, "id": lake.local_id(d), "similarity": round(s, 4)}
                         for d, s, _ in neighbours],
            "recommended": items[:limit]}


def _evaluations(lake: Lake, models: list[str], measure: str
                 ) -> dict[str, dict[str, tuple[float, str]]]:
    """Per model and data set evaluated on ("" for any), the value of the measure: measured
    before claimed, then the latest."""
    if not models:
        return {}
    rows = lake.store.select(lake.catalogue.bind("compare/evaluations", {"models": models}))
    best: dict[str, dict[str, tuple[tuple[bool, str], float, str]]] = defaultdict(dict)
    for r in rows:
        names = {str(r["measure"]).rsplit("#", 1)[-1].lower(), str(r.get("label") or "").lower()}
        if measure not in names:
            continue
        try:
            value = float(str(r["value"]))
        except ValueError:
            continue
        measured = str(r.get("measured")).lower() == "true"
        rank = (measured, str(r.get("at") or ""))
        how = "measured" if measured else "claimed"
        on = str(r.get("dataset") or "")
        for key in {on, ""}:
            current = best[str(r["model"])].get(key)
            if current is None or rank > current[0]:
                best[str(r["model"])][key] = (rank, value, how)
    return {m: {k: (v, how) for k, (_, v, how) in per.items()} for m, per in best.items()}
