"""Failures of the pack crypto that a caller may handle.

Each error carries a stable ``code`` a client can switch on and a message in Vietnamese
and English, the same shape as ``server.errors.DomainError`` (which ``shared`` may not
import), so the server can map them to problem+json and the tablet can show them.
"""

from __future__ import annotations

from shared.errors import BilingualError, Invalid, Unsupported


class CryptoError(BilingualError, abstract=True):
    """Base of every crypto failure; never raised itself."""

    code: str = "crypto_error"
    message_vi: str = "Lỗi mật mã."
    message_en: str = "Cryptographic failure."


# --- encrypted documents -------------------------------------------------------------


class DocumentIntegrityError(CryptoError, Invalid):
    """An encrypted document file is not what the signed manifest promised."""

    code = "document_integrity"
    message_vi = "Tài liệu mã hóa bị hỏng hoặc bị sửa đổi."
    message_en = "The encrypted document is damaged or has been altered."


class TamperedHeader(DocumentIntegrityError):
    code = "document_header_tampered"
    message_vi = "Phần đầu tệp tài liệu mã hóa không hợp lệ hoặc đã bị sửa."
    message_en = "The encrypted document's header is invalid or has been altered."


class UnsupportedFormat(DocumentIntegrityError, Unsupported):
    code = "document_format_unsupported"
    message_vi = "Tệp tài liệu dùng định dạng mà phiên bản ứng dụng này chưa hỗ trợ."
    message_en = "The document file uses a format this version of the app does not support."


class TamperedChunk(DocumentIntegrityError):
    """A chunk failed authentication: altered, reordered, spliced in, or wrong key."""

    code = "document_chunk_tampered"
    message_vi = "Một phần của tài liệu mã hóa không xác thực được (bị sửa, đảo hoặc sai khóa)."
    message_en = (
        "Part of the encrypted document failed authentication (altered, moved or wrong key)."
    )


class TruncatedDocument(DocumentIntegrityError):
    code = "document_truncated"
    message_vi = "Tài liệu mã hóa bị thiếu phần cuối."
    message_en = "The encrypted document is missing its end."


class WrongDocument(DocumentIntegrityError):
    code = "document_wrong"
    message_vi = "Tệp này là của một tài liệu hoặc một phiên bản khác."
    message_en = "This file belongs to another document or another version."


class CiphertextHashMismatch(DocumentIntegrityError):
    code = "document_hash_mismatch"
    message_vi = "Mã băm của tài liệu tải về không khớp với danh mục đã ký."
    message_en = "The downloaded document's hash does not match the signed manifest."


# --- keys and signatures -------------------------------------------------------------


class KeyUnwrapFailed(CryptoError, Invalid):
    """The wrapped key is not for this device, this document, or was altered."""

    code = "key_unwrap_failed"
    message_vi = "Thiết bị này không mở được khóa của tài liệu."
    message_en = "This device cannot open the document's key."


class SignatureInvalid(CryptoError, Invalid):
    code = "signature_invalid"
    message_vi = "Chữ ký số không hợp lệ."
    message_en = "The digital signature is not valid."


class NonCanonicalValue(CryptoError, Invalid):
    """A value that canonical JSON refuses (a float, a non-string key)."""

    code = "non_canonical_value"
    message_vi = "Dữ liệu không thể chuẩn hóa để ký."
    message_en = "The data cannot be put in canonical form for signing."
