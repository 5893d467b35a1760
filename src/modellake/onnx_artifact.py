"""Register a model from an ONNX file: what the file itself says, read with the ``onnx`` package.

The file gives the producer, the ONNX IR and opset versions, the input and output tensors with
their element types and shapes, the parameters held in its initializers, how often its graph
uses each operator, and its SHA-256 and size. It does not say what the model was trained on,
who is accountable for it, which algorithm it uses or when it was made: when the user gives all
four the model is registered as an ml:Model, like any model recorded in the lake; otherwise as an
ml:ImportedModel, and each missing fact is named in the result (and warned about by the
documentation profile). Nothing is invented.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from .errors import BadInputError
from .importing import Outcome, ensure_nodes, node_id, task_node, task_slug
from .lake import LOCAL_USER, Lake, Principal
from .namespaces import ML, RDF, XSD
from .onnx_records import Port, add_operator_counts, add_ports
from .validation import Finding

_DEFAULT_DOMAINS = {"", "ai.onnx"}


@dataclass(frozen=True)
class OnnxFacts:
    """What an ONNX file says about its model."""

    sha256: str
    size: int
    ir_version: int
    opset: int | None
    producer: str | None
    graph_name: str | None
    inputs: tuple[Port, ...]
    outputs: tuple[Port, ...]
    parameters: int
    operators: dict[str, int]
    doc: str | None = None


@dataclass
class OnnxRegistration:
    model: URIRef
    kind: str  # "ml:Model" or "ml:ImportedModel"
    outcome: Outcome
    facts: OnnxFacts
    missing: list[str] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": str(self.model), "kind": self.kind, "outcome": self.outcome,
            "missing": self.missing, "sha256": self.facts.sha256, "size": self.facts.size,
            "opset": self.facts.opset, "ir_version": self.facts.ir_version,
            "producer": self.facts.producer, "parameters": self.facts.parameters,
            "operators": self.facts.operators,
            "inputs": [_port_json(p) for p in self.facts.inputs],
            "outputs": [_port_json(p) for p in self.facts.outputs],
            "warnings": [w.to_json() for w in self.warnings],
        }


def read_onnx(data: bytes) -> OnnxFacts:
    """The facts of an ONNX model file; BadInputError when the bytes are not one."""
    import onnx
    from google.protobuf.message import DecodeError

    try:
        model = onnx.load_model_from_string(data)
        onnx.checker.check_model(model)
    except (DecodeError, onnx.checker.ValidationError, ValueError, RuntimeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BadInputError(f"not a valid ONNX model file: {first[:300]}") from None
    if not model.HasField("graph") or not model.opset_import:
        raise BadInputError("not a valid ONNX model file: it has no graph or no operator set")
    graph = model.graph
    initialised = {t.name for t in graph.initializer}
    opset = next((o.version for o in model.opset_import if o.domain in _DEFAULT_DOMAINS), None)
    producer = " ".join(p for p in (model.producer_name, model.producer_version) if p) or None
    operators = Counter(
        n.op_type if n.domain in _DEFAULT_DOMAINS else f"{n.domain}:{n.op_type}"
        for n in graph.node)
    # Weights are the floating-point initializers; integer ones hold shapes, axes, indices.
    weights = {onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE, onnx.TensorProto.FLOAT16,
               onnx.TensorProto.BFLOAT16}
    parameters = sum(math.prod(t.dims) for t in graph.initializer if t.data_type in weights)
    return OnnxFacts(
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), ir_version=model.ir_version,
        opset=opset, producer=producer, graph_name=graph.name or None,
        inputs=tuple(_port(v) for v in graph.input if v.name not in initialised),
        outputs=tuple(_port(v) for v in graph.output), parameters=parameters,
        operators=dict(operators), doc=model.doc_string or graph.doc_string or None)


def register_onnx(
    lake: Lake, path: str | Path, *, data: bytes | None = None, title: str | None = None,
    model_id: str | None = None, trained_on: str | None = None,
    administrator: str | None = None, algorithm: str | None = None,
    created: date | str | None = None, description: str | None = None,
    task: str | None = None, location: str | None = None, principal: Principal = LOCAL_USER,
) -> OnnxRegistration:
    """Read an ONNX file and register its model (one validated write; again: unchanged)."""
    source = Path(path)
    if data is None:
        if not source.is_file():
            raise BadInputError(f"{path}: no such file")
        data = source.read_bytes()
    facts = read_onnx(data)
    node = lake.node_iri(model_id or node_id("onnx-file", f"{source.stem}-{facts.sha256[:12]}"))
    given = {"training data (--trained-on)": trained_on,
             "administrator (--administrator)": administrator,
             "algorithm (--algorithm)": algorithm, "creation date (--created)": created}
    missing = [name for name, value in given.items() if not value]
    kind = ML.ImportedModel if missing else ML.Model

    g = Graph()
    g.add((node, RDF.type, kind))
    g.add((node, DCTERMS.title, Literal(title or facts.graph_name or source.stem)))
    if description or facts.doc:
        g.add((node, DCTERMS.description, Literal(description or facts.doc)))
    g.add((node, ML.contentHash, Literal(f"sha256:{facts.sha256}")))
    g.add((node, DCAT.byteSize, Literal(facts.size, datatype=XSD.integer)))
    g.add((node, ML.fileFormat, Literal("onnx")))
    g.add((node, ML.filePath, Literal(source.name)))
    g.add((node, ML.storageLocation, Literal(location or str(source))))
    g.add((node, ML.irVersion, Literal(facts.ir_version, datatype=XSD.integer)))
    if facts.opset is not None:
        g.add((node, ML.opsetVersion, Literal(facts.opset, datatype=XSD.integer)))
    if facts.producer:
        g.add((node, ML.producer, Literal(facts.producer)))
    if facts.parameters:
        g.add((node, ML.parameterCount, Literal(facts.parameters, datatype=XSD.integer)))
    if trained_on:
        g.add((node, ML.trainedOn, lake.node_iri(trained_on)))
    if administrator:
        g.add((node, ML.administrator, lake.node_iri(administrator)))
    if algorithm:
        g.add((node, ML.usesAlgorithm, _algorithm(algorithm)))
    if created:
        g.add((node, DCTERMS.created, _date(created)))
    slug_ = task_slug(task)
    if slug_:
        task_iri, task_graph = task_node(lake.base_iri, slug_)
        ensure_nodes(lake, task_graph)
        g.add((node, ML.task, task_iri))
    add_ports(g, node, facts.inputs, facts.outputs)
    add_operator_counts(g, node, facts.operators)

    # The same id again: unchanged if the description is the same, replaced if it differs.
    outcome: Outcome
    warnings: list[Finding] = []
    if lake.exists(node) and lake.same_description(node, g):
        outcome = "unchanged"
    elif lake.exists(node):
        warnings = lake.replace(node, g, if_match="*", principal=principal).warnings
        outcome = "updated"
    else:
        warnings = lake.register(g, principal=principal).warnings
        outcome = "created"
    return OnnxRegistration(node, "ml:ImportedModel" if missing else "ml:Model", outcome,
                            facts, missing, warnings)


def _algorithm(name: str) -> URIRef:
    """An algorithm of the ontology by local name or label ("LogisticRegression", "random
    forest"), or a whole IRI."""
    from pydantic import TypeAdapter, ValidationError

    from .typed_records import Algorithm

    try:
        return URIRef(TypeAdapter(Algorithm).validate_python(name))
    except ValidationError as exc:
        raise BadInputError(str(exc.errors()[0]["msg"]).removeprefix("Value error, ")) from None


def _date(value: date | str) -> Literal:
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    try:
        date.fromisoformat(text)
    except ValueError:
        raise BadInputError(f"created {text!r} is not a date (YYYY-MM-DD)") from None
    return Literal(text, datatype=XSD.date)


def _port(value: Any) -> Port:
    kind = value.type
    return Port(value.name, _type_name(kind), _shape(kind))


def _type_name(kind: Any) -> str | None:
    """ONNX's own notation: tensor(float), seq(map(int64,tensor(float))) …"""
    from onnx import TensorProto

    which = kind.WhichOneof("value")
    if which == "tensor_type":
        return f"tensor({TensorProto.DataType.Name(kind.tensor_type.elem_type).lower()})"
    if which == "sequence_type":
        return f"seq({_type_name(kind.sequence_type.elem_type)})"
    if which == "map_type":
        key = TensorProto.DataType.Name(kind.map_type.key_type).lower()
        return f"map({key},{_type_name(kind.map_type.value_type)})"
    return str(which) if which else None


def _shape(kind: Any) -> list[int | str | None] | None:
    if kind.WhichOneof("value") != "tensor_type" or not kind.tensor_type.HasField("shape"):
        return None
    dims: list[int | str | None] = []
    for d in kind.tensor_type.shape.dim:
        which = d.WhichOneof("value")
        dims.append(d.dim_value if which == "dim_value" else
                    d.dim_param if which == "dim_param" else None)
    return dims


def _port_json(port: Port) -> dict[str, Any]:
    return {"name": port.name, "type": port.element_type,
            "shape": list(port.shape) if port.shape is not None else None}
