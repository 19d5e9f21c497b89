"""Files changed since a git ref, for ``kdocs check --diff REF`` (alias ``--changed-since``).

The whole project is still analysed (cross-file rules need it, the cache makes it cheap);
only the report is limited to these files, like ``kdocs check FILE``.

The ref and the repository are untrusted input. The ref is refused when it starts with
``-`` (git would read it as an option) and resolved with ``rev-parse --verify
--end-of-options REF^{commit}``; only the resulting commit id reaches ``git diff``. git runs
without a shell, with a fixed argument list, in the project root, with the repository
settings that could run a program turned off (``core.fsmonitor``, external diff drivers,
textconv filters, pagers), and with optional locks off so a read-only check never writes
``.git/index``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from kdocs.errors import KdocsError

OPTION = "--diff"
_SAFE_CONFIG = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.untrackedCache=false",
    "-c",
    "diff.external=",
    "-c",
    "core.pager=cat",
)
_TIMEOUT = 60.0


class ChangesError(KdocsError):
    """A ref or repository problem: a usage error (exit 2), one line naming the ref."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env["GIT_PAGER"] = "cat"
    env.pop("GIT_EXTERNAL_DIFF", None)
    try:
        return subprocess.run(
            ["git", *_SAFE_CONFIG, *args],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise ChangesError(
            f"{OPTION}: git is not installed (it is needed to list changes)"
        ) from None
    except subprocess.TimeoutExpired:
        raise ChangesError(f"{OPTION}: git did not answer within {_TIMEOUT:.0f} s") from None
    except OSError as err:
        raise ChangesError(f"{OPTION}: cannot run git: {err.strerror}") from None


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "no output"


def validate_ref(ref: str) -> str:
    """Refuse refs that are empty, option-like or hold characters no ref name has."""
    from kdocs.escape import excerpt

    if not ref:
        raise ChangesError(f"{OPTION}: empty ref")
    if ref.startswith("-"):
        raise ChangesError(f"{OPTION} {excerpt(ref)}: a ref cannot start with '-'")
    if any(ord(c) < 32 or c == "\x7f" for c in ref):
        raise ChangesError(f"{OPTION} {excerpt(ref)}: a ref cannot hold control characters")
    return ref


def changed_files(root: Path, ref: str) -> frozenset[Path]:
    """Absolute paths of files that differ between ``ref`` and the working tree of the git
    repository holding ``root`` (staged or not, renames under their new name, deleted files
    included and harmless), plus untracked files that are not ignored."""
    from kdocs.escape import excerpt

    validate_ref(ref)
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        reason = _first_line(top.stderr)
        if "not a git repository" in reason:
            raise ChangesError(f"{OPTION} {excerpt(ref)}: {root} is not in a git repository")
        # e.g. "detected dubious ownership": say what git said rather than guess
        raise ChangesError(f"{OPTION} {excerpt(ref)}: git cannot read {root}: {excerpt(reason)}")
    toplevel = Path(os.fsdecode(top.stdout.rstrip(b"\n"))).resolve()
    commit = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if commit.returncode != 0:
        raise ChangesError(
            f"{OPTION} {excerpt(ref)}: not a git ref (commit, branch or tag) in {toplevel}"
        )
    sha = commit.stdout.decode("ascii", "replace").strip()
    diff = _git(root, "diff", "--name-only", "-z", "--no-ext-diff", "--no-textconv", sha, "--")
    if diff.returncode != 0:
        raise ChangesError(f"{OPTION} {excerpt(ref)}: git diff failed: {_first_line(diff.stderr)}")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--full-name", "-z")
    if untracked.returncode != 0:
        raise ChangesError(
            f"{OPTION} {excerpt(ref)}: git ls-files failed: {_first_line(untracked.stderr)}"
        )
    names = [*diff.stdout.split(b"\0"), *untracked.stdout.split(b"\0")]
    return frozenset(toplevel / os.fsdecode(name) for name in names if name)
