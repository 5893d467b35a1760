"""Comparing models side by side."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..deps import LakeDep, Reader

router = APIRouter(tags=["lineage"])


@router.get("/models/compare", summary="Compare models side by side",
            responses={400: {"description": "Fewer than two models, or too many"},
                       404: {"description": "An id is not a model of the lake"}})
def compare(
    lake: LakeDep, principal: Reader,
    ids: Annotated[str, Query(description="Comma-separated model ids or IRIs (2 to 20)")],
) -> dict[str, Any]:
    """Algorithms, estimator classes, every hyperparameter, training data sets, the
    meta-features of that data and the evaluation metrics (mean ± standard deviation) of the
    models, one row per aspect and one column per model; `differs` marks the rows where the
    models disagree."""
    names = [part.strip() for part in ids.split(",") if part.strip()]
    return lake.compare(names).to_json()
