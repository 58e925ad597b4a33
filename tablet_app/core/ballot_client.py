"""The tablet's side of the verifiable secret ballot (docs/ballot.md): no Kivy here.

A delegate's tablet fetches the ballot form and the committee's public key, encrypts and
proves the choice itself (``make_ballot``), posts only the encrypted ballot, shows the
receipt and can find it on the public board. A committee member's tablet makes its key
share, keeps the secret in memory (or sealed in the PIN-protected ``KeyStore`` if the app
may restart before the count), posts its partial decryption of the tally, then forgets
the secret: a member that kept it could, with all the others, open any ballot later.

``http`` is any ``httpx.Client`` pointed at the server with the device's (or a token's)
authentication, e.g. ``TabletClient._http``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from shared.ballot import board as b
from shared.ballot import group
from shared.ballot.ballot import BallotDefinition, Choice, EncryptedBallot, make_ballot
from shared.ballot.committee import MemberKey, generate_member_key, partial_decrypt
from shared.crypto.encoding import b64url_decode, b64url_encode
from tablet_app.core.client import (
    ServerRefused,
    ServerUnreachable,
    json_list,
    json_object,
    raise_for_problem,
)
from tablet_app.core.keystore import KeyStore


@dataclass(frozen=True)
class BallotForm:
    """What the tablet shows and encrypts under."""

    ballot_id: int
    status: str
    definition: BallotDefinition
    public_key: group.Point | None


@dataclass(frozen=True)
class CastReceipt:
    receipt: str  # shown to the delegate: they can find it on the board


@dataclass(frozen=True)
class MemberTask:
    """What a vote-counting committee member's tablet has to do for one ballot."""

    ballot_id: int
    title: str
    vote_id: str
    action: str  # key_share | wait_open | partial | wait_count | done


def member_tasks(views: list[dict[str, Any]], person_id: int) -> list[MemberTask]:
    """From the sitting's ballots (``GET /api/sittings/{id}/ballots``): this member's part.

    ``key_share`` before the open (the device makes its share), ``partial`` once the
    ballot is closed and this member's decryption is missing; the others are for display.
    """
    tasks = []
    for view in views:
        mine = next((m for m in view["committee"] if m["person_id"] == person_id), None)
        if mine is None:
            continue
        status = view["status"]
        if status == "setup":
            action = "wait_open" if mine["key_posted"] else "key_share"
        elif status == "open":
            action = "wait_count"
        elif status == "closed":
            action = "wait_count" if mine["partial_posted"] else "partial"
        else:
            action = "done"
        tasks.append(MemberTask(view["id"], view["definition"]["title"], view["vote_id"], action))
    return tasks


class _LiveBearer(httpx.Auth):
    """The live client's credential at the time of each request: it is renewed in the
    background, so a client made once keeps working all day."""

    def __init__(self, live: Any) -> None:
        self.live = live

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers["Authorization"] = f"Bearer {self.live.token}"
        yield request


def http_for_live(live: Any, timeout: float = 20.0) -> httpx.Client:
    """An HTTP client for the server a ``LiveClient`` follows, with the same credential."""
    base = live.url.split("/ws/", 1)[0]
    base = "https://" + base[6:] if base.startswith("wss://") else "http://" + base[5:]
    return httpx.Client(base_url=base, timeout=timeout, auth=_LiveBearer(live))


def _secret_name(vote_id: str) -> str:
    return f"ballot-member-secret:{vote_id}"


class BallotClient:
    def __init__(self, http: httpx.Client, keystore: KeyStore | None = None) -> None:
        self.http = http
        self.keystore = keystore
        self._keys: dict[str, MemberKey] = {}  # vote_id -> this member's secret, in memory

    def _response(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise ServerUnreachable(reason=str(exc)) from exc
        raise_for_problem(response)
        return response

    def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        return json_object(self._response(method, url, **kwargs))

    # --- delegate -------------------------------------------------------------------

    def form(self, ballot_id: int) -> BallotForm:
        data = self._call("GET", f"/api/ballots/{ballot_id}")
        key = data.get("public_key")
        return BallotForm(ballot_id, data["status"], BallotDefinition.from_json(data["definition"]),
                          group.decode_point(b64url_decode(key)) if key else None)

    def cast(self, ballot_id: int, choice: Choice, voter_id: str) -> CastReceipt:
        """Encrypt and prove ``choice`` here, send only the ciphertexts; return the receipt.

        ``InvalidChoice`` (too many candidates, a level missing) is raised before sending.
        """
        return self.submit(ballot_id, self.prepare(ballot_id, choice, voter_id))

    def prepare(self, ballot_id: int, choice: Choice, voter_id: str) -> EncryptedBallot:
        """Encrypt and prove on the device (the slow part: run it off the UI thread)."""
        form = self.form(ballot_id)
        if form.public_key is None:
            raise ValueError("the ballot has no public key yet")
        return make_ballot(form.definition, choice, form.public_key, voter_id)

    def submit(self, ballot_id: int, ballot: EncryptedBallot) -> CastReceipt:
        """Send a prepared ballot. Safe to call again with the *same* ballot after a lost
        answer (a cut link, a server restart): if the first send was recorded, the server
        refuses the second as ``ballot_already_cast`` and the tablet finds its own receipt
        on the board instead, so the delegate still sees the receipt, never a false error.
        """
        receipt = ballot.receipt()
        try:
            answer = self._call("POST", f"/api/ballots/{ballot_id}/cast", json=ballot.to_json())
        except ServerRefused as refused:
            if refused.code not in ("ballot_already_cast", "ballot_duplicate"):
                raise
            try:
                self.find_receipt(ballot_id, receipt)
            except ServerRefused:
                raise refused from None  # another ballot of ours is there, not this one
            return CastReceipt(receipt)
        if answer["receipt"] != receipt:  # the server must record what we sent
            raise ValueError("the server answered another receipt")
        return CastReceipt(answer["receipt"])

    def find_receipt(self, ballot_id: int, receipt: str) -> dict[str, Any]:
        """Where the receipt is on the public board, and whether it still counts."""
        return self._call("GET", f"/api/ballots/{ballot_id}/receipts/{receipt}")

    def ballots(self, sitting_id: int) -> list[dict[str, Any]]:
        """Every verifiable ballot of the sitting, as the server shows them (no choices)."""
        return json_list(self._response("GET", f"/api/sittings/{sitting_id}/ballots"))

    def board(self, ballot_id: int) -> dict[str, Any]:
        return self._call("GET", f"/api/ballots/{ballot_id}/board")

    # --- committee member -------------------------------------------------------------

    def post_key_share(self, ballot_id: int, member_id: str) -> None:
        """Make this member's key share on the device; only the public half is sent."""
        form = self.form(ballot_id)
        vote_id = form.definition.vote_id
        key, share = generate_member_key(vote_id, member_id)
        self._keys[vote_id] = key
        if self.keystore is not None:
            self.keystore.set_value(_secret_name(vote_id), b64url_encode(key.secret))
            self.keystore.save()
        encoded = b.encode_key_share(share)
        self._call("POST", f"/api/ballots/{ballot_id}/key-share",
                   json={"public": encoded["public"], "proof": encoded["proof"]})

    def member_key(self, vote_id: str, member_id: str) -> MemberKey | None:
        key = self._keys.get(vote_id)
        if key is None and self.keystore is not None:
            sealed = self.keystore.value(_secret_name(vote_id))
            if sealed:
                secret = group.decode_scalar(b64url_decode(sealed))
                key = MemberKey(member_id, secret, group.base_mult(secret))
        return key

    def post_partial_decryption(self, ballot_id: int, member_id: str) -> dict[str, Any]:
        """Decrypt this member's part of the closed tally, send it, forget the secret."""
        form = self.form(ballot_id)
        vote_id = form.definition.vote_id
        key = self.member_key(vote_id, member_id)
        if key is None:
            raise LookupError("this device holds no key share for the ballot")
        tally = b.decode_ciphertexts(self._call("GET", f"/api/ballots/{ballot_id}/tally")["tally"])
        partial = partial_decrypt(vote_id, key, tally)
        encoded = b.encode_partial(partial)
        answer = self._call("POST", f"/api/ballots/{ballot_id}/partial-decryption",
                            json={"shares": encoded["shares"], "proofs": encoded["proofs"]})
        self.forget_key(vote_id)
        return answer

    def forget_key(self, vote_id: str) -> None:
        self._keys.pop(vote_id, None)
        if self.keystore is not None and self.keystore.value(_secret_name(vote_id)):
            self.keystore.set_value(_secret_name(vote_id), "")
            self.keystore.save()
