"""The reader's assistant on an enrolled tablet: answers from the server while it is in
reach (as the owner may read, with pack links for documents the tablet holds), from the
pack's own text when the hall's network is down, and never from a document the device
was not given."""

from __future__ import annotations

from pathlib import Path

import pytest

from tablet_app.core.assistant import (
    PackAssistant,
    PackDocument,
    QuestionInvalid,
    parse_pack_link,
    server_asker,
)
from tablet_app.core.sync import Tablet
from tests.tablet_app.core._pack_server import LiveServer
from tests.tablet_app.core.test_pack_sessions import enrolled

QUESTION = "Vì sao phải điều chỉnh dự toán ngân sách xã năm 2026?"
SUBMISSION = "Tờ trình về việc điều chỉnh dự toán ngân sách xã năm 2026"


def _assistant(tablet: Tablet) -> PackAssistant:
    documents = [PackDocument(d.document_id, d.title, d.session_id) for d in tablet.list_stored()]
    return PackAssistant(documents, tablet.open_document, ask_server=server_asker(tablet.client))


def test_server_first_then_the_pack_when_the_network_is_down(live: LiveServer,
                                                             tmp_path: Path) -> None:
    tablet = enrolled(live, "delegate04", tmp_path / "tablet")
    live.publish()
    tablet.sync(str(live.session_id))
    assistant = _assistant(tablet)

    online = assistant.ask(QUESTION, session_id=str(live.session_id))
    assert online.found and online.mode == "passages" and online.notice == ""
    assert SUBMISSION in {c.title for c in online.citations}
    submission = next(c for c in online.citations if c.title == SUBMISSION)
    assert parse_pack_link(submission.link) == (str(submission.source_id), submission.page - 1)

    live.stop()  # the hall's network is gone
    offline = assistant.ask(QUESTION)
    assert offline.found and "máy tính bảng" in offline.notice
    assert SUBMISSION in {c.title for c in offline.citations}
    doc_id, page = parse_pack_link(next(c.link for c in offline.citations
                                        if c.title == SUBMISSION))
    assert assistant.documents[doc_id].title == SUBMISSION and page == 0
    assert "[1]" in offline.text

    scoped = assistant.ask("nước sinh hoạt", doc_id=doc_id)
    assert scoped.citations and {c.title for c in scoped.citations} == {SUBMISSION}
    summary = assistant.summary(doc_id)
    assert summary.mode == "summary" and len(summary.citations) >= 2
    assert [c.page for c in summary.citations] == sorted(c.page for c in summary.citations)

    nothing = assistant.ask("xyzzy plugh")
    assert not nothing.found and nothing.citations == []
    with pytest.raises(QuestionInvalid):
        assistant.ask("   ")


def test_offline_the_pack_holds_only_what_the_device_may_read(live: LiveServer,
                                                               tmp_path: Path) -> None:
    restricted = live.restricted_document()
    tablet = enrolled(live, "delegate04", tmp_path / "tablet")  # no grant for the review
    live.publish()
    tablet.sync(str(live.session_id))
    assistant = _assistant(tablet)
    assert str(restricted) not in assistant.documents
    live.stop()
    answer = assistant.ask("phòng chống mua bán người, ma túy, xuất cảnh trái phép")
    assert all(c.title != "Báo cáo thẩm tra của Ban Pháp chế" for c in answer.citations)
