"""Failures of the ballot flow a caller may handle, as ``DomainError`` (problem+json).

Refusals from ``shared.ballot`` (a forged proof, a second ballot, a wrong decryption…)
keep their own stable ``code`` and messages; ``refused`` wraps them for problem+json,
and their HTTP status comes from their category like every other error's.
"""

from __future__ import annotations

from server.errors import Conflict, Forbidden, Invalid, NotFound, status_of_code
from server.errors import DomainError as DomainError
from shared.errors import BilingualError
from shared.live.errors import NotChair
from shared.live.errors import NotPresent as LiveNotPresent


class BallotNotFound(NotFound):
    code = "ballot_not_found"
    message_vi = "Không tìm thấy cuộc bỏ phiếu kín này."
    message_en = "No such secret ballot."


class NotBallotChair(NotChair, DomainError):
    """Someone other than the chair opens, closes or counts a secret ballot."""

    message_vi = "Chỉ chủ tọa phiên họp được điều khiển cuộc bỏ phiếu kín."
    message_en = "Only the chair of the sitting runs the secret ballot."


class NotCommitteeMember(Forbidden):
    code = "not_committee_member"
    message_vi = "Chỉ thành viên Ban kiểm phiếu được gửi khóa hoặc phần giải mã."
    message_en = "Only a member of the vote-counting committee may send a key or a decryption."


class CommitteeInvalid(Invalid):
    """The vote-counting committee named is not distinct delegates present at the sitting."""

    code = "committee_invalid"
    message_vi = "Ban kiểm phiếu phải gồm các đại biểu khác nhau, đang có mặt tại phiên họp."
    message_en = "The vote-counting committee must be distinct delegates present at the sitting."


class CommitteeMemberOnBallot(CommitteeInvalid):
    code = "committee_member_on_ballot"
    message_vi = ("Người có tên trên phiếu (ứng cử viên, người được lấy phiếu hoặc bỏ phiếu tín "
                  "nhiệm) không được là thành viên Ban kiểm phiếu.")
    message_en = ("A person on the ballot (a candidate, or an official being rated) may not sit "
                  "on the vote-counting committee.")


class CommitteeTooSmall(CommitteeInvalid):
    code = "committee_too_small"
    message_vi = "Ban kiểm phiếu của Hội đồng nhân dân cấp xã phải có ít nhất 3 thành viên."
    message_en = "A commune council's vote-counting committee needs at least 3 members."


class CommitteeVoteInvalid(CommitteeInvalid):
    code = "committee_vote_invalid"
    message_vi = ("Biểu quyết bầu Ban kiểm phiếu không có trong phiên họp, chưa kết thúc hoặc "
                  "không được thông qua.")
    message_en = ("The vote electing the vote-counting committee is not in this sitting, not "
                  "closed, or did not pass.")


class SubjectExcluded(Invalid):
    """A confidence survey lists someone the resolution leaves out."""

    code = "survey_subject_excluded"
    message_vi = ("Không lấy phiếu tín nhiệm đối với người đã có thông báo nghỉ công tác chờ nghỉ "
                  "hưu hoặc được bầu, bổ nhiệm trong năm lấy phiếu (Nghị quyết 96/2023/QH15, "
                  "Điều 2 khoản 5).")
    message_en = ("The survey leaves out people who announced their retirement or were elected "
                  "or appointed in the survey year (Resolution 96/2023/QH15, Article 2.5).")


class BallotStateError(Conflict):
    """The secret ballot's state does not allow the action (cast after close …)."""

    code = "ballot_state"
    message_vi = "Thao tác không phù hợp với trạng thái của cuộc bỏ phiếu kín."
    message_en = "The action does not fit the secret ballot's current state."


class CommitteeKeysMissing(BallotStateError):
    code = "committee_keys_missing"
    message_vi = "Chưa đủ khóa của các thành viên Ban kiểm phiếu."
    message_en = "Not every vote-counting committee member has sent their key."


class NotPresent(LiveNotPresent, DomainError):
    """A delegate casts a secret ballot before checking in (the live refusal's code)."""

    message_vi = "Đại biểu phải điểm danh trước khi bỏ phiếu."
    message_en = "Check in before voting."


class BallotRefused(DomainError, abstract=True):
    """A refusal of ``shared.ballot`` or ``shared.live.decide`` under its own code; the
    status is that code's category's."""

    def __init__(self, code: str, message_vi: str, message_en: str, **extra: object) -> None:
        super().__init__(message_vi, message_en, **extra)
        self.code = code
        self.status = status_of_code(code)


def refused(error: BilingualError | Exception) -> BallotRefused:
    code = getattr(error, "code", "ballot_error")
    extra = dict(getattr(error, "extra", {}) or {})
    return BallotRefused(code, getattr(error, "message_vi", str(error)),
                         getattr(error, "message_en", str(error)), **extra)
