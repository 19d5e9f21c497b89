"""Which rules run: ``select`` / ``extend-select`` / ``ignore`` with ruff's semantics.

A selector is a full code (``C101``), a prefix (``C1``, ``C``) or ``ALL``. For each rule the
most specific matching selector decides; on a tie ``ignore`` wins. Without ``select``, the
rules that are on by default are the starting set.

Convention profiles (``convention = "python" | "kubernetes"``): a rule that belongs to a
profile other than the active one is not in the starting set, and a prefix (``F``, ``F1``,
``ALL``) does not turn it on; only its full code in ``select``/``extend-select`` does.

Selection reads the static index (:mod:`kdocs.rules.index`), not the families: only the
families of the rules it chooses are imported (``--select I,D`` never imports the CLI rules).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence

from kdocs.errors import KdocsError
from kdocs.rules import index, registry
from kdocs.rules.registry import Rule


def _specificity(selector: str, code: str) -> int:
    """-1 when the selector does not match the code, else its length (``ALL`` = 0)."""
    if selector == "ALL":
        return 0
    return len(selector) if code.startswith(selector) else -1


def _known() -> list[tuple[str, bool, str | None]]:
    """``(code, on by default, convention)`` of every rule in code order: the index's, and
    any rule registered that it does not list (a test's own rule)."""
    rows = {code: (code, on, convention) for code, _, on, convention in index.RULES}
    for r in registry.registered():
        rows.setdefault(r.code, (r.code, r.default_enabled, r.convention))
    return [rows[code] for code in sorted(rows, key=registry.code_sort_key)]


def validate_selectors(selectors: Iterable[str], origin: str) -> list[str]:
    known = [code for code, _, _ in _known()]
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
    for code, default_enabled, rule_convention in _known():
        in_profile = rule_convention is None or rule_convention == convention
        best_on = 0 if (select is None and default_enabled and in_profile) else -1
        for sel in [*(select or ()), *extend_select]:
            if in_profile or sel == code:
                best_on = max(best_on, _specificity(sel, code))
        best_off = max((_specificity(sel, code) for sel in ignore), default=-1)
        if best_on >= 0 and best_on > best_off:
            found = registry.get(code)  # imports the chosen rule's family, only
            if found is None:
                raise KdocsError(f"rule {code} is in the rule index but no family defines it")
            chosen.append(found)
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
