"""``hdnd import`` into a deployment that already holds councils: the commune's rows are
renumbered past the ids in use (server/operations/renumber.py) and its keys, files and
sealed values made to fit beside the others.

What must keep working arrives as it was: every record and audit entry (each chain still
verifies, with its length and last hash as exported), the pack-signing key its tablets
pinned (now the council's own key), the petitioners' sealed contact details (sealed again
under this deployment's secret), document files and annotation backups. What cannot
stay as it was is said: usernames already taken here are refused unless a suffix is
given, a slug or host name already taken is refused unless another is given, and a
commune in the middle of a sitting or a secret ballot is refused until it is over.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from server.config import Settings
from server.errors import BackupRefused
from server.models.renumbering import CouncilRenumbering
from server.operations import parts, renumber, rows
from server.packs import annotation_backup
from server.packs.keys import SIGNING_KEY_FILE
from server.security import sealed
from server.services import audit

SENDER_PURPOSE_COLUMNS = {("citizen_case", "sender_sealed")}


@dataclass(frozen=True)
class Placement:
    """What the person chose for names that are already taken here."""

    slug: str | None = None
    account_suffix: str | None = None


@dataclass
class BesideResult:
    councils: dict[int, int]  # old id -> new id
    offsets: dict[str, int]
    renamed_accounts: dict[str, str] = field(default_factory=dict)
    not_carried: dict[str, int] = field(default_factory=dict)
    audit_entries: int = 0


def import_beside(settings: Settings, engine: Engine, folder: Path, manifest: dict,
                  keys_folder: Path, placement: Placement) -> BesideResult:
    """Load the unpacked export in ``folder`` beside the councils already here."""
    rows_dir = folder / "rows"
    _refuse_unfinished(rows_dir)
    source_secret = _source_secret(keys_folder, rows_dir)
    target_secret = settings.resolved_secret_key()
    tables = parts.tables()
    with engine.begin() as connection:
        _take_write_lock(connection)
        councils = list(rows.rows_of(rows_dir / "council.jsonl"))
        names = _check_names(connection, councils, rows_dir, placement)
        offsets = _reserve(connection, tables, rows_dir)
        council_map = {int(c["id"]): offsets.shift("council", c["id"]) for c in councils}
        _check_signing_keys(keys_folder, settings.keys_dir, council_map)
        result = BesideResult(council_map, dict(offsets.by_table), names)
        for table in tables:
            path = rows_dir / f"{table.name}.jsonl"
            if table.name in renumber.NOT_CARRIED:
                result.not_carried[table.name] = sum(1 for _ in rows.rows_of(path))
                continue
            mover = renumber.row_mover(table, offsets, council_map)
            extra = _extra(table, placement, names, source_secret, target_secret)
            rows.insert_rows(connection, table, rows.rows_of(path), _both(mover, extra))
        _record_shifts(connection, offsets, council_map)
        rows.after_load(connection)
        # checked before the commit: a copy that does not match leaves nothing behind
        result.audit_entries = _check_chains(connection, manifest, council_map)
        _check_counts(connection, manifest, result)
    _place_files(folder / parts.FILES_PART, settings, offsets)
    _place_signing_keys(keys_folder, settings.keys_dir, council_map)
    return result


# --- refusals before anything is written -----------------------------------------------


def _refuse_unfinished(rows_dir: Path) -> None:
    """A sitting in progress or a secret ballot taking or counting ballots cannot move:
    its devices are connected, and a ballot's proofs name its members by their ids."""
    open_sittings = [s["title"] for s in rows.rows_of(rows_dir / "sitting.jsonl")
                     if s.get("status") not in ("scheduled", "closed")]
    closed = {s["id"] for s in rows.rows_of(rows_dir / "sitting.jsonl") if s.get("status") == "closed"}
    ballots = [b["id"] for b in rows.rows_of(rows_dir / "ballot.jsonl")
               if b.get("status") in ("open", "closed")
               or (b.get("status") == "setup" and b.get("sitting_id") not in closed)]
    if open_sittings or ballots:
        what_vi = ", ".join([*(f"phiên họp «{t}»" for t in open_sittings),
                             *(f"cuộc bỏ phiếu kín số {b}" for b in ballots)])
        what_en = ", ".join([*(f"sitting «{t}»" for t in open_sittings),
                             *(f"secret ballot {b}" for b in ballots)])
        raise BackupRefused(
            f"Chưa chuyển được: {what_vi} chưa kết thúc. Hãy kết thúc ở máy của xã rồi xuất lại.",
            f"Cannot move yet: {what_en} is not finished. Finish it on the commune's server "
            "and export again.")


def _source_secret(keys_folder: Path, rows_dir: Path) -> str | None:
    """The commune's secret key: its petitioners' contact details are sealed under it."""
    path = keys_folder / "secret_key"
    if path.exists():
        return path.read_text().strip()
    if any(c.get("sender_sealed") for c in rows.rows_of(rows_dir / "citizen_case.jsonl")):
        raise BackupRefused(
            "Thư mục khóa thiếu secret_key (máy của xã đặt khóa bằng biến môi trường?): cần "
            "nó để mở thông tin liên hệ của người gửi kiến nghị; hãy chép nó vào thư mục khóa.",
            "The keys folder lacks secret_key (did the commune set it in the environment?): "
            "it opens the petitioners' contact details; copy it into the keys folder.")
    return None


def _take_write_lock(connection: Connection) -> None:
    """Nobody else writes between reading the ids in use and writing past them."""
    if connection.dialect.name == "sqlite":
        connection.execute(text("UPDATE council SET id = id WHERE 0"))
    else:
        connection.execute(text("LOCK TABLE council IN SHARE ROW EXCLUSIVE MODE"))


def _check_names(connection: Connection, councils: list[dict], rows_dir: Path,
                 placement: Placement) -> dict[str, str]:
    """Slugs, host names and usernames are unique across the deployment."""
    if placement.slug and len(councils) != 1:
        raise BackupRefused("--slug chỉ dùng khi tệp xuất có một HĐND.",
                            "--slug applies only to an export holding one council.")
    if placement.slug:
        councils[0]["slug"] = placement.slug
    taken_slugs = set(connection.execute(text("SELECT slug FROM council")).scalars())
    taken_hosts = set(connection.execute(text(
        "SELECT portal_host FROM council WHERE portal_host IS NOT NULL")).scalars())
    slugs = [c["slug"] for c in councils if c.get("slug") in taken_slugs]
    if slugs and len(councils) == 1:
        raise BackupRefused(
            f"Tên ngắn {slugs[0]} đã có ở đây; chọn tên khác bằng --slug.",
            f"The slug {slugs[0]} is already used here; choose another with --slug.")
    if slugs:
        raise BackupRefused(
            f"Tên ngắn {', '.join(slugs)} đã có ở đây; đổi chúng ở máy nguồn (hdnd council set "
            "<HĐND> --slug <tên mới>) rồi xuất lại.",
            f"The slugs {', '.join(slugs)} are already used here; change them at the source "
            "(hdnd council set <council> --slug <new>) and export again.")
    hosts = [c["portal_host"] for c in councils if c.get("portal_host") in taken_hosts]
    if hosts:
        raise BackupRefused(
            f"Tên máy cổng thông tin {', '.join(hosts)} đã có ở đây; bỏ nó ở máy của xã "
            "(hdnd council set --portal-host '') rồi xuất lại.",
            f"The portal host {', '.join(hosts)} is already used here; clear it at the "
            "commune (hdnd council set --portal-host '') and export again.")
    taken = set(connection.execute(text("SELECT username FROM account")).scalars())
    clashes = sorted(a["username"] for a in rows.rows_of(rows_dir / "account.jsonl")
                     if a["username"] in taken)
    if clashes and not placement.account_suffix:
        raise BackupRefused(
            f"Tên đăng nhập đã có ở đây: {', '.join(clashes)}. Dùng --account-suffix "
            "(ví dụ .yty) để đổi tên những tài khoản này, rồi báo cho người dùng tên mới.",
            f"Usernames already used here: {', '.join(clashes)}. Use --account-suffix "
            "(e.g. .yty) to rename these accounts, then tell their people the new names.")
    renamed = {name: f"{name}{placement.account_suffix}" for name in clashes}
    still = sorted(n for n in renamed.values() if n in taken)
    if still:
        raise BackupRefused(f"Tên mới cũng đã có: {', '.join(still)}.",
                            f"The new names are taken too: {', '.join(still)}.")
    return renamed


# --- renumbering ------------------------------------------------------------------------


def _reserve(connection: Connection, tables: list[Table], rows_dir: Path) -> renumber.Offsets:
    """Each table's offset is past every id used or handed out here; on PostgreSQL the
    sequence moves past the commune's rows at once, so a server writing meanwhile takes
    ids after them."""
    offsets = renumber.Offsets()
    for table in renumber.id_tables(tables):
        moved = max((int(r["id"]) for r in rows.rows_of(rows_dir / f"{table.name}.jsonl")), default=0)
        used = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        if connection.dialect.name == "postgresql":
            sequence = connection.execute(text(
                f"SELECT pg_get_serial_sequence('{table.name}', 'id')")).scalar_one()
            if sequence:
                handed = connection.execute(text(
                    f"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
                    f"FROM {sequence}")).scalar_one()
                used = max(used, handed)
                connection.execute(text("SELECT setval(:s, :v, true)"),
                                   {"s": sequence, "v": used + max(moved, 1)})
        else:
            used = max(used, _sqlite_sequence(connection, table.name))
        offsets.by_table[table.name] = int(used)
        offsets.last[table.name] = int(used) + moved
    return offsets


def _sqlite_sequence(connection: Connection, table: str) -> int:
    has = connection.execute(text(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first()
    if not has:
        return 0
    return int(connection.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"),
                                  {"t": table}).scalar() or 0)


def _extra(table: Table, placement: Placement, renamed: dict[str, str],
           source_secret: str | None, target_secret: str) -> Callable[[dict], dict]:
    """What changes besides ids: a chosen slug, renamed accounts, tablets to be told,
    resealed contacts."""
    if table.name == "council" and placement.slug:
        def slug(row: dict) -> dict:
            row["slug"] = placement.slug
            return row
        return slug
    if table.name == "account" and renamed:
        def rename(row: dict) -> dict:
            row["username"] = renamed.get(row["username"], row["username"])
            return row
        return rename
    if table.name == "device":
        def tell_new_numbers(row: dict) -> dict:
            row["renumber_pending"] = True  # told at its next request (device_auth)
            return row
        return tell_new_numbers
    if table.name == "citizen_case" and source_secret is not None:
        from server.citizens.service import SENDER_PURPOSE

        def reseal(row: dict) -> dict:
            if row.get("sender_sealed"):
                sender = sealed.unseal(source_secret, SENDER_PURPOSE, row["sender_sealed"])
                row["sender_sealed"] = sealed.seal(target_secret, SENDER_PURPOSE, sender)
            return row
        return reseal
    return lambda row: row


def _both(first: Callable[[dict], dict], then: Callable[[dict], dict]) -> Callable[[dict], dict]:
    return lambda row: then(first(row))


def _record_shifts(connection: Connection, offsets: renumber.Offsets,
                   council_map: dict[int, int]) -> None:
    from server.models.base import utcnow

    moved_at = utcnow()
    rows = [{"council_id": new, "table_name": name, "id_offset": offset,
             "last_moved_id": offsets.last[name], "moved_at": moved_at}
            for new in council_map.values() for name, offset in sorted(offsets.by_table.items())
            if offsets.last[name] > offset]  # tables that held rows
    if rows:
        connection.execute(CouncilRenumbering.__table__.insert(), rows)  # type: ignore[attr-defined]


# --- files and keys ---------------------------------------------------------------------


def _moved_before(archive: tarfile.TarFile, folder: str, person: str) -> int:
    """The document offset an earlier move noted beside this backup, if any."""
    try:
        member = archive.getmember(f"{folder}/{person}{annotation_backup.MOVED_SUFFIX}")
    except KeyError:
        return 0
    source = archive.extractfile(member)
    try:
        return int(json.loads(source.read())["document_offset"]) if source else 0
    except (ValueError, KeyError, TypeError):
        return 0


def _place_files(files_part: Path, settings: Settings, offsets: renumber.Offsets) -> None:
    """Documents and pack files keep their (random or content) names; an annotation
    backup is named by its person, so it takes the person's new id."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(files_part, "r") as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            parts_of = Path(member.name).parts
            person, _, kind = Path(member.name).name.partition(".")
            if parts_of[0] == annotation_backup.FOLDER and person.isdigit():
                moved_to = offsets.shift("person", int(person))
                if kind != "bin":  # the note of an earlier move: rewritten below
                    continue
                target = settings.data_dir / annotation_backup.FOLDER / f"{moved_to}.bin"
                # sealed on the tablet under the old document ids: the tablet adds this
                # when it restores (and what an earlier move noted)
                annotation_backup.note_moved(settings.data_dir, moved_to, offsets.shift(
                    "document", _moved_before(archive, parts_of[0], person)))
            else:
                target = settings.data_dir / member.name
            if target.exists():
                continue  # content-named pack files: the same bytes
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            with open(target, "wb") as out:
                shutil.copyfileobj(source, out)
            os.chmod(target, 0o600)
    parts.share_files(settings)


def _signing_key_files(keys_folder: Path, keys_dir: Path,
                       council_map: dict[int, int]) -> list[tuple[Path, Path]]:
    """(the commune's key file, its name here) for each imported council that signed."""
    first = min(council_map)
    pairs = []
    for old, new in council_map.items():
        source = keys_folder / (SIGNING_KEY_FILE if old == first
                                else f"pack_signing-council-{old}.key")
        if source.exists():  # a council that never signed a pack gets a key on first use
            pairs.append((source, keys_dir / f"pack_signing-council-{new}.key"))
    return pairs


def _check_signing_keys(keys_folder: Path, keys_dir: Path, council_map: dict[int, int]) -> None:
    for source, target in _signing_key_files(keys_folder, keys_dir, council_map):
        if target.exists() and target.read_bytes() != source.read_bytes():
            raise BackupRefused(f"Đã có một khóa ký khác tên {target.name} ở đây.",
                                f"Another signing key named {target.name} exists here.")


def _place_signing_keys(keys_folder: Path, keys_dir: Path, council_map: dict[int, int]) -> None:
    """Each imported council keeps the signing key its tablets pinned, under its new id."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    for source, target in _signing_key_files(keys_folder, keys_dir, council_map):
        shutil.copyfile(source, target)
        os.chmod(target, 0o600)
    parts.clear_key_caches()


# --- checks after the copy --------------------------------------------------------------


def _check_chains(connection: Connection, manifest: dict, council_map: dict[int, int]) -> int:
    """Every imported chain verifies, and together they hold the exported entries."""
    from server.models import AuditEntry

    total = 0
    with Session(bind=connection) as db:
        for new in council_map.values():
            report = audit.verify_chain(db, council_id=new)
            if not report.ok:
                raise BackupRefused(
                    f"Nhật ký kiểm toán của HĐND số {new} không khớp sau khi nhập.",
                    f"Council {new}'s audit chain does not verify after the import.")
            total += report.entries
    table = AuditEntry.__table__  # type: ignore[attr-defined]
    last = connection.execute(select(table.c.hash).where(
        table.c.council_id.in_(list(council_map.values()))).order_by(
        table.c.id.desc()).limit(1)).scalar()
    if (total, last or "") != (manifest["audit"]["entries"], manifest["audit"]["last_hash"]):
        raise BackupRefused("Nhật ký kiểm toán khác tệp xuất.",
                            "The audit chain differs from the export's.")
    return total


def _check_counts(connection: Connection, manifest: dict, result: BesideResult) -> None:
    """Each table holds the commune's rows (but those not carried) in its new councils."""
    differing: dict[str, tuple[int, int]] = {}
    new_ids = list(result.councils.values())
    for table in parts.tables():
        expected = manifest["rows"].get(table.name, 0)
        if table.name in renumber.NOT_CARRIED or table.name == "council_renumbering":
            continue  # (the import writes the latter)
        if table.name == "council":
            found = connection.execute(select(func.count()).select_from(table).where(
                table.c.id.in_(new_ids))).scalar_one()
        elif "council_id" in table.c:
            found = connection.execute(select(func.count()).select_from(table).where(
                table.c.council_id.in_(new_ids))).scalar_one()
        else:
            continue
        if found != expected:
            differing[table.name] = (expected, found)
    if differing:
        raise BackupRefused(f"Số dòng khác tệp xuất: {differing}.",
                            f"Row counts differ from the export: {differing}.")
