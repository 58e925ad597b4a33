"""Why a document cannot be deleted, withdrawn or revised, as problem+json codes."""

from __future__ import annotations

from server.errors import InvalidState


class DocumentPublished(InvalidState):
    code = "document_published"
    message_vi = ("Tài liệu đã được phát hành (trong gói tài liệu hoặc trên cổng thông tin) nên "
                  "không xóa được. Hãy rút tài liệu hoặc tải lên bản thay thế.")
    message_en = ("The document has been published (in a pack or on the portal), so it cannot "
                  "be deleted. Withdraw it or upload a replacement instead.")


class DocumentNotPublished(InvalidState):
    code = "document_not_published"
    message_vi = "Tài liệu chưa được phát hành: hãy xóa tài liệu thay vì rút."
    message_en = "The document has not been published: delete it instead of withdrawing it."


class DocumentWithdrawn(InvalidState):
    code = "document_withdrawn"
    message_vi = "Tài liệu đã bị rút, không sửa hay thay thế được nữa."
    message_en = "The document has been withdrawn and can no longer be changed or replaced."


class DocumentInUse(InvalidState):
    code = "document_in_use"
    message_vi = "Tài liệu là văn bản của một nghị quyết đã ghi nhận nên không xóa được."
    message_en = "The document is the text of a recorded resolution, so it cannot be deleted."
