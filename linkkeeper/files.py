"""Writing files so that a reader never sees half of one, even after a crash or a full disk."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, content: str | bytes) -> None:
    """Text is written as UTF-8; bytes (a Word document) as they are."""
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
