"""Registering a model from an uploaded ONNX file."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Response, UploadFile
from pydantic import BaseModel, Field

from ...onnx_artifact import register_onnx
from ..deps import BodyTooLargeError, LakeDep, Writer
from .records import node_href

router = APIRouter(tags=["records"])


class OnnxModelResponse(BaseModel):
    model: str = Field(description="IRI of the registered model")
    kind: str = Field(description="ml:Model, or ml:ImportedModel when facts were missing")
    outcome: str = Field(description="created, updated or unchanged")
    missing: list[str] = Field(description="What an ml:Model would also need")
    href: str
    facts: dict[str, Any] = Field(description="What the file says: hash, size, opset, IR "
                                  "version, producer, parameters, operators, inputs, outputs")
    warnings: list[dict[str, str | None]]


@router.post("/models/onnx", status_code=201, response_model=OnnxModelResponse,
             summary="Register a model from an uploaded ONNX file",
             responses={200: {"description": "The same model was registered before "
                                             "(outcome: unchanged)"},
                        400: {"description": "The file is not a valid ONNX model"},
                        413: {"description": "The file is over the upload limit"}})
async def register_onnx_upload(
    response: Response, lake: LakeDep, principal: Writer,
    file: Annotated[UploadFile, File(description="An ONNX model file (.onnx)")],
    title: Annotated[str | None, Form(description="Title (default: the graph's name)")] = None,
    model_id: Annotated[str | None, Form(description="Local id of the model")] = None,
    trained_on: Annotated[str | None, Form(description="Id of the training data set")] = None,
    administrator: Annotated[str | None, Form(description="Id of the accountable agent")]
    = None,
    algorithm: Annotated[str | None, Form(description="e.g. LogisticRegression")] = None,
    created: Annotated[str | None, Form(description="Creation date, YYYY-MM-DD")] = None,
    description: Annotated[str | None, Form()] = None,
    task: Annotated[str | None, Form(description="e.g. image-classification")] = None,
) -> OnnxModelResponse:
    """Reads the uploaded file with the `onnx` package — producer, IR and opset versions, input
    and output tensors with element types and shapes, parameters held in its initializers,
    operator counts, SHA-256 and size — and registers its model in one validated write. With
    `trained_on`, `administrator`, `algorithm` and `created` the model is an `ml:Model`;
    otherwise an `ml:ImportedModel`, and `missing` lists what an `ml:Model` would also need. A
    file that is not a valid ONNX model is refused with `400` and nothing is stored. The same
    file again with the same facts changes nothing (`200`, outcome `unchanged`)."""
    limit = lake.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise BodyTooLargeError(f"the file is over the upload limit of {limit} bytes")
    name = file.filename or "upload.onnx"
    result = register_onnx(
        lake, name, data=data, title=title, model_id=model_id, trained_on=trained_on,
        administrator=administrator, algorithm=algorithm, created=created,
        description=description, task=task, location=f"upload:{name}", principal=principal)
    if result.outcome == "unchanged":
        response.status_code = 200
    facts = result.to_json()
    return OnnxModelResponse(
        model=str(result.model), kind=result.kind, outcome=result.outcome,
        missing=result.missing, href=node_href(lake, result.model, "models"),
        facts={k: v for k, v in facts.items()
               if k not in {"model", "kind", "outcome", "missing", "warnings"}},
        warnings=[w.to_json() for w in result.warnings])
