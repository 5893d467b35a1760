"""The discovery index is cached in the Lake and rebuilt when the lake's last write changes,
including writes made through another Lake on the same store (another process)."""

from __future__ import annotations

from rdflib import Graph

from modellake.lake import Lake
from modellake.settings import Settings
from modellake.store import Store

from ..conftest import lake_on
from .conftest import IMPORTED

ZEBRA = """
@prefix ml: <https://w3id.org/modellake#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/modellake/id/hf-zebra-detector> a ml:ImportedModel ;
    dct:title "zebra detector" ; ml:hubId "someone/zebra-detector" ;
    ml:task <https://w3id.org/modellake/id/task-image-classification> .
"""


def test_the_index_is_reused_until_a_write(store: Store) -> None:
    lake = lake_on(store, IMPORTED.read_text(encoding="utf-8"))
    assert lake.search("zebra")["results"] == []
    lake.search("bert")
    assert lake.discovery_cache.builds == 1  # no write between the two searches
    lake.register(Graph().parse(data=ZEBRA, format="turtle"))
    assert [r["id"] for r in lake.search("zebra")["results"]] == ["hf-zebra-detector"]
    assert lake.discovery_cache.builds == 2
    related = lake.related_models("hf-zebra-detector")["related"]
    assert related[0]["reasons"] == ["same task: image classification"]
    lake.delete(lake.node_iri("hf-zebra-detector"))
    assert lake.search("zebra")["results"] == []
    assert lake.discovery_cache.builds == 3


def test_a_write_by_another_lake_on_the_same_store_is_seen(store: Store) -> None:
    reader = lake_on(store, IMPORTED.read_text(encoding="utf-8"))
    assert reader.search("zebra")["results"] == []
    writer = Lake(store, Settings())  # e.g. a CLI import into the Fuseki a server reads
    writer.register(Graph().parse(data=ZEBRA, format="turtle"))
    assert [r["id"] for r in reader.search("zebra")["results"]] == ["hf-zebra-detector"]
