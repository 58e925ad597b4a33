"""The tablet key store: sealed under the PIN, counts wrong PINs across restarts, wipes."""

from __future__ import annotations

import json
import stat

import pytest

from shared.crypto.signing import private_key_to_b64, public_key_to_b64
from tablet_app.core.keystore import (
    DEFAULT_SCRYPT,
    STORE_FILE,
    KeyStore,
    PinTooShort,
    ScryptParams,
    StoreExists,
    StoreNotFound,
    StoreWiped,
    WrongPin,
)

FAST = ScryptParams(log2_n=10)  # the format and code path of the real one, 1000x cheaper
PIN = "246810"


@pytest.fixture
def folders(tmp_path):
    packs = tmp_path / "packs"
    (packs / "ky-hop-5").mkdir(parents=True)
    (packs / "ky-hop-5" / "to-trinh-01.v1.hdndoc").write_bytes(b"ciphertext")
    return tmp_path / "keys", packs


def make(folders, max_attempts: int = 10) -> KeyStore:
    keys, packs = folders
    return KeyStore.create(keys, PIN, params=FAST, max_attempts=max_attempts, packs_folder=packs)


def test_default_cost_is_scrypt_n_2_16() -> None:
    assert (DEFAULT_SCRYPT.log2_n, DEFAULT_SCRYPT.r, DEFAULT_SCRYPT.p) == (16, 8, 1)


def test_keys_and_values_survive_a_restart(folders) -> None:
    store = make(folders)
    store.put_content_key("to-trinh-01", 1, b"k" * 32)
    store.set_value("server_public_key", "abc")
    store.save()
    reopened = KeyStore.unlock(folders[0], PIN, packs_folder=folders[1])
    assert private_key_to_b64(reopened.device_x25519) == private_key_to_b64(store.device_x25519)
    assert public_key_to_b64(reopened.device_ed25519.public_key()) == public_key_to_b64(
        store.device_ed25519.public_key()
    )
    assert reopened.content_key("to-trinh-01", 1) == b"k" * 32
    assert reopened.content_key("to-trinh-01", 2) is None
    assert reopened.value("server_public_key") == "abc"


def test_the_file_holds_no_key_in_clear_and_is_private(folders) -> None:
    store = make(folders)
    store.put_content_key("to-trinh-01", 1, b"\x01" * 32)
    store.save()
    path = folders[0] / STORE_FILE
    text = path.read_text()
    assert private_key_to_b64(store.device_x25519) not in text
    assert private_key_to_b64(store.device_ed25519) not in text
    assert "to-trinh-01" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_wrong_pins_are_counted_across_restarts(folders) -> None:
    make(folders)
    with pytest.raises(WrongPin) as first:
        KeyStore.unlock(folders[0], "000000")
    assert first.value.attempts_left == 9
    assert "9" in first.value.message_vi and first.value.code == "wrong_pin"
    # a new process: nothing in memory carries over, only the file
    with pytest.raises(WrongPin) as second:
        KeyStore.unlock(folders[0], "111111")
    assert second.value.attempts_left == 8
    assert KeyStore.attempts_left(folders[0]) == 8


def test_the_count_is_on_disk_before_the_pin_is_tried(folders, monkeypatch) -> None:
    make(folders)

    def killed(self, pin, salt):
        raise KeyboardInterrupt  # the app is killed while scrypt runs

    monkeypatch.setattr(ScryptParams, "derive", killed)
    for _ in range(3):
        with pytest.raises(KeyboardInterrupt):
            KeyStore.unlock(folders[0], PIN)
    monkeypatch.undo()
    assert KeyStore.attempts_left(folders[0]) == 7
    KeyStore.unlock(folders[0], PIN)  # the right PIN still works, and resets the count
    assert KeyStore.attempts_left(folders[0]) == 10


def test_the_right_pin_resets_the_count(folders) -> None:
    make(folders)
    for _ in range(4):
        with pytest.raises(WrongPin):
            KeyStore.unlock(folders[0], "999999")
    KeyStore.unlock(folders[0], PIN)
    with pytest.raises(WrongPin) as caught:
        KeyStore.unlock(folders[0], "999999")
    assert caught.value.attempts_left == 9


def test_the_store_wipes_itself_at_the_limit(folders) -> None:
    keys, packs = folders
    make(folders, max_attempts=3)
    for left in (2, 1):
        with pytest.raises(WrongPin) as caught:
            KeyStore.unlock(keys, "000000", packs_folder=packs)
        assert caught.value.attempts_left == left
    with pytest.raises(StoreWiped):
        KeyStore.unlock(keys, "000000", packs_folder=packs)
    assert not (keys / STORE_FILE).exists()
    assert not packs.exists()
    assert KeyStore.wiped_reason(keys) == "pin"
    with pytest.raises(StoreWiped):  # even the right PIN: the keys are gone
        KeyStore.unlock(keys, PIN, packs_folder=packs)


def test_a_store_found_at_the_limit_is_wiped_without_trying(folders, monkeypatch) -> None:
    keys, packs = folders
    make(folders, max_attempts=2)
    record = json.loads((keys / STORE_FILE).read_text())
    record["failed_attempts"] = 2  # killed after counting the last try, before wiping
    (keys / STORE_FILE).write_text(json.dumps(record))
    with pytest.raises(StoreWiped):
        KeyStore.unlock(keys, PIN, packs_folder=packs)
    assert not packs.exists()


def test_remote_wipe(folders) -> None:
    keys, packs = folders
    store = make(folders)
    store.wipe()
    assert not (keys / STORE_FILE).exists() and not packs.exists()
    assert KeyStore.wiped_reason(keys) == "remote"
    assert not list(keys.glob(".*.tmp"))
    with pytest.raises(StoreWiped):
        KeyStore.unlock(keys, PIN)
    # re-enrolment starts afresh
    KeyStore.create(keys, "135790", params=FAST)
    assert KeyStore.wiped_reason(keys) is None


def test_weakened_kdf_parameters_do_not_open_the_store(folders) -> None:
    keys, _ = folders
    make(folders)
    record = json.loads((keys / STORE_FILE).read_text())
    record["kdf"]["log2_n"] = 4
    (keys / STORE_FILE).write_text(json.dumps(record))
    with pytest.raises(WrongPin):
        KeyStore.unlock(keys, PIN)


def test_change_pin(folders) -> None:
    store = make(folders)
    store.change_pin("975310")
    with pytest.raises(WrongPin):
        KeyStore.unlock(folders[0], PIN)
    assert KeyStore.unlock(folders[0], "975310").device_x25519 is not None


def test_creation_rules(folders) -> None:
    keys, _ = folders
    with pytest.raises(PinTooShort):
        KeyStore.create(keys, "1234", params=FAST)
    with pytest.raises(StoreNotFound):
        KeyStore.unlock(keys, PIN)
    make(folders)
    with pytest.raises(StoreExists):
        make(folders)
