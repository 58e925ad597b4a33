from shared.ballot import elgamal, group, proofs
from shared.ballot.committee import generate_member_key, joint_public_key

CTX = b"test-context"


def _key():
    key, share = generate_member_key("v", "m1")
    return key, joint_public_key("v", [share])


def test_an_honest_range_proof_verifies_and_only_in_its_context() -> None:
    _, pk = _key()
    r = group.random_scalar()
    ct = elgamal.encrypt(pk, 1, r)
    proof = proofs.prove_range(CTX, pk, ct, r, 1, (0, 1))
    assert proofs.verify_range(CTX, pk, ct, (0, 1), proof)
    assert not proofs.verify_range(b"another-vote", pk, ct, (0, 1), proof)
    assert not proofs.verify_range(CTX, pk, ct, (0, 2), proof)
    other = elgamal.encrypt(pk, 1, group.random_scalar())
    assert not proofs.verify_range(CTX, pk, other, (0, 1), proof)


def test_a_ciphertext_of_two_cannot_be_proven_binary() -> None:
    _, pk = _key()
    r = group.random_scalar()
    ct = elgamal.encrypt(pk, 2, r)
    for claim in (0, 1):
        forged = proofs.prove_range(CTX, pk, ct, r, claim, (0, 1))
        assert not proofs.verify_range(CTX, pk, ct, (0, 1), forged)


def test_a_wrong_partial_decryption_fails_its_proof() -> None:
    key, _ = _key()
    ct = elgamal.encrypt(key.public, 1, group.random_scalar())
    d, proof = proofs.prove_decryption(CTX, key.secret, key.public, ct.a)
    assert proofs.verify_decryption(CTX, key.public, ct.a, d, proof)
    wrong = group.add(d, group.GENERATOR)  # would shift the count by one
    assert not proofs.verify_decryption(CTX, key.public, ct.a, wrong, proof)


def test_homomorphic_sum_decrypts_to_the_sum() -> None:
    key, _ = _key()
    total = elgamal.sum_ciphertexts(
        elgamal.encrypt(key.public, m, group.random_scalar()) for m in (1, 0, 1, 1)
    )
    plain = group.sub(total.b, group.mult(key.secret, total.a))
    assert plain == group.small_base_mult(3)
