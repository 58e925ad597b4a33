"""The tablet's key store, sealed at rest under a key derived from the delegate's PIN.

Holds the device's X25519 key (opens the document keys in a manifest), its Ed25519 key
(signs its requests), content keys, and small values that must not be altered behind
the app's back (the pinned server key, the last pack version seen). Without the PIN the
file is an AES-256-GCM blob; the packs on disk are encrypted to the device key inside it,
so deleting this one file makes every stored pack unreadable.

Wrong PINs are counted in the file itself, and the count is written (and fsynced)
*before* the PIN is tried: killing the app between tries cannot reset it. At
``max_attempts`` wrong PINs in a row the store wipes itself and the packs folder.

File ``keystore.json`` in the store folder (format 1)::

    {"format": 1,
     "kdf": {"name": "scrypt", "log2_n": 16, "r": 8, "p": 1, "salt": b64url(16 bytes)},
     "max_attempts": 10, "failed_attempts": 0,
     "sealed": b64url(nonce(12) || AES-256-GCM(key, nonce, payload, aad))}

    key = scrypt(NFC(PIN) as UTF-8, salt, n=2**log2_n, r, p, length 32)
    aad = canonical JSON of {"format": 1, "kdf": {...}}
    payload = canonical JSON of {"x25519": b64url raw, "ed25519": b64url raw,
                                 "content_keys": {"<doc id>@<version>": b64url}, "values": {}}

Scrypt cost: n=2**16, r=8, p=1 (64 MiB) takes about 120 ms on the development server
(AMD EPYC, 2 cores) and several times that on a low-end Android tablet; tests inject a
cheap ``ScryptParams`` through ``create``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from shared import clock
from shared.crypto.encoding import BadEncoding, b64url_decode, b64url_encode
from shared.crypto.errors import CryptoError
from shared.crypto.signing import (
    canonical_json,
    ed25519_private_from_b64,
    private_key_to_b64,
    x25519_private_from_b64,
)
from shared.errors import Conflict, Gone, Invalid, NotFound, Unauthenticated

STORE_FILE = "keystore.json"
WIPED_FILE = "wiped.json"
STORE_FORMAT = 1
DEFAULT_MAX_ATTEMPTS = 10
MIN_PIN_LENGTH = 6


# --- errors ----------------------------------------------------------------------------


class KeyStoreError(CryptoError, Invalid):
    code = "keystore_error"
    message_vi = "Kho khóa trên máy không dùng được."
    message_en = "The device key store cannot be used."


class WrongPin(KeyStoreError, Unauthenticated):
    code = "wrong_pin"

    def __init__(self, attempts_left: int) -> None:
        self.attempts_left = attempts_left
        super().__init__(
            f"Mã PIN không đúng. Còn {attempts_left} lần thử trước khi dữ liệu trên máy bị xóa.",
            f"Wrong PIN. {attempts_left} tries left before the data on this device is erased.",
            attempts_left=attempts_left,
        )


class StoreWiped(KeyStoreError, Gone):
    code = "store_wiped"
    message_vi = "Khóa và tài liệu trên máy đã bị xóa. Hãy liên hệ Văn phòng để đăng ký lại."
    message_en = "The keys and documents on this device were erased. Ask the office to re-enrol."


class StoreNotFound(KeyStoreError, NotFound):
    code = "store_not_found"
    message_vi = "Máy này chưa được đăng ký."
    message_en = "This device is not enrolled."


class StoreExists(KeyStoreError, Conflict):
    code = "store_exists"
    message_vi = "Máy này đã có kho khóa."
    message_en = "This device already has a key store."


class StoreCorrupt(KeyStoreError):
    code = "store_corrupt"
    message_vi = "Tệp kho khóa bị hỏng."
    message_en = "The key store file is damaged."


class PinTooShort(KeyStoreError):
    code = "pin_too_short"
    message_vi = f"Mã PIN cần ít nhất {MIN_PIN_LENGTH} ký tự."
    message_en = f"The PIN needs at least {MIN_PIN_LENGTH} characters."


# --- key derivation --------------------------------------------------------------------


@dataclass(frozen=True)
class ScryptParams:
    log2_n: int = 16
    r: int = 8
    p: int = 1

    def derive(self, pin: str, salt: bytes) -> bytes:
        normalized = unicodedata.normalize("NFC", pin).encode("utf-8")
        return Scrypt(salt=salt, length=32, n=1 << self.log2_n, r=self.r, p=self.p).derive(
            normalized
        )

    def to_json(self, salt: bytes) -> dict[str, Any]:
        return {
            "name": "scrypt",
            "log2_n": self.log2_n,
            "r": self.r,
            "p": self.p,
            "salt": b64url_encode(salt),
        }


DEFAULT_SCRYPT = ScryptParams()


# --- the store -------------------------------------------------------------------------


class KeyStore:
    """An unlocked key store; only ``create`` and ``unlock`` make one."""

    def __init__(
        self,
        folder: Path,
        packs_folder: Path | None,
        record: dict[str, Any],
        sealing_key: bytes,
        payload: dict[str, Any],
    ) -> None:
        self.folder = folder
        self.packs_folder = packs_folder
        self._record = record
        self._sealing_key = sealing_key
        self.device_x25519: X25519PrivateKey = x25519_private_from_b64(payload["x25519"])
        self.device_ed25519: Ed25519PrivateKey = ed25519_private_from_b64(payload["ed25519"])
        self._content_keys: dict[str, str] = dict(payload.get("content_keys", {}))
        self._values: dict[str, str] = dict(payload.get("values", {}))

    # life cycle

    @classmethod
    def create(
        cls,
        folder: str | os.PathLike[str],
        pin: str,
        *,
        params: ScryptParams = DEFAULT_SCRYPT,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        packs_folder: str | os.PathLike[str] | None = None,
        device_x25519: X25519PrivateKey | None = None,
        device_ed25519: Ed25519PrivateKey | None = None,
    ) -> KeyStore:
        """Make a new store (generating device keys unless given) sealed under ``pin``."""
        if len(pin) < MIN_PIN_LENGTH:
            raise PinTooShort()
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        root = Path(folder)
        root.mkdir(parents=True, exist_ok=True)
        if (root / STORE_FILE).exists():
            raise StoreExists()
        salt = os.urandom(16)
        record: dict[str, Any] = {
            "format": STORE_FORMAT,
            "kdf": params.to_json(salt),
            "max_attempts": max_attempts,
            "failed_attempts": 0,
            "sealed": "",
        }
        payload = {
            "x25519": private_key_to_b64(device_x25519 or X25519PrivateKey.generate()),
            "ed25519": private_key_to_b64(device_ed25519 or Ed25519PrivateKey.generate()),
            "content_keys": {},
            "values": {},
        }
        store = cls(root, _path(packs_folder), record, params.derive(pin, salt), payload)
        store.save()
        with contextlib.suppress(FileNotFoundError):
            (root / WIPED_FILE).unlink()
        return store

    @classmethod
    def unlock(
        cls,
        folder: str | os.PathLike[str],
        pin: str,
        *,
        packs_folder: str | os.PathLike[str] | None = None,
    ) -> KeyStore:
        """Open the store with ``pin``; counts failures and wipes at the limit."""
        root, packs = Path(folder), _path(packs_folder)
        record = _read_record(root)
        limit = int(record["max_attempts"])
        failed = int(record["failed_attempts"])
        if failed >= limit:  # the app was killed after the last counted try
            wipe_store(root, packs, reason="pin")
            raise StoreWiped()
        record["failed_attempts"] = failed + 1
        _write_atomic(root / STORE_FILE, _record_bytes(record))  # count first, then try
        try:
            params, salt = _kdf(record)
            key = params.derive(pin, salt)
            payload = _open_sealed(record, key)
        except InvalidTag:
            if failed + 1 >= limit:
                wipe_store(root, packs, reason="pin")
                raise StoreWiped() from None
            raise WrongPin(limit - failed - 1) from None
        record["failed_attempts"] = 0
        _write_atomic(root / STORE_FILE, _record_bytes(record))
        return cls(root, packs, record, key, payload)

    @staticmethod
    def exists(folder: str | os.PathLike[str]) -> bool:
        return (Path(folder) / STORE_FILE).exists()

    @staticmethod
    def attempts_left(folder: str | os.PathLike[str]) -> int:
        record = _read_record(Path(folder))
        return max(0, int(record["max_attempts"]) - int(record["failed_attempts"]))

    @staticmethod
    def wiped_reason(folder: str | os.PathLike[str]) -> str | None:
        """ "pin" or "remote" if this folder's store was wiped (and not re-created)."""
        try:
            return str(json.loads((Path(folder) / WIPED_FILE).read_text("utf-8"))["reason"])
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def save(self) -> None:
        """Re-seal the current contents (fresh nonce, same PIN-derived key), atomically."""
        payload = {
            "x25519": private_key_to_b64(self.device_x25519),
            "ed25519": private_key_to_b64(self.device_ed25519),
            "content_keys": self._content_keys,
            "values": self._values,
        }
        nonce = os.urandom(12)
        sealed = AESGCM(self._sealing_key).encrypt(
            nonce, canonical_json(payload), _aad(self._record)
        )
        self._record["sealed"] = b64url_encode(nonce + sealed)
        _write_atomic(self.folder / STORE_FILE, _record_bytes(self._record))

    def change_pin(self, new_pin: str, *, params: ScryptParams | None = None) -> None:
        if len(new_pin) < MIN_PIN_LENGTH:
            raise PinTooShort()
        current, _ = _kdf(self._record)
        params = params or current
        salt = os.urandom(16)
        self._record["kdf"] = params.to_json(salt)
        self._sealing_key = params.derive(new_pin, salt)
        self.save()

    def wipe(self, reason: str = "remote") -> None:
        """Remote wipe: delete the keys and the packs; this object is unusable after."""
        self._content_keys.clear()
        self._values.clear()
        self._sealing_key = b""
        wipe_store(self.folder, self.packs_folder, reason=reason)

    # contents

    def content_key(self, doc_id: str, version: int) -> bytes | None:
        encoded = self._content_keys.get(f"{doc_id}@{version}")
        return b64url_decode(encoded) if encoded is not None else None

    def put_content_key(self, doc_id: str, version: int, key: bytes) -> None:
        """Remember a content key in memory; ``save()`` seals it to disk."""
        self._content_keys[f"{doc_id}@{version}"] = b64url_encode(key)

    def forget_content_key(self, doc_id: str, version: int) -> None:
        self._content_keys.pop(f"{doc_id}@{version}", None)

    def value(self, name: str) -> str | None:
        """A small sealed value, e.g. ``server_public_key`` or ``last_pack_version``."""
        return self._values.get(name)

    def set_value(self, name: str, value: str) -> None:
        self._values[name] = value

    def forget_value(self, name: str) -> None:
        self._values.pop(name, None)

    def value_names(self) -> list[str]:
        return sorted(self._values)


def wipe_store(
    folder: str | os.PathLike[str],
    packs_folder: str | os.PathLike[str] | None,
    *,
    reason: str,
) -> None:
    """Delete the sealed keys, then the packs, then leave a note saying why.

    Works on a locked store too (a remote wipe order can arrive before the PIN). The
    keys go first: without them the pack files are ciphertext no one can open.
    """
    root = Path(folder)
    store = root / STORE_FILE
    with contextlib.suppress(FileNotFoundError):
        # Best effort on flash storage (wear levelling may keep old blocks).
        size = store.stat().st_size
        with open(store, "r+b") as handle:
            handle.write(bytes(size))
            handle.flush()
            os.fsync(handle.fileno())
        store.unlink()
    for leftover in root.glob(f".{STORE_FILE}.*.tmp"):
        leftover.unlink(missing_ok=True)
    if packs_folder is not None:
        shutil.rmtree(packs_folder, ignore_errors=True)
    note = {"reason": reason, "at": clock.now().isoformat(timespec="seconds")}
    root.mkdir(parents=True, exist_ok=True)
    _write_atomic(root / WIPED_FILE, json.dumps(note).encode("utf-8"))


# --- file helpers --------------------------------------------------------------------


def _path(value: str | os.PathLike[str] | None) -> Path | None:
    return Path(value) if value is not None else None


def _read_record(root: Path) -> dict[str, Any]:
    path = root / STORE_FILE
    try:
        record = json.loads(path.read_bytes())
    except FileNotFoundError:
        if (root / WIPED_FILE).exists():
            raise StoreWiped() from None
        raise StoreNotFound() from None
    except ValueError as exc:
        raise StoreCorrupt(reason="not JSON") from exc
    if not isinstance(record, dict) or record.get("format") != STORE_FORMAT:
        raise StoreCorrupt(reason="unknown format")
    for field in ("kdf", "max_attempts", "failed_attempts", "sealed"):
        if field not in record:
            raise StoreCorrupt(reason=f"missing {field}")
    return record


def _kdf(record: dict[str, Any]) -> tuple[ScryptParams, bytes]:
    kdf = record["kdf"]
    try:
        if kdf["name"] != "scrypt":
            raise StoreCorrupt(reason="unknown KDF")
        return ScryptParams(int(kdf["log2_n"]), int(kdf["r"]), int(kdf["p"])), b64url_decode(
            kdf["salt"]
        )
    except (KeyError, TypeError, ValueError, BadEncoding) as exc:
        raise StoreCorrupt(reason="bad KDF parameters") from exc


def _aad(record: dict[str, Any]) -> bytes:
    # The KDF parameters are bound: weakening them in the file breaks the seal.
    return canonical_json({"format": record["format"], "kdf": record["kdf"]})


def _open_sealed(record: dict[str, Any], key: bytes) -> dict[str, Any]:
    try:
        blob = b64url_decode(record["sealed"])
    except BadEncoding as exc:
        raise StoreCorrupt(reason="bad sealed data") from exc
    if len(blob) < 12 + 16:
        raise StoreCorrupt(reason="sealed data too short")
    plain = AESGCM(key).decrypt(blob[:12], blob[12:], _aad(record))
    values: dict[str, Any] = json.loads(plain)  # sealed by this module: a JSON object
    return values


def _record_bytes(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, indent=1).encode("utf-8")


def _write_atomic(path: Path, data: bytes) -> None:
    """Write temp + fsync + rename + fsync the folder: a crash leaves old or new, never half."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # folders cannot be opened for fsync on Windows
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
