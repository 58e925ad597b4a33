"""Why a signed PDF is refused: each reason its own error with a stable code."""

from __future__ import annotations

from server.errors import Conflict, Invalid


class SignatureRefused(Invalid):
    """A signed upload that the server will not keep (422)."""

    code = "signature_refused"
    message_vi = "Tệp ký số không hợp lệ."
    message_en = "The signed file is not valid."


class NotSigned(SignatureRefused):
    code = "signature_missing"
    message_vi = "Tệp PDF không có chữ ký số nào."
    message_en = "The PDF carries no digital signature."


class SignatureBroken(SignatureRefused):
    code = "signature_broken"
    message_vi = ("Chữ ký số không khớp với nội dung: tệp đã bị sửa sau khi ký hoặc chữ ký bị "
                  "hỏng.")
    message_en = ("The signature does not match the content: the file was changed after "
                  "signing or the signature is damaged.")


class ChangedAfterSigning(SignatureRefused):
    code = "signature_not_covering"
    message_vi = ("Tệp có nội dung được thêm hoặc sửa sau chữ ký cuối cùng; chữ ký không bao "
                  "trùm toàn bộ tệp.")
    message_en = ("Content was added or changed after the last signature; the signature does "
                  "not cover the whole file.")


class SignerNotTrusted(SignatureRefused):
    code = "signature_untrusted"
    message_vi = ("Chứng thư số của người ký không do tổ chức chứng thực được tin cậy cấp, "
                  "đã hết hạn hoặc không dùng để ký.")
    message_en = ("The signer's certificate is not issued by a trusted certification authority, "
                  "has expired, or may not sign.")


class SigningTimeInvalid(SignatureRefused):
    code = "signature_time_invalid"
    message_vi = "Thời điểm ký không hợp lệ (ở tương lai hoặc ngoài hạn của chứng thư)."
    message_en = "The signing time is not valid (in the future or outside the certificate's validity)."


class SignerNotConfigured(Conflict):
    code = "signer_not_configured"
    message_vi = ("Máy chủ chưa được cấu hình chứng thư số cho người ký này, hoặc không mở được "
                  "tệp chứng thư (sai mật khẩu?).")
    message_en = ("No certificate is configured on the server for this signer, or its file "
                  "cannot be opened (wrong passphrase?).")
