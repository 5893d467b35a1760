"""Processing operations recorded as a pipeline runs.

::

    with record_operation(lake, "cleaning", used=[raw.dataset], agent="agent-bob",
                          purpose="Drop incomplete rows") as op:
        clean = df.dropna()
        op.generated(clean, title="Diabetes (clean)")

On a normal exit **one** write registers the operation (ml:Cleaning, ml:Integration,
ml:Transformation, ml:Reduction or ml:Processing, by ``kind``) with its inputs, outputs, agent,
start and end times, purpose and code; the output data sets (intermediate data sets, with their
meta-features and features, ``prov:wasDerivedFrom`` each input); and the code record if the lake
does not have it yet. If the block raises, nothing is registered and the exception propagates.

The code is the file that called ``record_operation`` (found by walking the stack past this
package), or the file given: its path, sha256 and, inside a git checkout, the repository (remote
``origin`` URL without credentials, else the checkout as a ``file://`` URI) and commit, read with
local ``git`` commands only (a short time limit, never the network).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Final
from typing import Literal as Kind

import pandas as pd
from rdflib import Graph, Literal, URIRef

from .errors import BadInputError
from .ingest import dataset_graph, table_from_frame
from .lake import LOCAL_USER, Lake, Principal, WriteResult
from .metafeatures import slugify
from .namespaces import DCTERMS, ML, PROV, RDF, XSD

OperationKind = Kind["integration", "cleaning", "transformation", "reduction", "processing"]
KIND_CLASSES: Final = {
    "integration": ML.Integration, "cleaning": ML.Cleaning, "transformation": ML.Transformation,
    "reduction": ML.Reduction, "processing": ML.Processing,
}
GIT_TIMEOUT_S: Final = 2.0
_PACKAGE_DIR = Path(__file__).resolve().parent
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@")


def capture_code(path: str | Path) -> dict[str, str]:
    """Where a piece of code is: ``title`` (file name), ``file_path`` (relative to the checkout
    inside a git checkout, else absolute), ``content_hash`` (sha256 of the file), and, inside a
    git checkout, ``repository`` and ``commit``. Keys as in the typed code record (``CodeIn``)."""
    file = Path(path).resolve()
    code = {"title": file.name, "file_path": str(file)}
    with contextlib.suppress(OSError):
        code["content_hash"] = "sha256:" + hashlib.sha256(file.read_bytes()).hexdigest()
    lines = _git(file.parent, "rev-parse", "--show-toplevel", "HEAD")
    if lines and len(lines) == 2:
        top, commit = Path(lines[0]), lines[1]
        if file.is_relative_to(top):
            code["file_path"] = file.relative_to(top).as_posix()
        origin = _git(top, "config", "--get", "remote.origin.url")
        code["repository"] = _USERINFO.sub(r"\1", origin[0]) if origin else top.as_uri()
        code["commit"] = commit
    return code


def code_graph(lake: Lake, code: dict[str, str]) -> tuple[URIRef, Graph]:
    """An ml:Code node for ``capture_code``'s answer; its id (``code-<file name>-<hex>``) is a
    hash of path, repository, commit and content, so the same code is recorded once."""
    keys = [code.get(k, "") for k in ("file_path", "repository", "commit", "content_hash")]
    digest = hashlib.sha256("\x1f".join(keys).encode()).hexdigest()[:10]
    node = lake.node_iri(f"code-{slugify(code.get('title', 'code'))}-{digest}")
    g = Graph()
    g.add((node, RDF.type, ML.Code))
    for key, prop in (("title", DCTERMS.title), ("file_path", ML.filePath),
                      ("commit", ML.commit), ("content_hash", ML.contentHash)):
        if code.get(key):
            g.add((node, prop, Literal(code[key])))
    if code.get("repository"):
        repository = code["repository"]
        g.add((node, ML.repository, Literal(
            repository, datatype=XSD.anyURI if "://" in repository else None)))
    return node, g


def record_operation(
    lake: Lake, kind: OperationKind, *, used: Sequence[str | URIRef], title: str | None = None,
    purpose: str | None = None, description: str | None = None, agent: str | None = None,
    owner: str | None = None, code: str | Path | None = None, principal: Principal = LOCAL_USER,
) -> OperationRecorder:
    """A context manager that records a processing operation (see the module docstring).

    ``used`` are ids or IRIs of what it reads (data sets, sources, models), all in the lake;
    ``agent`` ran it and ``owner`` owns its outputs (each defaults to the other; one is needed);
    ``code`` is the file that implements it (default: the calling file).
    """
    if kind not in KIND_CLASSES:
        raise BadInputError(f"unknown operation kind {kind!r}; use one of "
                            f"{', '.join(KIND_CLASSES)}")
    if not used:
        raise BadInputError("an operation needs its inputs: give used=[data set, …]")
    if agent is None and owner is None:
        raise BadInputError("say who runs the operation: give agent (and/or owner)")
    inputs = [lake.node_iri(str(u)) for u in used]
    missing = [str(i) for i in inputs if not lake.exists(i)]
    if missing:
        raise BadInputError(f"the operation's inputs are not in the lake: <{missing[0]}>"
                            f"{f' and {len(missing) - 1} more' if len(missing) > 1 else ''}")
    code_file = Path(code) if code is not None else _caller_file()
    return OperationRecorder(
        lake, kind, inputs, title=title or kind.capitalize(), purpose=purpose,
        description=description, agent=lake.node_iri(agent or str(owner)),
        owner=lake.node_iri(owner or str(agent)),
        code=capture_code(code_file) if code_file is not None else None, principal=principal)


class OperationRecorder:
    """Collects what an operation generates; registers everything when the block ends well."""

    def __init__(
        self, lake: Lake, kind: str, used: list[URIRef], *, title: str, purpose: str | None,
        description: str | None, agent: URIRef, owner: URIRef, code: dict[str, str] | None,
        principal: Principal,
    ) -> None:
        self.lake, self.kind, self.used, self.title = lake, kind, used, title
        self.purpose, self.description, self.agent, self.owner = purpose, description, agent, owner
        self.code, self.principal = code, principal
        name = kind if title.lower() == kind else f"{kind}-{slugify(title)}"
        self.iri = lake.node_iri(f"operation-{name}-{uuid.uuid4().hex[:8]}")
        self.outputs: list[URIRef] = []
        self.result: WriteResult | None = None
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self._graph = Graph()

    def __enter__(self) -> OperationRecorder:
        self.started_at = _now()
        return self

    def use(self, *inputs: str | URIRef) -> None:
        """Add inputs found while running (they must be in the lake by the end)."""
        self.used.extend(self.lake.node_iri(str(i)) for i in inputs)

    def generated(
        self, df: pd.DataFrame, *, title: str, location: str | None = None,
        target: str | None = None, description: str | None = None, keywords: Sequence[str] = (),
    ) -> URIRef:
        """Record an output data set (meta-features computed now); return its IRI.

        ``location`` defaults to ``memory://<operation id>/<slug of title>``: an intermediate
        data set that was not written anywhere still needs a location to be a data set."""
        table = table_from_frame(df, name=f"output {title!r}")
        key = f"{self.iri}\x1f{len(self.outputs)}\x1f{table.sha256}".encode()
        local = f"dataset-{slugify(title)}-{hashlib.sha256(key).hexdigest()[:10]}"
        dataset = self.lake.node_iri(local)
        where = location or f"memory://{self.lake.local_id(self.iri)}/{slugify(title)}"
        g = dataset_graph(self.lake, dataset, table, title=title, location=where,
                          owner=str(self.owner), target=target, description=description,
                          keywords=keywords)
        self._graph += g
        self.outputs.append(dataset)
        return dataset

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.ended_at = _now()
        if exc_type is not None:
            return  # nothing is registered; the exception propagates
        if not self.outputs:
            raise BadInputError(f"the {self.kind} operation generated nothing: call "
                                f"op.generated(frame, title=…) for each output")
        self.result = self.lake.register(self.graph(), principal=self.principal)

    def graph(self) -> Graph:
        """Everything the operation writes: itself, its outputs and (if new) its code."""
        g = Graph()
        g += self._graph
        op = self.iri
        g.add((op, RDF.type, KIND_CLASSES[self.kind]))
        g.add((op, DCTERMS.title, Literal(self.title)))
        g.add((op, PROV.wasAssociatedWith, self.agent))
        for when, prop in ((self.started_at, PROV.startedAtTime),
                           (self.ended_at, PROV.endedAtTime)):
            if when is not None:
                g.add((op, prop, Literal(when)))
        for value, prop in ((self.purpose, ML.purpose), (self.description, DCTERMS.description)):
            if value is not None:
                g.add((op, prop, Literal(value)))
        for used in dict.fromkeys(self.used):
            g.add((op, PROV.used, used))
        for output in self.outputs:
            g.add((op, PROV.generated, output))
            g.add((output, PROV.wasGeneratedBy, op))
            for used in dict.fromkeys(self.used):
                g.add((output, PROV.wasDerivedFrom, used))
        if self.code is not None:
            node, code = code_graph(self.lake, self.code)
            g.add((op, ML.implementedBy, node))
            if not self.lake.exists(node):
                g += code
        return g


def _caller_file() -> Path | None:
    """The first file on the stack outside this package (and the standard library's
    contextlib): the code that asked for the operation."""
    frame = sys._getframe(1)
    while frame is not None:
        name = Path(frame.f_code.co_filename)
        if name.is_absolute() and not name.resolve().is_relative_to(_PACKAGE_DIR) and \
                name.name != "contextlib.py":
            return name if name.is_file() else None
        frame = frame.f_back  # type: ignore[assignment]
    return None


def _git(cwd: Path, *args: str) -> list[str] | None:
    """Output lines of a local git command, or None (no git, not a checkout, time-out)."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True,
                              timeout=GIT_TIMEOUT_S, env=env, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.splitlines() if done.returncode == 0 else []
    return [ln.strip() for ln in lines if ln.strip()] or None


def _now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
