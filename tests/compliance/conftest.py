"""An empty lake (ontology and shapes installed) on each store, for the compliance checks."""

from __future__ import annotations

import pytest

from modellake.lake import Lake
from modellake.store import Store

from .scenario import make_lake


@pytest.fixture
def lake(store: Store) -> Lake:
    return make_lake(store)
