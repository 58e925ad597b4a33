"""Domain errors and their RFC 9457 problem+json form.

Services raise these; one exception handler in ``server.app`` turns them into HTTP.
Each error has a stable ``code`` that clients may switch on, and a message in
Vietnamese and English.
"""

from __future__ import annotations

from typing import Any

from shared.errors import BilingualError


class DomainError(BilingualError):
    """A failure a caller may handle; carries its HTTP status and bilingual message."""

    status: int = 400
    code: str = "bad_request"
    message_vi: str = "Yêu cầu không hợp lệ."
    message_en: str = "The request is not valid."

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://hdnd.example/problems/{self.code}",
            "title": self.message_en,
            "status": self.status,
            "code": self.code,
            "detail": self.message_vi,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    message_vi = "Bạn cần đăng nhập."
    message_en = "You need to sign in."


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"
    message_vi = "Tên đăng nhập hoặc mật khẩu không đúng."
    message_en = "Wrong username or password."


class TokenInvalid(DomainError):
    status = 401
    code = "token_invalid"
    message_vi = "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Hãy đăng nhập lại."
    message_en = "The token has expired or is not valid. Sign in again."


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    message_vi = "Bạn không có quyền thực hiện thao tác này."
    message_en = "You are not allowed to do this."


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message_vi = "Không tìm thấy."
    message_en = "Not found."


class Conflict(DomainError):
    status = 409
    code = "conflict"
    message_vi = "Xung đột với dữ liệu hiện có."
    message_en = "This conflicts with existing data."


class InvalidState(DomainError):
    status = 409
    code = "invalid_state"
    message_vi = "Thao tác không hợp lệ ở trạng thái hiện tại."
    message_en = "Not allowed in the current state."


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    message_vi = "Dữ liệu gửi lên không hợp lệ."
    message_en = "The submitted data is not valid."


class UploadTooLarge(DomainError):
    status = 413
    code = "upload_too_large"
    message_vi = "Tệp quá lớn."
    message_en = "The file is too large."


class NotAPdf(DomainError):
    status = 415
    code = "not_a_pdf"
    message_vi = "Tệp không phải PDF hợp lệ."
    message_en = "The file is not a valid PDF."


class PdfEncrypted(DomainError):
    status = 422
    code = "pdf_encrypted"
    message_vi = "Tệp PDF được đặt mật khẩu; hãy tải lên bản không mã hóa."
    message_en = "The PDF is password-protected; upload an unencrypted copy."


class PdfBroken(DomainError):
    status = 422
    code = "pdf_broken"
    message_vi = "Tệp PDF bị hỏng hoặc không có trang nào."
    message_en = "The PDF is damaged or has no pages."


class SearchTooSlow(DomainError):
    # 503: the server refuses to spend more on this query now; a narrower one will do.
    status = 503
    code = "search_too_slow"
    message_vi = ("Tìm kiếm mất quá nhiều thời gian nên đã dừng. Hãy dùng từ cụ thể hơn "
                  "hoặc ít từ hơn.")
    message_en = "The search took too long and was stopped. Use more specific or fewer words."


class SearchQueryRefused(DomainError):
    # 422: what was typed is past the hard bound (server.text.search_query.MAX_TYPED_CHARS);
    # below it a long query is cut and searched, and the answer says so.
    status = 422
    code = "search_query_too_long"
    message_vi = ("Câu tìm kiếm quá dài nên không được tìm. Hãy nhập vài từ chính, "
                  "không dán cả đoạn văn.")
    message_en = "The search query is too long to be searched. Type a few key words, not a whole text."


class SchemaNotMigrated(RuntimeError):
    """Raised at start-up: the database is behind the code's migrations."""


class PdfTooComplex(DomainError):
    status = 422
    code = "pdf_too_complex"
    message_vi = ("Tệp PDF quá phức tạp: không kiểm tra được trong giới hạn thời gian và bộ nhớ. "
                  "Hãy in lại ra PDF (Print to PDF) rồi tải lên.")
    message_en = ("The PDF is too complex to check within the time and memory limits. "
                  "Print it to a new PDF and upload that.")


class SignInThrottled(DomainError):
    status = 429
    code = "sign_in_throttled"
    message_vi = "Đăng nhập sai nhiều lần. Hãy chờ một lát rồi thử lại."
    message_en = "Too many failed sign-ins. Wait a moment and try again."


class BackupRefused(DomainError):
    """A backup, restore, export or import that would lose or mix data (``hdnd backup``)."""

    status = 409
    code = "backup_refused"
    message_vi = "Không thể sao lưu hoặc khôi phục."
    message_en = "The backup or restore was refused."
