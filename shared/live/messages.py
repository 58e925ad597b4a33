"""Vietnamese and English text for every error code of the live sitting.

One catalogue keyed by the stable ``code`` that clients switch on; the text is what a
delegate reads on the tablet, so it is written for them, Vietnamese first.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # rights
    "not_chair": (
        "Chỉ chủ tọa phiên họp được thực hiện thao tác này.",
        "Only the chair of the sitting may do this.",
    ),
    "not_chair_or_secretary": (
        "Chỉ chủ tọa hoặc thư ký phiên họp được thực hiện thao tác này.",
        "Only the chair or the secretary of the sitting may do this.",
    ),
    "acting_for_other": (
        "Bạn chỉ được thao tác cho chính mình.",
        "You may only act for yourself.",
    ),
    "not_member": (
        "Người này không phải đại biểu của phiên họp.",
        "This person is not a member of the sitting.",
    ),
    "not_addressee": (
        "Chỉ người được chất vấn mới được ghi nhận cam kết cho câu trả lời của mình.",
        "Only the official who was questioned may record a commitment for their answer.",
    ),
    "not_presenter": (
        "Chỉ chủ tọa, thư ký hoặc người đang phát biểu được điều khiển trình chiếu.",
        "Only the chair, the secretary or the current speaker may lead the document view.",
    ),
    # sitting
    "sitting_not_open": ("Phiên họp chưa khai mạc.", "The sitting has not been opened."),
    "sitting_already_open": ("Phiên họp đã khai mạc.", "The sitting is already open."),
    "sitting_closed": ("Phiên họp đã bế mạc.", "The sitting is closed."),
    # attendance
    "already_present": ("Đại biểu đã điểm danh.", "The delegate is already checked in."),
    "not_present": ("Đại biểu chưa điểm danh.", "The delegate is not checked in."),
    "no_quorum": (
        "Chưa đủ số đại biểu có mặt theo quy định; biểu quyết thủ tục chỉ được tiến hành khi "
        "chủ tọa nêu lý do (ghi vào biên bản).",
        "There is no quorum; a procedural vote may go ahead only with the chair's reason "
        "(recorded in the minutes).",
    ),
    "no_quorum_binding": (
        "Chưa đủ số đại biểu có mặt theo quy định: không thể biểu quyết thông qua nghị quyết, "
        "bầu cử, miễn nhiệm, bãi nhiệm, lấy phiếu hoặc bỏ phiếu tín nhiệm. Chỉ biểu quyết thủ "
        "tục mới được tiến hành khi chưa đủ số đại biểu.",
        "There is no quorum: a resolution, election, dismissal, recall or confidence ballot "
        "cannot be taken. Only a procedural vote may go ahead without quorum.",
    ),
    "threshold_fixed_by_law": (
        "Điều kiện thông qua do luật định theo loại quyết định, không được chọn khác; chỉ biểu "
        "quyết thủ tục mới theo quy tắc Hội đồng tự đặt.",
        "The law fixes the threshold for this kind of decision; only a procedural vote may "
        "use a rule the council sets.",
    ),
    "decision_mode_mismatch": (
        "Hình thức biểu quyết không phù hợp với loại quyết định (ví dụ: bầu cử phải bỏ phiếu "
        "bầu, lấy phiếu tín nhiệm phải dùng phiếu tín nhiệm).",
        "The ballot does not fit the kind of decision (an election needs an election ballot, "
        "a confidence survey a confidence ballot).",
    ),
    # agenda
    "unknown_item": ("Không có nội dung này trong chương trình.", "No such agenda item."),
    "item_already_open": ("Nội dung này đang được thảo luận.", "This item is already open."),
    "item_not_open": ("Chưa mở nội dung nào.", "No agenda item is open."),
    "unknown_document": (
        "Tài liệu không thuộc nội dung đang thảo luận.",
        "The document does not belong to the open item.",
    ),
    "not_following": ("Không có trình chiếu nào đang diễn ra.", "Nobody is leading the view."),
    # speaker queue and turns
    "unknown_person": ("Không có người này trong phiên họp.", "No such person in the sitting."),
    "already_in_queue": (
        "Đại biểu đã đăng ký phát biểu loại này.",
        "The delegate has already asked to speak of this kind.",
    ),
    "unknown_request": (
        "Không có đăng ký phát biểu này trong danh sách chờ.",
        "No such request in the speaker queue.",
    ),
    "queue_empty": ("Chưa có ai đăng ký phát biểu.", "Nobody has asked to speak."),
    "bad_order": (
        "Thứ tự mới phải gồm đúng các mục đang chờ.",
        "The new order must list exactly the waiting entries.",
    ),
    "turn_in_progress": (
        "Đang có người phát biểu; hãy kết thúc lượt hiện tại trước.",
        "Someone has the floor; end the current turn first.",
    ),
    "no_turn": ("Không có lượt phát biểu nào đang diễn ra.", "Nobody has the floor."),
    # questioning
    "unknown_official": (
        "Người được chất vấn không phải là đại biểu khách mời của phiên họp.",
        "The addressee is not an invited official of the sitting.",
    ),
    "unknown_question": ("Không có câu hỏi chất vấn này.", "No such question."),
    "too_many_questions": (
        "Mỗi đại biểu đăng ký tối đa 10 câu hỏi chất vấn trong một phiên họp.",
        "Each delegate may register at most 10 questions in a sitting.",
    ),
    "sitting_questions_full": (
        "Phiên họp đã đủ 500 câu hỏi chất vấn; hãy gửi thêm bằng văn bản.",
        "The sitting already holds 500 questions; send further ones in writing.",
    ),
    "too_many_commitments": (
        "Câu hỏi này đã có 5 nội dung hứa khắc phục.",
        "This question already has 5 recorded commitments.",
    ),
    "question_closed": ("Câu hỏi chất vấn này đã kết thúc.", "This question is closed."),
    "wrong_phase": (
        "Chưa đến bước này của lượt chất vấn.",
        "This step of the question turn is not due yet.",
    ),
    # voting
    "unknown_vote": ("Không có cuộc biểu quyết này.", "No such vote."),
    "vote_in_progress": (
        "Đang có một cuộc biểu quyết chưa kết thúc.",
        "Another vote is still open.",
    ),
    "vote_closed": ("Cuộc biểu quyết đã kết thúc.", "The vote is closed."),
    "already_voted": (
        "Bạn đã biểu quyết; cuộc biểu quyết này không cho phép thay đổi.",
        "You have already voted and this vote does not allow changes.",
    ),
    "verifiable_ballot": (
        "Cuộc bỏ phiếu kín này dùng phiếu mã hóa: bỏ phiếu và kết thúc qua Ban kiểm phiếu.",
        "This secret ballot is encrypted: cast and close it through the ballot, not here.",
    ),
    "invalid_choice": ("Lựa chọn không hợp lệ.", "The choice is not valid."),
    "invalid_vote": (
        "Thiết lập cuộc biểu quyết không hợp lệ.",
        "The vote's settings are not valid.",
    ),
    "secret_vote_no_change": (
        "Bỏ phiếu kín không cho phép sửa phiếu.",
        "A secret ballot cannot allow changing a choice.",
    ),
    "tally_missing": (
        "Máy chủ chưa kiểm phiếu của hòm phiếu kín.",
        "The server did not supply the ballot box tally.",
    ),
    "tally_mismatch": (
        "Số phiếu trong hòm phiếu không khớp số đại biểu đã bỏ phiếu.",
        "The ballot box count does not match the number of voters.",
    ),
    # protocol
    "malformed_json": ("Thông điệp không phải JSON hợp lệ.", "The message is not valid JSON."),
    "unknown_type": ("Loại thông điệp không được hỗ trợ.", "Unknown message type."),
    "invalid_message": (
        "Thông điệp thiếu trường hoặc có giá trị không hợp lệ.",
        "The message has missing or invalid fields.",
    ),
    "too_large": ("Thông điệp quá lớn (tối đa 64 KiB).", "The message is too large (64 KiB max)."),
    "rate_limited": (
        "Gửi quá nhiều lệnh; hãy thử lại sau giây lát.",
        "Too many commands; try again in a moment.",
    ),
    "unsupported_version": (
        "Phiên bản ứng dụng không tương thích với máy chủ; hãy cập nhật ứng dụng.",
        "This app's protocol version is not supported; update the app.",
    ),
    "hello_required": (
        "Cần gửi lời chào (hello) trước khi gửi lệnh.",
        "Send hello before any command.",
    ),
    "credentials_invalid": (
        "Máy chủ không nhận thông tin đăng nhập của máy này. Máy đang lấy lại; nếu vẫn bị "
        "từ chối, hãy liên hệ Văn phòng HĐND.",
        "The server did not accept this device's credentials. The device is fetching new "
        "ones; if it is still refused, contact the council office.",
    ),
    "credentials_expired": (
        "Thông tin đăng nhập phiên họp đã hết hạn; máy đang lấy lại và sẽ gửi lại lệnh.",
        "The sitting credentials expired; the device is renewing them and will resend.",
    ),
    "credentials_revoked": (
        "Máy này hoặc tài khoản này đã bị thu hồi quyền tham gia phiên họp. Hãy liên hệ "
        "Văn phòng HĐND.",
        "This device or account no longer may take part in the sitting. Contact the "
        "council office.",
    ),
}


def text_for(code: str) -> tuple[str, str]:
    """(Vietnamese, English) for ``code``; an unknown code still yields readable text."""
    return MESSAGES.get(code, (f"Lỗi: {code}", f"Error: {code}"))
