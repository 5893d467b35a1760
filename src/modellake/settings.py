"""Settings, read from the environment (prefix MODELLAKE_) or passed in explicitly.

Nothing reads settings from a global: the app factory, the CLI and the tests build a Settings
and hand it down.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Role = Literal["reader", "writer", "officer", "admin"]


class TokenGrant(BaseModel):
    """What a bearer token may do, and the name its writes are recorded under."""

    role: Role
    name: str | None = None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MODELLAKE_", extra="ignore")

    store: Literal["embedded", "sparql"] = Field(
        "embedded", description="Which triplestore: the embedded Oxigraph or a SPARQL 1.1 server."
    )
    data_dir: Path | None = Field(
        None, description="Directory of the embedded store; None keeps it in memory."
    )
    sparql_query_url: str = Field(
        "http://127.0.0.1:3030/modellake/query", description="SPARQL 1.1 Query endpoint."
    )
    sparql_update_url: str = Field(
        "http://127.0.0.1:3030/modellake/update", description="SPARQL 1.1 Update endpoint."
    )
    sparql_gsp_url: str = Field(
        "http://127.0.0.1:3030/modellake/data", description="Graph Store Protocol endpoint."
    )
    sparql_user: str | None = Field(None, description="User for writes (HTTP basic auth).")
    sparql_password: str | None = Field(None, description="Password for writes.")
    connect_timeout_s: float = Field(5.0, gt=0, description="Time limit to reach the store.")
    query_timeout_s: float = Field(30.0, gt=0, description="Time limit of one query or update.")
    base_iri: str = Field(
        "https://w3id.org/modellake/id/",
        description="Namespace under which the lake mints the IRIs of new nodes.",
    )

    tokens: dict[str, Role | TokenGrant] = Field(
        default_factory=dict,
        description='Bearer tokens and their roles, e.g. {"s3cret": "writer"} or '
        '{"s3cret": {"role": "writer", "name": "alice"}} (env: MODELLAKE_TOKENS as JSON).',
    )
    tokens_file: Path | None = Field(
        None, description="A JSON file of more tokens, in the same form as `tokens`."
    )
    open_reads: bool = Field(
        True, description="Whether reads (GET, /sparql, named queries) need no token."
    )
    max_body_bytes: int = Field(
        5_000_000, gt=0, description="Largest request body accepted, in bytes."
    )
    ingest_dirs: list[Path] = Field(
        default_factory=list,
        description="Server directories POST /api/v1/ingest may read files from (by path); "
        "any other path is refused. Env: MODELLAKE_INGEST_DIRS as a JSON list.",
    )
    upload_dir: Path | None = Field(
        None, description="Where uploaded files are kept (default: uploads/ in data_dir, or a "
        "temporary directory for an in-memory lake).",
    )
    max_upload_bytes: int = Field(
        200_000_000, gt=0, description="Largest file accepted by POST /api/v1/ingest."
    )
    blocking_checks: list[str] = Field(
        default_factory=lambda: ["personal-data-without-legal-basis",
                                 "consent-withdrawn-after-training", "licence-conflicts",
                                 "models-without-measured-evaluation", "purpose-limitation",
                                 "annex-iv"],
        description="Compliance checks that block a move to production when they have a "
        "finding about the model (env: MODELLAKE_BLOCKING_CHECKS as a JSON list).",
    )
    catalog_title: str = Field(
        "Model Lake", min_length=1,
        description="Title of the DCAT-AP catalogue the lake exports (GET /api/v1/catalog).",
    )
    catalog_description: str = Field(
        "Metadata of the data sets and machine-learning models kept in this Model Lake: "
        "where they are, who is accountable for them and how they were made.", min_length=1,
        description="Description of the exported DCAT-AP catalogue.",
    )
    catalog_publisher: str | None = Field(
        None, description="Local id or IRI of the lake agent (with a name) that publishes the "
        "catalogue; unset, the lake service itself is named as the publisher.",
    )
    catalog_iri: str | None = Field(
        None, description="IRI of the exported catalogue (default: <base_iri>catalog).",
    )
    sparql_result_limit: int = Field(
        10_000, gt=0, description="Most solutions or triples one read-only query returns."
    )

    def token_grants(self) -> dict[str, TokenGrant]:
        """All tokens, from `tokens` and `tokens_file`, with their grants."""
        raw: dict[str, object] = dict(self.tokens)
        if self.tokens_file is not None:
            loaded = json.loads(self.tokens_file.read_text(encoding="utf-8"))
            if not isinstance(loaded, dict):
                raise ValueError(f"{self.tokens_file} must hold a JSON object of tokens")
            raw.update(loaded)
        grants: dict[str, TokenGrant] = {}
        for token, value in raw.items():
            if isinstance(value, TokenGrant):
                grants[token] = value
            elif isinstance(value, str):
                grants[token] = TokenGrant(role=value)
            else:
                grants[token] = TokenGrant.model_validate(value)
        return grants

    @classmethod
    def for_sparql_server(
        cls, dataset_url: str, user: str | None = None, password: str | None = None, **extra: object
    ) -> Settings:
        """Settings for a Fuseki-style dataset URL (…/query, …/update, …/data beneath it)."""
        base = dataset_url.rstrip("/")
        return cls(
            store="sparql",
            sparql_query_url=f"{base}/query",
            sparql_update_url=f"{base}/update",
            sparql_gsp_url=f"{base}/data",
            sparql_user=user,
            sparql_password=password,
            **extra,  # type: ignore[arg-type]
        )
