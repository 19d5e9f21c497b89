"""How fast is ``kdocs check`` (default rules) on a large real tree, next to its peers?

Corpus: django 5.2's source (the wheel, unpacked; ~900 files). Peers in the same run:
``ruff check --select E9`` (syntax errors only: the same job as kdocs' E family) and a bare
``ast.parse`` of every file on one core (the floor for any ast-based Python tool).

    python benchmarks/check_speed.py [--repeat 5]

Prints the median wall time of each, and kdocs' ratios to the peers: cold (no cache),
cold writing the cache, warm (cache hit, nothing changed) and after touching one file.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
REPO = HERE.parent


def corpus(spec: str = "django==5.2.8") -> Path:
    """Download and unpack a wheel once; return the directory holding its packages."""
    target = CACHE / "corpus" / spec.replace("==", "-")
    if target.is_dir():
        return target
    wheels = CACHE / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(wheels), spec],
        check=True,
    )
    name = spec.split("==")[0]
    wheel = next(w for w in wheels.glob("*.whl") if w.name.lower().startswith(name.lower()))
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    (target / "pyproject.toml").write_text(f"[project]\nname = '{name}'\n")
    return target


def timed(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tree = corpus()
    files = [p for p in tree.rglob("*.py")]
    kdocs = [sys.executable, "-m", "kdocs", "check", "--select", "E", "--exit-zero"]
    env_path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    os.environ["PYTHONPATH"] = env_path
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    cache_dir = tree / ".kdocs_cache"

    def cold_no_cache() -> None:
        run([*kdocs, "--no-cache", str(tree)], tree)

    def cold_with_cache() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)
        run([*kdocs, str(tree)], tree)

    def warm() -> None:
        run([*kdocs, str(tree)], tree)

    def one_file_changed() -> None:
        victim = files[0]
        victim.write_text(victim.read_text() + "\n")
        run([*kdocs, str(tree)], tree)

    def ruff_e9() -> None:
        run([ruff, "check", "--no-cache", "--select", "E9", "--exit-zero", "-q", str(tree)], tree)

    def ast_parse_all() -> None:
        for path in files:
            ast.parse(path.read_bytes())

    with tempfile.TemporaryDirectory():
        rows = [
            ("ast.parse every file (1 core, in-process)", timed(ast_parse_all, args.repeat)),
            ("ruff check --select E9 --no-cache", timed(ruff_e9, args.repeat)),
            ("kdocs check --select E --no-cache", timed(cold_no_cache, args.repeat)),
            ("kdocs check --select E (cold, writes cache)", timed(cold_with_cache, args.repeat)),
            ("kdocs check --select E (warm)", timed(warm, args.repeat)),
            ("kdocs check --select E (one file changed)", timed(one_file_changed, args.repeat)),
        ]
    print(f"corpus: {tree.name} ({len(files)} files), median of {args.repeat} runs\n")
    base = dict(rows)
    peer = base["ruff check --select E9 --no-cache"]
    floor = base["ast.parse every file (1 core, in-process)"]
    for label, seconds in rows:
        ratios = f"x{seconds / peer:5.1f} ruff   x{seconds / floor:5.2f} ast"
        print(f"{label:<48} {seconds:7.3f} s   {ratios}")


if __name__ == "__main__":
    main()
