"""The resolution prepared from a passed vote: "Chờ ký" for the chair.

When a vote of kind ``resolution`` on an agenda item with a draft resolution attached
passes, the system writes the resolution: the draft's text from "Căn cứ …" on, the
adoption sentence, the vote result and the rule applied, numbered from the register's
NQ-HĐND series and stored as a Document of kind ``resolution``. One per passed vote,
ever: the row's unique key (sitting, vote) and the register's subject both guard it, so
the hub's listener and the clerk's "prepare" button may both run.

The adoption sentence follows the form the demo drafts and published commune and
province resolutions use ("Nghị quyết này đã được Hội đồng nhân dân … thông qua ngày …");
its wording in a legal appendix was not found: rule ``resolution_adoption`` (unverified).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

import pymupdf
from anyio import to_thread
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.documents.storage import DocumentStore
from server.models import Account, AgendaItem, Document, DocumentKind, SessionOfficerRole
from server.models.base import id_of
from server.models.minutes_draft import PreparedResolution, ResolutionStatus
from server.register import series as register_series
from server.register.service import give_number, symbol
from server.services import audit, council
from server.services.generated_documents import keep_pdf, read_pdf
from server.services.minutes import LOCAL, _Context
from server.text.sentences import sentence
from shared.live.events import Event, VoteClosed
from shared.live.state import VoteState
from shared.reports.document import (
    OfficialDocument,
    Paragraph,
    Section,
    Signature,
    Table,
    place_date_line,
)
from shared.rules.book import RULES

log = logging.getLogger(__name__)

ADOPTION_RULE = RULES["resolution_adoption"]  # status "unverified": see docs/rules.md
RECIPIENTS = ("Thường trực HĐND xã;", "Ủy ban nhân dân xã;", "Đại biểu HĐND xã;",
              "Lưu: VT, hồ sơ kỳ họp.")


def resolution_subject(sitting_id: int, vote_id: str) -> str:
    """The register's key: one NQ number per passed vote."""
    return f"sitting:{sitting_id}:vote:{vote_id}:resolution"[:120]


def passed_resolution_votes(ctx: _Context) -> list[VoteState]:
    return [v for v in sorted(ctx.state.votes.values(), key=lambda v: v.closed_at or v.opened_at)
            if v.kind == "resolution" and v.result is not None and v.result.passed]


def draft_of(db: Session, agenda_item_id: int) -> Document | None:
    """The draft resolution attached to the item (the newest, if several)."""
    return db.exec(select(Document).where(Document.agenda_item_id == agenda_item_id,
                                          Document.kind == DocumentKind.draft_resolution)
                   .order_by(col(Document.id).desc())).first()


def _inside(box: tuple, outer: tuple) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return outer[0] <= x <= outer[2] and outer[1] <= y <= outer[3]


def _page_items(page: pymupdf.Page) -> list[tuple[float, list[str] | Table]]:
    """A page's text blocks (as lines) and tables (as ``Table``), top to bottom."""
    tables = page.find_tables().tables
    items: list[tuple[float, list[str] | Table]] = []
    for table in tables:
        rows = [[" ".join((cell or "").split()) for cell in row] for row in table.extract()]
        if len(rows) > 1:
            items.append((table.bbox[1], Table(rows[0], rows[1:])))
    for block in page.get_text("dict", sort=True)["blocks"]:
        if block.get("type") != 0 or any(_inside(block["bbox"], t.bbox) for t in tables):
            continue
        lines = [" ".join("".join(span["text"] for span in line["spans"]).split())
                 for line in block["lines"]]
        lines = [line for line in lines if line]
        if lines and not (len(lines) == 1 and lines[0].isdigit()):  # page numbers
            items.append((block["bbox"][1], lines))
    return sorted(items, key=lambda item: item[0])


def _styled(lines: list[str]) -> list:
    """Blocks in the resolution's own styles: "Điều n." headings bold, the preamble in
    italics, "QUYẾT NGHỊ:" bold and centred."""
    text = " ".join(lines)
    if text.startswith("QUYẾT NGHỊ"):
        return [Paragraph(text, bold=True, centered=True)]
    if text.startswith(("Căn cứ", "Xét ", "Theo đề nghị")):
        return [Paragraph(text, italic=True)]
    if lines[0].startswith("Điều ") and len(lines) > 1:
        return [Paragraph(lines[0], bold=True), " ".join(lines[1:])]
    if text.startswith("Điều "):
        return [Paragraph(text, bold=True)]
    return [text]


def _draft_body(pdf: bytes) -> list:
    """The draft's body from its first "Căn cứ" to before its own adoption sentence or
    "Nơi nhận", with its tables kept as tables; without "Căn cứ", all of it."""
    items: list[list[str] | Table] = []
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for page in doc:
            items += [item for _y, item in _page_items(page)]
    start = next((i for i, item in enumerate(items)
                  if isinstance(item, list) and item[0].startswith("Căn cứ")), 0)
    body: list = []
    for item in items[start:]:
        if isinstance(item, Table):
            body.append(item)
            continue
        kept: list[str] = []
        for line in item:
            if line.startswith(("Nghị quyết này đã được", "Nơi nhận")):
                break
            kept.append(line)
        if kept:
            body += _styled(kept)
        if len(kept) < len(item):
            break
    return body


def adoption_sentence(ctx: _Context, day_text: str) -> str:
    c = council.council_of(ctx.db, ctx.session)
    return sentence(f"Nghị quyết này đã được {ctx.council_name}, nhiệm kỳ {c.term_start} - "
                    f"{c.term_end}, {ctx.session.title} thông qua {day_text}")


def vote_result_sentence(vote: VoteState) -> str:
    assert vote.result is not None
    result = vote.result
    yes = result.counts.get("yes", 0)
    share = (f" ({yes * 100 / result.members_total:.2f}% tổng số đại biểu)".replace(".", ",")
             if result.members_total else "")
    return sentence(f"Kết quả biểu quyết: {yes}/{result.members_total} đại biểu tán thành"
                    f"{share}; điều kiện thông qua: {result.rule_vi or vote.rule_vi}")


def _subject_line(title: str) -> str:
    """"Về điều chỉnh dự toán …" from "Nghị quyết điều chỉnh dự toán …" (trích yếu)."""
    subject = title.removeprefix("Nghị quyết").strip()
    return subject if subject.lower().startswith("về ") else f"Về {subject}"


def resolution_document(ctx: _Context, vote: VoteState, draft: Document, draft_pdf: bytes,
                        number: str) -> OfficialDocument:
    assert vote.closed_at is not None
    day = vote.closed_at.astimezone(LOCAL).date()
    day_text = place_date_line("", day).removeprefix(", ")
    chair = ctx.officer(SessionOfficerRole.chair)
    title = draft.title.removeprefix("Dự thảo ").removeprefix("dự thảo ")
    body: list = [Paragraph(ctx.council_name.upper(), bold=True, centered=True)]
    body += _draft_body(draft_pdf) or [vote.question]
    body.append(adoption_sentence(ctx, day_text))
    body.append(Paragraph(vote_result_sentence(vote), italic=True))
    return OfficialDocument(
        issuer_lines=ctx.issuer(), number=number,
        place_date=place_date_line(ctx.place or "", day), title="NGHỊ QUYẾT",
        subtitle=_subject_line(title), sections=[Section("", body, numbered=False)],
        signature_blocks=[Signature("CHỦ TỊCH", ctx.name(chair) if chair else "",
                                    authority="TM. HỘI ĐỒNG NHÂN DÂN")],
        recipients=RECIPIENTS, author=ctx.council_name, subject="Nghị quyết", issued_on=day)


def existing(db: Session, sitting_id: int, vote_id: str) -> PreparedResolution | None:
    return db.exec(select(PreparedResolution).where(PreparedResolution.sitting_id == sitting_id,
                                                    PreparedResolution.vote_id == vote_id)).first()


def prepare(db: Session, store: DocumentStore, actor: Account | None, sitting_id: int,
            vote_id: str, ctx: _Context | None = None) -> PreparedResolution | None:
    """The resolution of one passed vote, made once; None when the vote did not pass, is
    not a resolution, or its item has no draft. Commits."""
    if (found := existing(db, sitting_id, vote_id)) is not None:
        return found
    ctx = ctx or _Context(db, sitting_id)
    vote = next((v for v in passed_resolution_votes(ctx) if v.vote_id == vote_id), None)
    if vote is None:
        return None
    item = db.get(AgendaItem, vote.item_id)
    draft = draft_of(db, vote.item_id) if item else None
    if item is None or draft is None or not draft.current_version:
        return None
    entry = give_number(db, actor, register_series.RESOLUTION,
                        f"Nghị quyết: {draft.title.removeprefix('Dự thảo ')}",
                        subject=resolution_subject(sitting_id, vote_id))
    document_text = resolution_document(ctx, vote, draft, read_pdf(store, db, draft),
                                        symbol(entry))
    document, version = keep_pdf(
        db, store, actor, session_id=id_of(ctx.session), pdf=document_text.render_pdf(),
        filename=f"nghi-quyet-{entry.number:02d}-{entry.year}.pdf",
        title=f"Nghị quyết số {symbol(entry)}: {draft.title.removeprefix('Dự thảo ')}",
        kind=DocumentKind.resolution, agenda_item_id=item.id,
        note=f"Lập từ dự thảo #{draft.id} sau biểu quyết {vote_id}")
    row = PreparedResolution(sitting_id=sitting_id, vote_id=vote_id, agenda_item_id=id_of(item),
                             draft_document_id=id_of(draft), document_id=id_of(document),
                             register_entry_id=id_of(entry))
    db.add(row)
    audit.record(db, actor, "resolution.prepared", "document", document.id,
                 sitting_id=sitting_id, vote_id=vote_id, number=symbol(entry),
                 draft_document_id=draft.id, sha256=version.sha256)
    try:
        db.commit()
    except IntegrityError:  # another worker prepared it first: theirs stands
        db.rollback()
        store.remove(version.storage_key)
        return existing(db, sitting_id, vote_id)
    return row


def prepare_passed(db: Session, store: DocumentStore, actor: Account | None,
                   sitting_id: int) -> list[PreparedResolution]:
    """Every passed resolution vote of the sitting, prepared (idempotent)."""
    ctx = _Context(db, sitting_id)
    made = [prepare(db, store, actor, sitting_id, v.vote_id, ctx)
            for v in passed_resolution_votes(ctx)]
    return [m for m in made if m is not None]


def awaiting_signature(db: Session, session_id: int | None = None
                       ) -> Sequence[tuple[PreparedResolution, Document]]:
    """The "Chờ ký" list: prepared resolutions the chair has not signed yet."""
    query = (select(PreparedResolution, Document)
             .join(Document, col(Document.id) == PreparedResolution.document_id)
             .where(PreparedResolution.status == ResolutionStatus.awaiting_signature)
             .order_by(col(PreparedResolution.id)))
    if session_id is not None:
        query = query.where(Document.session_id == session_id)
    return db.exec(query).all()


def for_sitting(db: Session, sitting_id: int) -> Sequence[tuple[PreparedResolution, Document]]:
    return db.exec(select(PreparedResolution, Document)
                   .join(Document, col(Document.id) == PreparedResolution.document_id)
                   .where(PreparedResolution.sitting_id == sitting_id)
                   .order_by(col(PreparedResolution.id))).all()


def on_document_signed(db: Session, document_id: int, actor: Account | None = None) -> None:
    """The chair's signature is on the resolution: it leaves the "Chờ ký" list."""
    row = db.exec(select(PreparedResolution)
                  .where(PreparedResolution.document_id == document_id)).first()
    if row is not None and row.status != ResolutionStatus.signed:
        row.status = ResolutionStatus.signed
        db.add(row)
        audit.record(db, actor, "resolution.signed", "document", document_id,
                     sitting_id=row.sitting_id, vote_id=row.vote_id)


def on_events(engine: Engine, store: DocumentStore
              ) -> Callable[[int, Sequence[Event]], Awaitable[None]]:
    """The live hub's listener: a committed ``vote_closed`` that passed a resolution has
    its document prepared at once, off the hub's writer (a failure is logged; the clerk's
    "prepare" button, idempotent, catches up)."""

    def work(sitting_id: int, vote_ids: list[str]) -> None:
        with Session(engine) as db:
            ctx = _Context(db, sitting_id)
            for vote_id in vote_ids:
                prepare(db, store, None, sitting_id, vote_id, ctx)

    async def listener(sitting_id: int, events: Sequence[Event]) -> None:
        vote_ids = [e.vote_id for e in events if isinstance(e, VoteClosed) and e.result.passed
                    and e.result.decision in ("resolution", None)]
        if not vote_ids:
            return
        try:
            await to_thread.run_sync(work, sitting_id, vote_ids)
        except Exception:  # the vote stands; the resolution can be prepared later
            log.exception("sitting %s: preparing the resolution of %s failed", sitting_id,
                          vote_ids)

    return listener
