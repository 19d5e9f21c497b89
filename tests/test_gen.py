"""``kdocs gen``: golden files, completeness, determinism, the drift gate, config and G001.

Every test runs the real ``kdocs`` command line on real projects copied into tmp_path
(the fixture CLIs of each framework and examples/shipit) or written there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from kdocs.analysis import Analysis
from kdocs.project import discover
from kdocs.templating import roff
from tests.conftest import MakeProject
from tests.gentools import files, load_yaml, mandoc_lint, markdown_lint, markdown_plain
from tests.helpers import run_kdocs, visible_commands

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "fixtures" / "gen_golden"
CASES = {
    "click": REPO / "tests" / "fixtures" / "cli_click",
    "typer": REPO / "tests" / "fixtures" / "cli_typer",
    "argparse": REPO / "tests" / "fixtures" / "cli_argparse",
    "shipit": REPO / "examples" / "shipit",
}
FORMATS = ("man", "markdown", "yaml")


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".kdocs_cache", "__pycache__"))
    return dst


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``kdocs gen all`` on a copy of each case (outside git: the fixed 1970-01-01 date)."""
    out = {}
    for name, src in CASES.items():
        root = _copy(src, tmp_path_factory.mktemp(name) / name)
        result = run_kdocs("gen", "all", str(root), "--out", str(root / "docs"))
        assert result.exit_code == 0, result.stderr
        out[name] = root
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_files(case: str, generated: dict[str, Path]) -> None:
    """The output is exactly the committed golden tree (KDOCS_UPDATE_GOLDEN=1 rewrites it)."""
    got = _tree(generated[case] / "docs")
    golden = GOLDEN / case
    if os.environ.get("KDOCS_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        for rel, data in got.items():
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden / rel).write_bytes(data)
    want = _tree(golden)
    assert sorted(got) == sorted(want)
    for rel in want:
        assert got[rel] == want[rel], rel


@pytest.mark.parametrize("case", sorted(CASES))
def test_outputs_pass_the_real_tools(case: str, generated: dict[str, Path]) -> None:
    docs = generated[case] / "docs"
    assert mandoc_lint(files(docs / "man", ".1")) == ""
    assert markdown_lint(files(docs / "markdown", ".md")) == ""
    for path in files(docs / "yaml", ".yaml"):
        assert isinstance(load_yaml(path), dict), path


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_visible_item_appears_in_each_format(case: str, generated: dict[str, Path]) -> None:
    root = generated[case]
    docs = root / "docs"
    model = Analysis(discover([root]), use_cache=False).model("cli")
    tree = load_yaml(docs / "yaml" / "cli.yaml")
    yaml_names: set[str] = set()
    yaml_paths: set[tuple[str, ...]] = set()

    def collect(entry: dict) -> None:  # type: ignore[type-arg]
        yaml_paths.add(tuple(entry["path"]))
        for option in entry["options"]:
            yaml_names.update(option["names"] + option["secondary_names"])
        for argument in entry["arguments"]:
            yaml_names.add(argument["name"])
        for sub in entry["subcommands"]:
            collect(sub)

    for entry in tree["clis"]:
        collect(entry)
    assert model.clis
    for top in model.clis:
        for cmd in visible_commands(top):
            slug = "-".join(cmd.path)
            man = (docs / "man" / f"{slug}.1").read_text(encoding="utf-8")
            md = markdown_plain((docs / "markdown" / f"{slug}.md").read_text(encoding="utf-8"))
            doc = load_yaml(docs / "yaml" / f"{slug}.yaml")
            assert doc["name"] == " ".join(cmd.path)
            assert cmd.path in yaml_paths
            doc_options = {o["name"] for o in doc.get("options", [])}
            for option in cmd.options:
                if option.hidden:
                    continue
                for name in option.names + option.secondary_names:
                    assert f"\\fB{roff(name)}\\fR" in man, (slug, name)
                    assert name in md, (slug, name)
                    assert name in yaml_names, (slug, name)
                assert max(option.names, key=len).lstrip("-") in doc_options, (slug, option)
            for argument in cmd.arguments:
                if not argument.hidden:
                    assert argument.name in yaml_names
            for sub in cmd.subcommands:
                if sub.hidden:
                    assert not (docs / "man" / f"{'-'.join(sub.path)}.1").exists()
                    continue
                sub_slug = "-".join(sub.path)
                assert f"\\fB{roff(sub_slug)}\\fR({'1'})" in man, (slug, sub.name)
                page = (docs / "markdown" / f"{slug}.md").read_text(encoding="utf-8")
                assert f"]({sub_slug}.md)" in page


def test_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    root = _copy(CASES["shipit"], tmp_path / "shipit")
    trees = []
    for seed in ("0", "4242", "random"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "kdocs",
                "gen",
                "all",
                str(root),
                "--out",
                str(out),
                "--no-cache",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        trees.append(_tree(out))
    assert trees[0] == trees[1] == trees[2]
    assert len(trees[0]) > 20


CLICK_APP = {
    "pyproject.toml": """
        [project]
        name = "app"
        version = "2.0"

        [project.scripts]
        app = "app.cli:main"
    """,
    "app/__init__.py": "",
    "app/cli.py": '''
        import click


        @click.group()
        @click.option("--verbose", "-v", is_flag=True, help="Say more.")
        def main(verbose):
            """Manage the app."""


        @main.command()
        @click.option("--force", is_flag=True, help="Do it anyway.")
        @click.option("--secret", hidden=True, help="Internal.")
        def deploy(force, secret):
            """Deploy the app."""


        @main.command()
        def status():
            """Show the status."""


        @main.command(hidden=True)
        def debug():
            """Internal debugging."""
    ''',
}


def test_check_reports_drift_and_writing_fixes_it(make_project: MakeProject) -> None:
    root = make_project(CLICK_APP)
    docs = root / "docs"
    assert run_kdocs("gen", "markdown", str(root), "--out", str(docs)).exit_code == 0
    (docs / "notes.md").write_text("mine\n", encoding="utf-8")
    clean = run_kdocs("gen", "markdown", str(root), "--out", str(docs), "--check")
    assert clean.exit_code == 0 and "up to date" in clean.stderr
    cli = root / "app" / "cli.py"
    text = cli.read_text(encoding="utf-8")
    text = text.replace("Do it anyway.", "Deploy even if checks fail.")
    text = text.replace('@main.command()\ndef status():\n    """Show the status."""\n', "")
    cli.write_text(text, encoding="utf-8")
    stale = run_kdocs("gen", "markdown", str(root), "--out", str(docs), "--check")
    assert stale.exit_code == 1
    assert "changed: " in stale.stderr and "app-deploy.md" in stale.stderr
    assert '-| <a id="app-deploy-option-force"></a>`--force` | Do it anyway. |' in stale.stderr
    assert "removed: " in stale.stderr and "app-status.md (no longer generated)" in stale.stderr
    assert (docs / "app-status.md").exists()  # --check writes nothing
    assert run_kdocs("gen", "markdown", str(root), "--out", str(docs)).exit_code == 0
    assert not (docs / "app-status.md").exists()
    assert (docs / "notes.md").read_text(encoding="utf-8") == "mine\n"
    assert "Deploy even if checks fail." in (docs / "app-deploy.md").read_text(encoding="utf-8")
    assert run_kdocs("gen", "markdown", str(root), "--out", str(docs), "--check").exit_code == 0


def test_refuses_to_overwrite_a_file_it_did_not_write(make_project: MakeProject) -> None:
    root = make_project(CLICK_APP)
    docs = root / "docs"
    docs.mkdir()
    (docs / "app.1").write_text("my own page\n", encoding="utf-8")
    result = run_kdocs("gen", "man", str(root), "--out", str(docs))
    assert result.exit_code == 2
    assert "refusing to overwrite" in result.stderr and "Traceback" not in result.stderr
    assert (docs / "app.1").read_text(encoding="utf-8") == "my own page\n"


def test_hidden_items_only_with_include_hidden(make_project: MakeProject) -> None:
    root = make_project(CLICK_APP)
    out = root / "out"
    assert run_kdocs("gen", "all", str(root), "--out", str(out)).exit_code == 0
    assert not (out / "man" / "app-debug.1").exists()
    assert "--secret" not in (out / "markdown" / "app-deploy.md").read_text(encoding="utf-8")
    assert run_kdocs("gen", "all", str(root), "--out", str(out), "--include-hidden").exit_code == 0
    assert (out / "man" / "app-debug.1").exists()
    assert "--secret" in (out / "markdown" / "app-deploy.md").read_text(encoding="utf-8")


def test_single_file_to_stdout_and_errors(make_project: MakeProject) -> None:
    root = make_project(CLICK_APP)
    result = run_kdocs("gen", "markdown", str(root), "--single-file", "--out", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Command reference\n")
    assert '## <a id="app-deploy"></a>app deploy' in result.stdout
    assert "[app deploy](#app-deploy)" in result.stdout
    implied = run_kdocs("gen", "markdown", str(root), "--out", "-")
    assert implied.exit_code == 0 and implied.stdout == result.stdout
    man = run_kdocs("gen", "man", str(root), "--out", "-")
    assert man.exit_code == 2 and "single document" in man.stderr
    assert len(man.stderr.strip().splitlines()) == 1
    both = run_kdocs("gen", "markdown", str(root), "--out", "-", "--check")
    assert both.exit_code == 2


def test_config_folders_and_options(make_project: MakeProject) -> None:
    files_ = dict(CLICK_APP)
    files_["pyproject.toml"] += """
        [tool.kdocs.gen]
        out = "reference"
        markdown-out = "site/cli"
        man-section = "8"
        manual = "App Admin Guide"
        date = "2025-02-03"
    """
    root = make_project(files_)
    result = run_kdocs("gen", "all", str(root))
    assert result.exit_code == 0, result.stderr
    page = (root / "reference" / "man" / "app.8").read_text(encoding="utf-8")
    assert '.TH "APP" "8" "2025-02-03" "app 2.0" "App Admin Guide"' in page
    assert (root / "site" / "cli" / "app.md").exists()
    assert (root / "reference" / "yaml" / "cli.yaml").exists()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            'man-sectoin = "8"',
            "unknown key `tool.kdocs.gen.man-sectoin`; did you mean `man-section`?",
        ),
        ('out = "../elsewhere"', "`tool.kdocs.gen.out` must stay inside the project"),
        ('out = "/tmp/x"', "`tool.kdocs.gen.out` must be a folder relative to the project root"),
        ('man-section = "one"', "`tool.kdocs.gen.man-section` must be a man section"),
        ('date = "yesterday"', "`tool.kdocs.gen.date` must be a date as YYYY-MM-DD"),
        ('formats = ["pdf"]', "`tool.kdocs.gen.formats[0]` must be one of"),
        ("single-file = 1", "`tool.kdocs.gen.single-file` must be true or false"),
        ('templates = "missing"', "`tool.kdocs.gen.templates` 'missing' is not a folder"),
    ],
)
def test_bad_config_is_one_line_naming_the_key(
    make_project: MakeProject, setting: str, message: str
) -> None:
    files_ = dict(CLICK_APP)
    files_["pyproject.toml"] += f"\n[tool.kdocs.gen]\n{setting}\n"
    root = make_project(files_)
    result = run_kdocs("gen", "all", str(root))
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_out_folder_through_a_symlink_outside_is_refused(
    make_project: MakeProject, tmp_path: Path
) -> None:
    files_ = dict(CLICK_APP)
    files_["pyproject.toml"] += '\n[tool.kdocs.gen]\nout = "docs"\n'
    root = make_project(files_)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "docs").symlink_to(outside)
    result = run_kdocs("gen", "all", str(root))
    assert result.exit_code == 2 and "lies outside the project" in result.stderr
    assert list(outside.iterdir()) == []


def test_project_templates_override_and_are_sandboxed(make_project: MakeProject) -> None:
    files_ = dict(CLICK_APP)
    files_["pyproject.toml"] += '\n[tool.kdocs.gen]\ntemplates = "doc-templates"\n'
    files_["doc-templates/markdown/command.md.j2"] = (
        "# {{ page.full_name | md_inline }} ({{ page.options | length }} options)\n"
    )
    root = make_project(files_)
    out = root / "out"
    assert run_kdocs("gen", "markdown", str(root), "--out", str(out)).exit_code == 0
    assert (out / "app-deploy.md").read_text(encoding="utf-8") == "# app deploy (1 options)\n"
    assert (out / "index.md").read_text(encoding="utf-8").startswith("# Command reference")
    evil = root / "doc-templates" / "markdown" / "command.md.j2"
    evil.write_text("{{ page.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    result = run_kdocs("gen", "markdown", str(root), "--out", str(out))
    assert result.exit_code == 2
    assert "template error" in result.stderr and "Traceback" not in result.stderr


def _init_git(root: Path, when: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "init"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_man_date_never_the_wall_clock(make_project: MakeProject) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = make_project(CLICK_APP)
    out = root / "out"

    def th() -> str:
        unset: Any = {"SOURCE_DATE_EPOCH": None}  # CliRunner removes a variable set to None
        result = run_kdocs("gen", "man", str(root), "--out", str(out), env=unset)
        assert result.exit_code == 0, result.stderr
        return (out / "app.1").read_text(encoding="utf-8").splitlines()[1]

    assert '"1970-01-01"' in th()  # no git repository: the fixed date
    _init_git(root, "2021-06-15T12:00:00+00:00")
    assert '"2021-06-15"' in th()  # the latest commit
    epoch = run_kdocs(
        "gen", "man", str(root), "--out", str(out), env={"SOURCE_DATE_EPOCH": "86400"}
    )
    assert epoch.exit_code == 0
    assert '"1970-01-02"' in (out / "app.1").read_text(encoding="utf-8")
    bad = run_kdocs("gen", "man", str(root), "--out", str(out), env={"SOURCE_DATE_EPOCH": "soon"})
    assert bad.exit_code == 2 and "SOURCE_DATE_EPOCH must be a number" in bad.stderr


def test_check_reports_g001_per_stale_file(make_project: MakeProject) -> None:
    files_ = dict(CLICK_APP)
    files_["pyproject.toml"] += '\n[tool.kdocs.gen]\nout = "docs"\ndate = "2025-01-01"\n'
    root = make_project(files_)
    assert run_kdocs("gen", "all", str(root)).exit_code == 0
    clean = run_kdocs("check", str(root), "--select", "G", "--format", "json")
    assert clean.exit_code == 0, clean.stdout
    cli = root / "app" / "cli.py"
    cli.write_text(
        cli.read_text(encoding="utf-8").replace("Say more.", "Print every step."),
        encoding="utf-8",
    )
    stale = run_kdocs("check", str(root), "--select", "G", "--format", "json")
    assert stale.exit_code == 1
    found = sorted((d["code"], d["file"]) for d in stale.json()["diagnostics"])
    # --verbose is inherited: every page of the tree shows it, in each format.
    assert ("G001", "docs/man/app.1") in found
    assert ("G001", "docs/markdown/app-deploy.md") in found
    assert ("G001", "docs/yaml/cli.yaml") in found
    assert {code for code, _ in found} == {"G001"}
    assert len(found) == len(set(found))
    text = run_kdocs("check", str(root), "--select", "G")
    assert "docs/man/app.1:1:1: G001 generated man file is out of date" in text.stdout


def test_no_g001_without_gen_config(make_project: MakeProject) -> None:
    root = make_project(CLICK_APP)
    assert run_kdocs("check", str(root), "--select", "G").exit_code == 0


def test_runtime_object(make_project: MakeProject) -> None:
    root = make_project(CLICK_APP)
    result = run_kdocs(
        "gen",
        "markdown",
        str(root),
        "--runtime",
        "app.cli:main",
        "--out",
        "-",
        "--single-file",
        cwd=root,
    )
    assert result.exit_code == 0, result.stderr
    plain = markdown_plain(result.stdout)
    assert "--force" in plain and "Deploy the app." in plain


def test_kdocs_own_cli_reference_is_up_to_date() -> None:
    """site/reference/cli and site/reference/man are exactly what ``kdocs gen all`` writes."""
    result = run_kdocs("gen", "all", str(REPO), "--check")
    assert result.exit_code == 0, result.stderr
    pages = textwrap.dedent((REPO / "site" / "reference" / "cli" / "kdocs-gen.md").read_text())
    assert "--single-file" in pages


def test_template_context_is_documented(generated: dict[str, Path]) -> None:
    """Every key a template receives is listed in site/gen-templates.md."""
    from kdocs.gen import GenSettings
    from kdocs.gen.context import command_pages

    doc = (REPO / "site" / "gen-templates.md").read_text(encoding="utf-8")
    model = Analysis(discover([generated["shipit"]]), use_cache=False).model("cli")
    pages = command_pages(model, GenSettings())
    keys = {k for page in pages for k in page}
    keys |= {k for page in pages for o in page["options"] for k in o}
    keys |= {k for page in pages for o in page["inherited_options"] for k in o}
    keys |= {k for page in pages for a in page["arguments"] for k in a}
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert missing == []


def test_pre_commit_hook_runs_the_drift_gate(make_project: MakeProject) -> None:
    import shlex

    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "kdocs-gen-check")
    assert hook["pass_filenames"] is False
    program, *args = shlex.split(hook["entry"])
    assert program == "kdocs"
    files_ = dict(CLICK_APP)
    files_["pyproject.toml"] += '\n[tool.kdocs.gen]\nout = "docs"\ndate = "2025-01-01"\n'
    root = make_project(files_)
    assert run_kdocs(*args, cwd=root).exit_code == 1  # nothing generated yet
    assert run_kdocs("gen", "all", cwd=root).exit_code == 0
    assert run_kdocs(*args, cwd=root).exit_code == 0


def test_git_date_runs_no_repository_hook(make_project: MakeProject) -> None:
    """A repository's own .git/config (an unpacked archive can carry one) cannot make the
    date lookup run a program: pager, signature check, fsmonitor and aliases are off."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = make_project(CLICK_APP)
    _init_git(root, "2022-03-04T05:06:07+00:00")
    proof = root / "PROOF"
    with (root / ".git" / "config").open("a", encoding="utf-8") as handle:
        handle.write(
            "[core]\n\tpager = touch PROOF\n\tfsmonitor = touch PROOF\n"
            "[log]\n\tshowSignature = true\n[gpg]\n\tprogram = touch PROOF\n"
            "[pager]\n\tlog = touch PROOF\n"
        )
    unset: Any = {"SOURCE_DATE_EPOCH": None}  # CliRunner removes a variable set to None
    result = run_kdocs("gen", "man", str(root), "--out", str(root / "man"), env=unset)
    assert result.exit_code == 0, result.stderr
    assert '"2022-03-04"' in (root / "man" / "app.1").read_text(encoding="utf-8")
    assert not proof.exists()


def test_clis_setting_must_name_a_cli(make_project: MakeProject) -> None:
    files_ = dict(CLICK_APP)
    files_["pyproject.toml"] += '\n[tool.kdocs.gen]\nclis = ["ap"]\n'
    root = make_project(files_)
    result = run_kdocs("gen", "all", str(root))
    assert result.exit_code == 2
    assert "`tool.kdocs.gen.clis` names 'ap', which is not a CLI of the project" in result.stderr
    assert "(found: app)" in result.stderr


def test_all_uses_a_subfolder_per_format_even_for_one(make_project: MakeProject) -> None:
    files_ = dict(CLICK_APP)
    files_["pyproject.toml"] += '\n[tool.kdocs.gen]\nformats = ["yaml"]\n'
    root = make_project(files_)
    assert run_kdocs("gen", "all", str(root), "--out", str(root / "o")).exit_code == 0
    assert (root / "o" / "yaml" / "cli.yaml").exists()
    assert run_kdocs("gen", "yaml", str(root), "--out", str(root / "p")).exit_code == 0
    assert (root / "p" / "cli.yaml").exists()


def test_nothing_to_document_says_so(make_project: MakeProject) -> None:
    root = make_project({"pyproject.toml": "[project]\nname = 'x'\n", "x/__init__.py": ""})
    result = run_kdocs("gen", "all", str(root), "--out", str(root / "docs"))
    assert result.exit_code == 0
    assert "Nothing to generate" in result.stderr
    assert not (root / "docs").exists()
