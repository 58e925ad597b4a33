"""``hdnd-tablet``: the tablet library headless, for tests, benchmarks and people who want it.

    hdnd-tablet enrol --server URL --code ABCD-EFGH-JKMN-PQRS --label "Máy tính bảng 07"
    hdnd-tablet orders                   (no PIN: carries out a remote wipe order)
    hdnd-tablet sessions                 (the sessions whose pack this device may sync)
    hdnd-tablet sync [--session 12]      (no --session: every session offered)
    hdnd-tablet list
    hdnd-tablet join [--sitting 7] [--once]  (the sitting, with the device key: JSON lines)
    hdnd-tablet wipe --yes

The PIN comes from ``--pin``, the ``HDND_TABLET_PIN`` environment variable, or a prompt.
``sync`` asks for orders before it asks for the PIN, as the app does when it starts.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from shared.errors import BilingualError  # crypto, keystore and the server client alike
from tablet_app.core.enrol import enrol as enrol_device
from tablet_app.core.join import follow_sitting
from tablet_app.core.orders import check_orders_before_unlock
from tablet_app.core.settings import data_folder
from tablet_app.core.sync import DeviceWiped, SyncProgress, SyncResult, Tablet

DEFAULT_FOLDER = data_folder()  # the app's folder (HDND_TABLET_DIR moves both)

app = typer.Typer(help="Máy tính bảng HĐND (không giao diện) / HĐND tablet, headless.",
                  no_args_is_help=True)
Folder = Annotated[Path, typer.Option(envvar="HDND_TABLET_DIR",
                                      help="Thư mục dữ liệu / data folder")]
Pin = Annotated[str | None, typer.Option(envvar="HDND_TABLET_PIN",
                                         help="Mã PIN (không nhập: sẽ hỏi) / PIN")]
AsJson = Annotated[bool, typer.Option("--json", help="Một dòng JSON / one JSON line")]


def _pin(pin: str | None, confirm: bool = False) -> str:
    return pin or typer.prompt("Mã PIN / PIN", hide_input=True, confirmation_prompt=confirm)


def _fail(error: BilingualError) -> None:
    typer.secho(f"Lỗi: {error.message_vi}\nError: {error.message_en}", fg="red", err=True)
    raise typer.Exit(code=1)


class ProgressBar:
    """A one-line text bar on stderr, redrawn at most ten times a second."""

    def __init__(self, width: int = 30) -> None:
        self.width, self._last = width, 0.0

    def __call__(self, progress: SyncProgress) -> None:
        now = time.monotonic()
        if progress.phase == "download" and now - self._last < 0.1:
            return
        self._last = now
        total = max(progress.bytes_total, 1)
        filled = int(self.width * min(progress.bytes_done, total) / total)
        if progress.phase == "manifest":
            line = "Đang lấy danh mục / fetching manifest…"
        else:
            line = (f"[{'#' * filled}{'.' * (self.width - filled)}] "
                    f"{progress.bytes_done / 1e6:7.1f}/{progress.bytes_total / 1e6:.1f} MB  "
                    f"{progress.documents_done}/{progress.documents_total} tài liệu/documents")
        sys.stderr.write("\r" + line)
        if progress.phase == "done":
            sys.stderr.write("\n")
        sys.stderr.flush()


@app.command()
def enrol(server: Annotated[str, typer.Option(help="http://máy-chủ:8000")],
          code: Annotated[str, typer.Option(help="Mã đăng ký / enrolment code")],
          label: Annotated[str, typer.Option(help="Tên thiết bị / device label")],
          folder: Folder = DEFAULT_FOLDER, pin: Pin = None,
          platform: Annotated[str | None, typer.Option()] = None) -> None:
    """Đăng ký thiết bị / enrol this device."""
    try:
        tablet = enrol_device(server, code, label, _pin(pin, confirm=True), folder,
                              platform=platform)
    except BilingualError as error:
        _fail(error)
        return
    typer.echo(f"Đã đăng ký thiết bị số {tablet.device_id} / enrolled as device "
               f"{tablet.device_id}")


@app.command()
def orders(server: Annotated[str | None, typer.Option(help="Mặc định: máy chủ đã đăng ký")] = None,
           folder: Folder = DEFAULT_FOLDER) -> None:
    """Hỏi lệnh của Văn phòng, không cần PIN / ask for the office's orders, no PIN."""
    try:
        found = check_orders_before_unlock(folder, server_url=server)
    except BilingualError as error:
        _fail(error)
        return
    state = "đã thu hồi / revoked" if found.revoked else "bình thường / in good standing"
    typer.echo(f"Không có lệnh xóa; thiết bị {state}. / No wipe order.")


def _obey_orders_first(folder: Path, server: str | None) -> None:
    """Before the PIN, as the app does at start: a lost tablet must not wait for its PIN
    to be wiped. Any other failure is left for the command itself to report."""
    try:
        check_orders_before_unlock(folder, server_url=server)
    except DeviceWiped as wiped:
        _fail(wiped)
    except BilingualError:
        return  # offline, an older enrolment, an unsigned answer: the command says what it finds


@app.command()
def sessions(server: Annotated[str | None, typer.Option(help="Mặc định: máy chủ đã đăng ký")] = None,
             folder: Folder = DEFAULT_FOLDER, pin: Pin = None, as_json: AsJson = False) -> None:
    """Các kỳ họp có tài liệu cho máy này / the sessions whose pack this device may sync."""
    _obey_orders_first(folder, server)
    try:
        with Tablet.open(folder, _pin(pin), server_url=server) as tablet:
            offered = tablet.available_sessions()
    except BilingualError as error:
        _fail(error)
        return
    for item in offered:
        if as_json:
            typer.echo(json.dumps({"session_id": item.session_id, "title": item.title,
                                   "start_date": str(item.start_date or ""),
                                   "pack_version": item.pack_version,
                                   "held_version": item.held_version,
                                   "documents": item.documents}, ensure_ascii=False))
            continue
        held = ("đã cập nhật / up to date" if item.up_to_date else
                f"có bản {item.pack_version} / version {item.pack_version} available")
        when = item.start_date.strftime("%d/%m/%Y") if item.start_date else ""
        typer.echo(f"{item.session_id}\t{when}\t{item.title}\t{item.documents} tài liệu\t{held}")
    if not offered and not as_json:
        typer.echo("Chưa có kỳ họp nào có tài liệu cho máy này. / No session pack for this device yet.")


@app.command()
def sync(session: Annotated[str | None, typer.Option(
             help="Số kỳ họp; bỏ trống: mọi kỳ họp có tài liệu / session id; none: all")] = None,
         server: Annotated[str | None, typer.Option(help="Mặc định: máy chủ đã đăng ký")] = None,
         folder: Folder = DEFAULT_FOLDER, pin: Pin = None, as_json: AsJson = False,
         quiet: Annotated[bool, typer.Option(help="Không vẽ thanh tiến độ")] = False) -> None:
    """Tải gói tài liệu kỳ họp / sync a session's pack (or every session offered)."""
    _obey_orders_first(folder, server)
    try:
        with Tablet.open(folder, _pin(pin), server_url=server) as tablet:
            wanted = [session] if session else [s.session_id for s in tablet.available_sessions()]
            for session_id in wanted:
                started = time.monotonic()
                result = tablet.sync(session_id,
                                     progress=None if quiet or as_json else ProgressBar())
                _report(result, time.monotonic() - started, as_json)
    except BilingualError as error:
        _fail(error)
        return
    if not wanted and not as_json:
        typer.echo("Chưa có kỳ họp nào có tài liệu cho máy này. / No session pack for this device yet.")


def _report(result: SyncResult, seconds: float, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"session_id": result.session_id,
                               "pack_version": result.pack_version,
                               "downloaded": list(result.downloaded),
                               "bytes_downloaded": result.bytes_downloaded,
                               "seconds": round(seconds, 3)}))
        return
    typer.echo(f"Kỳ họp {result.session_id}, phiên bản {result.pack_version}: tải "
               f"{len(result.downloaded)} tài liệu, {result.bytes_downloaded / 1e6:.1f} MB, "
               f"{seconds:.1f} s / session {result.session_id}, version {result.pack_version}: "
               f"{len(result.downloaded)} documents downloaded")


@app.command()
def join(sitting: Annotated[int | None, typer.Option(
             help="Số phiên họp; bỏ trống: phiên đang họp / sitting id; none: the open one")]
         = None,
         server: Annotated[str | None, typer.Option(help="Mặc định: máy chủ đã đăng ký")] = None,
         folder: Folder = DEFAULT_FOLDER, pin: Pin = None,
         once: Annotated[bool, typer.Option("--once", help="Thoát sau trạng thái đầu tiên "
                                                          "/ exit after the first state")]
         = False) -> None:
    """Vào phiên họp bằng khóa thiết bị, như ứng dụng / join a sitting with the device key,
    exactly as the app does, printing what arrives as JSON lines (never the credential)."""
    _obey_orders_first(folder, server)
    try:
        with Tablet.open(folder, _pin(pin), server_url=server) as tablet:
            code = follow_sitting(tablet, sitting, once=once, emit=typer.echo)
    except BilingualError as error:
        _fail(error)
        return
    raise typer.Exit(code=code)


@app.command(name="list")
def list_documents(folder: Folder = DEFAULT_FOLDER, pin: Pin = None) -> None:
    """Tài liệu trên máy / documents stored on this device."""
    try:
        with Tablet.open(folder, _pin(pin)) as tablet:
            stored = tablet.list_stored()
    except BilingualError as error:
        _fail(error)
        return
    for document in stored:
        typer.echo(f"{document.session_id}\tv{document.pack_version}\t{document.document_id}"
                   f"\t{document.pages} tr.\t{document.confidentiality}\t{document.title}")


@app.command()
def wipe(folder: Folder = DEFAULT_FOLDER, pin: Pin = None,
         yes: Annotated[bool, typer.Option("--yes", help="Không hỏi lại")] = False) -> None:
    """Xóa khóa và tài liệu trên máy / erase keys and packs on this device."""
    if not yes and not typer.confirm("Xóa toàn bộ khóa và tài liệu? / Erase everything?"):
        raise typer.Exit(code=1)
    try:
        tablet = Tablet.open(folder, _pin(pin))
    except BilingualError as error:
        _fail(error)
        return
    tablet.wipe()
    typer.echo("Đã xóa / erased.")


if __name__ == "__main__":
    app()
