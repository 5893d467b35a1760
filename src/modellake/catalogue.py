"""The query catalogue: named SPARQL queries (``.rq``) and updates (``.ru``) under ``queries/``.

Each file starts with a header of ``#`` comment lines::

    # title: Lineage of a model
    # description: Everything upstream of a model …
    #   (indented lines continue the previous field)
    # param: model iri — the model whose lineage to return
    # param: depth integer = 10 — how many hops to follow
    # param: stage iri optional — filter by lifecycle stage (unbound when not given)

Parameters appear in the query text as ``$name`` (SPARQL's other variable syntax), so every file
also runs on its own with the parameters left unbound. ``bind`` replaces them with checked RDF
terms written by ``terms`` — the only way user values reach query text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Final, Literal

from rdflib import Graph

from . import facets, terms
from .errors import BindingError, ModelLakeError, UnknownQueryError
from .resources import queries_dir

ParamKind = Literal[
    "iri", "string", "integer", "decimal", "double", "boolean", "date", "datetime",
    "iri-list", "quad-data",
]
PARAM_KINDS: Final[frozenset[str]] = frozenset(ParamKind.__args__)  # type: ignore[attr-defined]
# Kinds whose values are not single terms: only the store layer binds them.
_INTERNAL_KINDS: Final = frozenset({"iri-list", "quad-data"})

_PLACEHOLDER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_PARAM_LINE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<kind>[a-z-]+)"
    r"(?:\s*=\s*(?P<default>\S+))?(?P<optional>\s+optional)?\s*(?:[—–-]+\s*(?P<doc>.*))?$"
)
_DATE = re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$")
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_INTEGER = re.compile(r"^[+-]?\d{1,30}$")
_DOUBLE = re.compile(r"^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|INF|NaN)$")


# Values a query computes from its parameters before binding (``# derived: name = how``), each
# bound as a list of IRIs for a VALUES clause. The one there is: the evaluation-facet properties
# of a run search (facets.py), from the measure, parameter and value parameters.
_DERIVATIONS: Final = {
    "facet-keys": (("measure", "parameter", "value"), facets.search_keys),
}
_DERIVED_LINE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<how>[a-z-]+)$")


class CatalogueError(ModelLakeError):
    """A query file in queries/ is malformed (a bug in the project, found at load time)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: ParamKind
    description: str = ""
    default: str | None = None
    optional: bool = False

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional


@dataclass(frozen=True)
class NamedQuery:
    name: str  # path below queries/ without the extension, e.g. "lineage/model-lineage"
    path: Path
    text: str  # the whole file, header included (comments are valid SPARQL)
    title: str
    description: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    is_update: bool = False
    form: str = "SELECT"  # SELECT, CONSTRUCT, ASK, DESCRIBE or UPDATE
    # Other header fields, e.g. regulation and severity of a compliance check.
    fields: dict[str, str] = field(default_factory=dict)
    # Placeholders computed from the parameters (name → derivation), see _DERIVATIONS.
    derived: dict[str, str] = field(default_factory=dict)

    @property
    def internal(self) -> bool:
        """Store-layer queries (queries/store/) are not offered to users as named queries."""
        return self.name.startswith("store/") or any(
            p.kind in _INTERNAL_KINDS for p in self.parameters
        )

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise BindingError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


def _parse_header(path: Path, text: str) -> tuple[dict[str, str], list[Parameter]]:
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith(("   ", "\t")) and last is not None:  # continuation
            if last == "param":
                p = params[-1]
                params[-1] = Parameter(p.name, p.kind, f"{p.description} {body.strip()}".strip(),
                                       p.default, p.optional)
            else:
                fields[last] = f"{fields[last]} {body.strip()}".strip()
            continue
        key, sep, value = body.strip().partition(":")
        if not sep:
            last = None
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "param":
            match = _PARAM_LINE.match(value)
            if not match or match["kind"] not in PARAM_KINDS:
                raise CatalogueError(f"{path}: bad parameter line {value!r}")
            default = match["default"]
            if default is not None and len(default) >= 2 and default[0] == default[-1] == '"':
                default = default[1:-1]  # a quoted default, e.g. "" for the empty string
            params.append(Parameter(match["name"], match["kind"],  # type: ignore[arg-type]
                                    (match["doc"] or "").strip(), default,
                                    bool(match["optional"])))
        else:
            fields[key] = value
        last = key
    return fields, params


def _query_form(text: str) -> str:
    body = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
    match = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body, re.IGNORECASE)
    return match.group(1).upper() if match else "SELECT"


def load_query(path: Path, root: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    fields, params = _parse_header(path, text)
    name = path.relative_to(root).with_suffix("").as_posix()
    if "title" not in fields:
        raise CatalogueError(f"{path}: the header has no 'title:' line")
    derived: dict[str, str] = {}
    if "derived" in fields:
        match = _DERIVED_LINE.match(fields["derived"])
        if not match or match["how"] not in _DERIVATIONS:
            raise CatalogueError(f"{path}: bad derived line {fields['derived']!r}")
        inputs = _DERIVATIONS[match["how"]][0]
        if not set(inputs) <= {p.name for p in params}:
            raise CatalogueError(f"{path}: {match['how']} needs parameters {inputs}")
        derived[match["name"]] = match["how"]
    declared = {p.name for p in params} | set(derived)
    used = set(_PLACEHOLDER.findall(_strip_comments(text)))
    # Parameters a derivation reads need not appear in the text themselves.
    through_derivation = {i for how in derived.values() for i in _DERIVATIONS[how][0]}
    if not used <= declared or not declared - used <= through_derivation:
        raise CatalogueError(
            f"{path}: placeholders {sorted(used)} do not match declared parameters "
            f"{sorted(declared)}"
        )
    is_update = path.suffix == ".ru"
    return NamedQuery(
        name=name, path=path, text=text, title=fields["title"],
        description=fields.get("description", ""), parameters=tuple(params),
        is_update=is_update, form="UPDATE" if is_update else _query_form(text),
        fields={k: v for k, v in fields.items()
                if k not in ("title", "description", "derived")},
        derived=derived,
    )


def _strip_comments(text: str) -> str:
    return "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))


class Catalogue:
    """All named queries below one directory, by name."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._queries: dict[str, NamedQuery] = {}
        for path in sorted([*root.rglob("*.rq"), *root.rglob("*.ru")]):
            query = load_query(path, root)
            self._queries[query.name] = query

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def names(self, *, include_internal: bool = False) -> list[str]:
        return [n for n, q in self._queries.items() if include_internal or not q.internal]

    def get(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise UnknownQueryError(
                f"no query named {name!r}; see the list of named queries "
                f"(modellake query --list, or GET /api/v1/queries)"
            ) from None

    def bind(self, name: str, params: Mapping[str, object] | None = None) -> str:
        return bind(self.get(name), params or {})


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    return Catalogue(queries_dir())


def _term_for(param: Parameter, value: object) -> str:
    kind = param.kind
    where = f"parameter {param.name!r} ({kind})"
    try:
        if kind == "iri":
            return terms.write_iri(_as_text(value, where))
        if kind == "string":
            return terms.write_literal(_as_text(value, where))
        if kind == "boolean":
            if isinstance(value, bool):
                return terms.write_value(value)
            text = _as_text(value, where).strip().lower()
            if text not in ("true", "false", "1", "0"):
                raise BindingError(f"{where}: expected true or false, got {text[:40]!r}")
            return terms.write_value(text in ("true", "1"))
        if kind == "integer":
            # Written bare (e.g. 10), which SPARQL reads as xsd:integer and which may also
            # stand after LIMIT and OFFSET.
            if isinstance(value, int) and not isinstance(value, bool):
                return str(value)
            text = _as_text(value, where).strip()
            if not _INTEGER.match(text):
                raise BindingError(f"{where}: {text[:40]!r} is not a whole number")
            return str(int(text))
        if kind == "decimal":
            return terms.write_value(terms.parse_decimal(_as_text(value, where)))
        if kind == "double":
            text = _as_text(value, where).strip()
            if not _DOUBLE.match(text):
                raise BindingError(f"{where}: {text[:40]!r} is not a number")
            return terms.write_literal(text, datatype=terms.XSD + "double")
        if kind == "date":
            text = value.isoformat() if isinstance(value, date) else _as_text(value, where)
            if not _DATE.match(text):
                raise BindingError(f"{where}: {text[:40]!r} is not a date (YYYY-MM-DD)")
            return terms.write_literal(text, datatype=terms.XSD + "date")
        if kind == "datetime":
            text = value.isoformat() if isinstance(value, datetime) else _as_text(value, where)
            if not _DATETIME.match(text):
                raise BindingError(f"{where}: {text[:40]!r} is not a date-time (ISO 8601)")
            return terms.write_literal(text, datatype=terms.XSD + "dateTime")
        if kind == "iri-list":
            if isinstance(value, str) or not hasattr(value, "__iter__"):
                raise BindingError(f"{where}: expected a list of IRIs")
            return " ".join(terms.write_iri(_as_text(v, where)) for v in value)
        if kind == "quad-data":
            if not isinstance(value, Mapping) or not all(
                isinstance(g, Graph) for g in value.values()
            ):
                raise BindingError(f"{where}: expected a mapping of graph IRI to graph")
            return terms.write_quad_data(value)
    except BindingError as exc:
        if str(exc).startswith("parameter "):
            raise
        raise BindingError(f"{where}: {exc}") from None
    raise BindingError(f"{where}: unsupported kind")  # unreachable: kinds are checked on load


def _as_text(value: object, where: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise BindingError(f"{where}: expected text, got {type(value).__name__}")


def bind(query: NamedQuery, params: Mapping[str, object]) -> str:
    """The query text with every ``$name`` replaced by a checked term.

    Unknown parameters and missing required ones are errors; an optional parameter that is not
    given stays an unbound variable.
    """
    for name in params:
        query.parameter(name)  # raises for unknown names
    values: dict[str, str] = {}
    for param in query.parameters:
        if param.name in params and params[param.name] is not None:
            values[param.name] = _term_for(param, params[param.name])
        elif param.default is not None:
            values[param.name] = _term_for(param, param.default)
        elif param.required:
            raise BindingError(
                f"query {query.name!r} needs parameter {param.name!r} ({param.kind})"
            )

    for name, how in query.derived.items():
        inputs, derive = _DERIVATIONS[how]
        given = [params.get(i) if params.get(i) is not None else query.parameter(i).default
                 for i in inputs]
        if any(g is None for g in given):
            continue  # left unbound, like an optional parameter not given
        keys = derive(*(_as_text(g, f"parameter {i!r}") for i, g in zip(inputs, given,
                                                                         strict=True)))
        values[name] = " ".join(terms.write_iri(k) for k in keys)

    def replace(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    # Replace only outside comment lines, so the header stays as it was.
    lines = []
    for line in query.text.splitlines():
        lines.append(line if line.lstrip().startswith("#") else _PLACEHOLDER.sub(replace, line))
    return "\n".join(lines) + "\n"
