"""Baseline files: accept today's findings, report only new ones.

A finding is keyed by file, code and a line-independent fingerprint (see
:meth:`Diagnostic.fingerprint`), counted, so edits that move lines keep it matched while a
second identical finding in the same file is still new.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from kdocs import __version__
from kdocs.cache import atomic_write_bytes
from kdocs.errors import KdocsError
from kdocs.models.diagnostics import Diagnostic

FORMAT = 1


def _key(d: Diagnostic) -> tuple[str, str, str]:
    return (d.file, d.code, d.fingerprint())


def write_baseline(path: Path, diagnostics: Iterable[Diagnostic]) -> int:
    items = sorted(diagnostics, key=lambda d: d.sort_key)
    data = {
        "format": FORMAT,
        "generator": f"kdocs {__version__}",
        "findings": [
            {"file": d.file, "code": d.code, "fingerprint": d.fingerprint(), "message": d.message}
            for d in items
        ],
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))
    return len(items)


def load_baseline(path: Path) -> Counter[tuple[str, str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise KdocsError(f"cannot read baseline {path}: {reason}") from None
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise KdocsError(f"baseline {path} is not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KdocsError(f"baseline {path} is not a kdocs baseline (format {FORMAT})")
    findings = data.get("findings", [])
    if not isinstance(findings, list):
        raise KdocsError(f"baseline {path}: `findings` must be a list")
    counts: Counter[tuple[str, str, str]] = Counter()
    for i, item in enumerate(findings):
        key = (
            tuple(item.get(k) for k in ("file", "code", "fingerprint"))
            if isinstance(item, dict)
            else None
        )
        if key is None or not all(isinstance(v, str) for v in key):
            raise KdocsError(
                f"baseline {path}: finding {i} is malformed"
                " (needs string `file`, `code` and `fingerprint`)"
            )
        counts[(str(key[0]), str(key[1]), str(key[2]))] += 1
    return counts


def filter_new(
    diagnostics: Iterable[Diagnostic], baseline: Counter[tuple[str, str, str]]
) -> tuple[list[Diagnostic], int]:
    """The diagnostics not covered by the baseline, and how many were covered."""
    remaining = Counter(baseline)
    fresh = []
    matched = 0
    for d in sorted(diagnostics, key=lambda d: d.sort_key):
        key = _key(d)
        if remaining[key] > 0:
            remaining[key] -= 1
            matched += 1
        else:
            fresh.append(d)
    return fresh, matched
