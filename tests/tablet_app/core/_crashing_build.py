"""A pack build in a process of its own that stalls after its first new document, so a
test can kill it there like a power cut:
``python -m tests.tablet_app.core._crashing_build DATA_DIR SESSION_ID``.

It runs the server's own code the way the route's background task does
(``publish.start_build`` then ``publish.run_build``). Once the first newly encrypted
document is recorded and committed it prints ``stalled <build id> <document id>`` and
sleeps; the other documents go on being encrypted by the pool meanwhile, so a kill leaves
what a real crash leaves: a "building" row, its lock file, unfinished files in the
build's work folder, and one finished document on record.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlmodel import Session, select

from server.db import make_engine
from server.models import Account, CouncilSession
from server.packs import publish
from shared.pack.encryptor import EncryptedDocument
from tests.conftest import make_settings


def main() -> None:
    data_dir, session_id = Path(sys.argv[1]), int(sys.argv[2])
    settings = make_settings(data_dir)
    engine = make_engine(settings)
    with Session(engine) as db:
        clerk = db.exec(select(Account).where(Account.username == "clerk")).one()
        session = db.get(CouncilSession, session_id)
        assert session is not None
        build_id = publish.start_build(db, clerk, session, settings).id
        db.commit()
    record = publish._Progress.record

    def record_then_stall(progress: publish._Progress, done: EncryptedDocument) -> None:
        record(progress, done)
        progress.db.commit()
        print(f"stalled {build_id} {done.doc_id}", flush=True)
        time.sleep(600)

    publish._Progress.record = record_then_stall  # type: ignore[method-assign]
    publish.run_build(engine, settings, build_id or 0)


if __name__ == "__main__":
    main()
