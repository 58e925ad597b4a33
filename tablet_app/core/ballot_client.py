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
from shared.ballot.ballot import BallotDefinition, Choice, make_ballot
from shared.ballot.committee import MemberKey, generate_member_key, partial_decrypt
from shared.crypto.encoding import b64url_decode, b64url_encode
from tablet_app.core.client import ServerUnreachable, raise_for_problem
from tablet_app.core.keystore import KeyStore


@dataclass(frozen=True)
class BallotForm:
    """What the tablet shows and encrypts under."""

    ballot_id: int
    status: str
    definition: BallotDefinition
    public_key: bytes | None


@dataclass(frozen=True)
class CastReceipt:
    receipt: str  # shown to the delegate: they can find it on the board


def _secret_name(vote_id: str) -> str:
    return f"ballot-member-secret:{vote_id}"


class BallotClient:
    def __init__(self, http: httpx.Client, keystore: KeyStore | None = None) -> None:
        self.http = http
        self.keystore = keystore
        self._keys: dict[str, MemberKey] = {}  # vote_id -> this member's secret, in memory

    def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise ServerUnreachable(reason=str(exc)) from exc
        raise_for_problem(response)
        return response.json()

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
        form = self.form(ballot_id)
        if form.public_key is None:
            raise ValueError("the ballot has no public key yet")
        ballot = make_ballot(form.definition, choice, form.public_key, voter_id)
        answer = self._call("POST", f"/api/ballots/{ballot_id}/cast", json=ballot.to_json())
        if answer["receipt"] != ballot.receipt():  # the server must record what we sent
            raise ValueError("the server answered another receipt")
        return CastReceipt(answer["receipt"])

    def find_receipt(self, ballot_id: int, receipt: str) -> dict[str, Any]:
        """Where the receipt is on the public board, and whether it still counts."""
        return self._call("GET", f"/api/ballots/{ballot_id}/receipts/{receipt}")

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
                secret = b64url_decode(sealed)
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
