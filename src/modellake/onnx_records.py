"""The RDF of what an ONNX model states about itself: its input and output tensors and how often
its graph uses each operator. Shared by the ONNX Model Zoo importer and ``register-onnx``.

Tensors are ml:Feature parts of the model (``<model>/input/<name>``, ``<model>/output/<name>``)
and operator usages ml:OperatorUsage parts (``<model>/operator/<type>``): their IRIs extend the
model's and the model points at them, so they live in the model's graph and are replaced and
deleted with it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from .importing import slug
from .namespaces import ML, RDF, XSD


@dataclass(frozen=True)
class Port:
    """An input or output tensor: its name, element type (``tensor(float)``) and shape, where
    a dimension is a number, or a name for a symbolic one (``"N"``), or None when unknown."""

    name: str
    element_type: str | None = None
    shape: Sequence[int | str | None] | None = None


def add_ports(graph: Graph, model: URIRef, inputs: Sequence[Port],
              outputs: Sequence[Port]) -> None:
    """The model's input and output tensors as ml:Feature parts, in their order."""
    for kind, link, ports in (("input", ML.hasInput, inputs), ("output", ML.hasOutput, outputs)):
        for index, port in enumerate(ports):
            part = URIRef(f"{model}/{kind}/{slug(port.name, max_length=60)}")
            graph.add((model, link, part))
            graph.add((part, RDF.type, ML.Feature))
            graph.add((part, ML.featureName, Literal(port.name)))
            graph.add((part, ML.featureIndex, Literal(index, datatype=XSD.integer)))
            if port.element_type:
                graph.add((part, ML.dataType, Literal(port.element_type)))
            if port.shape is not None:
                graph.add((part, ML.tensorShape, Literal(json.dumps(list(port.shape)))))


def add_operator_counts(graph: Graph, model: URIRef, counts: Mapping[str, int]) -> None:
    """One ml:OperatorUsage part per operator type the model's graph uses."""
    for operator, count in sorted(counts.items()):
        if count < 1:
            continue
        part = URIRef(f"{model}/operator/{slug(operator, max_length=60)}")
        graph.add((model, ML.usesOperator, part))
        graph.add((part, RDF.type, ML.OperatorUsage))
        graph.add((part, ML.operatorType, Literal(operator)))
        graph.add((part, ML.operatorCount, Literal(count, datatype=XSD.integer)))
