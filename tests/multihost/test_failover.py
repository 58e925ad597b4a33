"""A province on several hosts: shared files, a host lost mid-vote, Redis restarted.

Three app hosts (network namespaces with veth pairs, ``hdnd serve`` in each) behind
HAProxy, one PostgreSQL and one Redis (tests/multihost/harness.py). Tablets connect only
through the load balancer, as in the hall. Needs root: skipped with the reason otherwise
(CI runs as root and runs these in ``make test``).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.multihost.harness import Province, unusable
from tests.multihost.tablet import Tablet, until

pytestmark = [pytest.mark.multihost, pytest.mark.slow, pytest.mark.postgres]

CHOICES = ("yes", "no", "abstain")


@pytest.fixture(scope="module")
def province() -> Iterator[Province]:
    reason = unusable()
    if reason:
        pytest.skip(f"multihost: {reason}")
    with Province(hosts_wanted=3, extra_delegates=30) as built:
        yield built


def _clerk(province: Province, base: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {province.token('clerk', base)}"}


def test_a_document_uploaded_through_one_host_downloads_through_another(province: Province):
    from server.demo.calendar import demo_schedule
    from tests.server.api.test_documents import make_pdf

    first, second = province.hosts[0], province.hosts[1]
    content = make_pdf(2, "Tờ trình lưu chung — máy chủ 1")
    headers = _clerk(province, first.http)
    sessions = httpx.get(first.http + "/api/sessions", headers=headers, timeout=30).json()
    session_id = next(s["id"] for s in sessions if s["title"] == demo_schedule().session_title)
    uploaded = httpx.post(f"{first.http}/api/sessions/{session_id}/documents", headers=headers,
                          data={"title": "Tờ trình lưu chung", "kind": "submission",
                                "confidentiality": "internal"},
                          files={"file": ("to-trinh.pdf", content, "application/pdf")}, timeout=60)
    assert uploaded.status_code == 201, uploaded.text
    # nothing of it on the second host's disk: it comes from the shared store
    assert not any(p.is_file() for p in (second.data_dir / "documents").rglob("*"))
    download = httpx.get(f"{second.http}/api/documents/{uploaded.json()['id']}/versions/1/file",
                         headers=_clerk(province, second.http), timeout=60)
    assert download.status_code == 200 and download.content == content
    # and through the load balancer, whichever host answers
    for _ in range(3):
        again = httpx.get(f"{province.http}/api/documents/{uploaded.json()['id']}/versions/1/file",
                          headers=_clerk(province, province.http), timeout=60)
        assert again.status_code == 200 and again.content == content


async def _sitting(province: Province, title: str) -> tuple[Tablet, list[Tablet], int]:
    sitting_id = province.new_sitting(title)
    url = province.ws(sitting_id)
    chair = await Tablet(url, province.token("chair")).start()
    assert (await chair.do("open_sitting"))["type"] == "ack"
    tablets = [Tablet(url, token) for token in province.tokens]
    await asyncio.gather(*(t.start() for t in tablets))
    answers = await asyncio.gather(*(t.do("check_in") for t in tablets))
    assert all(a["type"] == "ack" for a in answers), answers
    head = max(s for a in answers for s in a["seqs"])
    await until(lambda: all(t.seq >= head for t in (chair, *tablets)), 30, "check-ins everywhere")
    return chair, tablets, sitting_id


def _result(province: Province, sitting_id: int, vote_id: str) -> dict:
    public = httpx.get(f"{province.http}/api/sittings/{sitting_id}/public", timeout=30).json()
    return public["votes"][vote_id]["result"]


async def _open(chair: Tablet, item_id: int, question: str) -> str:
    answer = await chair.do("open_vote", item_id=item_id, question=question,
                            decision="procedural",
                            quorum_override_reason="Thử nghiệm nhiều máy chủ / multihost test")
    assert answer["type"] == "ack", answer
    return f"v{answer['seqs'][0]}"


def _no_gaps(*tablets: Tablet) -> None:
    for tablet in tablets:
        assert tablet.gaps == [], tablet.gaps
        assert tablet.seqs == list(range(tablet.seqs[0], tablet.seqs[0] + len(tablet.seqs)))


def test_a_host_killed_mid_vote_loses_and_doubles_no_vote(province: Province):
    async def run() -> None:
        chair, tablets, sitting_id = await _sitting(province, "Phiên mất một máy chủ")
        spread = Counter(t.host for t in tablets)
        assert len(spread) == 3, spread  # the load balancer spreads the tablets
        public = httpx.get(f"{province.http}/api/sittings/{sitting_id}/public").json()
        item_id = public["roster"]["agenda"][0]["item_id"]
        choice = {t: CHOICES[n % 3] for n, t in enumerate(tablets)}

        # the same vote without a fault: the yardstick
        calm = await _open(chair, item_id, "Biểu quyết không sự cố")
        answers = await asyncio.gather(*(t.do("cast_vote", vote_id=calm, choice=choice[t])
                                         for t in tablets))
        assert all(a["type"] == "ack" for a in answers), answers
        assert (await chair.do("close_vote", vote_id=calm))["type"] == "ack"
        expected = _result(province, sitting_id, calm)
        assert expected["ballots"] == len(tablets)

        # the fault: a host other than the chair's dies while votes are in flight
        victim = next(n for n in range(3) if f"app{n}" != chair.host)
        on_victim = [t for t in tablets if t.host == f"app{victim}"]
        assert on_victim
        faulty = await _open(chair, item_id, "Biểu quyết khi mất máy chủ")
        await until(lambda: all(faulty in t.opened for t in tablets), 30, "vote opened")
        early, late = tablets[: len(tablets) // 2], tablets[len(tablets) // 2:]
        answers = await asyncio.gather(*(t.do("cast_vote", vote_id=faulty, choice=choice[t])
                                         for t in early))
        assert all(a["type"] == "ack" for a in answers), answers
        keys = {t: await t.command("cast_vote", vote_id=faulty, choice=choice[t]) for t in late}
        province.kill_host(victim)  # SIGKILL while the late votes are on the wire
        await until(lambda: all(k in t.answers for t, k in keys.items()), 90,
                    "every late vote answered")
        assert all(t.answers[k]["type"] == "ack" for t, k in keys.items()), \
            [t.answers[k] for t, k in keys.items() if t.answers[k]["type"] != "ack"]
        # the victim's tablets came back through the load balancer to another host
        await until(lambda: all(t.ws is not None and t.host != f"app{victim}" for t in on_victim),
                    60, "tablets reconnected")
        assert (await chair.do("close_vote", vote_id=faulty))["type"] == "ack"
        result = _result(province, sitting_id, faulty)
        assert result["ballots"] == len(tablets)  # none lost, none doubled
        assert result["counts"] == expected["counts"] and result["passed"] == expected["passed"]
        head = chair.seq
        await until(lambda: all(t.seq >= head for t in tablets), 30, "everyone at the head")
        _no_gaps(chair, *tablets)
        for tablet in (chair, *tablets):
            await tablet.stop()

    asyncio.run(run())


def test_redis_restarted_mid_sitting_delivery_resumes_without_a_gap(province: Province):
    async def run() -> None:
        chair, tablets, sitting_id = await _sitting(province, "Phiên khởi động lại Redis")
        assert len({t.host for t in tablets}) >= 2  # the fan-out has work to do
        province.stop_redis()
        try:
            # commands while Redis is away: committed and acknowledged all the same
            answers = await asyncio.gather(*(t.do("request_to_speak") for t in tablets[:10]))
            assert all(a["type"] == "ack" for a in answers), answers
        finally:
            province.start_redis()
        head = max(s for a in answers for s in a["seqs"])
        # no further event is needed: every host catches up once subscribed again
        await until(lambda: all(t.seq >= head for t in (chair, *tablets)), 30,
                    "the events of the outage everywhere")
        public = httpx.get(f"{province.http}/api/sittings/{sitting_id}/public").json()
        item_id = public["roster"]["agenda"][0]["item_id"]
        vote_id = await _open(chair, item_id, "Biểu quyết sau khi Redis trở lại")
        await until(lambda: all(vote_id in t.opened for t in tablets), 30, "live delivery again")
        _no_gaps(chair, *tablets)
        assert all(len(t.state.queue) == 10 for t in tablets)
        for tablet in (chair, *tablets):
            await tablet.stop()

    asyncio.run(run())
