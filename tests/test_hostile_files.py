"""Hostile files in the analysed tree: odd codecs, FIFOs, device symlinks, huge files.

Each becomes one E-family finding for that file and the run goes on (issue 10, "Crashes,
hangs and resource use"). Every test runs the real ``kdocs check`` on a project in tmp_path.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from kdocs.fsread import RefusedFile, read_regular
from tests.conftest import MakeProject
from tests.helpers import run_kdocs

PYPROJECT = '[project]\nname = "demo"\nversion = "1"\n'


def findings(root: Path, *args: str) -> list[dict[str, object]]:
    run = run_kdocs("check", ".", "--no-cache", "--format", "json", *args, cwd=root)
    assert run.exit_code in (0, 1), run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    diagnostics: list[dict[str, object]] = run.json()["diagnostics"]
    return diagnostics


def by_file(root: Path, *args: str) -> dict[str, tuple[str, str]]:
    return {str(d["file"]): (str(d["code"]), str(d["message"])) for d in findings(root, *args)}


@pytest.mark.parametrize("codec", ["hex", "rot13", "zlib_codec", "base64", "uu_codec"])
def test_non_text_codec_is_an_e002_for_that_file_only(
    make_project: MakeProject, codec: str
) -> None:
    root = make_project({"pyproject.toml": PYPROJECT, "pkg/__init__.py": "", "pkg/ok.py": "x=1\n"})
    (root / "pkg" / "odd.py").write_bytes(f"# coding: {codec}\nx = 1\n".encode())
    (root / "pkg" / "bad.py").write_bytes(b"def f(:\n")
    found = by_file(root)
    assert found["pkg/odd.py"] == ("E002", f"cannot decode file: {codec} is not a text encoding")
    assert found["pkg/bad.py"][0] == "E003"  # the rest of the run went on


def test_bom_with_a_latin1_cookie_is_refused_like_python_does(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT})
    (root / "bom.py").write_bytes(b"\xef\xbb\xbf# coding: latin-1\nx = 1\n")
    (root / "bom_utf8.py").write_bytes(b"\xef\xbb\xbf# coding: utf-8\nx = 1\n")
    with pytest.raises(SyntaxError):
        compile((root / "bom.py").read_bytes(), "bom.py", "exec")
    found = by_file(root)
    assert found["bom.py"][0] == "E002"
    assert "byte-order mark" in found["bom.py"][1]
    assert "bom_utf8.py" not in found


def test_every_e003_message_has_a_reason(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT})
    sources = {
        "nul.py": b"x = 1\x00\n",
        "indent.py": b"if x:\npass\n",
        "paren.py": b"f(\n",
        "deep.py": b"x = " + b"(" * 300 + b"1" + b")" * 300 + b"\n",
        "tab.py": b"if x:\n        a = 1\n\tb = 2\n",
    }
    for name, data in sources.items():
        (root / name).write_bytes(data)
    found = by_file(root)
    for name in sources:
        code, message = found[name]
        assert code == "E003", name
        reason = message.split(":", 1)[1].strip()
        assert reason, f"{name}: empty reason in {message!r}"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_py_is_skipped_not_waited_on(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": PYPROJECT, "pkg/__init__.py": "", "pkg/ok.py": "x=1\n"})
    os.mkfifo(root / "pkg" / "cli.py")
    found = by_file(root)
    assert found == {"pkg/cli.py": ("E001", "skipped: not a regular file (a FIFO)")}


@pytest.mark.skipif(sys.platform == "win32", reason="needs /dev")
@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_symlink_to_a_device_is_skipped(make_project: MakeProject, target: str) -> None:
    if not stat.S_ISCHR(os.stat(target).st_mode):  # a broken host (/dev/null replaced)
        pytest.skip(f"{target} is not a character device on this machine")
    root = make_project({"pyproject.toml": PYPROJECT, "ok.py": "x = 1\n"})
    os.symlink(target, root / "x.py")
    found = by_file(root)
    assert found == {"x.py": ("E001", "skipped: a symlink to a file outside the project")}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_symlink_to_stdin_never_reads_stdin(make_project: MakeProject, tmp_path: Path) -> None:
    """``x.py -> /dev/stdin`` with stdin a pipe nobody writes to: a read would block forever."""
    root = make_project({"pyproject.toml": PYPROJECT})
    pipe = tmp_path / "stdin-pipe"
    os.mkfifo(pipe)
    os.symlink(pipe, root / "x.py")  # what /dev/stdin resolves to under a CI runner
    assert by_file(root) == {"x.py": ("E001", "skipped: a symlink to a file outside the project")}
    os.unlink(root / "x.py")
    os.mkfifo(root / "y.py")  # inside the project: opened without blocking, then refused
    assert by_file(root) == {"y.py": ("E001", "skipped: not a regular file (a FIFO)")}


def test_a_file_over_max_file_size_is_reported_once_and_skipped(
    make_project: MakeProject,
) -> None:
    big = "import click\n\n@click.command()\n@click.option('--Bad_Flag')\ndef main(bad_flag):\n"
    big += '    """Run."""\n' + "x = 1\n" * 40_000
    root = make_project({"pyproject.toml": PYPROJECT + '[tool.kdocs]\nmax-file-size = "100 KiB"\n'})
    (root / "gen.py").write_text(big)
    found = findings(root)
    assert [(d["file"], d["code"]) for d in found] == [("gen.py", "E001")]
    assert "file too large" in str(found[0]["message"])
    # Raising the cap analyses it (and the cache does not keep the old verdict).
    (root / "pyproject.toml").write_text(PYPROJECT + "[tool.kdocs]\nmax-file-size = 1000000\n")
    run = run_kdocs("check", ".", "--format", "json", cwd=root)
    codes = {d["code"] for d in run.json()["diagnostics"]}
    assert "E001" not in codes and "C101" in codes


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "`tool.kdocs.max-file-size` must be positive, got 0"),
        ('"lots"', '`tool.kdocs.max-file-size` must be a size such as 2097152 or "2 MiB"'),
        ("true", "`tool.kdocs.max-file-size` must be an integer, got a boolean"),
    ],
)
def test_max_file_size_errors_name_the_key(
    make_project: MakeProject, value: str, message: str
) -> None:
    root = make_project({"pyproject.toml": f"[tool.kdocs]\nmax-file-size = {value}\n"})
    run = run_kdocs("check", ".", cwd=root)
    assert run.exit_code == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_read_regular_refuses_growth_past_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "f.py"
    path.write_bytes(b"x" * 11)
    assert read_regular(path, 11) == b"x" * 11
    with pytest.raises(RefusedFile, match="file too large"):
        read_regular(path, 10)


def test_formatter_class_found_after_non_ascii_text_on_the_same_line(
    make_project: MakeProject,
) -> None:
    """C902/C403 read ``formatter_class`` from a per-file table built once (linear in the
    file); the table slices source by ast's UTF-8 byte offsets, so non-ASCII text before the
    keyword on the same line must not shift what is read."""
    long_line = "tool run --input data.csv --output result.json --format json --verbose --force"
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "t"\nversion = "1"\n',
            "t.py": f"""
                import argparse

                p = argparse.ArgumentParser(prog="t\u00e9\u00e9", description="Caf\u00e9 \U0001f680.\\n\\n{long_line} --extra", formatter_class=(
                    argparse.RawDescriptionHelpFormatter
                ))
                p.add_argument("--retries", type=int, default=3, help="Retries.")
                q = argparse.ArgumentParser(prog="\u00e9", formatter_class=argparse.ArgumentDefaultsHelpFormatter)
                q.add_argument("--tries", type=int, default=3, help="Tries.")
            """,
        }
    )
    found = findings(root, "--select", "C902,C403")
    assert [(d["code"], d["line"]) for d in found] == [("C403", 3), ("C902", 6)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_hostile_metadata_in_a_committed_venv_is_skipped(make_project: MakeProject) -> None:
    """The project's ``.venv`` is repository content: a FIFO ``METADATA`` or a ``RECORD`` that
    is a symlink to ``/dev/zero`` must not hang the run."""
    root = make_project({"pyproject.toml": PYPROJECT, ".venv/pyvenv.cfg": "home = /usr/bin\n"})
    site = root / ".venv" / "lib" / "python3.11" / "site-packages"
    good = site / "good-1.0.dist-info"
    good.mkdir(parents=True)
    (good / "METADATA").write_text("Metadata-Version: 2.1\nName: good\nVersion: 1.0\n")
    os.symlink("/dev/zero", good / "RECORD")
    (good / "top_level.txt").write_text("good\n")
    fifo = site / "fifo-1.0.dist-info"
    fifo.mkdir()
    os.mkfifo(fifo / "METADATA")
    run = run_kdocs("inspect", "deps", ".", cwd=root)
    assert run.exit_code == 0, run.stderr
    installed = run.json()["installed"]
    assert [(d["name"], d["modules"]) for d in installed] == [("good", ["good"])]


def test_pathological_help_text_is_checked_in_linear_time(make_project: MakeProject) -> None:
    """C404 (a trailing-link regex) took 29 s on 20,000 spaces in a help text and C903/C905
    (the hand-written enumeration regex) 45 s on a 20,000-letter word: quadratic. With three
    times that, a quadratic rule would run for minutes; the run must finish well inside the
    bound (no timing assertion beyond "it did not hang")."""
    spaces = "Run " + " " * 60_000 + "it"
    word = "a" * 60_000
    root = make_project(
        {
            "pyproject.toml": PYPROJECT,
            "app/__init__.py": "",
            "app/cli.py": f"""
                import click

                @click.group(help={spaces!r})
                def main():
                    pass

                @main.command(help={word!r})
                @click.option("--x", default=3, help="One of " + {word!r})
                def sub(x):
                    pass
            """,
        }
    )
    box: list[object] = []
    thread = threading.Thread(
        target=lambda: box.append(findings(root, "--select", "C")), daemon=True
    )
    thread.start()
    thread.join(120)
    assert box, "kdocs did not finish: a rule is super-linear in the help text"


def _real_kdocs(root: Path, *args: str) -> str:
    """The real command in a child process, bounded: a hang fails the test instead of the
    suite. The output of a run that must not hang."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
    command = [sys.executable, "-m", "kdocs", *args]
    run = subprocess.run(command, cwd=root, capture_output=True, env=env, timeout=120)
    assert run.returncode in (0, 1), run.stderr.decode()
    assert b"Traceback" not in run.stderr
    return run.stdout.decode()


CLI_PROJECT = {
    "pyproject.toml": PYPROJECT + '[project.scripts]\ntool = "pkg.cli:main"\n'
    'other = "pkg.tool:main"\n',
    "pkg/__init__.py": "",
    "pkg/tool.py": "import argparse\n\n\ndef main():\n"
    "    parser = argparse.ArgumentParser(description='A tool.')\n"
    "    parser.add_argument('--x_y', help='The x.')\n"
    "    parser.parse_args()\n",
    "pkg/models.py": "import evil\nimport pydantic\n\n\n"
    'class User(evil.Base):\n    """A user."""\n\n    name: str\n\n\n'
    'class Group(pydantic.BaseModel):\n    """A group."""\n\n    users: list[User]\n',
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")
def test_a_console_script_module_or_venv_module_that_is_a_device_does_not_hang(
    make_project: MakeProject,
) -> None:
    """A console script's module and ``__main__.py`` are read whole to follow an argparse
    chain, and an installed module of the committed ``.venv`` to resolve a base class: as
    FIFOs the reads blocked, as a ``/dev/zero`` symlink the last filled the memory. They are
    skipped like any special file (E001 for the project's own files)."""
    root = make_project({**CLI_PROJECT, ".venv/pyvenv.cfg": "home = /usr/bin\n"})
    os.mkfifo(root / "pkg" / "cli.py")  # in the project: walked, and must not be opened
    os.mkfifo(root / "pkg" / "__main__.py")  # blocking (a symlink out is not walked)
    site = root / ".venv" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    os.symlink("/dev/zero", site / "evil.py")
    out = _real_kdocs(root, "check", "--no-cache", "--format", "json")
    codes = {(d["code"], d["file"]) for d in json.loads(out)["diagnostics"]}
    assert ("E001", "pkg/cli.py") in codes and ("E001", "pkg/__main__.py") in codes
    assert ("C101", "pkg/tool.py") in codes  # the argparse program is still checked
    types = json.loads(_real_kdocs(root, "inspect", "types", "--no-cache"))["types"]
    assert [t["name"] for t in types] == ["Group"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")
def test_planted_cache_files_are_neither_followed_nor_waited_on(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """The cache folder can be committed with the repository like any other: a cache file
    that is a symlink to ``/dev/zero`` (read until the memory runs out) or a FIFO (its
    ``open`` blocks) is not kdocs' file. The run ignores it and prints what a run without
    the cache prints; a hidden input file that is a FIFO is not read either. A cache file
    written over a planted symlink replaces the link, never what it points to."""
    from kdocs import __version__
    from tests.helpers import age_tree

    root = make_project(dict(CLI_PROJECT))
    os.mkfifo(root / "pkg" / ".import-restrictions")
    age_tree(root)  # settled: every cache, the models' included, is read and written
    reference = _real_kdocs(root, "check", "--no-cache", "--format", "json")
    types_reference = _real_kdocs(root, "inspect", "types", "--no-cache")
    folder = root / ".kdocs_cache" / __version__
    folder.mkdir(parents=True)
    names = ["types-model.bin", "types.bin", "cli.bin", "imports.bin", "check-result.json"]
    names += ["deps-linked.json", "cli-linked.json", "types-linked.json", "inspect-output.json"]
    for index, name in enumerate(names):
        if index % 2:
            os.mkfifo(folder / name)
        else:
            os.symlink("/dev/zero", folder / name)
    victim = tmp_path / "victim.txt"
    victim.write_text("not kdocs' file\n")
    os.symlink(victim, folder / "files.bin")
    assert _real_kdocs(root, "check", "--format", "json") == reference
    assert _real_kdocs(root, "inspect", "types") == types_reference
    assert victim.read_text() == "not kdocs' file\n"
    assert not (folder / "files.bin").is_symlink()  # replaced by the per-file cache


def test_a_cache_folder_that_is_a_symlink_is_never_written_or_pruned(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """``.kdocs_cache/<version> -> /elsewhere`` (or its ``check-trees``) committed with the
    repository would have kdocs write its cache outside the project, and prune files there
    it did not write. Nothing is written or removed through such a link; the run still
    gives what a run without the cache gives."""
    from kdocs import __version__
    from kdocs.resultreuse import MAX_TREES
    from tests.helpers import age_tree

    root = make_project(dict(CLI_PROJECT))
    age_tree(root)
    reference = run_kdocs("check", "--no-cache", "--format", "json", cwd=root).stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    planted = [elsewhere / f"{i:02d}.bin" for i in range(MAX_TREES + 3)]
    for path in planted:
        path.write_bytes(b"not kdocs' file")
    (root / ".kdocs_cache").mkdir()
    os.symlink(elsewhere, root / ".kdocs_cache" / __version__)
    for _ in range(2):
        assert run_kdocs("check", "--format", "json", cwd=root).stdout == reference
    assert sorted(elsewhere.iterdir()) == planted  # nothing written there, nothing removed
    os.unlink(root / ".kdocs_cache" / __version__)
    (root / ".kdocs_cache" / __version__).mkdir()
    os.symlink(elsewhere, root / ".kdocs_cache" / __version__ / "check-trees")
    for _ in range(2):
        assert run_kdocs("check", "--format", "json", cwd=root).stdout == reference
    assert sorted(elsewhere.iterdir()) == planted


@pytest.mark.skipif(sys.platform == "win32", reason="needs /dev/zero")
def test_d102_reading_sources_as_text_skips_a_device(make_project: MakeProject) -> None:
    """D102 reads the runtime sources as text, looking for a declared module run by name:
    a source that is a ``/dev/zero`` symlink was read until the memory ran out."""
    root = make_project(
        {
            "pyproject.toml": PYPROJECT + 'dependencies = ["requests"]\n',
            "pkg/__init__.py": "import json\n",
            ".venv/pyvenv.cfg": "home = /usr/bin\n",
        }
    )
    site = root / ".venv" / "lib" / "python3.11" / "site-packages"
    (site / "requests").mkdir(parents=True)
    (site / "requests" / "__init__.py").write_text("")
    dist = site / "requests-2.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: requests\nVersion: 2.0\n")
    (dist / "top_level.txt").write_text("requests\n")
    os.symlink("/dev/zero", root / "pkg" / "x.py")
    out = _real_kdocs(root, "check", "--no-cache", "--select", "D102,E", "--format", "json")
    codes = sorted((d["code"], d["file"]) for d in json.loads(out)["diagnostics"])
    assert codes == [("D102", "pyproject.toml"), ("E001", "pkg/x.py")]
