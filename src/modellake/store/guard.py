"""Checks on SPARQL text before it reaches a store.

A ``SERVICE`` clause would make the store call another endpoint over the network; we never allow
that, on either store (Fuseki is also configured with SERVICE disabled).
"""

from __future__ import annotations

import re

from ..errors import UnsafeInputError

# Strings (long and short), IRIs and comments: the places where the word SERVICE means nothing.
_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:-])", re.IGNORECASE)


def mentions_service(sparql: str) -> bool:
    """True when the text has a SERVICE keyword outside strings, IRIs and comments."""
    if not _SERVICE.search(sparql):  # fast path: the word is nowhere
        return False
    return bool(_SERVICE.search(_NOISE.sub(" ", sparql)))


def refuse_service(sparql: str) -> None:
    if mentions_service(sparql):
        raise UnsafeInputError(
            "SERVICE (federated query) is not allowed: the lake never calls other endpoints"
        )


_PROLOGUE = re.compile(r"^\s*((PREFIX\s+[^:\s]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", re.IGNORECASE)
_UPDATE_START = re.compile(
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)


def is_update(sparql: str) -> bool:
    """True when the text is a SPARQL Update request rather than a query."""
    # Blank out strings and comments (keeping IRIs, which the prologue needs), then look at the
    # first keyword after PREFIX and BASE declarations.
    cleaned = _NOISE.sub(lambda m: m.group(0) if m.group(0).startswith("<") else " ", sparql)
    rest = cleaned[_PROLOGUE.match(cleaned).end():]  # type: ignore[union-attr]
    return bool(_UPDATE_START.match(rest))
