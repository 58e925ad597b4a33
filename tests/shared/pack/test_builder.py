"""Building a pack: every entitled device opens its documents; nobody else opens anything."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from shared.crypto.chunked import decrypt_document
from shared.crypto.errors import KeyUnwrapFailed, TamperedChunk
from shared.crypto.keywrap import WrapContext, unwrap_key
from shared.pack.builder import build_pack
from shared.pack.manifest import Confidentiality, plan_sync, verify_manifest

from .conftest import CHUNK, ISSUED, SESSION, agenda_for, document

DOCS = [
    document("to-trinh-01", Confidentiality.PUBLIC, 3 * CHUNK + 17),
    document("bao-cao-02", Confidentiality.INTERNAL, CHUNK),
    document("nhan-su-03", Confidentiality.RESTRICTED, 2 * CHUNK + 1),
]


def build(server_key, devices, out_dir: Path, docs=DOCS, pack_version=1, previous=None):
    return build_pack(
        council="HĐND xã Y Tý",
        session=SESSION,
        pack_version=pack_version,
        agenda=agenda_for([d.id for d in docs]),
        documents=docs,
        recipients=[
            devices[0].recipient({"nhan-su-03"}),
            devices[1].recipient(set()),
            devices[2].recipient(set()),
        ],
        server_key=server_key,
        out_dir=out_dir,
        previous=previous,
        issued_at=ISSUED,
        chunk_size=CHUNK,
    )


def open_document(manifest, device, doc_id: str, out_dir: Path) -> bytes:
    grant = manifest.grant_for(device.device_id, doc_id)
    assert grant is not None
    key = unwrap_key(grant.wrapped.to_wrapped(), device.private_key, grant.context())
    entry = manifest.document(doc_id)
    path = out_dir / f"{doc_id}.v{entry.version}.hdndoc"
    return bytes(decrypt_document(path.read_bytes(), key, doc_id, entry.version))


def test_every_device_opens_what_it_is_entitled_to(server_key, devices, tmp_path) -> None:
    pack = build(server_key, devices, tmp_path)
    wire = pack.signed.to_json_bytes()
    for device in devices:
        manifest = verify_manifest(wire, server_key.public_b64, None, device.device_id)
        readable = {d.id for d in manifest.documents_for(device.device_id)}
        expected = {"to-trinh-01", "bao-cao-02"} | (
            {"nhan-su-03"} if device is devices[0] else set()
        )
        assert readable == expected
        for source in DOCS:
            if source.id in readable:
                assert open_document(manifest, device, source.id, tmp_path) == source.content


def test_restricted_key_is_wrapped_only_for_the_entitled_device(
    server_key, devices, tmp_path
) -> None:
    manifest = build(server_key, devices, tmp_path).signed.manifest
    grants = [k for k in manifest.keys if k.document_id == "nhan-su-03"]
    assert [g.device_id for g in grants] == [devices[0].device_id]
    outsider = devices[1]
    # The outsider holds a valid manifest and the ciphertext, and tries the only grant
    # there is, under its own identity and under the entitled device's.
    for context in (grants[0].context(), WrapContext(outsider.device_id, "nhan-su-03", 1)):
        with pytest.raises(KeyUnwrapFailed):
            unwrap_key(grants[0].wrapped.to_wrapped(), outsider.private_key, context)
    # ...and no key of its own for a public document opens the restricted one.
    own = manifest.grant_for(outsider.device_id, "to-trinh-01")
    wrong_key = unwrap_key(own.wrapped.to_wrapped(), outsider.private_key, own.context())
    ciphertext = (tmp_path / "nhan-su-03.v1.hdndoc").read_bytes()
    with pytest.raises(TamperedChunk):
        decrypt_document(ciphertext, wrong_key, "nhan-su-03", 1)


def test_ciphertext_files_never_contain_the_plaintext(server_key, devices, tmp_path) -> None:
    pack = build(server_key, devices, tmp_path)
    for source in DOCS:
        stored = pack.documents[source.id].path.read_bytes()
        assert source.content[:64] not in stored
    assert not list(tmp_path.glob("*.part"))


def test_revising_one_of_twenty_documents_moves_only_that_one(
    server_key, devices, tmp_path
) -> None:
    docs = [document(f"tai-lieu-{n:02d}", Confidentiality.INTERNAL, CHUNK * 2) for n in range(20)]
    first = build(server_key, devices, tmp_path, docs=docs)
    device = devices[1]
    held = verify_manifest(first.signed, server_key.public_key, None, device.device_id)
    have = {d.ref for d in held.documents}

    revised = list(docs)
    revised[7] = document("tai-lieu-07", Confidentiality.INTERNAL, CHUNK * 2, version=2)
    previous = {(e.doc_id, e.version): e for e in first.documents.values()}
    second = build(server_key, devices, tmp_path, docs=revised, pack_version=2, previous=previous)
    new = verify_manifest(second.signed, server_key.public_key, 1, device.device_id)
    plan = plan_sync(held, new, have, device_id=device.device_id)

    assert [d.id for d in plan.download] == ["tai-lieu-07"]
    assert plan.revised_ids == ("tai-lieu-07",)
    assert len(plan.unchanged) == 19
    assert plan.removed == (("tai-lieu-07", 1, held.document("tai-lieu-07").ciphertext_sha256),)
    total = sum(d.ciphertext_size for d in new.documents)
    assert plan.download_bytes / total == pytest.approx(1 / 20, rel=0.01)
    assert open_document(new, device, "tai-lieu-07", tmp_path) == revised[7].content
    assert open_document(new, device, "tai-lieu-03", tmp_path) == docs[3].content


def test_reading_plaintext_from_a_path(server_key, devices, tmp_path) -> None:
    source_file = tmp_path / "upload.pdf"
    source_file.write_bytes(DOCS[0].content)
    pack = build(
        server_key, devices, tmp_path / "out", docs=[replace(DOCS[0], content=source_file)]
    )
    manifest = pack.signed.manifest
    assert open_document(manifest, devices[2], "to-trinh-01", tmp_path / "out") == DOCS[0].content
