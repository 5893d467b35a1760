"""Importing published records from other registries (a Hugging Face model card, …)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from ...errors import BadInputError
from ...hf_cards import import_card, parse_card
from ...importing import ImportReport
from ..deps import LakeDep, Writer, read_body
from .records import node_href

router = APIRouter(tags=["import"])


class ImportedRecord(BaseModel):
    model: str = Field(description="IRI of the imported model")
    href: str = Field(description="Where to GET it")
    outcome: str = Field(description="created, updated (with update=true) or unchanged")
    missing: list[str] = Field(description="What the card leaves out: the documentation "
                                           "profile's warnings for the record")


@router.post(
    "/import/hf-card", status_code=201, response_model=ImportedRecord,
    summary="Import one Hugging Face model card",
    openapi_extra={"requestBody": {"required": True, "content": {
        "text/markdown": {"schema": {"type": "string"}}}}},
    responses={400: {"description": "Not a UTF-8 card, or a bad hub id"},
               413: {"description": "Body too large"},
               422: {"description": "The card's facts are malformed (SHACL violations)"}},
)
async def import_hf_card(
    request: Request, lake: LakeDep, principal: Writer,
    hub_id: Annotated[str, Query(description="The model's id on the Hub, owner/name "
                                             "(e.g. google/flan-t5-base)")],
    update: Annotated[bool, Query(description="Replace the record if the card changed")] = False,
) -> ImportedRecord:
    """Imports a model card (README.md with YAML front matter, sent as the body): licence, data
    sets (shared nodes, `ml:trainedOn`), base model and its relation (fine-tune, adapter,
    quantized, merge), language, tags, task, library, model-index results as
    `ml:ClaimedEvaluation`s, and the card's sections (intended uses, limitations, training data,
    training procedure, evaluation). The model is an `ml:ImportedModel`: what the card leaves
    out is listed in `missing`, never invented. Re-sending the same card changes nothing."""
    body = await read_body(request)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"the card is not UTF-8 text: {exc}") from None
    card = parse_card(text, name=hub_id, hub_id=hub_id, source=f"upload:{hub_id}")
    report = ImportReport()
    model, outcome = import_card(lake, card, update=update, report=report, principal=principal)
    return ImportedRecord(model=str(model), href=node_href(lake, model, "models"),
                          outcome=outcome, missing=sorted(report.warnings))
