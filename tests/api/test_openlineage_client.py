"""The real OpenLineage Python client, pointed at a running lake, as a pipeline would use it.

The server is the lake's app under uvicorn on a free loopback port (in a thread), on each store;
the client is configured the way its documentation says (url + api key) and posts to its own
default endpoint.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import uvicorn
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import (
    error_message_run,
    ownership_job,
    schema_dataset,
    source_code_location_job,
)
from rdflib import Graph, Literal, URIRef
from sklearn.datasets import load_wine

from modellake.api import create_app
from modellake.namespaces import DCTERMS, ML, PROV
from modellake.settings import Settings
from modellake.store import Store

from .conftest import TOKENS

PRODUCER = "https://example.org/modellake-tests"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(store: Store) -> Iterator[str]:
    """The lake served by uvicorn on 127.0.0.1; its base URL."""
    app = create_app(Settings(tokens=TOKENS), store=store)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the lake's server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


def client_for(url: str, token: str) -> OpenLineageClient:
    return OpenLineageClient(config={"transport": {
        "type": "http", "url": url, "auth": {"type": "api_key", "apiKey": token}}})


def wine_schema() -> schema_dataset.SchemaDatasetFacet:
    frame = load_wine(as_frame=True).frame
    return schema_dataset.SchemaDatasetFacet(fields=[
        schema_dataset.SchemaDatasetFacetFields(name=str(c), type=str(t))
        for c, t in frame.dtypes.items()])


def test_events_from_the_openlineage_client_show_in_the_lineage(server: str) -> None:
    client = client_for(server, "w-token")
    start = datetime(2024, 6, 3, 4, 0, tzinfo=UTC)
    job = Job(namespace="nightly", name="wine.features", facets={
        "sourceCodeLocation": source_code_location_job.SourceCodeLocationJobFacet(
            type="git", url="https://git.example.org/ml/blob/5f2e1c0/features.py",
            repoUrl="https://git.example.org/ml.git", path="features.py", version="5f2e1c0"),
        "ownership": ownership_job.OwnershipJobFacet(
            owners=[ownership_job.Owner(name="team:ml-platform")]),
    })
    raw = InputDataset(namespace="file", name="/data/wine.csv",
                       facets={"schema": wine_schema()})
    features = OutputDataset(namespace="s3://features", name="wine/v1/features.parquet")
    run_id = str(uuid.uuid4())
    for state, at in ((RunState.START, start), (RunState.RUNNING, start + timedelta(minutes=1)),
                      (RunState.COMPLETE, start + timedelta(minutes=2))):
        client.emit(RunEvent(eventType=state, eventTime=at.isoformat(), run=Run(runId=run_id),
                             job=job, inputs=[raw], outputs=[features], producer=PRODUCER))
    failed_id = str(uuid.uuid4())
    for state, at, facets in (
            (RunState.START, start + timedelta(hours=1), {}),
            (RunState.FAIL, start + timedelta(hours=1, minutes=1), {
                "errorMessage": error_message_run.ErrorMessageRunFacet(
                    message="disk full", programmingLanguage="python")})):
        client.emit(RunEvent(eventType=state, eventTime=at.isoformat(),
                             run=Run(runId=failed_id, facets=facets), job=job, inputs=[raw],
                             outputs=[features], producer=PRODUCER))

    with httpx.Client(base_url=server) as http:
        listed = http.get("/api/v1/datasets").json()["items"]
        (item,) = [i for i in listed if i["title"] == "wine/v1/features.parquet"]
        lineage = Graph().parse(data=http.get(
            f"/api/v1/datasets/{item['id']}/lineage", params={"format": "nt"}).text, format="nt")
        dataset = URIRef(item["iri"])
        (job_node,) = set(lineage.objects(dataset, PROV.wasGeneratedBy))
        (raw_node,) = set(lineage.objects(job_node, PROV.used))
        assert (job_node, DCTERMS.title, Literal("wine.features")) in lineage
        assert (raw_node, ML.lineageName, Literal("/data/wine.csv")) in lineage
        assert {str(n) for n in lineage.objects(None, ML.featureName)} == \
            set(load_wine(as_frame=True).frame.columns)
        assert (job_node, ML.implementedBy, None) in lineage
        impact = Graph().parse(data=http.get(
            f"/api/v1/datasets/{http_id(raw_node)}/impact", params={"format": "nt"}).text,
            format="nt")
        runs = {str(impact.value(r, ML.runId)): r for r in impact.subjects(ML.runOf, job_node)}
        assert impact.value(runs[run_id], ML.runState) == ML.RunCompleted
        assert impact.value(runs[failed_id], ML.runState) == ML.RunFailed
        assert str(impact.value(runs[failed_id], ML.errorMessage)) == "disk full"

        runs_of_job = http.get("/api/v1/queries/openlineage/job-runs",
                               params={"job": str(job_node), "format": "json"})
        assert runs_of_job.status_code == 200, runs_of_job.text
        table = {b["runId"]["value"]: b for b in runs_of_job.json()["results"]["bindings"]}
        assert table[run_id]["state"]["value"] == "completed"
        assert table[failed_id]["error"]["value"] == "disk full"

        status = http.post("/api/v1/lineage", json={"eventTime": "yesterday"},
                           headers={"Authorization": "Bearer w-token"})
        assert status.status_code == 422


def test_the_client_is_refused_without_a_writer_token(server: str) -> None:
    event = RunEvent(eventType=RunState.START, eventTime=datetime.now(UTC).isoformat(),
                     run=Run(runId=str(uuid.uuid4())), job=Job(namespace="n", name="j"),
                     producer=PRODUCER)
    with pytest.raises(Exception, match="403"):
        client_for(server, "r-token").emit(event)
    with pytest.raises(Exception, match="401"):
        client_for(server, "no-such-token").emit(event)


def http_id(node: URIRef) -> str:
    return str(node).rsplit("/", 1)[-1]
