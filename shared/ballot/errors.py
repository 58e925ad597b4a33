"""Failures of the secret ballot that a caller may handle.

Every error carries a stable ``code``, a Vietnamese message and an English one, the shape
of ``shared.crypto.errors.CryptoError`` (its base) so the server maps all of them the
same way. Reasons a ballot is refused live in one catalogue, ``REJECTIONS``, because the
server, the tablet and the verifier all show them.
"""

from __future__ import annotations

from typing import Any

from shared.crypto.errors import CryptoError


class BallotError(CryptoError):
    """Base of every secret-ballot failure; never raised itself."""

    code = "ballot_error"
    message_vi = "Lỗi phiếu bầu kín."
    message_en = "Secret ballot failure."


class InvalidEncoding(BallotError):
    """Bytes that are not a group element, a canonical scalar or the expected shape."""

    code = "ballot_bad_encoding"
    message_vi = "Dữ liệu mã hóa của phiếu không hợp lệ."
    message_en = "The ballot's encoded data is not valid."


# code -> (Vietnamese, English). One catalogue: the server refuses, the verifier reports.
REJECTIONS: dict[str, tuple[str, str]] = {
    "ballot_bad_encoding": (
        "Dữ liệu mã hóa của phiếu không hợp lệ.",
        "The ballot's encoded data is not valid.",
    ),
    "ballot_wrong_shape": (
        "Phiếu không khớp với mẫu phiếu của cuộc bỏ phiếu này.",
        "The ballot does not match this vote's ballot form.",
    ),
    "ballot_wrong_vote": (
        "Phiếu này thuộc về một cuộc bỏ phiếu khác.",
        "This ballot belongs to another vote.",
    ),
    "ballot_option_proof_invalid": (
        "Bằng chứng cho một lựa chọn trên phiếu không hợp lệ (mỗi ô chỉ được 0 hoặc 1).",
        "The proof for an option on the ballot is not valid (each box must be 0 or 1).",
    ),
    "ballot_sum_proof_invalid": (
        "Bằng chứng về số lựa chọn trên phiếu không hợp lệ (chọn quá số lượng cho phép).",
        "The proof of the number of marks on the ballot is not valid (too many or too few).",
    ),
    "ballot_not_eligible": (
        "Người này không có quyền bỏ phiếu trong cuộc bỏ phiếu này.",
        "This person is not entitled to vote in this vote.",
    ),
    "ballot_wrong_voter": (
        "Phiếu ghi tên một đại biểu khác với người đang đăng nhập.",
        "The ballot names a delegate other than the one signed in.",
    ),
    "ballot_already_cast": (
        "Đại biểu đã bỏ phiếu; cuộc bỏ phiếu này không cho bỏ phiếu lại.",
        "The delegate has already voted; this vote does not allow voting again.",
    ),
    "ballot_duplicate": (
        "Phiếu này trùng với một phiếu đã có trên bảng công khai.",
        "This ballot copies a ballot already on the public board.",
    ),
    "vote_not_open": (
        "Cuộc bỏ phiếu không ở trạng thái đang mở.",
        "The vote is not open.",
    ),
}


class InvalidBallot(BallotError):
    """The server refuses an encrypted ballot; ``code`` says why (see ``REJECTIONS``)."""

    code = "ballot_invalid"
    message_vi = "Phiếu không hợp lệ."
    message_en = "The ballot is not valid."

    def __init__(
        self,
        code: str,
        message_vi: str | None = None,
        message_en: str | None = None,
        **extra: Any,
    ) -> None:
        self.code = code
        vi, en = REJECTIONS.get(code, (None, None))
        super().__init__(message_vi or vi, message_en or en, **extra)


class InvalidChoice(BallotError):
    """The delegate's choice breaks the ballot's rules: caught on the tablet, never sent."""

    code = "ballot_choice_invalid"
    message_vi = "Lựa chọn không đúng quy định của phiếu."
    message_en = "The choice does not follow the ballot's rules."


class InvalidKeyShare(BallotError):
    """A committee member's key share comes without a valid proof of knowledge."""

    code = "committee_key_share_invalid"
    message_vi = "Khóa của thành viên Ban kiểm phiếu không hợp lệ."
    message_en = "A vote-counting committee member's key share is not valid."


class WrongPartialDecryption(BallotError):
    """A partial decryption whose proof of correctness fails: it is refused, not counted."""

    code = "committee_partial_invalid"
    message_vi = "Phần giải mã của thành viên Ban kiểm phiếu không đúng."
    message_en = "A vote-counting committee member's partial decryption is not correct."


class TallyIncomplete(BallotError):
    """Not every committee member has decrypted yet: the vote stays closed, uncounted."""

    code = "tally_incomplete"
    message_vi = "Chưa đủ phần giải mã của Ban kiểm phiếu; chưa thể công bố kết quả."
    message_en = "The vote-counting committee has not all decrypted; no result yet."

    def __init__(self, missing: list[str]) -> None:
        self.missing = list(missing)
        super().__init__(missing=self.missing)


class CountOutOfRange(BallotError):
    """The decrypted tally is not a count between 0 and the number of ballots."""

    code = "tally_out_of_range"
    message_vi = "Kết quả giải mã nằm ngoài số phiếu có thể có."
    message_en = "The decrypted tally is outside the possible number of ballots."


class VoteStateError(BallotError):
    """An action that the vote's state does not allow (cast after close, count before)."""

    code = "vote_state"
    message_vi = "Thao tác không phù hợp với trạng thái của cuộc bỏ phiếu."
    message_en = "The action does not fit the vote's current state."


class ReceiptNotFound(BallotError):
    code = "receipt_not_found"
    message_vi = "Không tìm thấy biên nhận này trên bảng công khai."
    message_en = "This receipt is not on the public board."


class InvalidBoard(BallotError):
    """The board JSON cannot even be read as a board (not a tampering report)."""

    code = "board_invalid"
    message_vi = "Tệp bảng công khai không đúng định dạng."
    message_en = "The public board file is not in the expected format."
