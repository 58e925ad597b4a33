"""The tablet's ballot client against the real server: a delegate's encrypted ballot and
receipt, and a committee member whose secret survives an app restart only sealed under
the PIN, and is gone once the partial decryption is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.ballot.errors import InvalidChoice
from tablet_app.core.ballot_client import BallotClient
from tablet_app.core.client import ServerRefused
from tablet_app.core.keystore import KeyStore, ScryptParams
from tests.server.ballot.conftest import COMMITTEE, VOTERS, As, Hall, hall  # noqa: F401
from tests.server.conftest import api, backend, demo_session_id  # noqa: F401

FAST = ScryptParams(log2_n=10)
PIN = "246810"
CANDIDATES = [{"candidate_id": "601", "full_name": "A"}, {"candidate_id": "602", "full_name": "B"}]


def test_delegate_and_member_tablets(hall: Hall, tmp_path: Path) -> None:  # noqa: F811
    ballot_id = hall.create("election", CANDIDATES)
    folder = tmp_path / "keys"
    member, mid = COMMITTEE[2], str(hall.pid(COMMITTEE[2]))
    sealed = BallotClient(As(hall, member), KeyStore.create(folder, PIN, params=FAST))
    sealed.post_key_share(ballot_id, mid)
    for user in COMMITTEE[:2]:
        hall.tablet(user).post_key_share(ballot_id, str(hall.pid(user)))
    hall.call("chair", "POST", f"/api/ballots/{ballot_id}/open",
              json={"quorum_override_reason": "Thử nghiệm"})

    delegate = hall.tablet(VOTERS[0])
    with pytest.raises(InvalidChoice):  # caught on the tablet, nothing sent
        delegate.cast(ballot_id, ["601", "602"], str(hall.pid(VOTERS[0])))
    receipt = delegate.cast(ballot_id, ["602"], str(hall.pid(VOTERS[0]))).receipt
    assert delegate.find_receipt(ballot_id, receipt)["counted"] is True
    with pytest.raises(ServerRefused) as refused:
        delegate.cast(ballot_id, ["601"], str(hall.pid(VOTERS[0])))
    assert refused.value.code == "ballot_already_cast"
    hall.close(ballot_id)
    hall.count(ballot_id, COMMITTEE[:2])

    # the member's app restarts: the secret comes back only by unlocking with the PIN
    reopened = BallotClient(As(hall, member), KeyStore.unlock(folder, PIN))
    view = reopened.post_partial_decryption(ballot_id, mid)
    assert view["status"] == "counted" and view["result"]["counts"] == [0, 1]
    vote_id = view["vote_id"]
    assert reopened.member_key(vote_id, mid) is None
    assert not KeyStore.unlock(folder, PIN).value(f"ballot-member-secret:{vote_id}")
