"""Failures of the live sitting a caller may handle, each a class with a stable ``code``.

``decide`` refuses a command with a ``CommandRejected`` subclass; a frame that cannot be
read (or may not be sent) is a ``ProtocolError`` subclass. Both may still be built from
the code alone, as before the tree (``CommandRejected("not_chair")``): the code names
its class (``shared.errors.narrowest``), so the category, and with it the HTTP status
and the websocket meaning, is the same whichever way the error was made. The text is
what a delegate reads on the tablet, Vietnamese first.
"""

from __future__ import annotations

from typing import Any, cast

from shared.errors import (
    BadRequest,
    BilingualError,
    Conflict,
    Forbidden,
    Invalid,
    Throttled,
    TooLarge,
    Unauthenticated,
    Unsupported,
    by_code,
    narrowest,
)


class LiveError(BilingualError, abstract=True):
    """Base: a stable ``code`` plus the message in Vietnamese and English."""

    code = "live_error"

    def __new__(cls, code: str | None = None, *args: Any, **kwargs: Any) -> LiveError:
        target = narrowest(cls, code) if code else cls
        return super().__new__(cast(type[LiveError], target))

    def __init__(self, code: str | None = None, message_vi: str | None = None,
                 message_en: str | None = None):
        if code is not None and code != type(self).code:
            self.code = code  # a code of another branch (or none): its text from the registry
            known = by_code(code)
            default_vi, default_en = ((known.message_vi, known.message_en) if known is not None
                                      else (f"Lỗi: {code}", f"Error: {code}"))
            message_vi, message_en = message_vi or default_vi, message_en or default_en
        super().__init__(message_vi or None, message_en or None)
        self.args = (f"{self.code}: {self.message_en}",)


class CommandRejected(LiveError, abstract=True):
    """``decide`` refused a command; nothing changed and no event was made."""


class ProtocolError(LiveError, abstract=True):
    """A message could not be read (bad JSON, unknown type, too large...).

    ``key`` is the command's idempotency key when it could still be read, so the client
    can match the error to what it sent.
    """

    def __init__(self, code: str | None = None, message_vi: str | None = None,
                 message_en: str | None = None, *, key: str | None = None):
        super().__init__(code, message_vi, message_en)
        self.key = key


class EventOutOfOrder(Exception):
    """An event's ``seq`` is not the next one: the receiver missed events and must resync."""

    def __init__(self, expected: int, got: int):
        self.expected = expected
        self.got = got
        super().__init__(f"expected event seq {expected}, got {got}")


# --- refusals of decide ----------------------------------------------------------------


class NotChair(CommandRejected, Forbidden):
    """Only the chair (or a delegated operator) may send this command."""

    code = "not_chair"
    message_vi = "Chỉ chủ tọa phiên họp được thực hiện thao tác này."
    message_en = "Only the chair of the sitting may do this."


class NotChairOrSecretary(CommandRejected, Forbidden):
    """Only the chair or the secretary may send this command."""

    code = "not_chair_or_secretary"
    message_vi = "Chỉ chủ tọa hoặc thư ký phiên họp được thực hiện thao tác này."
    message_en = "Only the chair or the secretary of the sitting may do this."


class ActingForOther(CommandRejected, Forbidden):
    """A delegate sent a command on behalf of someone else."""

    code = "acting_for_other"
    message_vi = "Bạn chỉ được thao tác cho chính mình."
    message_en = "You may only act for yourself."


class NotMember(CommandRejected, Forbidden):
    """The person named is not a member of the sitting."""

    code = "not_member"
    message_vi = "Người này không phải đại biểu của phiên họp."
    message_en = "This person is not a member of the sitting."


class NotAddressee(CommandRejected, Forbidden):
    """Only the questioned official records a commitment for their answer."""

    code = "not_addressee"
    message_vi = "Chỉ người được chất vấn mới được ghi nhận cam kết cho câu trả lời của mình."
    message_en = "Only the official who was questioned may record a commitment for their answer."


class NotPresenter(CommandRejected, Forbidden):
    """Leading the document view is for the chair, the secretary or the speaker."""

    code = "not_presenter"
    message_vi = "Chỉ chủ tọa, thư ký hoặc người đang phát biểu được điều khiển trình chiếu."
    message_en = "Only the chair, the secretary or the current speaker may lead the document view."


class SittingNotOpen(CommandRejected, Conflict):
    """The command needs an open sitting and it has not been opened."""

    code = "sitting_not_open"
    message_vi = "Phiên họp chưa khai mạc."
    message_en = "The sitting has not been opened."


class SittingAlreadyOpen(CommandRejected, Conflict):
    """The sitting was opened already."""

    code = "sitting_already_open"
    message_vi = "Phiên họp đã khai mạc."
    message_en = "The sitting is already open."


class SittingClosed(CommandRejected, Conflict):
    """The sitting is closed; nothing more can happen in it."""

    code = "sitting_closed"
    message_vi = "Phiên họp đã bế mạc."
    message_en = "The sitting is closed."


class SittingPaused(CommandRejected, Conflict):
    """The sitting is paused; resume it first."""

    code = "sitting_paused"
    message_vi = "Phiên họp đang tạm dừng."
    message_en = "The sitting is paused."


class SittingNotPaused(CommandRejected, Conflict):
    """Resume was sent but the sitting is not paused."""

    code = "sitting_not_paused"
    message_vi = "Phiên họp không ở trạng thái tạm dừng."
    message_en = "The sitting is not paused."


class AlreadyPresent(CommandRejected, Conflict):
    """Check-in of a delegate who is already checked in."""

    code = "already_present"
    message_vi = "Đại biểu đã điểm danh."
    message_en = "The delegate is already checked in."


class NotPresent(CommandRejected, Conflict):
    """The delegate must check in first."""

    code = "not_present"
    message_vi = "Đại biểu chưa điểm danh."
    message_en = "The delegate is not checked in."


class NoQuorum(CommandRejected, Conflict):
    """Too few delegates present; a procedural vote needs the chair's reason."""

    code = "no_quorum"
    message_vi = ("Chưa đủ số đại biểu có mặt theo quy định; biểu quyết thủ tục chỉ được tiến "
                  "hành khi chủ tọa nêu lý do (ghi vào biên bản).")
    message_en = ("There is no quorum; a procedural vote may go ahead only with the chair's "
                  "reason (recorded in the minutes).")


class NoQuorumBinding(CommandRejected, Conflict):
    """Too few delegates present for a binding vote (resolution, election …)."""

    code = "no_quorum_binding"
    message_vi = ("Chưa đủ số đại biểu có mặt theo quy định: không thể biểu quyết thông qua nghị "
                  "quyết, bầu cử, miễn nhiệm, bãi nhiệm, lấy phiếu hoặc bỏ phiếu tín nhiệm. Chỉ "
                  "biểu quyết thủ tục mới được tiến hành khi chưa đủ số đại biểu.")
    message_en = ("There is no quorum: a resolution, election, dismissal, recall or confidence "
                  "ballot cannot be taken. Only a procedural vote may go ahead without quorum.")


class ThresholdFixedByLaw(CommandRejected, Conflict):
    """A threshold other than the legal one was chosen for a binding vote."""

    code = "threshold_fixed_by_law"
    message_vi = ("Điều kiện thông qua do luật định theo loại quyết định, không được chọn khác; "
                  "chỉ biểu quyết thủ tục mới theo quy tắc Hội đồng tự đặt.")
    message_en = ("The law fixes the threshold for this kind of decision; only a procedural vote "
                  "may use a rule the council sets.")


class DecisionModeMismatch(CommandRejected, Conflict):
    """The ballot kind does not fit the kind of decision."""

    code = "decision_mode_mismatch"
    message_vi = ("Hình thức biểu quyết không phù hợp với loại quyết định (ví dụ: bầu cử phải bỏ "
                  "phiếu bầu, lấy phiếu tín nhiệm phải dùng phiếu tín nhiệm).")
    message_en = ("The ballot does not fit the kind of decision (an election needs an election "
                  "ballot, a confidence survey a confidence ballot).")


class UnknownItem(CommandRejected, Conflict):
    """No such agenda item in the sitting."""

    code = "unknown_item"
    message_vi = "Không có nội dung này trong chương trình."
    message_en = "No such agenda item."


class ItemAlreadyOpen(CommandRejected, Conflict):
    """The agenda item is already open."""

    code = "item_already_open"
    message_vi = "Nội dung này đang được thảo luận."
    message_en = "This item is already open."


class ItemNotOpen(CommandRejected, Conflict):
    """The command needs an open agenda item."""

    code = "item_not_open"
    message_vi = "Chưa mở nội dung nào."
    message_en = "No agenda item is open."


class UnknownDocument(CommandRejected, Conflict):
    """The document is not one of the open item's documents."""

    code = "unknown_document"
    message_vi = "Tài liệu không thuộc nội dung đang thảo luận."
    message_en = "The document does not belong to the open item."


class NotFollowing(CommandRejected, Conflict):
    """Nobody leads the document view, so there is nothing to follow or stop."""

    code = "not_following"
    message_vi = "Không có trình chiếu nào đang diễn ra."
    message_en = "Nobody is leading the view."


class UnknownPerson(CommandRejected, Forbidden):
    """No such person in the sitting."""

    code = "unknown_person"
    message_vi = "Không có người này trong phiên họp."
    message_en = "No such person in the sitting."


class AlreadyInQueue(CommandRejected, Conflict):
    """The delegate already asked to speak of this kind."""

    code = "already_in_queue"
    message_vi = "Đại biểu đã đăng ký phát biểu loại này."
    message_en = "The delegate has already asked to speak of this kind."


class UnknownRequest(CommandRejected, Conflict):
    """No such request in the speaker queue."""

    code = "unknown_request"
    message_vi = "Không có đăng ký phát biểu này trong danh sách chờ."
    message_en = "No such request in the speaker queue."


class QueueEmpty(CommandRejected, Conflict):
    """Give the floor was sent with nobody waiting."""

    code = "queue_empty"
    message_vi = "Chưa có ai đăng ký phát biểu."
    message_en = "Nobody has asked to speak."


class BadQueueOrder(CommandRejected, Conflict):
    """A new queue order that is not exactly the waiting entries."""

    code = "bad_order"
    message_vi = "Thứ tự mới phải gồm đúng các mục đang chờ."
    message_en = "The new order must list exactly the waiting entries."


class TurnInProgress(CommandRejected, Conflict):
    """Someone has the floor; the current turn must end first."""

    code = "turn_in_progress"
    message_vi = "Đang có người phát biểu; hãy kết thúc lượt hiện tại trước."
    message_en = "Someone has the floor; end the current turn first."


class NoTurn(CommandRejected, Conflict):
    """The command needs a current speaking turn."""

    code = "no_turn"
    message_vi = "Không có lượt phát biểu nào đang diễn ra."
    message_en = "Nobody has the floor."


class UnknownOfficial(CommandRejected, Conflict):
    """The addressee of a question is not an invited official."""

    code = "unknown_official"
    message_vi = "Người được chất vấn không phải là đại biểu khách mời của phiên họp."
    message_en = "The addressee is not an invited official of the sitting."


class UnknownQuestion(CommandRejected, Conflict):
    """No such question."""

    code = "unknown_question"
    message_vi = "Không có câu hỏi chất vấn này."
    message_en = "No such question."


class TooManyQuestions(CommandRejected, Conflict):
    """A delegate's eleventh question in a sitting."""

    code = "too_many_questions"
    message_vi = "Mỗi đại biểu đăng ký tối đa 10 câu hỏi chất vấn trong một phiên họp."
    message_en = "Each delegate may register at most 10 questions in a sitting."


class SittingQuestionsFull(CommandRejected, Conflict):
    """The sitting's 501st question."""

    code = "sitting_questions_full"
    message_vi = "Phiên họp đã đủ 500 câu hỏi chất vấn; hãy gửi thêm bằng văn bản."
    message_en = "The sitting already holds 500 questions; send further ones in writing."


class TooManyCommitments(CommandRejected, Conflict):
    """A sixth commitment for one question."""

    code = "too_many_commitments"
    message_vi = "Câu hỏi này đã có 5 nội dung hứa khắc phục."
    message_en = "This question already has 5 recorded commitments."


class QuestionClosed(CommandRejected, Conflict):
    """The question is closed."""

    code = "question_closed"
    message_vi = "Câu hỏi chất vấn này đã kết thúc."
    message_en = "This question is closed."


class WrongPhase(CommandRejected, Conflict):
    """A step of the question turn that is not due yet."""

    code = "wrong_phase"
    message_vi = "Chưa đến bước này của lượt chất vấn."
    message_en = "This step of the question turn is not due yet."


class UnknownVote(CommandRejected, Conflict):
    """No such vote."""

    code = "unknown_vote"
    message_vi = "Không có cuộc biểu quyết này."
    message_en = "No such vote."


class VoteInProgress(CommandRejected, Conflict):
    """Another vote is still open."""

    code = "vote_in_progress"
    message_vi = "Đang có một cuộc biểu quyết chưa kết thúc."
    message_en = "Another vote is still open."


class VoteClosed(CommandRejected, Conflict):
    """The vote is closed."""

    code = "vote_closed"
    message_vi = "Cuộc biểu quyết đã kết thúc."
    message_en = "The vote is closed."


class AlreadyVoted(CommandRejected, Conflict):
    """A second choice in a vote that does not allow changes."""

    code = "already_voted"
    message_vi = "Bạn đã biểu quyết; cuộc biểu quyết này không cho phép thay đổi."
    message_en = "You have already voted and this vote does not allow changes."


class VerifiableBallot(CommandRejected, Conflict):
    """An encrypted secret ballot is cast and closed through /api/ballots."""

    code = "verifiable_ballot"
    message_vi = "Cuộc bỏ phiếu kín này dùng phiếu mã hóa: bỏ phiếu và kết thúc qua Ban kiểm phiếu."
    message_en = "This secret ballot is encrypted: cast and close it through the ballot, not here."


class InvalidChoice(CommandRejected, Conflict):
    """The choice is not one of the vote's options."""

    code = "invalid_choice"
    message_vi = "Lựa chọn không hợp lệ."
    message_en = "The choice is not valid."


class InvalidVote(CommandRejected, Invalid):
    """The vote's settings are not valid."""

    code = "invalid_vote"
    message_vi = "Thiết lập cuộc biểu quyết không hợp lệ."
    message_en = "The vote's settings are not valid."


class SecretVoteNoChange(CommandRejected, Conflict):
    """A secret vote was opened allowing changed choices."""

    code = "secret_vote_no_change"
    message_vi = "Bỏ phiếu kín không cho phép sửa phiếu."
    message_en = "A secret ballot cannot allow changing a choice."


class TallyMissing(CommandRejected, Conflict):
    """A secret vote was closed without the ballot box's tally."""

    code = "tally_missing"
    message_vi = "Máy chủ chưa kiểm phiếu của hòm phiếu kín."
    message_en = "The server did not supply the ballot box tally."


class TallyMismatch(CommandRejected, Conflict):
    """The ballot box tally does not match the number of voters."""

    code = "tally_mismatch"
    message_vi = "Số phiếu trong hòm phiếu không khớp số đại biểu đã bỏ phiếu."
    message_en = "The ballot box count does not match the number of voters."


# --- the protocol: a message that cannot be read, or a connection that may not send --


class MalformedJson(ProtocolError, BadRequest):
    """A websocket frame that is not JSON."""

    code = "malformed_json"
    message_vi = "Thông điệp không phải JSON hợp lệ."
    message_en = "The message is not valid JSON."


class UnknownType(ProtocolError, Invalid):
    """A websocket message whose type the receiver does not know."""

    code = "unknown_type"
    message_vi = "Loại thông điệp không được hỗ trợ."
    message_en = "Unknown message type."


class UnknownCommand(ProtocolError, Invalid):
    """A command whose type the server does not know (REST and websocket)."""

    code = "unknown_command"
    message_vi = "Lệnh không được hỗ trợ."
    message_en = "Unknown command."


class InvalidMessage(ProtocolError, Invalid):
    """A message or command with missing fields or wrong values."""

    code = "invalid_message"
    message_vi = "Thông điệp thiếu trường hoặc có giá trị không hợp lệ."
    message_en = "The message has missing or invalid fields."


class MessageTooLarge(ProtocolError, TooLarge):
    """A websocket frame over 64 KiB."""

    code = "too_large"
    message_vi = "Thông điệp quá lớn (tối đa 64 KiB)."
    message_en = "The message is too large (64 KiB max)."


class RateLimited(ProtocolError, Throttled):
    """Too many commands from one device in a short time; the command was dropped."""

    code = "rate_limited"
    message_vi = "Gửi quá nhiều lệnh; hãy thử lại sau giây lát."
    message_en = "Too many commands; try again in a moment."


class UnsupportedVersion(ProtocolError, Unsupported):
    """The app's protocol version differs from the server's."""

    code = "unsupported_version"
    message_vi = "Phiên bản ứng dụng không tương thích với máy chủ; hãy cập nhật ứng dụng."
    message_en = "This app's protocol version is not supported; update the app."


class HelloRequired(ProtocolError, Invalid):
    """A command before the hello message."""

    code = "hello_required"
    message_vi = "Cần gửi lời chào (hello) trước khi gửi lệnh."
    message_en = "Send hello before any command."


class ReadOnly(ProtocolError, Forbidden):
    """A command on the public (read-only) channel."""

    code = "read_only"
    message_vi = "Kênh công khai chỉ để theo dõi; không gửi lệnh được."
    message_en = "The public channel is read-only; it takes no commands."


class CredentialsInvalid(ProtocolError, Unauthenticated):
    """The sitting credential is not valid; the device fetches a new one."""

    code = "credentials_invalid"
    message_vi = ("Máy chủ không nhận thông tin đăng nhập của máy này. Máy đang lấy lại; nếu vẫn "
                  "bị từ chối, hãy liên hệ Văn phòng HĐND.")
    message_en = ("The server did not accept this device's credentials. The device is fetching "
                  "new ones; if it is still refused, contact the council office.")


class CredentialsExpired(ProtocolError, Unauthenticated):
    """The sitting credential expired; the device renews it and resends."""

    code = "credentials_expired"
    message_vi = "Thông tin đăng nhập phiên họp đã hết hạn; máy đang lấy lại và sẽ gửi lại lệnh."
    message_en = "The sitting credentials expired; the device is renewing them and will resend."


class CredentialsRevoked(ProtocolError, Unauthenticated):
    """The device or account may no longer take part in the sitting."""

    code = "credentials_revoked"
    message_vi = ("Máy này hoặc tài khoản này đã bị thu hồi quyền tham gia phiên họp. Hãy liên hệ "
                  "Văn phòng HĐND.")
    message_en = ("This device or account no longer may take part in the sitting. Contact the "
                  "council office.")
