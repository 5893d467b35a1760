"""Model comparison: algorithms, hyperparameters, training data, its meta-features and metrics of
two or more models side by side, with the rows where they differ marked.

Each aspect family comes from one named query in ``queries/compare/`` that takes all the models at
once (an ``iri-list`` parameter, which also keeps these building blocks out of the list of named
queries offered to clients): six queries whatever the number of models.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from rdflib import Literal, URIRef
from rdflib.term import Identifier
from rich.table import Table

from .errors import BadInputError, NotFoundError
from .lake import Lake
from .store.base import Row as QueryRow

MAX_MODELS: Final = 20
Value = None | str | int | float | bool | list[str] | dict[str, Any]


@dataclass(frozen=True)
class Row:
    """One aspect of the models: a value per model (None where a model has none)."""

    aspect: str  # model, algorithm, hyperparameter, training data, meta-feature, evaluation
    name: str
    values: tuple[Value, ...]
    differs: bool

    def texts(self) -> list[str]:
        return [_text(v) for v in self.values]


@dataclass(frozen=True)
class ModelColumn:
    iri: URIRef
    id: str
    title: str | None

    @property
    def label(self) -> str:
        return self.title or self.id


@dataclass(frozen=True)
class Comparison:
    models: tuple[ModelColumn, ...]
    rows: tuple[Row, ...]

    @property
    def differences(self) -> list[Row]:
        return [r for r in self.rows if r.differs]

    def to_json(self) -> dict[str, Any]:
        return {
            "models": [{"iri": str(m.iri), "id": m.id, "title": m.title} for m in self.models],
            "rows": [{"aspect": r.aspect, "name": r.name, "values": list(r.values),
                      "differs": r.differs} for r in self.rows],
            "differences": len(self.differences),
        }

    def to_frame(self) -> Any:
        """A pandas DataFrame: (aspect, name) rows, one column per model id, and ``differs``.
        Evaluation cells hold the value (the std is in ``to_json``); lists are joined by '; '."""
        import pandas as pd

        def cell(value: Value) -> object:
            if isinstance(value, dict):
                return value["value"]
            return "; ".join(value) if isinstance(value, list) else value

        index = pd.MultiIndex.from_tuples([(r.aspect, r.name) for r in self.rows],
                                          names=["aspect", "name"])
        data = {m.id: [cell(r.values[i]) for r in self.rows] for i, m in enumerate(self.models)}
        data["differs"] = [r.differs for r in self.rows]
        return pd.DataFrame(data, index=index)

    def to_table(self) -> Table:
        """A rich Table; differing rows are marked ≠ and shown in bold yellow."""
        table = Table(title=f"{len(self.models)} models, {len(self.differences)} differences")
        table.add_column("", width=1)
        table.add_column("aspect", style="dim")
        table.add_column("name")
        for model in self.models:
            table.add_column(model.label, overflow="fold")
        for row in self.rows:
            table.add_row("≠" if row.differs else "", row.aspect, row.name, *row.texts(),
                          style="bold yellow" if row.differs else None)
        return table


def compare_models(lake: Lake, models: Sequence[URIRef | str]) -> Comparison:
    """Compare lake models; NotFoundError names the ones that are not models of the lake."""
    iris = list(dict.fromkeys(lake.node_iri(str(m)) for m in models))
    if len(iris) < 2:
        raise BadInputError("give at least two different models to compare")
    if len(iris) > MAX_MODELS:
        raise BadInputError(f"compare at most {MAX_MODELS} models at a time")

    def rows(name: str) -> list[QueryRow]:
        return lake.store.select(lake.catalogue.bind(f"compare/{name}",
                                                     {"models": [str(m) for m in iris]}))

    facts: dict[tuple[str, str], dict[URIRef, set[Value]]] = defaultdict(
        lambda: defaultdict(set))

    def note(aspect: str, name: str, row: QueryRow, value: Identifier | None) -> None:
        if value is not None:
            facts[(aspect, name)][URIRef(str(row["model"]))].add(_python(value))

    for r in rows("models"):
        note("model", "title", r, r.get("title"))
        note("algorithm", "algorithm", r, r.get("familyLabel") or r.get("algorithmLabel")
             or r.get("algorithm"))
        note("algorithm", "estimator class", r, r.get("estimatorClass"))
        note("algorithm", "library", r, r.get("library"))
        note("model", "created", r, r.get("created"))
        note("model", "lifecycle stage", r, r.get("stageLabel") or r.get("stage"))
        facts[("model", "title")].setdefault(URIRef(str(r["model"])), set())
    found = set(facts[("model", "title")])
    missing = [m for m in iris if m not in found]
    if missing:
        raise NotFoundError(f"no model <{missing[0]}> in the lake"
                            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    for r in rows("hyperparameters"):
        note("hyperparameter", str(r["name"]), r, r["value"])
    for r in rows("training-data"):
        note("training data", "data sets", r, r.get("title") or r["dataset"])
    for r in rows("features"):
        note("training data", "features", r, r["name"])
    for r in rows("metafeatures"):
        label = r.get("label") or Literal(str(r["property"]).rsplit("#", 1)[-1])
        note("meta-feature", str(label), r, r["value"])
    evaluations = _evaluations(rows("evaluations"))

    order = [("model", "title"), ("algorithm", "algorithm"), ("algorithm", "estimator class"),
             ("algorithm", "library")]
    order += sorted(k for k in facts if k[0] == "hyperparameter")
    order += [("training data", "data sets"), ("training data", "features")]
    order += sorted(k for k in facts if k[0] == "meta-feature")
    table: list[Row] = []
    for key in order:
        if key in facts:
            values = tuple(_single(facts[key].get(m, set())) for m in iris)
            table.append(Row(key[0], key[1], values, _differs(values)))
    for name in sorted(evaluations, key=str.casefold):
        values = tuple(evaluations[name].get(m) for m in iris)
        table.append(Row("evaluation", name, values, _differs(values)))
    for key in [("model", "created"), ("model", "lifecycle stage")]:
        if key in facts:
            values = tuple(_single(facts[key].get(m, set())) for m in iris)
            table.append(Row(key[0], key[1], values, _differs(values)))
    titles = facts[("model", "title")]
    columns = tuple(ModelColumn(m, lake.local_id(m), _text(_single(titles.get(m, set())))
                                if titles.get(m) else None) for m in iris)
    return Comparison(columns, tuple(table))


def _evaluations(rows: list[QueryRow]) -> dict[str, dict[URIRef, dict[str, Any]]]:
    """Per measure label and model, the evaluation to show: measured before claimed, then the
    latest (by prov:generatedAtTime)."""
    best: dict[str, dict[URIRef, tuple[tuple[bool, str], dict[str, Any]]]] = defaultdict(dict)
    for r in rows:
        name = str(r.get("label") or str(r["measure"]).rsplit("#", 1)[-1])
        model = URIRef(str(r["model"]))
        measured = _python(r["measured"]) is True
        at = str(r["at"]) if "at" in r else ""
        cell = {"value": _python(r["value"]),
                "std": _python(r["std"]) if "std" in r else None,
                "at": str(_python(r["at"])) if "at" in r else None,
                "evaluated_on": str(r["dataset"]) if "dataset" in r else None,
                "measured": measured}
        rank = (measured, at)
        if model not in best[name] or rank > best[name][model][0]:
            best[name][model] = (rank, cell)
    return {name: {m: cell for m, (_, cell) in per.items()} for name, per in best.items()}


def _python(term: Identifier) -> Any:
    if not isinstance(term, Literal):
        return str(term)
    value = term.toPython()
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _single(values: set[Value]) -> Value:
    if not values:
        return None
    if len(values) == 1:
        return next(iter(values))
    return sorted(_text(v) for v in values)


def _differs(values: tuple[Value, ...]) -> bool:
    def key(value: Value) -> str:
        return json.dumps(value["value"] if isinstance(value, dict) else value, sort_keys=True)
    return len({key(v) for v in values}) > 1


def _text(value: Value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        std = value.get("std")
        return f"{value['value']:.4f}" + (f" ± {std:.4f}" if isinstance(std, float) else "")
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, float):
        text = f"{value:.6g}"
        return text if any(c in text for c in ".eEn") else text + ".0"
    return str(value)
