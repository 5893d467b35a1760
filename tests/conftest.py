"""Shared fixtures: the two stores every contract test runs on.

The Fuseki store is a real Fuseki (the pinned jar, fuseki/start.sh) on a free loopback port with
a temporary TDB2 directory, started once per session. With CI set, failing to start it is an
error, never a skip.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from modellake.lake import Lake
from modellake.settings import Settings
from modellake.store import EmbeddedStore, RemoteStore, Store
from modellake.system_graphs import install_system_graphs

ROOT = Path(__file__).resolve().parent.parent
FUSEKI_DIR = ROOT / "fuseki"


@dataclass(frozen=True)
class FusekiServer:
    dataset_url: str
    user: str
    password: str
    run_dir: Path

    def settings(self, **extra: object) -> Settings:
        return Settings.for_sparql_server(self.dataset_url, self.user, self.password, **extra)


def lake_on(store: Store, turtle: str = "") -> Lake:
    """A lake on ``store`` with the ontology and shapes installed and ``turtle`` registered."""
    install_system_graphs(store)
    lake = Lake(store, Settings())
    if turtle:
        lake.register(Graph().parse(data=turtle, format="turtle"))
    return lake


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def fuseki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FusekiServer]:
    run_dir = tmp_path_factory.mktemp("fuseki")
    port = _free_port()
    proc = subprocess.run(
        ["bash", str(FUSEKI_DIR / "start.sh"), str(run_dir), str(port)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "FUSEKI_QUERY_TIMEOUT_MS": "20000", "FUSEKI_HEAP": "1g"},
    )
    if proc.returncode != 0:
        message = f"Fuseki could not start: {proc.stderr.strip() or proc.stdout.strip()}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    password = (run_dir / "password").read_text().strip()
    try:
        yield FusekiServer(f"http://127.0.0.1:{port}/modellake", "modellake", password, run_dir)
    finally:
        subprocess.run(["bash", str(FUSEKI_DIR / "stop.sh"), str(run_dir)], check=False)


@pytest.fixture(params=["embedded", "fuseki"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty store of each kind; the test ids say which one ran."""
    if request.param == "embedded":
        s: Store = EmbeddedStore()
    else:
        server: FusekiServer = request.getfixturevalue("fuseki")
        s = RemoteStore(server.settings())
        s.update(s.catalogue.bind("store/drop-all"))
    try:
        yield s
    finally:
        if isinstance(s, RemoteStore):
            s.update(s.catalogue.bind("store/drop-all"))
        s.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran on each store, so a run shows the Fuseki tests were not skipped."""
    for store_id in ("embedded", "fuseki"):
        counts = {}
        for outcome in ("passed", "failed", "skipped", "error"):
            reports = terminalreporter.stats.get(outcome, [])
            counts[outcome] = sum(
                1 for r in reports
                if f"[{store_id}" in getattr(r, "nodeid", "") and getattr(r, "when", "call")
                in ("call", "setup") and not (outcome == "passed" and r.when == "setup"))
        terminalreporter.write_line(
            f"tests on the {store_id} store: {counts['passed']} passed, {counts['failed']} "
            f"failed, {counts['skipped']} skipped, {counts['error']} errors")
