"""kdocs never destroys files it did not write (issue 10): the generated-file writer
(:mod:`kdocs.writer`, used by ``kdocs rules --out``), ``--output``, ``--write-baseline`` and
``--baseline`` on hostile or mistaken paths. Real directories in tmp_path, the real CLI."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from kdocs.rules.registry import all_rules
from kdocs.writer import MANIFEST, WriteError, write_tree
from tests.helpers import run_kdocs

N_PAGES = len(all_rules()) + 1  # one page per rule and the index


@pytest.mark.parametrize(("fmt", "foreign"), [("markdown", "notes.md"), ("json", "package.json")])
def test_rules_out_keeps_files_it_did_not_write(tmp_path: Path, fmt: str, foreign: str) -> None:
    # It used to delete every *.md (markdown) or *.json (json) in the directory.
    out = tmp_path / "docs"
    out.mkdir()
    (out / foreign).write_text("mine\n")
    for _ in range(2):
        run = run_kdocs("rules", "--format", fmt, "--out", str(out))
        assert run.exit_code == 0, run.stderr
    assert (out / foreign).read_text() == "mine\n"
    assert len(list(out.glob("*.*"))) == N_PAGES + 2  # the pages, the manifest, the foreign file


def test_rules_out_removes_only_its_own_stale_pages(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    assert run_kdocs("rules", "--format", "markdown", "--out", str(out)).exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    assert len(manifest["files"]) == N_PAGES
    # Pretend an earlier kdocs wrote two pages of rules that no longer exist; the user has
    # since edited one of them; and a planted manifest entry points outside the directory.
    (out / "C999.md").write_text("old page\n")
    (out / "C998.md").write_text("old page\n")
    outside = tmp_path / "precious.md"
    outside.write_text("keep me\n")
    from kdocs.writer import render_manifest

    files = dict(manifest["files"])
    digest = __import__("hashlib").sha256(b"old page\n").hexdigest()
    files.update({"C999.md": digest, "C998.md": digest, "../precious.md": digest})
    (out / MANIFEST).write_text(render_manifest(files))
    (out / "C998.md").write_text("edited by hand\n")
    run = run_kdocs("rules", "--format", "markdown", "--out", str(out))
    assert run.exit_code == 0, run.stderr
    assert not (out / "C999.md").exists()
    assert (out / "C998.md").read_text() == "edited by hand\n"
    assert "kept" in run.stderr and "C998.md" in run.stderr
    assert outside.read_text() == "keep me\n"
    assert json.loads((out / MANIFEST).read_text()) == manifest  # deterministic


def test_rules_out_onto_a_regular_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "package.json"
    target.write_text("{}\n")
    run = run_kdocs("rules", "--format", "json", "--out", str(target))
    assert run.exit_code == 2
    assert str(target) in run.stderr and "internal error" not in run.stderr
    assert target.read_text() == "{}\n"


def test_rules_out_check_reports_drift_without_writing(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    run = run_kdocs("rules", "--format", "markdown", "--out", str(out), "--check")
    assert run.exit_code == 1
    assert not out.exists() or not any(out.iterdir())
    assert run_kdocs("rules", "--format", "markdown", "--out", str(out)).exit_code == 0
    assert run_kdocs("rules", "--format", "markdown", "--out", str(out), "--check").exit_code == 0
    (out / "C101.md").write_text("edited\n")
    run = run_kdocs("rules", "--format", "markdown", "--out", str(out), "--check")
    assert run.exit_code == 1 and f"stale: {out / 'C101.md'}" in run.stderr
    assert (out / "C101.md").read_text() == "edited\n"


def test_committed_rule_reference_has_a_current_manifest() -> None:
    site = Path(__file__).resolve().parent.parent / "site" / "reference" / "rules"
    run = run_kdocs("rules", "--format", "markdown", "--out", str(site), "--check")
    assert run.exit_code == 0, run.stderr


def test_write_tree_check_mode_reports_stale_missing_extra(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = write_tree(out, {"a.md": "A\n", "sub/b.md": "B\n", "c.md": "C\n"})
    assert first.written == ["a.md", "c.md", "sub/b.md"]
    (out / "a.md").write_text("changed\n")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    report = write_tree(out, {"a.md": "A\n", "sub/b.md": "B\n", "d.md": "D\n"}, check=True)
    assert (report.stale, report.missing, report.extra) == (
        [MANIFEST, "a.md"],
        ["d.md"],
        ["c.md"],
    )
    assert report.drift and report.written == [] and report.unchanged == ["sub/b.md"]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    done = write_tree(out, {"a.md": "A\n", "sub/b.md": "B\n", "d.md": "D\n"})
    assert (done.written, done.removed) == (["a.md", "d.md"], ["c.md"])
    assert not write_tree(out, {"a.md": "A\n", "sub/b.md": "B\n", "d.md": "D\n"}, check=True).drift


def test_write_tree_never_overwrites_foreign_files_or_symlinks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").write_text("hand written\n")
    with pytest.raises(WriteError, match=r"index\.md: kdocs did not write it"):
        write_tree(out, {"index.md": "generated\n", "a.md": "A\n"})
    assert (out / "index.md").read_text() == "hand written\n"
    assert not (out / "a.md").exists()  # refused before writing anything
    # The same content is adopted (an older kdocs wrote it without a manifest).
    assert write_tree(out, {"index.md": "hand written\n"}).unchanged == ["index.md"]
    secret = tmp_path / "secret.txt"
    secret.write_text("secret\n")
    (out / "link.md").symlink_to(secret)
    with pytest.raises(WriteError, match="symlink"):
        write_tree(out, {"link.md": "x\n"})
    (out / "dir").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(WriteError, match="not a directory"):
        write_tree(out, {"dir/secret.txt": "x\n"})
    assert secret.read_text() == "secret\n"
    for bad in ("../escape.md", "/abs.md", "a/../../b.md", MANIFEST):
        with pytest.raises(WriteError):
            write_tree(out, {bad: "x\n"})
    assert not (tmp_path / "escape.md").exists()


def test_interrupted_write_leaves_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_tree(out, {"a.md": "old\n"})

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(WriteError, match=r"a\.md: No space left on device"):
        write_tree(out, {"a.md": "new\n"})
    assert (out / "a.md").read_text() == "old\n"
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "a.md"]


PYPROJECT = '[project]\nname = "app"\n[project.scripts]\napp = "app.cli:cli"\n'
CLI = 'import click\n\n\n@click.command()\ndef cli() -> None:\n    """Run it."""\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "src" / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "src" / "app" / "__init__.py").write_text("")
    (root / "src" / "app" / "cli.py").write_text(CLI)
    (root / "tools").mkdir()
    (root / "tools" / "notes.py").write_text("# not analysed? still a Python file\n")
    return root


@pytest.mark.parametrize(
    "target",
    ["src/app/cli.py", "pyproject.toml", "tools/notes.py", "link.txt"],
)
def test_output_refuses_to_overwrite_project_files(project: Path, target: str) -> None:
    (project / "link.txt").symlink_to(project / "src" / "app" / "cli.py")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    for cmd in (("check",), ("inspect", "cli")):
        run = run_kdocs(*cmd, "--output", target, cwd=project)
        assert run.exit_code == 2, (cmd, run.stderr)
        assert f"--output {target}: refusing to overwrite" in run.stderr
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_output_to_a_new_report_file_still_works(project: Path) -> None:
    run = run_kdocs("check", "--select", "C", "--output", "report.txt", cwd=project)
    assert run.exit_code == 0, run.stderr
    assert "All checks passed" in (project / "report.txt").read_text()


def test_write_baseline_into_bad_folders_is_a_usage_error(project: Path) -> None:
    (project / "afile").write_text("x\n")
    for target in ("missing/b.json", "afile/b.json", "/proc/kdocs-baseline.json", "src"):
        run = run_kdocs("check", "--write-baseline", target, cwd=project)
        assert run.exit_code == 2, (target, run.stderr)
        assert target in run.stderr and "internal error" not in run.stderr


@pytest.mark.parametrize(
    "content",
    [
        '{"format": 1, "findings": null}',
        '{"format": 1, "findings": {"a": 1}}',
        '{"format": 1, "findings": [{"file": ["x"], "code": "C101", "fingerprint": "f"}]}',
        '{"format": 1, "findings": ["x"]}',
        "[" * 100000,
        "not json",
    ],
)
def test_malformed_baseline_is_a_usage_error(project: Path, content: str) -> None:
    (project / "b.json").write_text(content)
    run = run_kdocs("check", "--baseline", "b.json", cwd=project)
    assert run.exit_code == 2, run.stderr
    assert "b.json" in run.stderr and "internal error" not in run.stderr


def test_output_into_a_device_writes_into_it_and_keeps_the_device(tmp_path: Path) -> None:
    # `--output /dev/null` used to rename a temporary file over the device: as root that
    # replaced /dev/null with a regular file for the whole machine. A private null device
    # stands in for it here.
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here (not root)")
    example = Path(__file__).parent.parent / "examples" / "shipit"
    run = run_kdocs("check", str(example), "--no-cache", "--output", str(device))
    assert run.exit_code == 1, run.stderr
    assert stat.S_ISCHR(os.stat(device).st_mode)
    run = run_kdocs("check", str(example), "--no-cache", "--write-baseline", str(device))
    assert run.exit_code == 0, run.stderr
    assert stat.S_ISCHR(os.stat(device).st_mode)
