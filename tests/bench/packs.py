"""Benchmark of agenda packs: ``python -m tests.bench.packs [--quick]``.

Builds a session of 20 PDFs (300 MB; 30 MB with ``--quick``) rendered by PyMuPDF with
random pixels so they do not compress away, enrols 100 devices (20) over HTTP against a
real server process on loopback, and measures:

* ``build_mb_s``: plaintext MB/s of a whole pack build as the server runs it
  (``publish.run_build``: read, encrypt in 1 MiB AES-256-GCM chunks, hash plaintext and
  ciphertext, write and fsync, seal keys, wrap every key for every device, sign,
  publish), the median of ``BUILDS`` builds that each encrypt every document afresh;
* ``aesgcm_mb_s``: raw AES-256-GCM over the same bytes in memory, same chunking, and
  ``build_vs_aesgcm_ratio`` (goal >= 0.7; out of reach, see docs/pack-format.md §9);
* ``sha256_mb_s``: SHA-256 alone on one thread over the same bytes (the format needs it
  twice: plaintext and ciphertext);
* ``format_floor_mb_s``: the least work format 1 demands, in memory: SHA-256 of the
  plaintext on one thread while another runs AES-256-GCM and SHA-256 of the ciphertext
  (hashlib drops the GIL, so both cores work), and ``build_vs_format_floor_ratio``;
* ``aesgcm_sha_write_mb_s``: read + AES-256-GCM + SHA-256 + write + fsync per file, one
  thread, and ``build_vs_aesgcm_sha_write_ratio``;
* ``write_fsync_mb_s``: writing as many bytes into new files and fsyncing them, nothing
  else (the disk's share), and ``build_vs_unavoidable_ratio``: the slower of the format
  floor and this write, over the build;
* ``wrap_ms_per_device``: wrapping the 20 content keys for one device (HPKE) and its share
  of signing, from a build where every document is reused;
* distribution: 50 (10) ``hdnd-tablet sync`` processes at once against one server
  process: ``distribution_mb_s`` (aggregate ciphertext MB/s over the wall time) and
  ``slowest_client_s``;
* delta: revise 1 of 20 documents, rebuild, sync one device: ``delta_share`` = bytes
  moved (the new file plus the manifest) / pack ciphertext bytes, beside
  ``revised_share`` (goal: delta_share < revised_share + 0.01).

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlmodel import Session, select

from server.config import Settings
from server.db import make_engine, migrate
from server.documents.storage import DocumentStore
from server.models import (
    Account,
    AccountRole,
    Body,
    BodyKind,
    Confidentiality,
    Council,
    CouncilLevel,
    CouncilSession,
    Document,
    DocumentKind,
    DocumentVersion,
    Membership,
    Person,
    SessionKind,
    SessionStatus,
)
from server.models.base import id_of
from server.models.devices import PackBuild, PackDocument, PackStatus
from server.packs import keys
from server.packs.enrolment import issue_code
from server.packs.publish import _agenda, _reusable, _sources, blobs_dir, run_build, start_build
from server.packs.recipients import pack_recipients
from shared.crypto.chunked import CHUNK_SIZE
from shared.pack.builder import build_pack
from tablet_app.core.enrol import enrol
from tablet_app.core.keystore import ScryptParams
from tablet_app.core.sync import Tablet

DOCUMENTS = 20
BUILDS = 3  # builds (and baseline runs) per measurement; the median is reported
PIN = "135790"
SECRET = "bench-secret"
# Cheaper than the tablet default (2^16) so that 50 clients unlocking at once fit in RAM;
# the key store cost is not what this benchmark measures.
BENCH_SCRYPT = ScryptParams(log2_n=12)


def noisy_pdf(seed: int, size: int) -> bytes:
    import pymupdf

    rng = random.Random(seed)
    side = int((size / 3) ** 0.5)
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 72), f"Tài liệu số {seed}", fontname="helv")
    pixels = pymupdf.Pixmap(pymupdf.csRGB, side, side, rng.randbytes(side * side * 3), False)
    page.insert_image(page.rect, pixmap=pixels)
    data = document.tobytes()
    document.close()
    return data


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(settings: Settings, doc_bytes: int, devices: int) -> tuple[int, list[int], list[Path]]:
    """A council, a published session with 20 documents, and one delegate per device."""
    engine = make_engine(settings)
    store = DocumentStore(settings.documents_dir)
    paths: list[Path] = []
    with Session(engine) as db:
        council = Council(name="HĐND xã Thử nghiệm", level=CouncilLevel.commune,
                          term_start=2026, term_end=2031)
        db.add(council)
        db.flush()
        body = Body(council_id=council.id, name=council.name, kind=BodyKind.plenary)
        db.add(body)
        db.flush()
        clerk = Account(username="clerk", password_hash="!", role=AccountRole.clerk)
        db.add(clerk)
        session = CouncilSession(council_id=council.id, body_id=body.id, title="Kỳ họp thử",
                                 kind=SessionKind.regular, start_date=date(2026, 7, 1),
                                 end_date=date(2026, 7, 1), status=SessionStatus.published)
        db.add(session)
        db.flush()
        for number in range(DOCUMENTS):
            paths.append(_add_document(db, store, id_of(session), number, doc_bytes))
        people = []
        for number in range(devices):
            person = Person(council_id=council.id, full_name=f"Đại biểu {number:03d}",
                            is_delegate=True)
            db.add(person)
            db.flush()
            db.add(Membership(person_id=person.id, body_id=body.id))
            db.add(Account(username=f"d{number:03d}", password_hash="!",
                           role=AccountRole.delegate, person_id=person.id))
            people.append(id_of(person))
        db.commit()
        return id_of(session), people, paths


def _add_document(db: Session, store: DocumentStore, session_id: int, number: int,
                  size: int) -> Path:
    content = noisy_pdf(number, size)
    key = store.new_key()
    path = store.path_for(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    document = Document(session_id=session_id, title=f"Tài liệu {number}",
                        kind=DocumentKind.report, confidentiality=Confidentiality.internal,
                        current_version=1)
    db.add(document)
    db.flush()
    db.add(DocumentVersion(document_id=document.id, version=1, original_filename="x.pdf",
                           storage_key=key, size=len(content), page_count=1,
                           sha256=hashlib.sha256(content).hexdigest()))
    return path


def revise_one(settings: Settings, session_id: int, size: int) -> int:
    store = DocumentStore(settings.documents_dir)
    with Session(make_engine(settings)) as db:
        document = db.exec(select(Document).where(Document.session_id == session_id)
                           .order_by(Document.id)).first()  # type: ignore[arg-type]
        assert document is not None
        content = noisy_pdf(1000, size)
        key = store.new_key()
        path = store.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        db.add(DocumentVersion(document_id=document.id, version=2, original_filename="x.pdf",
                               storage_key=key, size=len(content), page_count=1,
                               sha256=hashlib.sha256(content).hexdigest()))
        document.current_version = 2
        db.add(document)
        db.commit()
        return id_of(document)


def build(settings: Settings, session_id: int, *, afresh: bool = False) -> float:
    """Seconds of one ``run_build``; ``afresh`` forgets earlier encryptions first, so that
    every document is encrypted again (the same work as a first build)."""
    engine = make_engine(settings)
    with Session(engine) as db:
        if afresh:
            for row in db.exec(select(PackDocument)):
                db.delete(row)
        clerk = db.exec(select(Account).where(Account.username == "clerk")).one()
        session = db.get(CouncilSession, session_id)
        pack = start_build(db, clerk, session, settings)  # type: ignore[arg-type]
        db.commit()
        build_id = id_of(pack)
    started = time.perf_counter()
    run_build(engine, settings, build_id)
    elapsed = time.perf_counter() - started
    with Session(engine) as db:
        done = db.get(PackBuild, build_id)
        assert done is not None and done.status == PackStatus.published, done
    return elapsed


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def aesgcm_baseline(contents: list[bytes]) -> float:
    """Seconds for AES-256-GCM alone over the same bytes (already in memory), 1 MiB chunks."""
    aead = AESGCM(AESGCM.generate_key(bit_length=256))
    started = time.perf_counter()
    for content in contents:
        view = memoryview(content)
        for index, offset in enumerate(range(0, len(content), CHUNK_SIZE)):
            aead.encrypt(index.to_bytes(12, "big"), view[offset:offset + CHUNK_SIZE], b"")
    return time.perf_counter() - started


def in_memory_baselines(paths: list[Path]) -> tuple[float, float, float]:
    """Median seconds of ``aesgcm_baseline``, ``format_floor`` and one SHA-256 pass (one
    thread) over the pack's files."""
    contents = [p.read_bytes() for p in paths]
    return (median_of(BUILDS, lambda: aesgcm_baseline(contents)),
            median_of(BUILDS, lambda: format_floor(contents)),
            median_of(BUILDS, lambda: sha256_alone(contents)))


def sha256_alone(contents: list[bytes]) -> float:
    """Seconds for SHA-256 of every plaintext on one thread: what the manifest's
    ``plaintext_sha256`` costs by itself (the ciphertext hash costs the same again)."""
    started = time.perf_counter()
    for content in contents:
        hashlib.sha256(content).digest()
    return time.perf_counter() - started


def format_floor(contents: list[bytes]) -> float:
    """Seconds for the hashing and encryption format 1 cannot do without, in memory.

    One thread hashes every plaintext; the other encrypts every chunk and hashes the
    ciphertext. No file is read or written, nothing is wrapped or signed: a build can
    only come close to this, never beat it (on two cores; more cores split documents).
    """
    aead = AESGCM(AESGCM.generate_key(bit_length=256))
    sealed = bytearray(CHUNK_SIZE + 16)

    def encrypt_and_hash() -> None:
        for content in contents:
            view, digest = memoryview(content), hashlib.sha256()
            for index, offset in enumerate(range(0, len(content), CHUNK_SIZE)):
                piece = view[offset:offset + CHUNK_SIZE]
                out = memoryview(sealed)[:len(piece) + 16]
                aead.encrypt_into(index.to_bytes(12, "big"), piece, b"", out)
                digest.update(out)

    with ThreadPoolExecutor(1) as other:
        started = time.perf_counter()
        plain = other.submit(lambda: [hashlib.sha256(c).digest() for c in contents])
        encrypt_and_hash()
        plain.result()
        return time.perf_counter() - started


def write_baseline(paths: list[Path], out_dir: Path) -> float:
    """Seconds to write as many bytes as the pack's files into new files (8 MiB writes,
    space reserved first) and fsync them: the disk's share, which no encryption changes.
    The data is the plaintext, already in memory: nothing is read, hashed or encrypted."""
    contents = [p.read_bytes() for p in paths]
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for number, content in enumerate(contents):
        with open(out_dir / f"{number}.bin", "wb", buffering=0) as out:
            os.posix_fallocate(out.fileno(), 0, max(1, len(content)))
            view = memoryview(content)
            for offset in range(0, len(content), 8 * CHUNK_SIZE):
                out.write(view[offset:offset + 8 * CHUNK_SIZE])
            os.fsync(out.fileno())
    elapsed = time.perf_counter() - started
    shutil.rmtree(out_dir)
    return elapsed


def aesgcm_sha_write_baseline(paths: list[Path], out_dir: Path) -> float:
    """Seconds for read + AES-256-GCM + SHA-256 of the ciphertext + write + fsync."""
    out_dir.mkdir(parents=True, exist_ok=True)
    aead = AESGCM(AESGCM.generate_key(bit_length=256))
    started = time.perf_counter()
    for number, path in enumerate(paths):
        digest = hashlib.sha256()
        with open(path, "rb") as source, open(out_dir / f"{number}.bin", "wb") as out:
            index = 0
            while chunk := source.read(CHUNK_SIZE):
                sealed = aead.encrypt(index.to_bytes(12, "big"), chunk, b"")
                digest.update(sealed)
                out.write(sealed)
                index += 1
            out.flush()
            os.fsync(out.fileno())
    elapsed = time.perf_counter() - started
    shutil.rmtree(out_dir)
    return elapsed


def wrap_only(settings: Settings, session_id: int, devices: int) -> float:
    """ms per device to wrap every content key and sign, with all documents reused."""
    engine = make_engine(settings)
    with Session(engine) as db:
        session = db.get(CouncilSession, session_id)
        assert session is not None
        documents = list(db.exec(select(Document).where(Document.session_id == session_id)))
        store = DocumentStore(settings.documents_dir)
        sources = _sources(db, store, documents)
        previous = _reusable(db, keys.at_rest_key(settings.keys_dir), blobs_dir(settings),
                             sources)
        recipients = pack_recipients(db, session, documents)
        agenda = _agenda(db, session, documents)
        from shared.pack.manifest import SessionInfo

        info = SessionInfo(id=str(session.id), title=session.title, date=session.start_date,
                           place=session.place)
        started = time.perf_counter()
        build_pack(council="x", session=info, pack_version=99, agenda=agenda,
                   documents=sources, recipients=recipients,
                   server_key=keys.signing_key(settings.keys_dir),
                   out_dir=blobs_dir(settings), previous=previous)
        return (time.perf_counter() - started) * 1000 / devices


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HDND_DATA_DIR": str(data_dir), "HDND_SECRET_KEY": SECRET}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("server did not start")


def enrol_all(settings: Settings, url: str, people: list[int], root: Path) -> list[Path]:
    folders = []
    with Session(make_engine(settings)) as db:
        clerk = db.exec(select(Account).where(Account.username == "clerk")).one()
        codes = [issue_code(db, clerk, SECRET, person).code for person in people]
        db.commit()
    for number, code in enumerate(codes):
        folder = root / f"tablet-{number:03d}"
        enrol(url, code, f"Máy {number:03d}", PIN, folder, platform="bench",
              params=BENCH_SCRYPT).close()
        folders.append(folder)
    return folders


def distribute(url: str, session_id: int, folders: list[Path]) -> tuple[int, float, float]:
    """Run one ``hdnd-tablet sync`` process per folder, all at once."""
    started = time.perf_counter()
    processes = [subprocess.Popen(
        [sys.executable, "-m", "tablet_app.core.cli", "sync", "--session", str(session_id),
         "--server", url, "--json"],
        env={**os.environ, "HDND_TABLET_DIR": str(folder), "HDND_TABLET_PIN": PIN},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE) for folder in folders]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        if process.returncode != 0:
            raise RuntimeError(err.decode())
        reports.append(json.loads(out.decode().strip().splitlines()[-1]))
    wall = time.perf_counter() - started
    moved = sum(r["bytes_downloaded"] for r in reports)
    return moved, wall, max(r["seconds"] for r in reports)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="30 MB, 20 devices, 10 clients instead of 300 MB, 100, 50")
    args = parser.parse_args()
    total_mb, devices, clients = (30, 20, 10) if args.quick else (300, 100, 50)
    doc_bytes = total_mb * 1024 * 1024 // DOCUMENTS
    root = Path(tempfile.mkdtemp(prefix="hdnd-bench-packs-"))
    server = None
    try:
        data_dir = root / "server"
        settings = Settings(data_dir=data_dir, secret_key=SECRET)
        migrate(settings)
        session_id, people, paths = seed(settings, doc_bytes, devices)
        plain_bytes = sum(p.stat().st_size for p in paths)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(data_dir, port)
        folders = enrol_all(settings, url, people, root / "tablets")

        build_s = median_of(BUILDS, lambda: build(settings, session_id, afresh=True))
        aes_s, floor_s, sha_s = in_memory_baselines(paths)
        aes_sha_write_s = median_of(
            BUILDS, lambda: aesgcm_sha_write_baseline(paths, root / "baseline"))
        write_s = median_of(BUILDS, lambda: write_baseline(paths, root / "baseline"))
        wrap_ms = wrap_only(settings, session_id, devices)
        mb = plain_bytes / 1e6
        print(f"build {mb:.0f} MB for {devices} devices: {build_s:.2f} s", file=sys.stderr)

        moved, wall, slowest = distribute(url, session_id, folders[:clients])
        print(f"{clients} clients: {moved / 1e6:.0f} MB in {wall:.2f} s", file=sys.stderr)

        revised = revise_one(settings, session_id, doc_bytes)
        build(settings, session_id)
        with Tablet.open(folders[0], PIN) as tablet:
            result = tablet.sync(session_id)
            manifest = tablet.visible_manifest(session_id)
            assert manifest is not None
            pack_bytes = sum(d.ciphertext_size for d in manifest.documents)
            revised_bytes = manifest.document(str(revised)).ciphertext_size  # type: ignore[union-attr]
        report = {
            "quick": args.quick, "documents": DOCUMENTS, "plaintext_mb": round(mb, 1),
            "devices": devices, "clients": clients,
            "build_s": round(build_s, 3), "build_mb_s": round(mb / build_s, 1),
            "aesgcm_mb_s": round(mb / aes_s, 1),
            "build_vs_aesgcm_ratio": round(aes_s / build_s, 3),
            "sha256_mb_s": round(mb / sha_s, 1),
            "format_floor_mb_s": round(mb / floor_s, 1),
            "build_vs_format_floor_ratio": round(floor_s / build_s, 3),
            "write_fsync_mb_s": round(mb / write_s, 1),
            "build_vs_unavoidable_ratio": round(max(floor_s, write_s) / build_s, 3),
            "aesgcm_sha_write_mb_s": round(mb / aes_sha_write_s, 1),
            "build_vs_aesgcm_sha_write_ratio": round(aes_sha_write_s / build_s, 3),
            "wrap_ms_per_device": round(wrap_ms, 3),
            "distribution_mb_s": round(moved / 1e6 / wall, 1),
            "distribution_wall_s": round(wall, 3), "slowest_client_s": round(slowest, 3),
            "delta_bytes": result.bytes_downloaded + result.manifest_bytes,
            "delta_share": round((result.bytes_downloaded + result.manifest_bytes) / pack_bytes, 4),
            "revised_share": round(revised_bytes / pack_bytes, 4),
            "cpus": os.cpu_count(),
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
