"""Triplestores behind one interface: ``open_store(settings)`` picks the one the settings name."""

from __future__ import annotations

from ..settings import Settings
from .base import Row, Store
from .embedded import EmbeddedStore
from .remote import RemoteStore


def open_store(settings: Settings) -> Store:
    if settings.store == "sparql":
        return RemoteStore(settings)
    return EmbeddedStore(settings.data_dir, query_timeout_s=settings.query_timeout_s)


__all__ = ["EmbeddedStore", "RemoteStore", "Row", "Store", "open_store"]
