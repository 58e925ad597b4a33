"""The ``hdnd`` command: serve, migrate, seed the demo, manage users, verify the audit log."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer
from sqlmodel import Session

from server.config import get_settings
from server.db import make_engine
from server.db import migrate as run_migrations
from server.errors import DomainError, SchemaNotMigrated
from server.models import AccountRole, Council, CouncilLevel
from server.tenancy import scoping
from server.tenancy.scope import Scope

app = typer.Typer(help="HĐND điện tử — phòng họp không giấy / paperless council meetings.",
                  no_args_is_help=True)
user_app = typer.Typer(help="Tài khoản / accounts", no_args_is_help=True)
audit_app = typer.Typer(help="Nhật ký kiểm toán / audit log", no_args_is_help=True)
ballot_app = typer.Typer(help="Bỏ phiếu kín kiểm chứng được / verifiable ballot",
                         no_args_is_help=True)
council_app = typer.Typer(help="Các HĐND của triển khai / the deployment's councils",
                          no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(council_app, name="council")
app.add_typer(audit_app, name="audit")
app.add_typer(ballot_app, name="ballot")


def _session() -> Session:
    return Session(make_engine(get_settings()), expire_on_commit=False)


def _fail(error: DomainError) -> None:
    typer.secho(f"Lỗi: {error.message_vi}\nError: {error.message_en}", fg="red", err=True)
    raise typer.Exit(code=1)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Chạy máy chủ / run the server."""
    import uvicorn

    from server.app import create_app

    settings = get_settings()
    try:
        create_app(settings)  # fail here, clearly, on an unmigrated database
    except SchemaNotMigrated as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(code=2) from exc
    from server.live.keepalive import uvicorn_options  # pings that find dead tablets

    if workers > 1:
        os.environ["HDND_WORKERS"] = str(workers)  # each worker's settings know it has peers
        uvicorn.run("server.asgi:app", host=host, port=port, workers=workers, log_level="info",
                    **uvicorn_options())
    else:
        uvicorn.run("server.asgi:app", host=host, port=port, log_level="info", **uvicorn_options())


@app.command()
def tablet(demo: bool = typer.Option(False, "--demo", help="Mở bộ tài liệu mẫu, không cần máy chủ")) -> None:
    """Mở ứng dụng đại biểu trên máy tính / start the delegate's app on this desktop."""
    import runpy

    sys.argv = ["tablet_app", *(["--demo"] if demo else [])]
    runpy.run_module("tablet_app", run_name="__main__")


@app.command()
def rules(write: Path | None = typer.Option(
        None, "--write", help="Ghi docs/rules.md / write the rule book to this file")) -> None:
    """Quy tắc luật định và nguồn / the rule book with its legal sources and status."""
    from shared.rules.render import render

    text = render()
    if write is None:
        typer.echo(text)
    else:
        write.write_text(text, encoding="utf-8")
        typer.echo(f"{write}")


@app.command()
def errors(write: Path | None = typer.Option(
        None, "--write", help="Ghi docs/errors.md / write the list of error codes to this file")
           ) -> None:
    """Mọi mã lỗi, nhóm và lời nhắn / every error code, its category and both messages."""
    from server.errors_doc import render as render_errors

    text = render_errors()
    if write is None:
        typer.echo(text)
    else:
        write.write_text(text, encoding="utf-8")
        typer.echo(f"{write}")


@app.command()
def migrate() -> None:
    """Cập nhật cơ sở dữ liệu / bring the database schema up to date."""
    settings = get_settings()
    head = run_migrations(settings)
    settings.resolved_secret_key()  # first start: generate var/keys/secret_key (0600)
    typer.echo(f"Cơ sở dữ liệu ở phiên bản {head} / database at revision {head}")


@app.command()
def demo(password: str = typer.Option("demo", help="Mật khẩu cho mọi tài khoản demo")) -> None:
    """Tạo dữ liệu mẫu: HĐND xã Y Tý, HĐND tỉnh Lào Cai và hai xã / seed the demo (idempotent)."""
    from server.demo.province import province_scope_note, seed_province
    from server.demo.seed import seed_demo

    settings = get_settings()
    with _session() as db:
        summary = seed_demo(db, settings, password)
        more = seed_province(db, password)
    typer.echo(summary)
    typer.echo("Tỉnh và các xã khác / the province and more communes: " + ", ".join(more))
    typer.echo("Cổng thông tin / portals: " + province_scope_note())
    _demo_certificates(settings.data_dir / "signatures" / "demo")


def _demo_certificates(folder: Path) -> None:
    """The demo council's test certificates (not legally valid), made once; trusted by the
    server only when configured (docs/signatures.md)."""
    from server.signatures.testca import NOT_LEGAL, write_demo

    if not (folder / "ca.pem").exists():
        write_demo(folder)
    roots = json.dumps([str(folder / "ca.pem")])
    signers = json.dumps({role: str(folder / f"{role}.p12")
                          for role in ("chair", "secretary", "office")})
    typer.echo(f"Chứng thư số thử nghiệm ({NOT_LEGAL}) / test certificates: {folder}\n"
               f"  HDND_SIGNATURE_TRUST_ROOTS='{roots}'\n  HDND_SIGNATURE_SIGNERS='{signers}'")


@council_app.command("add")
def council_add(
    name: str = typer.Argument(..., help="Tên / name: \"Hội đồng nhân dân xã Y Tý\""),
    slug: str = typer.Option(..., help="Địa chỉ cổng thông tin /hdnd/<slug>/ / portal address"),
    level: CouncilLevel = typer.Option(CouncilLevel.commune, help="xa | tinh"),
    term: str = typer.Option("2026-2031", help="Nhiệm kỳ / term"),
    parent: str | None = typer.Option(None, help="HĐND cấp trên (địa chỉ hoặc số) / the province"),
    portal_host: str | None = typer.Option(None, help="Tên miền riêng / a host name of its own"),
    admin: str | None = typer.Option(None, help="Tài khoản quản trị đầu tiên / first admin"),
    password: str | None = typer.Option(None, help="Mật khẩu của admin (hỏi nếu bỏ trống)"),
) -> None:
    """Thêm một HĐND vào triển khai / add a council to the deployment."""
    from server.services import councils

    start, _, end = term.partition("-")
    if admin and not password:
        password = typer.prompt("Mật khẩu / password", hide_input=True, confirmation_prompt=True)
    with _session() as db:
        try:
            council = councils.add(db, councils.NewCouncil(
                name=name, level=level, term_start=int(start), term_end=int(end or start),
                slug=slug, parent=parent, portal_host=portal_host), admin, password)
            db.commit()
        except DomainError as error:
            _fail(error)
    typer.echo(f"Đã thêm HĐND #{council.id} ({slug}) / council added: /hdnd/{slug}/")


@council_app.command("set")
def council_set(
    council: str = typer.Argument(..., help="Địa chỉ hoặc số của HĐND / its address or number"),
    parent: str | None = typer.Option(
        None, help="Đặt dưới HĐND này (\"\" để bỏ) / place it under this council (\"\": none)"),
    slug: str | None = typer.Option(None, help="Địa chỉ mới /hdnd/<slug>/ / a new address"),
    portal_host: str | None = typer.Option(None, help="Tên miền riêng (\"\" để bỏ) / host name"),
    name: str | None = typer.Option(None, help="Tên mới / a new name"),
) -> None:
    """Đổi cấp trên, địa chỉ, tên của một HĐND (vd. xã vừa nhập vào tỉnh) / change a council:
    place a commune moved up with hdnd import under its province."""
    from server.services import councils

    with _session() as db:
        try:
            changed = councils.change(db, council, councils.CouncilChange(
                parent=parent, slug=slug, portal_host=portal_host, name=name))
            db.commit()
        except DomainError as error:
            _fail(error)
        above = db.get(Council, changed.parent_id) if changed.parent_id else None
    typer.echo(f"Đã cập nhật HĐND #{changed.id} / council updated: /hdnd/{changed.slug or '-'}/"
               + (f", thuộc / under: {above.name}" if above else ""))


@council_app.command("list")
def council_list() -> None:
    """Các HĐND, tỉnh trước các xã / the councils, a province before its communes."""
    from server.services import councils

    with _session() as db:
        for depth, council, count in councils.tree(db):
            typer.echo(f"{'  ' * depth}#{council.id} {council.name}  /hdnd/{council.slug or '-'}/"
                       f"  ({count} tài khoản / accounts)")


@user_app.command("add")
def user_add(username: str, role: AccountRole, password: str = typer.Option(..., prompt=True,
             hide_input=True, confirmation_prompt=True), person_id: int | None = None,
             council: str | None = typer.Option(
                 None, help="HĐND của tài khoản (địa chỉ hoặc số); bỏ trống khi chỉ có một")) -> None:
    """Thêm tài khoản / add an account."""
    from server.services import accounts, councils

    with _session() as db:
        try:
            council_id = councils.for_new_account(db, council)
            scoping.enter(db, Scope.of_council(council_id))
            accounts.create_account(db, None, username, password, role, person_id,
                                    council_id=council_id)
            db.commit()
        except DomainError as error:
            _fail(error)
    typer.echo(f"Đã tạo tài khoản {username} ({role.value}) / account created")


@user_app.command("passwd")
def user_passwd(username: str, password: str = typer.Option(..., prompt=True, hide_input=True,
                confirmation_prompt=True)) -> None:
    """Đặt lại mật khẩu / set a password."""
    from server.services import accounts

    with _session() as db:
        try:
            account = accounts.get_by_username(db, username)
            accounts.set_password(db, None, account, password)
            db.commit()
        except DomainError as error:
            _fail(error)
    typer.echo(f"Đã đổi mật khẩu của {username} / password changed")


@user_app.command("lock")
def user_lock(username: str, unlock: bool = typer.Option(False, "--unlock")) -> None:
    """Khóa (hoặc mở khóa) tài khoản / lock or unlock an account."""
    from server.services import accounts

    with _session() as db:
        try:
            account = accounts.get_by_username(db, username)
            accounts.set_active(db, None, account, unlock)
            db.commit()
        except DomainError as error:
            _fail(error)
    state = "mở khóa / unlocked" if unlock else "khóa / locked"
    typer.echo(f"{username}: {state}")


@audit_app.command("verify")
def audit_verify() -> None:
    """Kiểm tra chuỗi băm của nhật ký / verify the audit hash chain."""
    from server.services.audit import verify_chain

    with _session() as db:
        report = verify_chain(db)
    if report.ok:
        typer.echo(f"Nhật ký nguyên vẹn: {report.entries} mục / audit chain intact: "
                   f"{report.entries} entries")
        return
    typer.secho(
        f"Nhật ký bị sửa đổi tại mục #{report.first_broken_id} ({report.reason}); "
        f"{report.entries} mục trước đó hợp lệ.\n"
        f"Audit chain broken at entry #{report.first_broken_id} ({report.reason}); "
        f"{report.entries} entries before it are intact.", fg="red", err=True)
    raise typer.Exit(code=1)


@ballot_app.command("verify")
def ballot_verify(board: Path = typer.Argument(..., exists=True, dir_okay=False,
                                               help="BOARD.json")) -> None:
    """Kiểm tra độc lập bảng công bố phiếu kín / verify a ballot board from its JSON alone."""
    from shared.ballot.verify import verify_board

    report = verify_board(board.read_text(encoding="utf-8"))
    typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    if not report.ok:
        typer.secho("Bảng công bố KHÔNG hợp lệ / the board does NOT verify", fg="red", err=True)
        raise typer.Exit(code=1)
    typer.echo("Bảng công bố hợp lệ / the board verifies")


def _keys_option(what: str) -> Path | None:
    return typer.Option(None, "--keys", help=f"Thư mục khóa, ngoài {what} / keys folder, kept "
                        f"outside the {what} (default: <{what}>-keys)")


@app.command()
def backup(folder: Path = typer.Argument(..., help="Thư mục trống / an empty folder"),
           keys: Path | None = _keys_option("backup")) -> None:
    """Sao lưu cơ sở dữ liệu, tài liệu và (riêng) khóa / back up the database, files and,
    apart, the keys."""
    from server.operations.backup import backup as run_backup

    try:
        result = run_backup(get_settings(), folder, keys)
    except DomainError as error:
        _fail(error)
    entries = result.manifest["audit"]["entries"]
    typer.echo(f"Đã sao lưu vào {result.folder} (khóa: {result.keys_folder}); nhật ký "
               f"{entries} mục / backed up to {result.folder} (keys: {result.keys_folder}); "
               f"audit {entries} entries")


@app.command()
def restore(folder: Path = typer.Argument(..., exists=True, file_okay=False),
            keys: Path | None = _keys_option("backup"),
            force: bool = typer.Option(False, "--force", help="Ghi đè dữ liệu đang có / "
                                       "replace the data this installation holds")) -> None:
    """Khôi phục bản sao lưu vào máy này / restore a backup into this installation."""
    from server.operations.backup import restore as run_restore

    try:
        result = run_restore(get_settings(), folder, keys, force)
    except DomainError as error:
        _fail(error)
    typer.echo(f"Đã khôi phục; nhật ký {result.audit_entries} mục khớp bản sao lưu / restored; "
               f"audit {result.audit_entries} entries match the backup")


@app.command("export")
def export_command(file: Path = typer.Argument(..., help="Tệp .tar sẽ tạo / the .tar to write"),
                   keys: Path | None = _keys_option("file")) -> None:
    """Xuất toàn bộ dữ liệu để chuyển sang máy chủ khác (SQLite → PostgreSQL) / export
    everything to move to another database engine."""
    from server.operations.moving import export

    try:
        result = export(get_settings(), file, keys)
    except DomainError as error:
        _fail(error)
    rows = sum(result.manifest["rows"].values())
    typer.echo(f"Đã xuất {rows} dòng vào {result.file} (khóa: {result.keys_folder}) / "
               f"exported {rows} rows to {result.file} (keys: {result.keys_folder})")


@app.command("import")
def import_command(file: Path = typer.Argument(..., exists=True, dir_okay=False),
                   keys: Path | None = _keys_option("file"),
                   slug: str | None = typer.Option(
                       None, help="tên ngắn mới khi tên của xã đã có ở đây / a new slug when "
                                  "the commune's is taken here"),
                   account_suffix: str | None = typer.Option(
                       None, help="hậu tố cho tên đăng nhập đã có ở đây (ví dụ .yty) / "
                                  "suffix for usernames already taken here")) -> None:
    """Nhập tệp xuất của một xã, vào máy trống hoặc bên cạnh các HĐND đã có / import a
    commune's export, into an empty installation or beside the councils already here."""
    from server.operations.import_beside import Placement
    from server.operations.moving import import_

    try:
        result = import_(get_settings(), file, keys, Placement(slug, account_suffix))
    except DomainError as error:
        _fail(error)
    typer.echo(f"Đã nhập {sum(result.manifest['rows'].values())} dòng; nhật ký "
               f"{result.audit_entries} mục nguyên vẹn / imported "
               f"{sum(result.manifest['rows'].values())} rows; audit {result.audit_entries} "
               "entries intact")
    beside = result.beside
    if beside is None:
        return
    for old, new in beside.councils.items():
        typer.echo(f"HĐND số {old} của xã nay là số {new}; số của mọi bản ghi được dời theo "
                   f"(hdnd council list) / council {old} is now {new}; every record's "
                   "id moved with it")
    for old_name, new_name in beside.renamed_accounts.items():
        typer.echo(f"Tài khoản {old_name} đổi tên thành {new_name}: hãy báo cho người dùng / "
                   f"account {old_name} renamed {new_name}: tell its person")
    if beside.not_carried.get("pack_document"):
        typer.echo("Gói tài liệu của các kỳ họp sẽ được mã hóa lại ở lần lập gói tới / the "
                   "sessions' packs are encrypted again at their next build")


followup_app = typer.Typer(help="Theo dõi thực hiện / follow-up", no_args_is_help=True)
app.add_typer(followup_app, name="followup")


@followup_app.command("remind")
def followup_remind(base_url: str = typer.Option("", help="Địa chỉ máy chủ cho liên kết "
                                                           "trong thư / server URL for links")
                    ) -> None:
    """Nhắc hạn 7 ngày, 1 ngày trước và sau hạn; gửi thư một lần / send deadline reminders
    (run from cron)."""
    from server.followup.reminders import send_reminders

    with _session() as db:
        run = send_reminders(db, get_settings(), base_url=base_url)
    typer.echo(f"Nhắc mới: {len(run.created)}; đã gửi thư: {len(run.emailed)}; lỗi: "
               f"{len(run.failed)} / new reminders {len(run.created)}, e-mailed "
               f"{len(run.emailed)}, failed {len(run.failed)}")
    if run.failed:
        raise typer.Exit(code=1)


from server.signatures.cli import certs_app, sign  # noqa: E402  (chữ ký số)

app.add_typer(certs_app, name="certs")
app.command("sign")(sign)


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())


if __name__ == "__main__":  # pragma: no cover - `python -m server.cli`
    app()
