"""A tablet whose commune moved into a province's deployment beside other councils.

Every id of the commune moved with it (server/operations/renumber.py). The first request
the tablet signs with its old device id is answered ``device_renumbered``, with its new
id and, per table, how far the council's ids moved; the signature proved it is this
device, so nothing has to be enrolled again. The tablet then renames, once, what it keeps
by id:

* its annotation layers, sealed again under the documents' new ids (each record is bound
  to its document's id): nothing the delegate wrote is lost;
* the packs it holds are let go, with the held versions that guarded them: their signed
  manifests and encrypted files name the old ids, and the server encrypts the documents
  again under the new ones, so the next sync fetches them (until then the documents are
  not readable offline);
* the app's settings (the sessions chosen to sync, the last page read and the versions
  opened per document), renamed with the new numbers;
* the sealed copies of server answers kept to read offline (the delegate's record,
  questions, the constituency's petitions) are let go: they name the old ids, and the
  tablet is online, so the next screen fetches them again;
* its device id, in the sealed key store and in ``device.json``.

A crash part way is safe: the layers are written into a new folder swapped in whole, and
the move's stamp is sealed last (with the device id), so the next request is answered
``device_renumbered`` again and the work is finished from what is on disk; once sealed,
being told again (the acknowledgement was lost) changes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from shared.crypto.encoding import b64url_decode
from tablet_app.core import constituency_petitions, my_questions, my_record
from tablet_app.core.annotation_store import JOURNAL_DIR, KEY_NAME, AnnotationStore
from tablet_app.core.keystore import KeyStore
from tablet_app.core.pack_store import PackStore
from tablet_app.core.settings import SETTINGS_FILE, AppSettings

_NEW = JOURNAL_DIR + ".renumbered"
_BEFORE = JOURNAL_DIR + ".before-renumbering"
HELD_PREFIX = "pack_version:"
# what is let go: held versions and the offline copies of server answers
FORGOTTEN = (HELD_PREFIX, my_questions.copy_key(0).removesuffix("0"), my_record.RECORD_KEY,
             constituency_petitions.COPY_KEY)


STAMP = "renumbered_at"  # the move already applied (its time, as the server gave it)


def apply(folder: Path, keystore: KeyStore, store: PackStore, device_id: str,
          offsets: dict[str, int], stamp: str) -> None:
    """Rename what this tablet keeps to the numbering the server gave it, once per move
    (told again before the server heard the tablet's acknowledgement, it does nothing)."""
    if stamp and keystore.value(STAMP) == stamp:
        return
    _renumber_layers(folder, keystore, offsets.get("document", 0))
    for session in store.session_ids():
        shutil.rmtree(store.sessions_dir / session, ignore_errors=True)
    for name in [n for n in keystore.value_names() if n.startswith(FORGOTTEN)]:
        keystore.forget_value(name)
    if (folder / SETTINGS_FILE).exists():
        settings = AppSettings.load(folder)
        settings.renumber(offsets, stamp)
        settings.save(folder)
    keystore.set_value("device_id", device_id)
    keystore.set_value(STAMP, stamp)
    keystore.save()
    info = store.device_info()
    if info:
        store.write_device_info({**info, "device_id": device_id})
    shutil.rmtree(folder / _BEFORE, ignore_errors=True)


def _renumber_layers(folder: Path, keystore: KeyStore, document_offset: int) -> None:
    current, new, before = folder / JOURNAL_DIR, folder / _NEW, folder / _BEFORE
    if before.exists() and current.exists():
        return  # swapped in by a run that stopped before the device id changed
    if before.exists():  # stopped between the two renames of the swap
        before.rename(current)
    stored = keystore.value(KEY_NAME)
    if not stored or not current.exists() or document_offset == 0:
        return  # no layer was ever written, or nothing moved
    shutil.rmtree(new, ignore_errors=True)
    key = b64url_decode(stored)
    old = AnnotationStore(folder, key)
    staging = folder / "renumbering"
    shutil.rmtree(staging, ignore_errors=True)
    target = AnnotationStore(staging, key)  # writes under staging/annotations
    for doc, version in old.layers():
        with old.open(doc, version) as journal:
            marks = journal.layer.marks()
        new_doc = str(int(doc) + document_offset) if doc.isdigit() else doc
        target.write_layer(new_doc, version, marks)
    (staging / JOURNAL_DIR).rename(new)
    staging.rmdir()
    current.rename(before)
    new.rename(current)
