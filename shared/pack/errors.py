"""Failures a device may meet when it checks a manifest; same shape as the crypto errors."""

from __future__ import annotations

from shared.crypto.errors import CryptoError
from shared.errors import Conflict, Forbidden, Invalid, Unsupported


class ManifestError(CryptoError, Invalid):
    """Base of manifest failures: the tablet keeps its previous complete pack."""

    code = "manifest_error"
    message_vi = "Danh mục tài liệu kỳ họp không dùng được."
    message_en = "The session pack manifest cannot be used."


class ManifestSignatureInvalid(ManifestError):
    code = "manifest_signature_invalid"
    message_vi = "Danh mục tài liệu không có chữ ký hợp lệ của máy chủ đã đăng ký."
    message_en = "The manifest is not validly signed by the enrolled server."


class ManifestRolledBack(ManifestError, Conflict):
    code = "manifest_rolled_back"
    message_vi = "Máy chủ gửi một phiên bản tài liệu cũ hơn bản đang có; đã từ chối."
    message_en = "The server sent an older pack version than the one held; refused."


class ManifestInvalid(ManifestError):
    code = "manifest_invalid"
    message_vi = "Danh mục tài liệu sai cấu trúc."
    message_en = "The manifest is malformed."


class UnsupportedManifestFormat(ManifestError, Unsupported):
    code = "manifest_format_unsupported"
    message_vi = "Danh mục dùng định dạng mới hơn; hãy cập nhật ứng dụng."
    message_en = "The manifest uses a newer format; update the app."


class NotARecipient(ManifestError, Forbidden):
    code = "manifest_not_recipient"
    message_vi = "Thiết bị này không còn trong danh sách nhận tài liệu kỳ họp."
    message_en = "This device is no longer among the pack's recipients."


class WrongSession(ManifestError):
    code = "manifest_wrong_session"
    message_vi = "Danh mục này thuộc kỳ họp khác."
    message_en = "This manifest belongs to another session."


class SourceDocumentChanged(CryptoError, Conflict):
    """Server side: the stored upload no longer hashes to what was recorded at upload.

    Raised by the pack build (which hashes every plaintext anyway), so that a file damaged
    or replaced on the server's disk is caught before it reaches the delegates.
    """

    code = "pack_source_changed"
    message_vi = "Tệp tài liệu lưu trên máy chủ không còn khớp với bản đã tải lên; chưa đóng gói."
    message_en = "A document file stored on the server no longer matches its upload; not packed."
