"""twilint's own files (the result cache, the compiled catalogue): their hash and their writes.

Both are best effort: a folder twilint cannot write to (an installed package, a read-only
checkout) costs a recomputation next time, never an error.
"""

from __future__ import annotations

import os

try:  # (what hashlib uses for blake2b, without loading OpenSSL: 2 ms of a warm run's start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

__all__ = ["blake2b", "write_best_effort"]


def write_best_effort(path: str, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically (a temporary file in the same folder, then a
    rename), creating the folder; False, and nothing left behind, when that fails."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.remove(tmp)
        except OSError:
            pass
        return False
