"""A delegate's sealed annotation backup: stored per person, fetched by their new device,
refused to anyone else's device; the server only ever holds the opaque blob."""

from __future__ import annotations

import secrets

from shared.pack.backup import DOCUMENT_OFFSET_HEADER
from tests.server.api.conftest import Api
from tests.server.packs.test_devices_api import enrol

PATH = "/api/devices/me/annotation-backup"


def test_backup_survives_to_a_replacement_device_and_stays_private(api: Api) -> None:
    old_tablet = enrol(api, "delegate09")
    blob = b"HDND-BACKUP" + secrets.token_bytes(4096)  # sealed on the tablet; opaque here
    stored = api.client.put(PATH, content=blob, auth=old_tablet.auth(),
                            headers={"Content-Type": "application/octet-stream"})
    assert stored.status_code == 200, stored.text
    assert stored.json()["size"] == len(blob)

    new_tablet = enrol(api, "delegate09")
    fetched = api.client.get(PATH, auth=new_tablet.auth())
    assert fetched.status_code == 200 and fetched.content == blob

    stranger = enrol(api, "delegate10")
    refused = api.client.get(PATH, auth=stranger.auth())
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert api.client.get(PATH).status_code in (401, 403)  # no device signature at all


def test_a_backup_sealed_before_a_move_says_how_far_its_documents_moved(api: Api) -> None:
    """The server cannot open the backup to rename its document ids (hdnd import beside
    other councils): it says the offset, and a backup sealed after the move says 0."""
    from server.packs import annotation_backup
    from tests.server.packs.test_devices_api import person_id

    tablet = enrol(api, "delegate11")
    put = {"auth": tablet.auth(), "headers": {"Content-Type": "application/octet-stream"}}
    assert api.client.put(PATH, content=b"sealed before", **put).status_code == 200
    assert api.client.get(PATH, auth=tablet.auth()).headers[DOCUMENT_OFFSET_HEADER] == "0"
    data_dir = api.client.app.state.settings.data_dir
    annotation_backup.note_moved(data_dir, person_id(api, "delegate11"), 5000)  # as import does
    moved = api.client.get(PATH, auth=tablet.auth())
    assert moved.content == b"sealed before" and moved.headers[DOCUMENT_OFFSET_HEADER] == "5000"
    assert api.client.put(PATH, content=b"sealed after", **put).status_code == 200
    assert api.client.get(PATH, auth=tablet.auth()).headers[DOCUMENT_OFFSET_HEADER] == "0"
