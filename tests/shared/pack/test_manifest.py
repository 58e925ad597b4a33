"""Signed manifests: what a device accepts, what it refuses, and what a sync moves."""

from __future__ import annotations

import json

import pytest

from shared.crypto.signing import ServerSigningKey, canonical_json
from shared.pack.builder import build_pack
from shared.pack.errors import (
    ManifestInvalid,
    ManifestRolledBack,
    ManifestSignatureInvalid,
    NotARecipient,
    UnsupportedManifestFormat,
    WrongSession,
)
from shared.pack.manifest import (
    Confidentiality,
    Manifest,
    plan_sync,
    sign_manifest,
    verify_manifest,
)

from .conftest import CHUNK, ISSUED, SESSION, agenda_for, document

DOCS = [
    document("to-trinh-01", Confidentiality.PUBLIC, CHUNK + 5),
    document("nhan-su-02", Confidentiality.RESTRICTED, 100),
]


@pytest.fixture
def pack(server_key, devices, tmp_path):
    return build_pack(
        council="HĐND xã Y Tý",
        session=SESSION,
        pack_version=3,
        agenda=agenda_for([d.id for d in DOCS]),
        documents=DOCS,
        recipients=[devices[0].recipient({"nhan-su-02"}), devices[1].recipient(set())],
        server_key=server_key,
        out_dir=tmp_path / "packs",
        issued_at=ISSUED,
        chunk_size=CHUNK,
    )


def wire(signed_dict: dict) -> bytes:
    return json.dumps(signed_dict, ensure_ascii=False).encode()


def test_a_valid_manifest_is_returned_as_signed(pack, server_key, devices) -> None:
    data = pack.signed.to_json_bytes()
    manifest = verify_manifest(data, server_key.public_b64, 2, devices[0].device_id)
    assert manifest == pack.signed.manifest
    assert manifest.session.title == "Kỳ họp thứ năm, HĐND xã Y Tý khóa XX"
    # A repeated sync of the version already held is fine.
    assert verify_manifest(data, server_key.public_key, 3, devices[0].device_id) == manifest
    assert verify_manifest(pack.signed, server_key.public_key, None, None) == manifest


def test_the_wire_form_is_canonical_json(pack) -> None:
    data = pack.signed.to_json_bytes()
    assert canonical_json(json.loads(data)) == data
    assert b"\n" not in data and "Kỳ họp".encode() in data


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m["session"].update(title="Kỳ họp bất thường"),
        lambda m: m["documents"][0].update(ciphertext_sha256="0" * 64),
        lambda m: m.update(pack_version=m["pack_version"] + 1),
        lambda m: m["keys"].pop(),
        lambda m: m["recipients"].append({"device_id": "thief", "person_id": "x"}),
        lambda m: m["documents"][1].update(confidentiality="public"),
    ],
)
def test_a_manifest_edited_after_signing_is_refused(pack, server_key, edit) -> None:
    signed = json.loads(pack.signed.to_json_bytes())
    edit(signed["manifest"])
    with pytest.raises(ManifestSignatureInvalid) as caught:
        verify_manifest(wire(signed), server_key.public_key, None, None)
    assert caught.value.code == "manifest_signature_invalid"


def test_a_manifest_from_another_server_key_is_refused(pack, server_key, tmp_path) -> None:
    impostor = ServerSigningKey.generate(tmp_path / "impostor.key")
    forged = sign_manifest(pack.signed.manifest, impostor)
    pinned = server_key
    with pytest.raises(ManifestSignatureInvalid):
        verify_manifest(forged.to_json_bytes(), pinned.public_key, None, None)
    # Claiming the pinned key's id does not help either.
    relabelled = json.loads(forged.to_json_bytes())
    relabelled["key_id"] = pinned.key_id
    with pytest.raises(ManifestSignatureInvalid):
        verify_manifest(wire(relabelled), pinned.public_key, None, None)


def test_an_older_manifest_replayed_is_refused(pack, server_key) -> None:
    with pytest.raises(ManifestRolledBack) as caught:
        verify_manifest(pack.signed.to_json_bytes(), server_key.public_key, 4, None)
    assert caught.value.extra == {"held": 4, "offered": 3}


def test_a_device_dropped_from_the_recipients_is_told(pack, server_key, devices) -> None:
    with pytest.raises(NotARecipient):
        verify_manifest(pack.signed.to_json_bytes(), server_key.public_key, None, "tablet-3")


def test_a_manifest_of_another_session_is_refused(pack, server_key) -> None:
    with pytest.raises(WrongSession):
        verify_manifest(
            pack.signed.to_json_bytes(), server_key.public_key, None, None, session_id="ky-hop-6"
        )


def test_a_signed_but_unknown_format_is_refused(pack, server_key) -> None:
    raw = pack.signed.manifest.model_dump(mode="json") | {"format": 2}
    signed = {"manifest": raw, "signature": server_key.sign(raw), "key_id": server_key.key_id}
    with pytest.raises(UnsupportedManifestFormat):
        verify_manifest(wire(signed), server_key.public_key, None, None)


def test_a_signed_but_inconsistent_manifest_is_refused(pack, server_key) -> None:
    raw = pack.signed.manifest.model_dump(mode="json")
    raw["keys"][0]["device_id"] = "not-a-recipient"
    signed = {"manifest": raw, "signature": server_key.sign(raw), "key_id": server_key.key_id}
    with pytest.raises(ManifestInvalid):
        verify_manifest(wire(signed), server_key.public_key, None, None)


@pytest.mark.parametrize(
    "data",
    [b"not json", b"[1, 2]", b'{"manifest": 1}', b'{"a": 1, "a": 2}', b'{"manifest": {"x": 1.5}}'],
)
def test_garbage_is_refused_cleanly(server_key, data: bytes) -> None:
    with pytest.raises((ManifestInvalid, ManifestSignatureInvalid)):
        verify_manifest(data, server_key.public_key, None, None)


def test_manifest_refuses_unknown_fields_and_dangling_references(pack) -> None:
    raw = pack.signed.manifest.model_dump(mode="json")
    with pytest.raises(ValueError):
        Manifest.model_validate(raw | {"surprise": 1})
    raw["agenda"][1]["document_ids"] = ["missing-doc"]
    with pytest.raises(ValueError):
        Manifest.model_validate(raw)


# --- plan_sync -------------------------------------------------------------------------


def test_first_sync_downloads_everything_the_device_may_open(pack, devices) -> None:
    manifest = pack.signed.manifest
    plan = plan_sync(None, manifest, set(), device_id=devices[1].device_id)
    assert [d.id for d in plan.download] == ["to-trinh-01"]
    assert [d.id for d in plan.not_entitled] == ["nhan-su-02"]
    assert plan.added_ids == ("to-trinh-01", "nhan-su-02")
    assert plan.download_bytes == manifest.document("to-trinh-01").ciphertext_size


def test_nothing_moves_when_nothing_changed(pack, devices) -> None:
    manifest = pack.signed.manifest
    have = {d.ref for d in manifest.documents}
    plan = plan_sync(manifest, manifest, have, device_id=devices[0].device_id)
    assert plan.download == () and plan.removed == ()
    assert len(plan.unchanged) == 2 and plan.revised_ids == ()


def test_a_file_with_the_wrong_hash_is_downloaded_again(pack) -> None:
    manifest = pack.signed.manifest
    entry = manifest.document("to-trinh-01")
    stale = (entry.id, entry.version, "f" * 64)
    plan = plan_sync(manifest, manifest, {stale})
    assert entry in plan.download
    assert plan.removed == (stale,)


def test_withdrawn_and_no_longer_entitled_documents_are_removed(
    pack, server_key, devices, tmp_path
) -> None:
    old = pack.signed.manifest
    have = {d.ref for d in old.documents}
    newer = build_pack(
        council="HĐND xã Y Tý",
        session=SESSION,
        pack_version=4,
        agenda=agenda_for(["nhan-su-02"]),
        documents=[DOCS[1]],
        recipients=[devices[0].recipient(set())],  # the clerk withdrew this delegate's access
        server_key=server_key,
        out_dir=tmp_path / "packs",
        previous={(e.doc_id, e.version): e for e in pack.documents.values()},
        chunk_size=CHUNK,
    ).signed.manifest
    plan = plan_sync(old, newer, have, device_id=devices[0].device_id)
    assert plan.withdrawn_ids == ("to-trinh-01",)
    assert plan.download == () and plan.unchanged == ()
    assert {ref[0] for ref in plan.removed} == {"to-trinh-01", "nhan-su-02"}
