"""Cache files sealed with a key that lives outside the repository.

The cache directory sits inside the project, so a pull request can plant files in it
(``git add -f`` gets past the ``.gitignore`` kdocs writes there). Entries addressed by a file's
content hash could then hand kdocs forged facts for a file whose content the attacker knows,
and a CI gate would report what the planted file says. Each cache file is therefore written
with an HMAC-SHA256 tag under a key kept in the user's cache folder
(``$XDG_CACHE_HOME/kdocs/cache-key``, else ``~/.cache/kdocs/cache-key``, created once with
mode 0600); a file whose tag does not verify is ignored like a corrupt one. A planted file
cannot carry a valid tag, and on a fresh CI machine no earlier cache is trusted at all.

Where that folder cannot be written, the key is random for the process: the cache then never
serves an earlier run (slower, never wrong).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import marshal
import os
from functools import cache
from pathlib import Path
from typing import Any

MAGIC = b"KDOCS-SEALED-1\n"
_TAG = 32
OVERHEAD = len(MAGIC) + _TAG
"""Bytes a seal adds to a payload (size caps count them)."""


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kdocs" / "cache-key"


@cache
def _key() -> bytes:
    path = key_path()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data[:32]
    except OSError:
        pass
    fresh = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(fresh)
        return fresh
    except FileExistsError:  # another process won the race: use its key
        try:
            data = path.read_bytes()
        except OSError:
            return fresh
        return data[:32] if len(data) >= 32 else fresh
    except OSError:
        return fresh


def seal(payload: bytes) -> bytes:
    """``payload`` with a header and a tag only this machine's key can produce."""
    tag = hmac.new(_key(), payload, hashlib.sha256).digest()
    return MAGIC + tag + payload


def unseal(data: bytes) -> bytes | None:
    """The payload of a sealed file, or ``None`` when it is not one this machine sealed."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _TAG:
        return None
    tag = data[len(MAGIC) : len(MAGIC) + _TAG]
    payload = data[len(MAGIC) + _TAG :]
    if not hmac.compare_digest(tag, hmac.new(_key(), payload, hashlib.sha256).digest()):
        return None
    return payload


MAX_CACHE_FILE = 1 << 30
"""The largest cache file read back (1 GiB, far above any kdocs writes): what is larger was
not written by kdocs."""


def read_cache_file(path: Path) -> bytes:
    """The bytes of a cache file: a regular file, never through a symlink, at most
    :data:`MAX_CACHE_FILE` (raises ``OSError`` otherwise).

    A cache folder can be committed to the repository like any other file: a planted
    ``types-model.bin -> /dev/zero`` read with a plain ``read()`` would fill the memory, and
    a FIFO would block the ``open``."""
    from kdocs.fsread import read_regular

    return read_regular(path, MAX_CACHE_FILE, follow_symlinks=False)


def is_sealed(path: Path) -> bool:
    """Whether ``path`` is a cache file sealed under this machine's key: one kdocs wrote, so
    one it may delete (a symlink, a special file or an oversized one never is)."""
    try:
        return unseal(read_cache_file(path)) is not None
    except OSError:
        return False


def remove_if_sealed(path: Path) -> None:
    """Delete ``path`` when its seal proves kdocs wrote it (:func:`is_sealed`): a file of a
    cache folder that someone else put there is never kdocs' to delete."""
    if is_sealed(path):
        with contextlib.suppress(OSError):
            path.unlink()


def encode_binary(value: Any) -> bytes:
    """``value`` (JSON-like data: dicts, lists, strings, numbers) in :mod:`marshal`'s format.

    The per-file caches hold every file's facts: marshal writes them five times faster than
    ``json.dumps`` (django's types facts: 46 -> 7 ms) and reads most of them twice as fast.
    It is read only from a sealed file (:func:`read_binary`): marshal is not meant for
    untrusted bytes, and only this machine's key can seal them. A value marshal cannot write
    is first turned into JSON data as :func:`write_json` would (``repr`` of the odd value)."""
    try:
        return marshal.dumps(value)
    except ValueError:
        return marshal.dumps(json.loads(json.dumps(value, default=repr)))


def decode_binary(payload: bytes) -> Any:
    """The value of :func:`encode_binary`'s bytes (raises :class:`ValueError` if corrupt)."""
    try:
        return marshal.loads(payload)
    except (EOFError, TypeError) as err:
        raise ValueError(str(err)) from err


def read_binary(path: Path) -> Any:
    """The value of a sealed :func:`write_binary` file, or ``None`` (missing, corrupt,
    planted: the seal is checked before marshal reads a byte)."""
    try:
        payload = unseal(read_cache_file(path))
        return None if payload is None else decode_binary(payload)
    except (OSError, ValueError):
        return None


def write_binary(path: Path, value: Any) -> None:
    """Write ``value`` as a sealed :func:`encode_binary` file, atomically (raises
    :class:`OSError`)."""
    from kdocs.cache import write_cache_bytes

    write_cache_bytes(path, seal(encode_binary(value)))


def read_json(path: Path) -> Any:
    """The JSON value of a sealed cache file, or ``None`` (missing, corrupt, planted)."""
    try:
        payload = unseal(read_cache_file(path))
        return None if payload is None else json.loads(payload)
    except (OSError, ValueError):
        return None


def write_json(path: Path, value: Any) -> None:
    """Write ``value`` as a sealed cache file, atomically (raises :class:`OSError`)."""
    from kdocs.cache import write_cache_bytes

    # No fsync: a cache file a crash tears fails its seal and is rebuilt.
    data = seal(json.dumps(value, separators=(",", ":")).encode())
    write_cache_bytes(path, data)
