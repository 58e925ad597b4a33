"""Benchmark of the verifiable secret ballot: ``python -m tests.bench.ballot [--quick]``.

An election of 5 of 12 candidates with 500 voters (50 with ``--quick``) and a committee
of 3. Reports medians per ballot and the time from close to published result; the last
line printed is one JSON object:

* ``encrypt_ms``: tablet side, encrypt and prove one ballot (median);
* ``verify_ms``: server side, accept one ballot: decode, check every proof, append to
  the board (median);
* ``close_to_result_ms``: homomorphic tally, the 3 members' partial decryptions with
  proofs (run one after another here; on real devices they run in parallel), their
  checks, combination and discrete log;
* ``plain_ms``/``vs_plain``: the same count over plaintext choices, and the ratio;
* ``board_verify_ms``: ``verify_board`` over the whole published board.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import Counter

from shared.ballot.ballot import BallotDefinition, Subject, make_ballot
from shared.ballot.box import SecretBallotBox
from shared.ballot.committee import generate_member_key, partial_decrypt
from shared.ballot.verify import verify_board

VOTE_ID = "bench/bau-12-chon-5"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 voters instead of 500")
    args = parser.parse_args()
    n_voters = 50 if args.quick else 500
    rng = random.Random(7)

    candidates = tuple(Subject(f"ung-vien-{i:02d}", f"Ứng viên {i}") for i in range(1, 13))
    definition = BallotDefinition(
        VOTE_ID, "election", "Bầu 5 trong 12", candidates, max_choices=5, members_total=n_voters
    )
    members = [generate_member_key(VOTE_ID, f"kiem-phieu-{i}") for i in range(1, 4)]
    voters = [f"dai-bieu-{i:03d}" for i in range(n_voters)]
    box = SecretBallotBox.open(definition, [s for _, s in members], voters)
    ids = [c.subject_id for c in candidates]
    choices = [rng.sample(ids, rng.randint(0, 5)) for _ in voters]

    encrypt_ms, verify_ms = [], []
    for voter, choice in zip(voters, choices, strict=True):
        t0 = time.perf_counter()
        ballot = make_ballot(definition, choice, box.public_key, voter).to_json()
        t1 = time.perf_counter()
        box.cast(ballot, voter_id=voter)
        t2 = time.perf_counter()
        encrypt_ms.append((t1 - t0) * 1000)
        verify_ms.append((t2 - t1) * 1000)

    t0 = time.perf_counter()
    box.close()
    for key, _ in members:
        box.add_partial(partial_decrypt(VOTE_ID, key, box.tally))
    counts = box.publish_result()
    close_to_result_ms = (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    plain = Counter(c for choice in choices for c in choice)
    plain_counts = [plain[i] for i in ids]
    plain_ms = (time.perf_counter() - t0) * 1000
    if plain_counts != counts:
        raise SystemExit(f"encrypted count {counts} differs from plain count {plain_counts}")

    t0 = time.perf_counter()
    report = verify_board(box.board.dumps())
    board_verify_ms = (time.perf_counter() - t0) * 1000
    if not report.ok:
        raise SystemExit(f"the board does not verify: {report.findings[:3]}")

    print(
        json.dumps(
            {
                "voters": n_voters,
                "candidates": 12,
                "max_choices": 5,
                "committee": 3,
                "encrypt_ms": round(statistics.median(encrypt_ms), 3),
                "verify_ms": round(statistics.median(verify_ms), 3),
                "close_to_result_ms": round(close_to_result_ms, 3),
                "plain_ms": round(plain_ms, 4),
                "vs_plain": round(close_to_result_ms / max(plain_ms, 1e-6), 1),
                "board_verify_ms": round(board_verify_ms, 1),
                "board_bytes": len(box.board.dumps().encode()),
            }
        )
    )


if __name__ == "__main__":
    main()
