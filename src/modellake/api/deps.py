"""FastAPI dependencies: the lake, who is calling, and what their role lets them do."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request

from ..errors import AccessDeniedError, BadInputError
from ..lake import ANONYMOUS, Lake, Principal, Role
from ..settings import TokenGrant

READ_ROLES: frozenset[Role] = frozenset({"reader", "writer", "officer", "admin"})
WRITE_ROLES: frozenset[Role] = frozenset({"writer", "officer", "admin"})
ADMIN_ROLES: frozenset[Role] = frozenset({"admin"})


def get_lake(request: Request) -> Lake:
    lake: Lake = request.app.state.lake
    return lake


LakeDep = Annotated[Lake, Depends(get_lake)]


def _principal(request: Request, authorization: str | None) -> Principal | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AccessDeniedError(
            "the Authorization header must be 'Bearer <token>'", authenticated=False)
    grants: dict[str, TokenGrant] = request.app.state.grants
    token = token.strip()
    for known, grant in grants.items():
        if hmac.compare_digest(known.encode(), token.encode()):
            name = grant.name or f"{grant.role}-{hashlib.sha256(token.encode()).hexdigest()[:8]}"
            return Principal(name, grant.role)
    raise AccessDeniedError("unknown token", authenticated=False)


def requires(roles: frozenset[Role], what: str) -> Callable[..., Principal]:
    """A dependency that lets through only tokens whose role is in ``roles``."""

    def check(
        request: Request, authorization: Annotated[str | None, Header()] = None,
    ) -> Principal:
        principal = _principal(request, authorization)
        if principal is None:
            if roles == READ_ROLES and request.app.state.settings.open_reads:
                return ANONYMOUS
            raise AccessDeniedError(
                f"{what} needs a bearer token (Authorization: Bearer <token>)",
                authenticated=False)
        if principal.role not in roles:
            allowed = ", ".join(sorted(roles))
            raise AccessDeniedError(
                f"{what} needs one of the roles {allowed}; this token is a {principal.role}",
                authenticated=True)
        return principal

    return check


Reader = Annotated[Principal, Depends(requires(READ_ROLES, "reading"))]
Writer = Annotated[Principal, Depends(requires(WRITE_ROLES, "writing"))]


async def read_body(request: Request) -> bytes:
    """The request body, refused with 413 when it is over the configured size."""
    limit: int = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError(f"the body is over the limit of {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise BodyTooLargeError(f"the body is over the limit of {limit} bytes")
    return bytes(body)


class BodyTooLargeError(BadInputError):
    """The request body is larger than the server accepts."""
