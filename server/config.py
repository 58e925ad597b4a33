"""Settings from the environment (prefix ``HDND_``), in one place.

Defaults make ``make run`` work on a fresh machine with no services: SQLite and
in-process pub/sub under ``var/``.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.secret_file import write_secret_once

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything the server reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="HDND_", extra="ignore")

    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="Uploads, packs, keys.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is var/hdnd.sqlite3."
    )
    # Where document and pack files are kept (server/documents/shared_files.py):
    # "filesystem" (this host's disk) or "postgres" (large objects, shared by every host).
    file_storage: str = Field(default="filesystem", pattern="^(filesystem|postgres)$")
    redis_url: str | None = Field(default=None, description="Unset: in-process fan-out.")
    # how many processes serve this database on this host (set by `hdnd serve --workers`):
    # with one and no Redis, a process may remember what no other process needs to know
    # (the nonces of safe device reads, server/packs/request_nonces.py)
    workers: int = Field(default=1, ge=1)
    secret_key: str | None = Field(default=None, description="Unset: generated into var/.")
    max_upload_bytes: int = 200 * 1024 * 1024
    # the same file to the same agenda item within this many minutes is one document
    upload_same_file_minutes: int = Field(default=10, ge=0, le=24 * 60)
    access_token_minutes: int = 15
    # a device's live credential (renewed in the background with the device key)
    live_credential_minutes: int = 10
    refresh_token_days: int = 30
    lockout_after_failures: int = 5
    lockout_base_seconds: int = 30
    # Sign-in throttle (server/security/throttle.py): free attempts, then growing delays.
    signin_free_failures: int = 5
    signin_max_delay_seconds: int = 300
    # Uploaded PDFs are read by a separate worker process with these limits
    # (server/documents/inspection.py); past them a file is refused or stored unindexed.
    pdf_check_seconds: float = 20.0
    pdf_text_seconds: float = 60.0
    pdf_worker_memory_mb: int = 1536
    pdf_text_max_chars: int = 2_000_000
    timezone: str = "Asia/Ho_Chi_Minh"
    # Follow-up reminders by e-mail (hdnd followup remind); unset host: in-app only.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "hdnd@localhost"
    smtp_starttls: bool = True
    # SMS brandname gateway for citizens' case notices (server/citizens/sms.py); unset: none
    sms_gateway_url: str | None = None
    sms_brandname: str = ""
    sms_token: str | None = None
    # the portal's address as citizens reach it, for the status link in notices
    public_base_url: str = ""
    # The assistant's optional language model server on the LAN (OpenAI-compatible, e.g.
    # http://192.168.1.20:8080/v1); unset: answers are the cited passages themselves.
    assistant_llm_url: str | None = None
    assistant_llm_model: str = "local"
    assistant_llm_timeout: float = 30.0
    # Digital signatures (docs/signatures.md). Trusted CA certificates (PEM/DER files; JSON
    # list in the environment): a signed upload must chain to one of them. The test CA of
    # `hdnd certs demo` is trusted only when listed here.
    signature_trust_roots: list[Path] = Field(default_factory=list)
    # Server-side signers: role (chair, secretary, office) -> PKCS#12 file; its passphrase,
    # if any, in "<file>.passphrase" (mode 0600). JSON object in the environment.
    signature_signers: dict[str, Path] = Field(default_factory=dict)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'hdnd.sqlite3'}"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    def ensure_dirs(self) -> None:
        for folder in (self.data_dir, self.documents_dir, self.keys_dir):
            folder.mkdir(parents=True, exist_ok=True)

    def resolved_secret_key(self) -> str:
        """The secret key, generated once into ``var/secret_key`` (mode 0600) when unset."""
        if self.secret_key:
            return self.secret_key
        self.ensure_dirs()
        path = self.keys_dir / "secret_key"
        if not path.exists():
            write_secret_once(path, secrets.token_urlsafe(48).encode())
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
