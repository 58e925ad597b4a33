"""The demo council's session documents, rendered as real Vietnamese administrative PDFs.

A ``DemoDocument`` names one document of the demo agenda; its wording lives in
``shared.demo.texts`` and its layout is the official one of ``shared.reports``, so the
demo exercises the same renderer as the minutes and reports. Rendering is deterministic:
the same spec gives the same bytes, which keeps demo packs and their hashes stable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from shared.reports.document import OfficialDocument, Section, Signature, place_date_line

DemoKind = Literal["submission", "report", "review_report", "draft_resolution", "other"]
DemoConfidentiality = Literal["public", "internal", "restricted"]

PLACE = "Y Tý"


@dataclass(frozen=True)
class DemoBody:
    """What a demo document says, apart from its header."""

    sections: Sequence[Section]
    signature: Signature
    recipients: Sequence[str] = ()
    addressee: str = ""
    preamble: Sequence[str] = ()
    draft_mark: str = ""
    annexes: Sequence[Section] = ()


@dataclass(frozen=True)
class DemoDocument:
    """One PDF of the demo agenda.

    ``number`` is the label people use ("Tờ trình số 45/TTr-UBND"); the header prints
    only the symbol after "số". ``pages`` is the page count the content lays out to (the
    tests hold the two together, so the seed can show it without rendering). A smaller
    ``pages`` (``dataclasses.replace``) shortens documents whose body scales, such as the
    long investment plan, so test suites can seed quickly; the PDF's own page count is the
    truth to store.
    """

    title: str
    kind: DemoKind
    number: str
    pages: int
    issuer_lines: Sequence[str]
    issued_on: date
    doc_title: str  # the big title line: "TỜ TRÌNH", "BÁO CÁO", "NGHỊ QUYẾT"
    subtitle: str
    body: Callable[[int], DemoBody] = field(repr=False, compare=False)  # gets ``pages``
    parent_issuer_lines: Sequence[str] = ()
    filename: str = ""
    confidentiality: DemoConfidentiality = "public"
    granted_to: Sequence[str] = ()  # usernames who may read a restricted document

    @property
    def symbol(self) -> str:
        """"Tờ trình số 45/TTr-UBND" -> "45/TTr-UBND"; a draft's blank number stays blank."""
        _, _, after = self.number.rpartition(" số ")
        symbol = after.strip() or self.number
        if symbol.startswith("/"):  # a draft: leave room to write the number in by hand
            symbol = "\u00a0" * 8 + symbol
        return symbol

    def official_document(self) -> OfficialDocument:
        body = self.body(self.pages)
        return OfficialDocument(
            issuer_lines=self.issuer_lines,
            parent_issuer_lines=self.parent_issuer_lines,
            number=self.symbol,
            place_date=place_date_line(PLACE, self.issued_on),
            title=self.doc_title,
            subtitle=self.subtitle,
            sections=body.sections,
            signature_blocks=(body.signature,),
            recipients=body.recipients,
            addressee=body.addressee,
            preamble=body.preamble,
            draft_mark=body.draft_mark,
            annexes=body.annexes,
            author=" ".join((*self.parent_issuer_lines, *self.issuer_lines)),
            subject=self.title,
            keywords=("HĐND xã Y Tý", "Kỳ họp thường lệ giữa năm 2026", self.number),
            issued_on=self.issued_on,
        )


def render_demo_pdf(spec: DemoDocument) -> bytes:
    """The document as an A4 PDF: national header, numbered sections, tables, outline."""
    return spec.official_document().render_pdf()
