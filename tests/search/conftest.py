"""The search fixture lake, on each store: the demo lake (built once per session on the embedded
store, then copied quad for quad into each store) plus real published records turned into
ml:ImportedModel nodes by hand (tests/data/search/imported-models.ttl), registered through the
validated write path on each store."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from modellake.demo import build_demo_lake
from modellake.lake import Lake
from modellake.settings import Settings
from modellake.store import EmbeddedStore, RemoteStore, Store

from ..conftest import FusekiServer, lake_on

DATA = Path(__file__).resolve().parents[1] / "data" / "search"
IMPORTED = DATA / "imported-models.ttl"
LABELLED = DATA / "labelled-queries.json"


def imported_records() -> Graph:
    return Graph().parse(IMPORTED, format="turtle")


@pytest.fixture(scope="session")
def demo_nquads(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    store = EmbeddedStore()
    lake = lake_on(store)
    build_demo_lake(lake, tmp_path_factory.mktemp("search-demo"), progress=False)
    dataset = Dataset()
    for quad in store.quads():
        dataset.add(quad)  # type: ignore[arg-type]
    store.close()
    with warnings.catch_warnings():  # rdflib's own N-Quads writer uses a deprecated call
        warnings.simplefilter("ignore", DeprecationWarning)
        return dataset.serialize(format="nquads").encode()


@pytest.fixture(scope="module", params=["embedded", "fuseki"])
def search_store(request: pytest.FixtureRequest, demo_nquads: bytes) -> Iterator[Store]:
    """A store holding the fixture lake, shared by the tests of one module (they only read)."""
    if request.param == "embedded":
        store: Store = EmbeddedStore()
    else:
        server: FusekiServer = request.getfixturevalue("fuseki")
        store = RemoteStore(server.settings())
        store.update(store.catalogue.bind("store/drop-all"))
    store.bulk_load(demo_nquads)
    Lake(store, Settings()).register(imported_records())
    try:
        yield store
    finally:
        if isinstance(store, RemoteStore):
            store.update(store.catalogue.bind("store/drop-all"))
        store.close()


@pytest.fixture(scope="module")
def search_lake(search_store: Store) -> Lake:
    return Lake(search_store, Settings())
