"""Domain errors of the server and their RFC 9457 problem+json form.

Services raise these; one exception handler in ``server.app`` turns them (and any other
``shared.errors.BilingualError``) into HTTP. Each error has a stable ``code`` that clients
may switch on and a message in Vietnamese and English; its HTTP status comes from its
category through the one table ``STATUS`` below, never from the error itself.
"""

from __future__ import annotations

from typing import Any

from shared import errors as tree
from shared.errors import BilingualError

# category -> HTTP status: the only place a status is chosen (issue 19)
STATUS: dict[type[BilingualError], int] = {
    tree.Unauthenticated: 401,
    tree.Forbidden: 403,
    tree.NotFound: 404,
    tree.Gone: 410,
    tree.Conflict: 409,
    tree.Invalid: 422,
    tree.BadRequest: 400,
    tree.TooLarge: 413,
    tree.Unsupported: 415,
    tree.Throttled: 429,
    tree.Unavailable: 503,
    tree.Internal: 500,
}
UNCATEGORISED_STATUS = 500


def status_of(error: BilingualError | type[BilingualError]) -> int:
    """The HTTP status of an error (or error class), from its category."""
    cls = error if isinstance(error, type) else type(error)
    if isinstance(error, type):
        category = cls.category()
    else:
        own = error.__dict__.get("_status")
        if isinstance(own, int):
            return own
        category = tree.category_of(error)
    if category is BilingualError and issubclass(cls, DomainError):
        return 400  # a bare DomainError: "bad_request", as before the tree
    return STATUS.get(category, UNCATEGORISED_STATUS)


def status_of_code(code: str, default: int = 409) -> int:
    """The HTTP status of the error registered under ``code`` (``default`` if none)."""
    cls = tree.by_code(code)
    return default if cls is None or cls.category() is BilingualError else status_of(cls)


def problem(error: BilingualError, instance: str | None = None) -> dict[str, Any]:
    """The problem+json body (RFC 9457) of any bilingual error."""
    body: dict[str, Any] = {
        "type": f"https://hdnd.example/problems/{error.code}",
        "title": error.message_en,
        "status": status_of(error),
        "code": error.code,
        "detail": error.message_vi,
        "message_vi": error.message_vi,
        "message_en": error.message_en,
    }
    if instance:
        body["instance"] = instance
    body.update(error.extra)
    return body


class DomainError(BilingualError, abstract=True):
    """A failure of the server a caller may handle (base; subclass a category below)."""

    code: str = "bad_request"
    message_vi: str = "Yêu cầu không hợp lệ."
    message_en: str = "The request is not valid."

    @property
    def status(self) -> int:
        """From the category (``STATUS``); 400 for a bare DomainError."""
        return status_of(self)

    @status.setter
    def status(self, value: int) -> None:
        # only for wrapping a status that is not ours (Starlette's 404/405, a crash's 500)
        self._status = value

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        return problem(self, instance)


# --- the categories, as DomainErrors (``except DomainError`` catches them all) --------


class NotAuthenticated(tree.Unauthenticated, DomainError):
    """The request carries no valid sign-in."""


class Forbidden(tree.Forbidden, DomainError):
    """The caller may not do this (a role or an ownership check refused)."""


class NotFound(tree.NotFound, DomainError):
    """No such thing, or the caller may not know that it exists."""


class Gone(tree.Gone, DomainError):
    """It existed but is used up or expired."""


class Conflict(tree.Conflict, DomainError):
    """The request conflicts with existing data."""


class Invalid(tree.Invalid, DomainError):
    """The submitted data is not valid."""


class TooLarge(tree.TooLarge, DomainError):
    """The upload or request is larger than the limit."""


class Unsupported(tree.Unsupported, DomainError):
    """The upload is of a kind the server does not take."""


class Throttled(tree.Throttled, DomainError):
    """Too many attempts; wait."""


class Unavailable(tree.Unavailable, DomainError):
    """The server cannot do this now."""


class BadRequest(tree.BadRequest, DomainError):
    """The request cannot be read at all."""


class Internal(tree.Internal, DomainError):
    """The server failed; the caller can only report it."""


# --- named errors ----------------------------------------------------------------------


class InvalidCredentials(NotAuthenticated):
    """Sign-in with a wrong username or password."""

    code = "invalid_credentials"
    message_vi = "Tên đăng nhập hoặc mật khẩu không đúng."
    message_en = "Wrong username or password."


class TokenInvalid(NotAuthenticated):
    """The bearer token is expired, forged or revoked."""

    code = "token_invalid"
    message_vi = "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Hãy đăng nhập lại."
    message_en = "The token has expired or is not valid. Sign in again."


class InvalidState(Conflict):
    """The thing exists but its state (published, closed …) does not allow the action."""

    code = "invalid_state"
    message_vi = "Thao tác không hợp lệ ở trạng thái hiện tại."
    message_en = "Not allowed in the current state."


class ValidationFailed(Invalid):
    """A field of the request is missing or has a value that cannot be accepted."""

    code = "validation_failed"
    message_vi = "Dữ liệu gửi lên không hợp lệ."
    message_en = "The submitted data is not valid."


class UploadTooLarge(TooLarge):
    """The uploaded file or the request body is over the configured limit."""

    code = "upload_too_large"
    message_vi = "Tệp quá lớn."
    message_en = "The file is too large."


class NotAPdf(Unsupported):
    """An upload that should be a PDF is not one."""

    code = "not_a_pdf"
    message_vi = "Tệp không phải PDF hợp lệ."
    message_en = "The file is not a valid PDF."


class PdfEncrypted(Invalid):
    """A password-protected PDF: the server cannot check or render it."""

    code = "pdf_encrypted"
    message_vi = "Tệp PDF được đặt mật khẩu; hãy tải lên bản không mã hóa."
    message_en = "The PDF is password-protected; upload an unencrypted copy."


class PdfBroken(Invalid):
    """A PDF that cannot be read or has no pages."""

    code = "pdf_broken"
    message_vi = "Tệp PDF bị hỏng hoặc không có trang nào."
    message_en = "The PDF is damaged or has no pages."


class PdfTooComplex(Invalid):
    """A PDF whose check runs over the time or memory limit."""

    code = "pdf_too_complex"
    message_vi = ("Tệp PDF quá phức tạp: không kiểm tra được trong giới hạn thời gian và bộ nhớ. "
                  "Hãy in lại ra PDF (Print to PDF) rồi tải lên.")
    message_en = ("The PDF is too complex to check within the time and memory limits. "
                  "Print it to a new PDF and upload that.")


class SearchQueryRefused(Invalid):
    """What was typed is past the hard bound (server.text.search_query.MAX_TYPED_CHARS);
    below it a long query is cut and searched, and the answer says so."""

    code = "search_query_too_long"
    message_vi = ("Câu tìm kiếm quá dài nên không được tìm. Hãy nhập vài từ chính, "
                  "không dán cả đoạn văn.")
    message_en = ("The search query is too long to be searched. Type a few key words, "
                  "not a whole text.")


class SearchTooSlow(Unavailable):
    """The server stopped a search that took too long; a narrower one will do."""

    code = "search_too_slow"
    message_vi = ("Tìm kiếm mất quá nhiều thời gian nên đã dừng. Hãy dùng từ cụ thể hơn "
                  "hoặc ít từ hơn.")
    message_en = "The search took too long and was stopped. Use more specific or fewer words."


class SignInThrottled(Throttled):
    """Too many failed sign-ins from this address or for this name; wait and retry."""

    code = "sign_in_throttled"
    message_vi = "Đăng nhập sai nhiều lần. Hãy chờ một lát rồi thử lại."
    message_en = "Too many failed sign-ins. Wait a moment and try again."


class BackupRefused(Conflict):
    """A backup, restore, export or import that would lose or mix data (``hdnd backup``)."""

    code = "backup_refused"
    message_vi = "Không thể sao lưu hoặc khôi phục."
    message_en = "The backup or restore was refused."


class InternalError(Internal):
    """The server failed unexpectedly; what was saved before is not lost."""

    code = "internal_error"
    message_vi = "Máy chủ gặp lỗi."
    message_en = "Internal server error."


class SchemaNotMigrated(RuntimeError):
    """Raised at start-up: the database is behind the code's migrations."""


class CouncilReadOnly(Forbidden):
    """A write into a council the caller may only read (a province reader), or into
    another council altogether; server/tenancy refuses it before it reaches the database."""

    code = "council_read_only"
    message_vi = "Bạn chỉ được xem, không được thay đổi dữ liệu của Hội đồng nhân dân này."
    message_en = "You may only read this council's data, not change it."
