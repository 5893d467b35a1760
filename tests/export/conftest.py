"""The demo lake, built once per session, and loaded into each store for the export tests.

Building it takes ~15 s, so it is built once on an embedded store and its quads are loaded into
the parametrised store (embedded or a real Fuseki) by each test that needs it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Dataset

from modellake.demo import build_demo_lake
from modellake.lake import Lake
from modellake.settings import Settings
from modellake.store import EmbeddedStore, Store
from modellake.system_graphs import install_system_graphs

from ..conftest import lake_on

SYSTEM_GRAPHS = "https://w3id.org/modellake/graph/"


@pytest.fixture(scope="session")
def demo_nquads(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    lake = lake_on(EmbeddedStore())
    models = build_demo_lake(lake, tmp_path_factory.mktemp("demo"), progress=False)
    assert len(models) == 20
    # N-Quads written by rdflib's serializer: term.n3() would write a multi-line literal (the
    # audit trail's snapshots) in Turtle's triple quotes, which N-Quads does not allow.
    dataset = Dataset()
    for quad in lake.store.quads():
        if not str(quad[3]).startswith(SYSTEM_GRAPHS):
            dataset.add(quad)
    return dataset.serialize(format="nquads").encode("utf-8")


@pytest.fixture
def demo_lake(store: Store, demo_nquads: bytes) -> Iterator[Lake]:
    """The demo lake on each store."""
    install_system_graphs(store)
    store.bulk_load(demo_nquads)
    yield Lake(store, Settings())
