"""Server-side form checking through the API's own schemas, with errors per field.

A page validates what was typed with the same pydantic schema the REST API uses, so the
rules live in one place; the errors come back keyed by field, in the page's language,
and the page is shown again with everything the clerk typed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from server.errors import DomainError
from server.web.i18n import message_of

M = TypeVar("M", bound=BaseModel)

# pydantic's error types, said the way a clerk would understand them
_PLAIN = {
    "missing": ("Trường này bắt buộc.", "This field is required."),
    "string_too_short": ("Trường này bắt buộc.", "This field is required."),
    "string_too_long": ("Quá dài.", "Too long."),
    "date_from_datetime_parsing": ("Ngày không hợp lệ (dd/mm/yyyy).", "Not a valid date."),
    "date_parsing": ("Ngày không hợp lệ.", "Not a valid date."),
    "int_parsing": ("Hãy nhập một số.", "Enter a number."),
    "enum": ("Hãy chọn một giá trị trong danh sách.", "Choose a value from the list."),
    "value_error": ("Giá trị không hợp lệ.", "The value is not valid."),
    "string_pattern_mismatch": ("Định dạng không hợp lệ.", "The format is not valid."),
    "greater_than_equal": ("Giá trị quá nhỏ.", "The value is too small."),
    "less_than_equal": ("Giá trị quá lớn.", "The value is too large."),
}


class FormErrors(Exception):
    """Errors keyed by field name ('' for the whole form)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def blank_to_none(data: dict[str, str], *fields: str) -> dict[str, Any]:
    """Empty inputs mean "not given" for optional fields."""
    out: dict[str, Any] = dict(data)
    for name in fields:
        if not str(out.get(name, "")).strip():
            out[name] = None
    return out


def validate(model: type[M], data: dict[str, Any], lang: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FormErrors(_errors_of(exc, lang)) from exc


def _errors_of(exc: ValidationError, lang: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        ctx_error = (error.get("ctx") or {}).get("error")
        if isinstance(ctx_error, DomainError):
            errors[str(ctx_error.extra.get("field", ""))] = message_of(ctx_error, lang)
            continue
        field = ".".join(str(p) for p in error.get("loc", ()))
        vi, en = _PLAIN.get(error.get("type", ""), (error.get("msg", ""), error.get("msg", "")))
        shortest = (error.get("ctx") or {}).get("min_length", 1)
        if error.get("type") == "string_too_short" and error.get("input") and shortest > 1:
            vi, en = (f"Quá ngắn: cần ít nhất {shortest} ký tự.",
                      f"Too short: at least {shortest} characters.")
        errors.setdefault(field, en if lang == "en" else vi)
    return errors


def domain_errors(error: DomainError, lang: str) -> dict[str, str]:
    return {str(error.extra.get("field", "")): message_of(error, lang)}
