"""The record service on a real database: what counts as published, what a delete takes
away, and the freshness of the pack after a withdrawal."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from server.documents.errors import DocumentPublished
from server.documents.storage import DocumentStore
from server.models import Account, Document, DocumentGrant, DocumentVersion, Person
from server.models.devices import PackBuild, PackStatus
from server.models.followup import SearchEntry
from server.services import document_record, search
from tests.server.api.conftest import Api
from tests.server.api.test_document_record import _pdf, _session, _upload


def _manifest(document_ids: list[int]) -> str:
    return json.dumps({"manifest": {"documents": [{"id": str(i)} for i in document_ids]},
                       "signature": "x", "key_id": "k"})


def test_published_means_listed_by_a_published_pack(api: Api) -> None:
    session_id = _session(api, publish=True)
    ids = [_upload(api, session_id, _pdf(f"p{n} {session_id}"), f"p{n}.pdf").json()["id"]
           for n in range(3)]
    with Session(api.client.app.state.engine) as db:
        db.add(PackBuild(session_id=session_id, version=1, status=PackStatus.published,
                         manifest=_manifest(ids[:1])))
        db.add(PackBuild(session_id=session_id, version=2, status=PackStatus.failed,
                         manifest=_manifest(ids[1:2])))
        db.commit()
        assert document_record.published_ids(db, session_id) == {ids[0]}
        first, second = db.get(Document, ids[0]), db.get(Document, ids[1])
        assert document_record.is_published(db, first)
        assert not document_record.is_published(db, second)  # a failed build gave it nobody
        actor = db.exec(select(Account).where(Account.username == "clerk")).one()
        with pytest.raises(DocumentPublished):
            document_record.delete_document(db, api.client.app.state.store, actor, first)


def test_delete_takes_versions_grants_and_index_away(api: Api) -> None:
    session_id = _session(api)
    document_id = _upload(api, session_id, _pdf(f"Ngân sách xã {session_id}"), "ns.pdf",
                          confidentiality="restricted").json()["id"]
    store: DocumentStore = api.client.app.state.store
    with Session(api.client.app.state.engine) as db:
        person = db.exec(select(Person)).first()
        db.add(DocumentGrant(document_id=document_id, person_id=person.id))
        db.commit()
        document = db.get(Document, document_id)
        [version] = db.exec(select(DocumentVersion)
                            .where(DocumentVersion.document_id == document_id)).all()
        assert db.exec(select(SearchEntry).where(SearchEntry.source_type == "document",
                                                 SearchEntry.source_id == document_id)).all()
        actor = db.exec(select(Account).where(Account.username == "clerk")).one()
        keys = document_record.delete_document(db, store, actor, document)
        assert store.path_for(version.storage_key).exists()  # until the commit
        db.commit()
        document_record.remove_files(store, keys)
        assert not store.path_for(version.storage_key).exists()
        assert db.get(Document, document_id) is None
        for model, column in ((DocumentVersion, DocumentVersion.document_id),
                              (DocumentGrant, DocumentGrant.document_id)):
            assert db.exec(select(model).where(column == document_id)).all() == []
        assert db.exec(select(SearchEntry).where(SearchEntry.source_type == "document",
                                                 SearchEntry.source_id == document_id)).all() == []


def test_a_retitled_document_is_found_by_its_new_title(api: Api) -> None:
    session_id = _session(api)
    document_id = _upload(api, session_id, _pdf(f"noi dung {session_id}"), "x.pdf").json()["id"]
    with Session(api.client.app.state.engine) as db:
        document = db.get(Document, document_id)
        document.title = "Đề án chuyển đổi số"
        search.retitle_document(db, document)
        db.commit()
        titles = {e.title for e in db.exec(select(SearchEntry).where(
            SearchEntry.source_type == "document", SearchEntry.source_id == document_id))}
        assert titles == {"Đề án chuyển đổi số"}


def test_the_text_of_a_recorded_resolution_is_not_deleted(api: Api) -> None:
    from datetime import date

    from server.documents.errors import DocumentInUse
    from server.models.followup import Resolution

    session_id = _session(api)
    document_id = _upload(api, session_id, _pdf(f"nq {session_id}"), "nq.pdf").json()["id"]
    with Session(api.client.app.state.engine) as db:
        db.add(Resolution(number="99/NQ-HĐND", title="Nghị quyết thử", adopted_on=date(2026, 12, 15),
                          session_id=session_id, document_id=document_id))
        db.commit()
    answer = api.request("clerk", "DELETE", f"/api/documents/{document_id}")
    assert (answer.status_code, answer.json()["code"]) == (409, DocumentInUse.code)
    assert "nghị quyết" in answer.json()["message_vi"]
    assert api.request("clerk", "GET", f"/api/documents/{document_id}").status_code == 200
