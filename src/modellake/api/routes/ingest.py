"""Ingesting a file: uploaded, or read from a directory the server is configured to read."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BaseModel, Field

from ...errors import BadInputError, ForbiddenPathError
from ...ingest import IngestResult
from ...lake import Lake, Principal
from ..deps import LakeDep, Writer
from .records import node_href

router = APIRouter(tags=["records"])
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class IngestFromPath(BaseModel):
    """Ingest a file the server can read: the path must lie in one of its ingest directories."""

    path: str = Field(description="A file path inside one of the server's ingest directories")
    owner: str = Field(description="Id or IRI of the agent accountable for the data set")
    title: str | None = Field(None, description="Title of the data set (default: file name)")
    source: str | None = Field(None, description="Id or IRI of an existing source")
    source_title: str | None = Field(None, description="Title of a new source to create")
    source_kind: str = Field("file", description="Kind of a new source: file, database, "
                                                 "stream or api")
    agent: str | None = Field(None, description="Who ran the ingestion (default: the owner)")
    purpose: str | None = Field(None, description="Why the data was collected")
    target: str | None = Field(None, description="Name of the target column, if any")
    format: str | None = Field(None, description="csv, parquet or jsonl (default: by suffix)")
    dataset_id: str | None = Field(None, description="Local id for the new data set")


class IngestResponse(BaseModel):
    dataset: str
    source: str
    ingestion: str | None
    created: bool = Field(description="False when the same content was ingested before")
    revision_of: str | None = Field(description="The previous version, for changed content")
    href: str
    warnings: list[dict[str, str | None]]


def _run(lake: Lake, path: Path, options: IngestFromPath, principal: Principal,
         location: str | None = None) -> IngestResponse:
    new_source = None
    if options.source is None and options.source_title:
        new_source = {"title": options.source_title, "kind": options.source_kind}
    result: IngestResult = lake.ingest(
        path, owner=options.owner, title=options.title, source=options.source,
        new_source=new_source, agent=options.agent, purpose=options.purpose,
        target=options.target, format=options.format, dataset_id=options.dataset_id,
        location=location, principal=principal,
    )
    return IngestResponse(
        dataset=str(result.dataset), source=str(result.source),
        ingestion=str(result.ingestion) if result.ingestion else None, created=result.created,
        revision_of=str(result.revision_of) if result.revision_of else None,
        href=node_href(lake, result.dataset, "datasets"),
        warnings=[w.to_json() for w in result.warnings],
    )


def allowed_path(lake: Lake, raw: str) -> Path:
    """The resolved path, if it is a file inside an ingest directory; else 403."""
    roots = [d.resolve() for d in lake.settings.ingest_dirs]
    path = Path(raw).resolve()
    if not any(path.is_relative_to(root) for root in roots):
        raise ForbiddenPathError(
            f"the server does not read {raw!r}: only files inside its ingest directories "
            f"(MODELLAKE_INGEST_DIRS) may be ingested by path; upload the file instead")
    if not path.is_file():
        raise BadInputError(f"no file at {raw!r} in the ingest directories")
    return path


@router.post("/ingest", status_code=201, response_model=IngestResponse,
             summary="Ingest a file from the server's ingest directories",
             responses={403: {"description": "The path is outside the ingest directories"}})
def ingest_path(
    options: IngestFromPath, lake: LakeDep, principal: Writer,
) -> IngestResponse:
    """Reads a CSV, Parquet or JSON-lines file that lies in one of the directories the server
    is configured to read (`MODELLAKE_INGEST_DIRS`), computes its meta-features and per-column
    statistics, and registers the data set, its source and the ml:Ingestion activity in one
    write. The same content from the same source is not registered twice (`created: false`);
    changed content becomes a new version (`revision_of`). Any other path is refused with `403`:
    the API never reads arbitrary files."""
    return _run(lake, allowed_path(lake, options.path), options, principal)


@router.post("/ingest/upload", status_code=201, response_model=IngestResponse,
             summary="Ingest an uploaded file",
             responses={413: {"description": "The file is over the upload limit"}})
async def ingest_upload(
    request: Request, lake: LakeDep, principal: Writer,
    file: Annotated[UploadFile, File(description="A CSV, Parquet or JSON-lines file")],
    owner: Annotated[str, Form(description="Id or IRI of the accountable agent")],
    title: Annotated[str | None, Form()] = None,
    source: Annotated[str | None, Form()] = None,
    source_title: Annotated[str | None, Form()] = None,
    source_kind: Annotated[str, Form()] = "file",
    agent: Annotated[str | None, Form()] = None,
    purpose: Annotated[str | None, Form()] = None,
    target: Annotated[str | None, Form()] = None,
    format: Annotated[str | None, Form()] = None,
    dataset_id: Annotated[str | None, Form()] = None,
) -> IngestResponse:
    """The same as `POST /api/v1/ingest`, for a file sent as multipart form data. The file is
    kept in the server's upload directory under its content hash; its location in the graph is
    `upload:<file name>`."""
    limit = lake.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        from ..deps import BodyTooLargeError

        raise BodyTooLargeError(f"the file is over the upload limit of {limit} bytes")
    name = _SAFE_NAME.sub("_", Path(file.filename or "upload").name) or "upload"
    folder = _upload_dir(lake)
    stored = folder / f"{hashlib.sha256(data).hexdigest()[:16]}-{name}"
    stored.write_bytes(data)
    options = IngestFromPath(path=str(stored), owner=owner, title=title or name, source=source,
                             source_title=source_title or (None if source else name),
                             source_kind=source_kind, agent=agent, purpose=purpose,
                             target=target, format=format, dataset_id=dataset_id)
    return _run(lake, stored, options, principal, location=f"upload:{name}")


def _upload_dir(lake: Lake) -> Path:
    settings = lake.settings
    folder = settings.upload_dir or (
        settings.data_dir / "uploads" if settings.data_dir is not None
        else Path(tempfile.gettempdir()) / "modellake-uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
