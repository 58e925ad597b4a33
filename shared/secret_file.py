"""Write a secret to a file exactly once, readable only by its owner (mode 0600).

Server keys (the session secret, the pack signing key, the at-rest key) are generated on
first use. Several workers may start at once, and a key that tablets have pinned must
never be replaced, so the file is created with O_EXCL: whoever comes second keeps what
the first wrote.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_secret_once(path: Path, content: bytes) -> bool:
    """Create ``path`` with ``content`` (0600, fsynced); False if it already existed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o600)  # the umask may have narrowed it further; never wider
    return True
