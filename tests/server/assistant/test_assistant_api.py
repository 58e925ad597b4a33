"""The assistant over the API on the seeded demo: cited answers, refusals, permissions,
tóm tắt, recall on the question set, and the LAN model server path (a real HTTP process)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.bench._assistant_questions import BUDGET_DRAFT, BUDGET_SUBMISSION, QUICK, REVIEW_LAW
from tests.bench._server import free_port
from tests.bench.assistant import evaluate
from tests.server.conftest import Api

ASK = "/api/assistant/ask"


def _ask(api: Api, user: str | None, question: str, **extra) -> httpx.Response:
    return api.request(user, "POST", ASK, json={"question": question, **extra})


def _document_id(api: Api, session_id: int, title: str) -> int:
    documents = api.request("clerk", "GET", f"/api/sessions/{session_id}/documents").json()
    return next(d["id"] for d in documents if d["title"] == title)


def test_an_answer_cites_the_passages_it_rests_on(api: Api, demo_session_id: int) -> None:
    # asked within the session: the shared test database also holds other tests' items
    # about the same embankment, which may rank above the budget documents
    response = _ask(api, "delegate04", "Kè chống sạt lở Km 7+300 được bổ sung bao nhiêu?",
                    session_id=demo_session_id)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["found"] and answer["mode"] == "passages"
    assert 1 <= len(answer["citations"]) <= 5
    first = answer["citations"][0]
    assert {c["title"] for c in answer["citations"]} & {BUDGET_SUBMISSION, BUDGET_DRAFT}
    assert first["title"] and first["link"].startswith("/api/documents/")
    assert f"#page={first['page']}" in first["link"]
    assert "[1]" in answer["text"] and first["title"] in answer["text"]


def test_without_diacritics_the_same_sources_are_found(api: Api) -> None:
    accented = _ask(api, "clerk", "Cầu treo qua suối thôn Trung Chải hỏng dây cáp").json()
    folded = _ask(api, "clerk", "cau treo qua suoi thon Trung Chai hong day cap").json()
    assert [c["source_id"] for c in accented["citations"]][:1] == \
        [c["source_id"] for c in folded["citations"]][:1]


def test_nothing_relevant_says_so_and_cites_nothing(api: Api) -> None:
    answer = _ask(api, "clerk", "xyzzy plugh qwerty").json()
    assert answer["found"] is False and answer["citations"] == []
    assert "Không tìm thấy" in answer["text"]
    english = _ask(api, "clerk", "xyzzy plugh", lang="en").json()
    assert "Nothing relevant" in english["text"]


def test_a_blank_question_is_refused_in_both_languages(api: Api) -> None:
    response = _ask(api, "clerk", "   ")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "assistant_question_invalid"
    assert "Câu hỏi" in problem["message_vi"] and "question" in problem["message_en"]
    too_long = _ask(api, "clerk", "a" * 501)
    assert too_long.status_code == 422
    assert too_long.headers["content-type"].startswith("application/problem+json")


def test_signed_out_callers_are_refused(api: Api) -> None:
    response = _ask(api, None, "ngân sách")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_restricted_document_reaches_only_its_readers(api: Api, demo_session_id: int) -> None:
    question = "phòng chống mua bán người, ma túy, xuất cảnh trái phép ở các thôn giáp biên giới"
    law_review = _document_id(api, demo_session_id, REVIEW_LAW)

    def cited(user: str) -> set[int]:
        answer = _ask(api, user, question).json()
        return {c["source_id"] for c in answer["citations"] if c["source_type"] == "document"}

    assert law_review in cited("delegate01")  # granted
    assert law_review in cited("clerk")  # staff
    assert law_review not in cited("delegate04")  # no grant
    scoped = _ask(api, "delegate04", question, document_id=law_review).json()
    assert scoped["found"] is False and scoped["citations"] == []
    summary = api.request("delegate04", "GET", f"/api/assistant/documents/{law_review}/summary")
    assert summary.status_code == 404
    assert summary.headers["content-type"].startswith("application/problem+json")


def test_a_question_about_this_document_cites_only_it(api: Api, demo_session_id: int) -> None:
    from tests.bench._assistant_questions import VOTERS

    voters = _document_id(api, demo_session_id, VOTERS)
    answer = _ask(api, "delegate04", "nước sinh hoạt mùa khô", document_id=voters).json()
    assert answer["found"]
    assert {(c["source_type"], c["source_id"]) for c in answer["citations"]} == {
        ("document", voters)}
    session = _ask(api, "delegate04", "nước sinh hoạt mùa khô", session_id=demo_session_id).json()
    assert session["citations"]
    assert {c["source_type"] for c in session["citations"]} == {"document"}


def test_a_summary_is_the_documents_key_passages_in_order(api: Api,
                                                          demo_session_id: int) -> None:
    submission = _document_id(api, demo_session_id, BUDGET_SUBMISSION)
    answer = api.request("delegate04", "GET",
                         f"/api/assistant/documents/{submission}/summary").json()
    assert answer["mode"] == "summary" and answer["found"]
    citations = answer["citations"]
    assert len(citations) == 3
    assert all(c["source_id"] == submission for c in citations)
    assert [c["page"] for c in citations] == sorted(c["page"] for c in citations)
    assert any("điều chỉnh" in c["quote"].lower() for c in citations)


def test_recall_at_5_on_the_quick_question_set(api: Api) -> None:
    from server.db import make_engine
    from server.models import Account
    from server.security.principal import load_principal

    settings = api.client.app.state.settings
    engine = make_engine(settings)
    try:
        with Session(engine) as db:
            clerk = db.exec(select(Account).where(Account.username == "clerk")).one()
            result = evaluate(db, settings, load_principal(db, clerk), QUICK)
    finally:
        engine.dispose()
    assert result["recall_at_5"] >= 0.8, result["missed"]


@contextlib.contextmanager
def _model_server(log: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tests.server.assistant.fake_llm",
                                str(port), str(log)])
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                httpx.post(f"{url}/ping", timeout=1)
                break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_lan_model_server_phrases_the_answer_and_its_absence_falls_back(
        api: Api, tmp_path: Path) -> None:
    from server.app import create_app

    log = tmp_path / "requests.jsonl"
    question = "Vì sao phải điều chỉnh dự toán ngân sách xã năm 2026?"
    with _model_server(log) as url:
        settings = api.client.app.state.settings.model_copy(
            update={"assistant_llm_url": url, "assistant_llm_model": "qwen-test",
                    "assistant_llm_timeout": 5.0})
        with TestClient(create_app(settings)) as client:
            token = api.token("delegate04")
            headers = {"Authorization": f"Bearer {token}"}
            answer = client.post(ASK, json={"question": question}, headers=headers).json()
            assert answer["mode"] == "model" and answer["found"]
            assert answer["text"].startswith("Theo tài liệu [1]") and question in answer["text"]
            assert answer["citations"]
            sent = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
            assert sent["model"] == "qwen-test"
            prompt = sent["messages"][-1]["content"]
            assert question in prompt
            assert answer["citations"][0]["quote"] in prompt  # the passages went to the model
    # The model server is gone now: the same question is answered with the passages.
    with TestClient(create_app(settings)) as client:
        fallback = client.post(ASK, json={"question": question}, headers=headers).json()
    assert fallback["mode"] == "passages" and fallback["found"]
    assert "không trả lời" in fallback["notice"]
    assert [c["source_id"] for c in fallback["citations"]] == \
        [c["source_id"] for c in answer["citations"]]


def test_a_model_server_outside_the_lan_is_never_called() -> None:
    from server.assistant import llm

    with pytest.raises(llm.ModelUnavailable, match="not a loopback or private"):
        llm.check_lan_url("http://8.8.8.8/v1")
    with pytest.raises(llm.ModelUnavailable):
        llm.check_lan_url("file:///etc/passwd")
    assert llm.check_lan_url("http://192.168.1.20:8080/v1/") == "http://192.168.1.20:8080/v1"
