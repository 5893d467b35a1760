"""Settings, read from the environment (prefix MODELLAKE_) or passed in explicitly.

Nothing reads settings from a global: the app factory, the CLI and the tests build a Settings
and hand it down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
