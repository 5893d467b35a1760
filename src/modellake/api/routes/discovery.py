"""Discovery: model search, related models, similar data sets and model recommendations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ...search import SearchFilters
from ..deps import LakeDep, Reader
from .records import _resolve, raw_identifier

router = APIRouter(tags=["discovery"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such node (or not of this kind)"}}
Limit = Annotated[int, Query(ge=1, le=100, description="How many results")]


@router.get("/search", summary="Search models by text and filters",
            responses={400: {"description": "No text and no filter, or a bad filter value"},
                       404: {"description": "A data set named by a filter does not exist"}})
def search(
    lake: LakeDep, principal: Reader,
    q: Annotated[str, Query(max_length=500, description=(
        "Free text, ranked with BM25 over titles, descriptions, keywords, card sections "
        "(purpose, limitations, training data, training procedure, evaluation), hub ids, "
        "architectures, task and algorithm labels and training-data titles"))] = "",
    task: Annotated[str | None, Query(description=(
        "Task slug or label, e.g. image-classification or 'text classification'"))] = None,
    licence: Annotated[str | None, Query(description=(
        "Licence: SPDX id or as declared, e.g. apache-2.0, mit"))] = None,
    language: Annotated[str | None, Query(description="Language tag, e.g. en")] = None,
    algorithm: Annotated[str | None, Query(description=(
        "Algorithm: name, label or estimator class, e.g. RandomForest, SVM, sklearn.svm.SVC"))
        ] = None,
    trained_on: Annotated[str | None, Query(description=(
        "Data set id or IRI: models trained on it or on data derived from it"))] = None,
    metric: Annotated[str | None, Query(description=(
        "Measure, e.g. accuracy or f1 (with min_value)"))] = None,
    min_value: Annotated[float | None, Query(description="Smallest value of the metric")] = None,
    evaluated_on: Annotated[str | None, Query(description=(
        "Only evaluations of the metric on this data set (id or IRI)"))] = None,
    limit: Limit = 10,
    offset: Annotated[int, Query(ge=0, description="How many results to skip")] = 0,
) -> dict[str, Any]:
    """Models matching the text, best first, among those passing every filter given (without
    text: every model passing the filters, by title). Each result has its BM25 `score`, the
    query words found in each field (`matches`) and why it passed the filters (`filters`).
    The text is ranked in the service, never sent to the store as a query; filter values are
    bound as typed RDF terms."""
    filters = SearchFilters(task=task, licence=licence, language=language, algorithm=algorithm,
                            trained_on=trained_on, metric=metric, min_value=min_value,
                            evaluated_on=evaluated_on)
    return lake.search(q, filters, limit=limit, offset=offset)


@router.get("/models/{identifier:path}/related", summary="Models related to a model",
            responses=_NOT_FOUND)
def related(
    identifier: str, request: Request, lake: LakeDep, principal: Reader, limit: Limit = 10,
) -> dict[str, Any]:
    """Other models ranked by what they share with this one, each with its score and the
    reasons: derivation (fine-tuned, adapted, quantized, merged, distilled or converted from
    one another, revisions, a shared ancestor), the same training data or training data close
    by meta-features, the same task, network architecture (case- and spacing-insensitive) or
    algorithm, and similar names (the same network published in several registries)."""
    model = _resolve(lake, "models", raw_identifier(request, identifier))
    return lake.related_models(str(model), limit=limit)


@router.get("/datasets/{identifier:path}/similar", summary="Data sets similar by meta-features",
            responses={**_NOT_FOUND,
                       400: {"description": "The data set has no meta-features recorded"}})
def similar_datasets(
    identifier: str, request: Request, lake: LakeDep, principal: Reader, limit: Limit = 10,
) -> dict[str, Any]:
    """Data sets ranked by the distance between their meta-feature vectors (number of
    instances, attributes, missing values, classes, class entropy, mean skewness, kurtosis,
    means and standard deviations of the numeric attributes), each value log-scaled and
    min-max normalised over the lake; with the features that agree best as reasons."""
    dataset = _resolve(lake, "datasets", raw_identifier(request, identifier))
    return lake.similar_datasets(str(dataset), limit=limit)


@router.get("/datasets/{identifier:path}/recommended-models",
            summary="Models recommended for a data set", responses=_NOT_FOUND)
def recommended_models(
    identifier: str, request: Request, lake: LakeDep, principal: Reader, limit: Limit = 10,
    metric: Annotated[str, Query(description="The measure to rank by")] = "accuracy",
    datasets: Annotated[int, Query(ge=1, le=50, description=(
        "How many nearest data sets to take models from"))] = 5,
    min_similarity: Annotated[float, Query(ge=0, le=1, description=(
        "Only data sets at least this similar (1 − distance)"))] = 0.5,
) -> dict[str, Any]:
    """The paper's recommender: models trained on this data set or on data derived from it
    first, then the models trained on the data sets nearest by meta-features; among the
    models of one data set, the best evaluation of `metric` first. Each with its score (the
    similarity of its training data) and reasons."""
    dataset = _resolve(lake, "datasets", raw_identifier(request, identifier))
    return lake.recommended_models(str(dataset), metric=metric, datasets=datasets,
                                   min_similarity=min_similarity, limit=limit)
