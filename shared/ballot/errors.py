"""Failures of the secret ballot that a caller may handle.

Every error carries a stable ``code``, a Vietnamese message and an English one, the shape
of ``shared.crypto.errors.CryptoError`` (its base) so the server maps all of them the
same way. Each reason a ballot is refused is a subclass of ``InvalidBallot``, because the
server, the tablet and the verifier all show them (``REJECTIONS`` lists their text).
"""

from __future__ import annotations

from typing import Any, cast

from shared.crypto.errors import CryptoError
from shared.errors import Conflict, Forbidden, Invalid, NotFound, by_code, narrowest


class BallotError(CryptoError, abstract=True):
    """Base of every secret-ballot failure; never raised itself."""

    code = "ballot_error"
    message_vi = "Lỗi phiếu bầu kín."
    message_en = "Secret ballot failure."


class InvalidEncoding(BallotError, Invalid):
    """Bytes that are not a group element, a canonical scalar or the expected shape."""

    code = "ballot_bad_encoding"
    message_vi = "Dữ liệu mã hóa của phiếu không hợp lệ."
    message_en = "The ballot's encoded data is not valid."


class InvalidBallot(BallotError, abstract=True):
    """The server refuses an encrypted ballot; the subclass (its ``code``) says why.

    ``InvalidBallot("ballot_wrong_vote")`` still works: the code names its class."""

    code = "ballot_invalid"
    message_vi = "Phiếu không hợp lệ."
    message_en = "The ballot is not valid."

    def __new__(cls, code: str | None = None, *args: Any, **kwargs: Any) -> InvalidBallot:
        target = narrowest(cls, code) if code else cls
        return super().__new__(cast(type[InvalidBallot], target))

    def __init__(
        self,
        code: str | None = None,
        message_vi: str | None = None,
        message_en: str | None = None,
        **extra: Any,
    ) -> None:
        if code is not None and code != type(self).code:
            self.code = code
            known = by_code(code)
            if known is not None:
                message_vi = message_vi or known.message_vi
                message_en = message_en or known.message_en
        super().__init__(message_vi, message_en, **extra)


class BallotWrongShape(InvalidBallot, Invalid):
    """The ballot's boxes do not match the vote's ballot form."""

    code = "ballot_wrong_shape"
    message_vi = "Phiếu không khớp với mẫu phiếu của cuộc bỏ phiếu này."
    message_en = "The ballot does not match this vote's ballot form."


class BallotWrongVote(InvalidBallot, Invalid):
    """The ballot was made for another vote."""

    code = "ballot_wrong_vote"
    message_vi = "Phiếu này thuộc về một cuộc bỏ phiếu khác."
    message_en = "This ballot belongs to another vote."


class BallotOptionProofInvalid(InvalidBallot, Invalid):
    """A box's zero-or-one proof fails: the ballot may hide a stuffed box."""

    code = "ballot_option_proof_invalid"
    message_vi = "Bằng chứng cho một lựa chọn trên phiếu không hợp lệ (mỗi ô chỉ được 0 hoặc 1)."
    message_en = "The proof for an option on the ballot is not valid (each box must be 0 or 1)."


class BallotSumProofInvalid(InvalidBallot, Invalid):
    """The proof of the number of marks fails: too many or too few choices."""

    code = "ballot_sum_proof_invalid"
    message_vi = "Bằng chứng về số lựa chọn trên phiếu không hợp lệ (chọn quá số lượng cho phép)."
    message_en = "The proof of the number of marks on the ballot is not valid (too many or too few)."


class BallotNotEligible(InvalidBallot, Forbidden):
    """The voter is not on the vote's list of those entitled to vote."""

    code = "ballot_not_eligible"
    message_vi = "Người này không có quyền bỏ phiếu trong cuộc bỏ phiếu này."
    message_en = "This person is not entitled to vote in this vote."


class BallotWrongVoter(InvalidBallot, Invalid):
    """The ballot names another delegate than the one signed in."""

    code = "ballot_wrong_voter"
    message_vi = "Phiếu ghi tên một đại biểu khác với người đang đăng nhập."
    message_en = "The ballot names a delegate other than the one signed in."


class BallotAlreadyCast(InvalidBallot, Conflict):
    """A second ballot from a delegate in a vote that does not allow recasting."""

    code = "ballot_already_cast"
    message_vi = "Đại biểu đã bỏ phiếu; cuộc bỏ phiếu này không cho bỏ phiếu lại."
    message_en = "The delegate has already voted; this vote does not allow voting again."


class BallotDuplicate(InvalidBallot, Conflict):
    """A copy of a ballot already on the public board (a replay)."""

    code = "ballot_duplicate"
    message_vi = "Phiếu này trùng với một phiếu đã có trên bảng công khai."
    message_en = "This ballot copies a ballot already on the public board."


class VoteNotOpen(InvalidBallot, Conflict):
    """A ballot for a vote that is not open (not yet, or closed)."""

    code = "vote_not_open"
    message_vi = "Cuộc bỏ phiếu không ở trạng thái đang mở."
    message_en = "The vote is not open."


def _rejections() -> dict[str, tuple[str, str]]:
    out = {InvalidEncoding.code: (InvalidEncoding.message_vi, InvalidEncoding.message_en)}
    for cls in InvalidBallot.__subclasses__():
        out[cls.code] = (cls.message_vi, cls.message_en)
    return out


# code -> (Vietnamese, English) of every refusal of a ballot, kept for callers that hold
# only a code (the verifier's report); the text lives on the classes above.
REJECTIONS: dict[str, tuple[str, str]] = _rejections()


class InvalidChoice(BallotError, Invalid):
    """The delegate's choice breaks the ballot's rules: caught on the tablet, never sent."""

    code = "ballot_choice_invalid"
    message_vi = "Lựa chọn không đúng quy định của phiếu."
    message_en = "The choice does not follow the ballot's rules."


class InvalidKeyShare(BallotError, Invalid):
    """A committee member's key share comes without a valid proof of knowledge."""

    code = "committee_key_share_invalid"
    message_vi = "Khóa của thành viên Ban kiểm phiếu không hợp lệ."
    message_en = "A vote-counting committee member's key share is not valid."


class WrongPartialDecryption(BallotError, Invalid):
    """A partial decryption whose proof of correctness fails: it is refused, not counted."""

    code = "committee_partial_invalid"
    message_vi = "Phần giải mã của thành viên Ban kiểm phiếu không đúng."
    message_en = "A vote-counting committee member's partial decryption is not correct."


class TallyIncomplete(BallotError, Conflict):
    """Not every committee member has decrypted yet: the vote stays closed, uncounted."""

    code = "tally_incomplete"
    message_vi = "Chưa đủ phần giải mã của Ban kiểm phiếu; chưa thể công bố kết quả."
    message_en = "The vote-counting committee has not all decrypted; no result yet."

    def __init__(self, missing: list[str]) -> None:
        self.missing = list(missing)
        super().__init__(missing=self.missing)


class CountOutOfRange(BallotError, Conflict):
    """The decrypted tally is not a count between 0 and the number of ballots."""

    code = "tally_out_of_range"
    message_vi = "Kết quả giải mã nằm ngoài số phiếu có thể có."
    message_en = "The decrypted tally is outside the possible number of ballots."


class VoteStateError(BallotError, Conflict):
    """An action that the vote's state does not allow (cast after close, count before)."""

    code = "vote_state"
    message_vi = "Thao tác không phù hợp với trạng thái của cuộc bỏ phiếu."
    message_en = "The action does not fit the vote's current state."


class ReceiptNotFound(BallotError, NotFound):
    """A voter looks up a receipt that is not on the public board."""

    code = "receipt_not_found"
    message_vi = "Không tìm thấy biên nhận này trên bảng công khai."
    message_en = "This receipt is not on the public board."


class InvalidBoard(BallotError, Invalid):
    """The board JSON cannot even be read as a board (not a tampering report)."""

    code = "board_invalid"
    message_vi = "Tệp bảng công khai không đúng định dạng."
    message_en = "The public board file is not in the expected format."
