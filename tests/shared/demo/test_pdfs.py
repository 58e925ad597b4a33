from __future__ import annotations

import time
from dataclasses import replace

import pymupdf
import pytest

from shared.demo.pdfs import DemoDocument, render_demo_pdf
from shared.demo.texts import (
    COMMITTEES,
    DELEGATE_GROUPS,
    DEMO_AGENDA,
    VILLAGES,
    demo_documents,
    demo_people,
)

BASE14 = {"Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats"}


@pytest.fixture(scope="module")
def rendered() -> list[tuple[DemoDocument, bytes, float]]:
    started = time.perf_counter()
    result = [(spec, render_demo_pdf(spec), 0.0) for spec in demo_documents()]
    elapsed = time.perf_counter() - started
    return [(spec, data, elapsed) for spec, data, _ in result]


def test_whole_demo_renders_quickly(rendered: list[tuple[DemoDocument, bytes, float]]) -> None:
    assert rendered[0][2] < 10.0


def test_agenda_has_eight_items_with_documents() -> None:
    assert [item.position for item in DEMO_AGENDA] == list(range(1, 9))
    assert all(item.documents for item in DEMO_AGENDA)
    kinds = {doc.kind for doc in demo_documents()}
    assert kinds == {"submission", "report", "review_report", "draft_resolution", "other"}
    assert len({doc.filename for doc in demo_documents()}) == len(demo_documents())


def test_every_pdf_opens_with_its_page_count_and_outline(
        rendered: list[tuple[DemoDocument, bytes, float]]) -> None:
    for spec, data, _ in rendered:
        doc = pymupdf.open("pdf", data)
        assert doc.page_count == spec.pages, spec.number
        assert doc.get_toc(), spec.number
        assert doc.metadata["title"] and doc.metadata["author"], spec.number
    assert max(spec.pages for spec, _, _ in rendered) >= 150


def test_vietnamese_text_survives_extraction(
        rendered: list[tuple[DemoDocument, bytes, float]]) -> None:
    for spec, data, _ in rendered:
        doc = pymupdf.open("pdf", data)
        first = doc[0].get_text()
        for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "Y Tý, ngày", "năm 2026", f"Số: {spec.symbol}"):
            assert expected in first, (spec.number, expected)
        assert "HỘI ĐỒNG NHÂN DÂN" in first or "ỦY BAN NHÂN DÂN" in first or "HĐND" in first
        assert "\ufffd" not in first


def test_long_plan_has_village_annexes(rendered: list[tuple[DemoDocument, bytes, float]]) -> None:
    spec, data, _ = max(rendered, key=lambda item: item[0].pages)
    doc = pymupdf.open("pdf", data)
    titles = [title for level, title, _ in doc.get_toc() if level == 1]
    for village in VILLAGES:
        assert any(village.upper() in title for title in titles), village
    # Nghị định 30/2020, Phụ lục I, mục I.7: the number alone, centred in the top margin
    top = pymupdf.Rect(0, 0, doc[-1].rect.width, 15 * 72 / 25.4)
    assert doc[-1].get_text(clip=top).split() == [str(doc.page_count)]


def test_letters_missing_from_base14_fonts_come_back(
        rendered: list[tuple[DemoDocument, bytes, float]]) -> None:
    text = " ".join(" ".join(page.get_text().split()) for _, data, _ in rendered
                    for page in pymupdf.open("pdf", data))  # table cells wrap names
    for expected in ("Độc lập", "Nguyễn Hữu Thắng", "kỹ thuật", "ruộng bậc thang",
                     "Lê Thị Hồng Nhung", "Đường giao thông", "sạt lở", "nước sinh hoạt",
                     "du lịch cộng đồng", "Thường trực HĐND"):
        assert expected in text, expected


def test_fonts_are_embedded_and_not_base14(
        rendered: list[tuple[DemoDocument, bytes, float]]) -> None:
    for spec, data, _ in rendered:
        doc = pymupdf.open("pdf", data)
        for _xref, ext, _type, basefont, _name, _enc in doc.get_page_fonts(0):
            assert ext != "n/a", (spec.number, basefont)
            assert basefont.split("+")[-1] not in BASE14


def test_rendering_is_deterministic() -> None:
    spec = demo_documents()[1]
    assert render_demo_pdf(spec) == render_demo_pdf(spec)


def test_people_cover_the_demo_accounts() -> None:
    people = demo_people()
    usernames = [p.username for p in people]
    expected = ({f"delegate{i:02d}" for i in range(1, 26)}
                | {"chair", "secretary", "official1", "official2", "clerk", "admin"})
    assert set(usernames) == expected and len(usernames) == len(expected)
    delegates = [p for p in people if p.is_delegate]
    assert len(delegates) == 27
    assert len({p.delegate_group for p in delegates}) == 4
    for committee in ("Ban Kinh tế - Xã hội", "Ban Pháp chế"):
        members = [p for p in people if any(name == committee for name, _ in p.committees)]
        assert 5 <= len(members) <= 7, committee
    chair = next(p for p in people if p.username == "chair")
    assert chair.standing_committee_role == "chair" and chair.session_role == "chair"
    officials = [p for p in people if p.account_role == "official"]
    assert {p.position for p in officials} == {"Chủ tịch UBND xã", "Phó Chủ tịch UBND xã"}
    assert all(p.position for p in people)


def test_smaller_page_target_shortens_the_long_plan() -> None:
    long = max(demo_documents(), key=lambda spec: spec.pages)
    short = pymupdf.open("pdf", render_demo_pdf(replace(long, pages=20)))
    assert 15 <= short.page_count <= 30
    assert short.get_toc()


def test_memberships_and_grants_name_known_bodies_and_accounts() -> None:
    people = demo_people()
    keys = {"standing", *COMMITTEES, *DELEGATE_GROUPS}
    for person in people:
        assert {key for key, _ in person.bodies} <= keys, person.username
        assert person.plenary_role in {"chair", "vice_chair", "member"}
    usernames = {p.username for p in people}
    restricted = [d for d in demo_documents() if d.confidentiality == "restricted"]
    assert restricted and all(set(d.granted_to) <= usernames for d in restricted)
    assert any(d.confidentiality == "public" for d in demo_documents())
