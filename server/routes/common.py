"""Shared route pieces: the problem+json responses every route may give."""

from __future__ import annotations

from typing import Any

PROBLEM_EXAMPLE = {
    "type": "https://hdnd.example/problems/forbidden",
    "title": "You are not allowed to do this.",
    "status": 403,
    "code": "forbidden",
    "detail": "Bạn không có quyền thực hiện thao tác này.",
    "message_vi": "Bạn không có quyền thực hiện thao tác này.",
    "message_en": "You are not allowed to do this.",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI description of the problem+json errors a route may answer with."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        out[status] = {
            "description": "RFC 9457 problem (Vietnamese and English message)",
            "content": {"application/problem+json": {"example": {**PROBLEM_EXAMPLE,
                                                                 "status": status}}},
        }
    return out


AUTH_PROBLEMS = problems(401, 403, 404, 422)
