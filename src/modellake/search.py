"""Model search: free text ranked by BM25, narrowed by structured filters.

The text never reaches SPARQL: it is ranked in Python against the cached discovery index
(discovery_index.py). Each filter is one named query in ``queries/search/`` whose values are
bound by the catalogue's binder; the models that pass every filter are the candidates the text
ranks (without text, they are listed by title).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Final

from .errors import BadInputError, NotFoundError
from .namespaces import ML
from .store.base import Row

if TYPE_CHECKING:
    from .discovery_index import DiscoveryIndex
    from .lake import Lake

MAX_TEXT: Final = 500
MAX_LIMIT: Final = 100
_NAME: Final = re.compile(r"^[a-z0-9][a-z0-9 ._+()%/-]{0,99}$")
_LANGUAGE: Final = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")


@dataclass(frozen=True)
class SearchFilters:
    """Structured filters; every one given must hold."""

    task: str | None = None  # slug (image-classification) or label (image classification)
    licence: str | None = None  # SPDX id or as declared (apache-2.0, mit, openrail)
    language: str | None = None  # language tag (en, sv)
    algorithm: str | None = None  # name, label or estimator class (RandomForest, SVM)
    trained_on: str | None = None  # data set id or IRI (also finds data derived from it)
    metric: str | None = None  # measure (accuracy, f1, Top-1 accuracy (%))
    min_value: float | None = None  # … at least this value
    evaluated_on: str | None = None  # … measured on this data set (id or IRI)

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def _name(value: str, what: str) -> str:
    text = " ".join(value.split()).lower()
    if not _NAME.match(text):
        raise BadInputError(
            f"{what} {value[:60]!r} is not a valid name: use letters, digits, spaces and "
            f". _ - + ( ) % / (at most 100 characters)")
    return text


def _dataset(lake: Lake, identifier: str, what: str) -> str:
    node = lake.node_iri(identifier)
    if not lake.exists(node) or ML.Dataset not in lake.types(node):
        raise NotFoundError(f"{what}: no data set <{node}> in the lake")
    return str(node)


def _filter_models(lake: Lake, filters: SearchFilters) -> tuple[set[str] | None,
                                                                 dict[str, list[str]]]:
    """The models passing every given filter (None: no filter given) and, per model, why."""
    passing: set[str] | None = None
    reasons: dict[str, list[str]] = {}

    def keep(rows: dict[str, str]) -> None:
        nonlocal passing
        passing = set(rows) if passing is None else passing & set(rows)
        for model, reason in rows.items():
            reasons.setdefault(model, []).append(reason)

    def run(name: str, params: dict[str, object]) -> list[Row]:
        return lake.store.select(lake.catalogue.bind(f"search/{name}", params))

    if filters.task is not None:
        slug = re.sub(r"[\s_]+", "-", _name(filters.task, "task"))
        keep({str(r["model"]): f"task: {slug.replace('-', ' ')}"
              for r in run("models-by-task", {"slug": slug, "label": slug.replace("-", " ")})})
    if filters.licence is not None:
        licence = _name(filters.licence, "licence")
        keep({str(r["model"]): f"licence: {licence}"
              for r in run("models-by-licence", {"licence": licence})})
    if filters.language is not None:
        language = filters.language.strip().lower()
        if not _LANGUAGE.match(language):
            raise BadInputError(f"language {filters.language[:40]!r} is not a language tag "
                                f"such as en, sv or pt-br")
        keep({str(r["model"]): f"language: {language}"
              for r in run("models-by-language", {"language": language})})
    if filters.algorithm is not None:
        algorithm = _name(filters.algorithm, "algorithm")
        keep({str(r["model"]): f"algorithm: {algorithm}"
              for r in run("models-by-algorithm", {"algorithm": algorithm})})
    if filters.trained_on is not None:
        dataset = _dataset(lake, filters.trained_on, "trained_on")
        label = lake.local_id(dataset)
        found: dict[str, str] = {}
        for r in run("models-trained-on", {"dataset": dataset}):
            direct = str(r["trainedOn"]) == dataset
            found.setdefault(str(r["model"]), f"trained on <{label}>" if direct else
                             f"trained on data derived from <{label}>")
            if direct:
                found[str(r["model"])] = f"trained on <{label}>"
        keep(found)
    if filters.metric is not None or filters.min_value is not None:
        if filters.metric is None or filters.min_value is None:
            raise BadInputError("give both a metric and its minimum value (min_value)")
        if not math.isfinite(filters.min_value):
            raise BadInputError("min_value must be a finite number")
        measure = _name(filters.metric, "metric")
        params: dict[str, object] = {"measure": measure, "minimum": repr(filters.min_value)}
        name = "models-by-metric"
        where = ""
        if filters.evaluated_on is not None:
            params["dataset"] = _dataset(lake, filters.evaluated_on, "evaluated_on")
            name = "models-by-metric-on"
            where = f" on <{lake.local_id(str(params['dataset']))}>"
        keep({str(r["model"]): f"{measure} {float(str(r['best'])):.4g} ≥ "
              f"{filters.min_value:g}{where}" for r in run(name, params)})
    elif filters.evaluated_on is not None:
        raise BadInputError("evaluated_on needs a metric and min_value")
    return passing, reasons


def search_models(
    lake: Lake, text: str = "", filters: SearchFilters | None = None, *,
    limit: int = 10, offset: int = 0,
) -> dict[str, Any]:
    """Models ranked by ``text`` (BM25 over their titles, descriptions and card sections) among
    those passing the filters; without text, every model passing the filters, by title."""
    filters = filters or SearchFilters()
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise BadInputError(f"limit must be between 1 and {MAX_LIMIT} and offset at least 0")
    if len(text) > MAX_TEXT:
        raise BadInputError(f"the search text is longer than {MAX_TEXT} characters")
    text = " ".join(text.split())
    if not text and not filters.given():
        raise BadInputError("give search text (q) or at least one filter")
    passing, reasons = _filter_models(lake, filters)
    index = lake.discovery_index()
    candidates = sorted(index.models) if passing is None else sorted(passing)
    results: list[dict[str, Any]] = []
    if text:
        for hit in index.text.search(text, among=candidates):
            results.append(_result(lake, index, hit.key, round(hit.score, 4), hit.matches,
                                   reasons))
    else:
        def title(iri: str) -> tuple[str, str]:
            entry = index.models.get(iri)
            return ((entry.title or "") if entry else "").casefold(), iri
        for iri in sorted(candidates, key=title):
            results.append(_result(lake, index, iri, None, {}, reasons))
    return {"query": text, "filters": filters.given(), "total": len(results), "limit": limit,
            "offset": offset, "results": results[offset:offset + limit]}


def _result(lake: Lake, index: DiscoveryIndex, iri: str, score: float | None,
            matches: dict[str, list[str]], reasons: dict[str, list[str]]) -> dict[str, Any]:
    entry = index.models.get(iri)
    return {"iri": iri, "id": lake.local_id(iri), "title": entry.title if entry else None,
            "score": score, "matches": matches, "filters": reasons.get(iri, [])}
