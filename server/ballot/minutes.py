"""The verifiable ballot's part of the vote-count sheet (biên bản kiểm phiếu).

``server.services.minutes.vote_count_sheet`` adds these blocks when the vote is a
verifiable ballot: the committee, the counts decrypted by it, the confidence rule's flags
with the rule's text, and the board's final hash, which fixes the whole public board in
the signed minutes (anyone can then check it with ``hdnd ballot verify --head``).
"""

from __future__ import annotations

from sqlmodel import Session, select

from server.ballot import board_store, service
from server.models.ballot import Ballot
from server.text.sentences import sentence
from shared.ballot.box import SecretBallotBox
from shared.ballot.confidence import (
    RULE_TEXT_VERIFIED,
    UNVERIFIED_NOTE_VI,
    confidence_result,
    confidence_vote_result,
)
from shared.reports.document import BulletList, Paragraph, Table

LEVEL_VI = {"high": "Tín nhiệm cao", "medium": "Tín nhiệm", "low": "Tín nhiệm thấp"}
FLAG_VI = {"more_than_half_low": "quá nửa đến dưới hai phần ba số phiếu đánh giá tín nhiệm thấp",
           "two_thirds_low": "từ hai phần ba số phiếu trở lên đánh giá tín nhiệm thấp"}


def verifiable_blocks(db: Session, sitting_id: int, vote_id: str) -> list:
    ballot = db.exec(select(Ballot).where(Ballot.sitting_id == sitting_id,
                                          Ballot.live_vote_id == vote_id)).first()
    if ballot is None or ballot.id is None:
        return []
    view = service.ballot_view(db, ballot)
    board = board_store.load_board(db, ballot.id)
    box = SecretBallotBox(board)
    definition = service.definition_of(ballot)
    blocks: list = [
        Paragraph("Bỏ phiếu kín kiểm chứng được: mỗi phiếu được mã hóa trên máy tính bảng của "
                  "đại biểu; chỉ tổng số phiếu của từng ô được Ban kiểm phiếu giải mã.",
                  italic=True),
        sentence("Ban kiểm phiếu: " + ", ".join(m["full_name"] or f"#{m['person_id']}"
                                                for m in view["committee"])),
        f"Số đại biểu đã bỏ phiếu: {view['turnout']}; số phiếu được kiểm: {len(box.voted)}.",
    ]
    if box.counts is None:
        waiting = ", ".join(m["full_name"] for m in view["waiting_for"])
        blocks.append(Paragraph("Chưa có kết quả" + (f": đang chờ phần giải mã của {waiting}."
                                                     if waiting else "."), bold=True))
    elif definition.kind == "election":
        rows = [[s.full_name, str(n)] for s, n in zip(definition.subjects, box.counts,
                                                      strict=True)]
        blocks.append(Table(["Ứng cử viên", "Số phiếu bầu"], rows, numeric_columns=(1,),
                            caption="Kết quả kiểm phiếu do Ban kiểm phiếu giải mã"))
    elif definition.kind == "confidence_vote":
        vote = confidence_vote_result(definition, box.counts)
        rows = [[o["full_name"], str(o["counts"]["trust"]), str(o["counts"]["distrust"])]
                for o in vote["officials"]]
        blocks.append(Table(["Người được bỏ phiếu tín nhiệm", "Tín nhiệm", "Không tín nhiệm"],
                            rows, numeric_columns=(1, 2),
                            caption=f"Trên tổng số {vote['members_total']} đại biểu"))
        distrusted = [o["full_name"] for o in vote["officials"] if o["no_confidence"]]
        blocks.append(sentence("Có quá nửa tổng số đại biểu bỏ phiếu không tín nhiệm: "
                               + ", ".join(distrusted)) if distrusted else
                      "Không có người nào bị quá nửa tổng số đại biểu bỏ phiếu không tín nhiệm.")
        blocks.append(sentence(f"Căn cứ: {vote['rule']['citation']} — {vote['rule']['text_vi']}"))
        blocks.append(Paragraph(UNVERIFIED_NOTE_VI, italic=True))
    else:
        result = confidence_result(definition, box.counts)
        rows = [[o.full_name, str(o.high), str(o.medium), str(o.low)] for o in result.officials]
        blocks.append(Table(["Người được lấy phiếu", *LEVEL_VI.values()], rows,
                            numeric_columns=(1, 2, 3),
                            caption=f"Trên tổng số {result.members_total} đại biểu"))
        flagged = [f"{o.full_name}: {o.rule_article} — {o.rule_text_vi}"
                   for o in result.officials if o.rule_article]
        blocks.append(BulletList(flagged) if flagged else
                      "Không có người nào có quá nửa tổng số đại biểu đánh giá tín nhiệm thấp.")
        # the base is not verified: the same judgement on the ballots cast, side by side
        by_ballots = [f"{o.full_name}: {FLAG_VI[o.flag_of_ballots]}" for o in result.officials
                      if o.flag_of_ballots != "none"]
        blocks.append(sentence(f"Tính trên tổng số phiếu ({result.ballots_counted} phiếu): "
                               + ("; ".join(by_ballots) if by_ballots else
                                  "không có người nào quá nửa số phiếu đánh giá tín nhiệm thấp")))
        blocks.append(sentence(f"Căn cứ: {result.source}"))
        if not RULE_TEXT_VERIFIED:
            blocks.append(Paragraph(UNVERIFIED_NOTE_VI, italic=True))
    blocks.append(f"Mã băm cuối của bảng công khai (bulletin board): {board.head}.")
    return blocks
