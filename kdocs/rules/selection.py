"""Which rules run: ``select`` / ``extend-select`` / ``ignore`` with ruff's semantics.

A selector is a full code (``C101``), a prefix (``C1``, ``C``) or ``ALL``. For each rule the
most specific matching selector decides; on a tie ``ignore`` wins. Without ``select``, the
rules that are on by default are the starting set.

Convention profiles (``convention = "python" | "kubernetes"``): a rule that belongs to a
profile other than the active one is not in the starting set, and a prefix (``F``, ``F1``,
``ALL``) does not turn it on; only its full code in ``select``/``extend-select`` does.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence

from kdocs.errors import KdocsError
from kdocs.rules.registry import Rule, all_rules


def _specificity(selector: str, code: str) -> int:
    """-1 when the selector does not match the code, else its length (``ALL`` = 0)."""
    if selector == "ALL":
        return 0
    return len(selector) if code.startswith(selector) else -1


def validate_selectors(selectors: Iterable[str], origin: str) -> list[str]:
    known = [r.code for r in all_rules()]
    out = []
    for raw in selectors:
        sel = raw.strip().upper()
        if not sel:
            continue
        if sel != "ALL" and not any(code.startswith(sel) for code in known):
            raise KdocsError(f"{origin}: unknown rule code or prefix {raw!r}")
        out.append(sel)
    return out


def select_rules(
    select: Sequence[str] | None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    convention: str = "python",
) -> list[Rule]:
    chosen: list[Rule] = []
    for r in all_rules():
        in_profile = r.convention is None or r.convention == convention
        best_on = 0 if (select is None and r.default_enabled and in_profile) else -1
        for sel in [*(select or ()), *extend_select]:
            if in_profile or sel == r.code:
                best_on = max(best_on, _specificity(sel, r.code))
        best_off = max((_specificity(sel, r.code) for sel in ignore), default=-1)
        if best_on >= 0 and best_on > best_off:
            chosen.append(r)
    return chosen


def per_file_ignored(
    relpath: str, code: str, per_file_ignores: Mapping[str, Sequence[str]]
) -> bool:
    for pattern, selectors in per_file_ignores.items():
        matches = fnmatch.fnmatchcase(relpath, pattern) or fnmatch.fnmatchcase(
            relpath, pattern.rstrip("/") + "/*"
        )
        if matches and any(_specificity(sel.upper(), code) >= 0 for sel in selectors):
            return True
    return False
