"""Read declared dependencies from a project's manifests, with the line each one is on.

Sources: ``[project] dependencies`` and ``[project.optional-dependencies]`` (PEP 621), PEP 735
``[dependency-groups]`` (with ``{include-group = ...}``), Poetry's ``[tool.poetry.dependencies]``
and groups, PDM's ``[tool.pdm.dev-dependencies]``, uv's ``[tool.uv.dev-dependencies]``, and
pip requirements / constraints files (``-r`` / ``-c`` includes, comments, markers, URLs,
editable lines, line continuations). Names, specifiers and markers are parsed with
``packaging``. A line that does not parse becomes a :class:`ManifestProblem`, never an
exception: the other entries are still read.

TOML line numbers are found by scanning the text (``tomllib`` drops positions): the table
header, then the key, then each string item in order.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from kdocs.models.deps import Dependency, ManifestProblem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass
class ManifestData:
    dependencies: list[Dependency] = field(default_factory=list)
    problems: list[ManifestProblem] = field(default_factory=list)
    manifests: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# TOML positions


_HEADER = re.compile(r"^\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*(?P<key>"[^"]*"|'[^']*'|[A-Za-z0-9_.\-" ']+?)\s*=""")


def _split_dotted(text: str) -> tuple[str, ...]:
    parts: list[str] = []
    for match in re.finditer(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', text):
        parts.append(next(g for g in match.groups() if g is not None))
    return tuple(parts)


class TomlLines:
    """Line lookups in a TOML text: where a table starts, where a key of it is set."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.tables: dict[tuple[str, ...], int] = {}
        self.keys: dict[tuple[str, ...], int] = {}
        current: tuple[str, ...] = ()
        depth = 0  # bracket depth of multi-line values: keys inside arrays are not keys
        for i, line in enumerate(self.lines):
            stripped = _strip_toml_comment(line)
            if depth == 0:
                header = _HEADER.match(stripped)
                if header:
                    current = _split_dotted(header.group("name"))
                    self.tables.setdefault(current, i + 1)
                    continue
                key = _KEY.match(stripped)
                if key:
                    path = current + _split_dotted(key.group("key"))
                    self.keys.setdefault(path, i + 1)
                    # Inline-table keys on the same line: ``requests = {version = "^2"}``.
            depth += _bracket_delta(stripped)
            depth = max(depth, 0)

    def key_line(self, path: Sequence[str]) -> int:
        """The line where ``path`` (table + key) is set; else its table's line; else 1."""
        path = tuple(path)
        if path in self.keys:
            return self.keys[path]
        for n in range(len(path), 0, -1):
            if path[:n] in self.tables:
                return self.tables[path[:n]]
            if path[:n] in self.keys:
                return self.keys[path[:n]]
        return 1

    def item_lines(self, start: int, items: Sequence[str]) -> list[int]:
        """Lines of successive string items of an array that starts at line ``start``."""
        out: list[int] = []
        pos = start - 1
        for item in items:
            found = None
            for j in range(pos, min(len(self.lines), pos + 200)):
                line = self.lines[j]
                if f'"{item}"' in line or f"'{item}'" in line or (item and item in line):
                    found = j
                    break
            if found is None:
                out.append(pos + 1)
            else:
                out.append(found + 1)
                pos = found
        return out


def _strip_toml_comment(line: str) -> str:
    quote: str | None = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i]
    return line


def _bracket_delta(line: str) -> int:
    delta = 0
    quote: str | None = None
    for ch in line:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            delta += 1
        elif ch in "]}":
            delta -= 1
    return delta


# ---------------------------------------------------------------------------------------------
# PEP 508 strings


def parse_requirement(
    text: str, *, group: str, role: str, file: str, line: int
) -> Dependency | ManifestProblem:
    """One PEP 508 requirement string -> a Dependency, or a problem naming what is wrong."""
    try:
        req = Requirement(text)
    except InvalidRequirement as err:
        return ManifestProblem(file, line, _explain_invalid(text, err), text)
    return Dependency(
        name=canonicalize_name(req.name),
        raw_name=req.name,
        specifier=str(req.specifier),
        marker=str(req.marker) if req.marker is not None else None,
        extras=tuple(sorted(req.extras)),
        url=req.url,
        group=group,
        role=role,
        file=file,
        line=line,
        text=text,
    )


def _explain_invalid(text: str, err: Exception) -> str:
    first = str(err).splitlines()[0] if str(err) else "invalid requirement"
    hint = ""
    if re.match(r"^[A-Za-z0-9._\-\[\],]+\s*=[^=~]", text):
        hint = " (a single `=`: did you mean `==`?)"
    elif re.match(r"^[A-Za-z0-9._\-]+\s*(=>|=<)", text):
        hint = " (write `>=` / `<=`)"
    elif re.match(r"^[a-z+]+://", text) or text.startswith(("git+", "./", "../", "/")):
        hint = " (a bare URL or path has no name: write `name @ URL`)"
    return f"invalid requirement {text!r}: {first}{hint}"


# ---------------------------------------------------------------------------------------------
# pyproject.toml


def read_pyproject(
    path: Path, relpath: str, is_dev_extra: Callable[[str], bool] | None = None
) -> tuple[ManifestData, dict[str, Any]]:
    """Declarations of a pyproject.toml (and the parsed table, for the project name)."""
    data = ManifestData()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        data.problems.append(ManifestProblem(relpath, 1, f"cannot read {relpath}: {err}"))
        return data, {}
    data.manifests.append(relpath)  # read (even if its TOML turns out invalid)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"line (\d+)", str(err))
        line = int(m.group(1)) if m else 1
        data.problems.append(ManifestProblem(relpath, line, f"invalid TOML: {err}"))
        return data, {}
    pos = TomlLines(text)
    reader = _PyprojectReader(relpath, pos, data, is_dev_extra)
    reader.read(doc)
    return data, doc


class _PyprojectReader:
    def __init__(
        self,
        relpath: str,
        pos: TomlLines,
        data: ManifestData,
        is_dev_extra: Callable[[str], bool] | None,
    ) -> None:
        self.file = relpath
        self.pos = pos
        self.data = data
        self.is_dev_extra = is_dev_extra

    def problem(self, line: int, message: str, text: str = "") -> None:
        self.data.problems.append(ManifestProblem(self.file, line, message, text))

    def pep508_list(self, items: Any, key_path: Sequence[str], group: str, role: str) -> list[str]:
        """Read an array of PEP 508 strings; return the include-group names found in it."""
        start = self.pos.key_line(key_path)
        if not isinstance(items, list):
            self.problem(start, f"`{'.'.join(key_path)}` must be an array of requirement strings")
            return []
        strings = [i if isinstance(i, str) else "" for i in items]
        lines = self.pos.item_lines(start, [s.strip() for s in strings])
        includes: list[str] = []
        for item, line in zip(items, lines, strict=True):
            if isinstance(item, dict) and set(item) == {"include-group"}:
                includes.append(str(item["include-group"]))
                continue
            if not isinstance(item, str):
                self.problem(line, f"`{'.'.join(key_path)}`: not a requirement string: {item!r}")
                continue
            text = item.strip()
            if text.startswith("-e "):  # PDM editable entries
                text = text[3:].strip()
                egg = _EGG.search(text)
                if egg is None and text.startswith((".", "/", "file:")):
                    continue  # a local path: the project itself or a sibling
                if egg is not None:
                    self.data.dependencies.append(
                        Dependency(
                            name=canonicalize_name(egg.group(1)),
                            raw_name=egg.group(1),
                            url=text.split("#")[0],
                            editable=True,
                            group=group,
                            role=role,
                            file=self.file,
                            line=line,
                            text=item,
                        )
                    )
                    continue
            got = parse_requirement(text, group=group, role=role, file=self.file, line=line)
            self._add(got)
        return includes

    def _add(self, got: Dependency | ManifestProblem) -> None:
        if isinstance(got, ManifestProblem):
            self.data.problems.append(got)
        else:
            self.data.dependencies.append(got)

    def read(self, doc: Mapping[str, Any]) -> None:
        project = doc.get("project")
        if isinstance(project, dict):
            if "dependencies" in project:
                self.pep508_list(
                    project["dependencies"], ("project", "dependencies"), "project", "runtime"
                )
            optional = project.get("optional-dependencies")
            if isinstance(optional, dict):
                for extra, items in optional.items():
                    dev = self.is_dev_extra is not None and self.is_dev_extra(extra)
                    self.pep508_list(
                        items,
                        ("project", "optional-dependencies", extra),
                        f"optional:{extra}",
                        "dev" if dev else "runtime",
                    )
            elif optional is not None:
                line = self.pos.key_line(("project", "optional-dependencies"))
                self.problem(line, "`project.optional-dependencies` must be a table")
        self._dependency_groups(doc.get("dependency-groups"))
        tool = doc.get("tool")
        if isinstance(tool, dict):
            self._poetry(tool.get("poetry"))
            pdm = tool.get("pdm")
            if isinstance(pdm, dict) and isinstance(pdm.get("dev-dependencies"), dict):
                for name, items in pdm["dev-dependencies"].items():
                    pdm_path: tuple[str, ...] = ("tool", "pdm", "dev-dependencies", name)
                    self.pep508_list(items, pdm_path, f"pdm-dev:{name}", "dev")
            uv = tool.get("uv")
            if isinstance(uv, dict) and "dev-dependencies" in uv:
                path = ("tool", "uv", "dev-dependencies")
                self.pep508_list(uv["dev-dependencies"], path, "uv-dev", "dev")

    def _dependency_groups(self, groups: Any) -> None:
        if groups is None:
            return
        if not isinstance(groups, dict):
            self.problem(
                self.pos.key_line(("dependency-groups",)), "`dependency-groups` must be a table"
            )
            return
        includes: dict[str, list[str]] = {}
        for name, items in groups.items():
            path = ("dependency-groups", name)
            includes[name] = self.pep508_list(items, path, f"group:{name}", "dev")
        normalized = {canonicalize_name(n): n for n in groups}
        for name, targets in includes.items():
            for target in targets:
                if canonicalize_name(target) not in normalized:
                    self.problem(
                        self.pos.key_line(("dependency-groups", name)),
                        f"dependency group {name!r} includes unknown group {target!r}",
                    )
        # Cycles (PEP 735: an include cycle is an error).
        for start in includes:
            seen: list[str] = []
            todo = [start]
            while todo:
                current = todo.pop()
                for target in includes.get(normalized.get(canonicalize_name(current), current), []):
                    real = normalized.get(canonicalize_name(target))
                    if real == start:
                        self.problem(
                            self.pos.key_line(("dependency-groups", start)),
                            f"dependency group {start!r} includes itself "
                            f"(cycle through {current!r})",
                        )
                        todo = []
                        break
                    if real is not None and real not in seen:
                        seen.append(real)
                        todo.append(real)

    def _poetry(self, poetry: Any) -> None:
        if not isinstance(poetry, dict):
            return
        tables: list[tuple[tuple[str, ...], Any, str, str]] = []
        if "dependencies" in poetry:
            tables.append(
                (("tool", "poetry", "dependencies"), poetry["dependencies"], "poetry", "runtime")
            )
        if "dev-dependencies" in poetry:
            tables.append(
                (
                    ("tool", "poetry", "dev-dependencies"),
                    poetry["dev-dependencies"],
                    "poetry-group:dev",
                    "dev",
                )
            )
        group = poetry.get("group")
        if isinstance(group, dict):
            for name, table in group.items():
                if isinstance(table, dict) and "dependencies" in table:
                    group_path = ("tool", "poetry", "group", name, "dependencies")
                    tables.append(
                        (group_path, table["dependencies"], f"poetry-group:{name}", "dev")
                    )
        for path, table, grp, role in tables:
            if not isinstance(table, dict):
                self.problem(self.pos.key_line(path), f"`{'.'.join(path)}` must be a table")
                continue
            for name, value in table.items():
                if canonicalize_name(name) == "python":
                    continue
                line = self.pos.key_line((*path, name))
                self._poetry_entry(name, value, grp, role, line)

    def _poetry_entry(self, name: str, value: Any, group: str, role: str, line: int) -> None:
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            spec_text: str | None = None
            marker: str | None = None
            extras: tuple[str, ...] = ()
            url: str | None = None
            if isinstance(entry, str):
                spec_text = entry
            elif isinstance(entry, dict):
                if entry.get("optional") is True and group == "poetry":
                    group = "poetry:optional"  # installed only through [tool.poetry.extras]
                raw = entry.get("version")
                spec_text = raw if isinstance(raw, str) else None
                marker = entry.get("markers") if isinstance(entry.get("markers"), str) else None
                raw_extras = entry.get("extras")
                if isinstance(raw_extras, list):
                    extras = tuple(sorted(str(e) for e in raw_extras))
                for key in ("git", "url", "path"):
                    if isinstance(entry.get(key), str):
                        url = entry[key]
            else:
                self.problem(line, f"poetry dependency {name!r}: unsupported value {entry!r}")
                continue
            specifier = ""
            if spec_text is not None:
                converted = poetry_specifier(spec_text)
                if converted is None:
                    self.problem(
                        line,
                        f"poetry dependency {name!r}: invalid version constraint {spec_text!r}",
                    )
                    continue
                specifier = converted
            self.data.dependencies.append(
                Dependency(
                    name=canonicalize_name(name),
                    raw_name=name,
                    specifier=specifier,
                    marker=marker,
                    extras=extras,
                    url=url,
                    group=group,
                    role=role,
                    file=self.file,
                    line=line,
                    text=f"{name} = {entry!r}",
                )
            )


def poetry_specifier(text: str) -> str | None:
    """Poetry's constraint syntax (``^1.2``, ``~1.2``, ``1.2.*``, ``>=1,<2``) as PEP 440.

    Returns ``""`` for "any" (``*``), ``None`` when the text is not a valid constraint. A
    ``||`` union has no PEP 440 form; it becomes ``""`` (unconstrained) rather than a guess.
    """
    text = text.strip()
    if text in ("", "*"):
        return ""
    if "||" in text:
        return ""
    parts = [p.strip() for p in re.split(r",|\s+(?=[<>=!~^])", text) if p.strip()]
    out: list[str] = []
    for part in parts:
        m = re.fullmatch(r"([\^~])\s*(\d+(?:\.\d+)*)(.*)", part)
        if m and not part.startswith("~="):
            op, version, rest = m.groups()
            nums = [int(n) for n in version.split(".")]
            if op == "^":
                idx = next((i for i, n in enumerate(nums) if n != 0), len(nums) - 1)
                upper = [*nums[:idx], nums[idx] + 1]
            else:
                upper = [nums[0] + 1] if len(nums) == 1 else [nums[0], nums[1] + 1]
            out += [f">={version}{rest}", "<" + ".".join(str(n) for n in upper)]
            continue
        if re.fullmatch(r"\d[\w.*+!-]*", part):
            part = "==" + part
        out.append(part)
    try:
        return str(SpecifierSet(",".join(out)))
    except InvalidSpecifier:
        return None


# ---------------------------------------------------------------------------------------------
# requirements files

_IGNORED_OPTIONS = {
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--no-binary",
    "--only-binary",
    "--trusted-host",
    "--use-feature",
}
_IGNORED_FLAGS = {"--pre", "--prefer-binary", "--require-hashes", "--no-index"}
_PER_REQ = re.compile(r"\s+--(?:hash|config-settings|global-option|install-option)[= ]\S+")
_COMMENT = re.compile(r"(^|\s+)#.*$")
_EGG = re.compile(r"#(?:.*&)?egg=([A-Za-z0-9_.\-]+)")
_WHEEL = re.compile(r"([A-Za-z0-9_.]+)-\d[^/]*\.whl$")


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each logical line: comments dropped, ``\\`` joined."""
    buffer = ""
    start = 0
    for i, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw)
        if not buffer:
            start = i
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            yield start, buffer.strip()
        buffer = ""
    if buffer.strip():
        yield start, buffer.strip()


@dataclass
class RequirementsReader:
    """Reads requirements / constraints files, following ``-r`` and ``-c`` includes."""

    root: Path
    role_of: Callable[[str, bool], str]  # (relpath, is_constraints) -> role
    data: ManifestData = field(default_factory=ManifestData)
    seen: set[Path] = field(default_factory=set)

    def relpath(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def read(
        self, path: Path, *, constraints: bool = False, origin: tuple[str, int] | None = None
    ) -> None:
        resolved = path.resolve()
        if resolved in self.seen:
            return
        self.seen.add(resolved)
        rel = self.relpath(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            file, line = origin if origin else (rel, 1)
            self.data.problems.append(ManifestProblem(file, line, f"cannot read {rel}: {reason}"))
            return
        self.data.manifests.append(rel)
        kind = "constraints" if constraints else "requirements"
        role = self.role_of(rel, constraints)
        for line, content in logical_lines(text):
            self._line(path, rel, line, content, kind, role, constraints)

    def _line(
        self, path: Path, rel: str, line: int, content: str, kind: str, role: str, constraints: bool
    ) -> None:
        problems = self.data.problems
        if content.startswith("-"):
            m = re.match(r"^(--?[A-Za-z-]+)(?:[= ]\s*(.*))?$", content)
            option, value = (m.group(1), (m.group(2) or "").strip()) if m else (content, "")
            if option in ("-r", "--requirement", "-c", "--constraint"):
                if not value:
                    problems.append(
                        ManifestProblem(rel, line, f"{option} needs a file name", content)
                    )
                    return
                target = path.parent / value
                if not target.is_file():
                    problems.append(
                        ManifestProblem(rel, line, f"included file not found: {value}", content)
                    )
                    return
                self.read(target, constraints=option in ("-c", "--constraint"), origin=(rel, line))
                return
            if option in ("-e", "--editable"):
                self._editable(rel, line, value, kind, role)
                return
            if option in _IGNORED_OPTIONS or option in _IGNORED_FLAGS:
                return
            problems.append(ManifestProblem(rel, line, f"unknown option {option!r}", content))
            return
        req_text = _PER_REQ.sub("", content).strip()
        url_name = self._url_name(req_text)
        if url_name is not None:
            self.data.dependencies.append(
                Dependency(
                    name=canonicalize_name(url_name),
                    raw_name=url_name,
                    url=req_text,
                    group=f"{kind}:{rel}",
                    role=role,
                    file=rel,
                    line=line,
                    text=content,
                )
            )
            return
        got = parse_requirement(req_text, group=f"{kind}:{rel}", role=role, file=rel, line=line)
        if isinstance(got, ManifestProblem):
            problems.append(got)
        else:
            self.data.dependencies.append(got)

    def _url_name(self, text: str) -> str | None:
        """The name of a bare URL / archive line pip accepts (``...#egg=x``, ``x-1.0.whl``)."""
        if not (re.match(r"^[a-z+]+://", text) or text.startswith(("./", "../", "/"))):
            return None
        egg = _EGG.search(text)
        if egg:
            return egg.group(1)
        wheel = _WHEEL.search(text.split("#")[0])
        if wheel:
            return wheel.group(1)
        return None

    def _editable(self, rel: str, line: int, value: str, kind: str, role: str) -> None:
        egg = _EGG.search(value)
        if egg:
            self.data.dependencies.append(
                Dependency(
                    name=canonicalize_name(egg.group(1)),
                    raw_name=egg.group(1),
                    url=value.split("#")[0],
                    editable=True,
                    group=f"{kind}:{rel}",
                    role=role,
                    file=rel,
                    line=line,
                    text=f"-e {value}",
                )
            )
            return
        if re.match(r"^[a-z+]+://", value) or value.startswith("git+"):
            self.data.problems.append(
                ManifestProblem(
                    rel, line, f"editable URL without #egg=NAME: cannot tell its name: {value}"
                )
            )
        # A local path (``-e .``): the project itself or a sibling; nothing to check.


def find_requirement_files(root: Path, patterns: Iterable[str]) -> list[Path]:
    """Requirement files under ``root`` matching glob ``patterns`` (relative to the root)."""
    found: dict[Path, None] = {}
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                found.setdefault(path, None)
    return list(found)


# ---------------------------------------------------------------------------------------------
# setup.cfg (setuptools' declarative config)

_CFG_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\]\s*(?:[#;].*)?$")
_CFG_KEY = re.compile(r"^(?P<key>[A-Za-z0-9_.\-]+)\s*[=:]\s*(?P<value>.*)$")


def _cfg_entries(text: str) -> Iterator[tuple[str, str, list[tuple[int, str]]]]:
    """``(section, key, [(line, value line)])`` of an INI file, continuation lines included
    (configparser loses line numbers; the findings must point at the requirement's line)."""
    section = ""
    key: str | None = None
    values: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if raw[:1] in (" ", "\t") and key is not None:
            if stripped and not stripped.startswith(("#", ";")):
                values.append((number, stripped))
            continue
        if key is not None:
            yield section, key, values
            key, values = None, []
        if not stripped or stripped.startswith(("#", ";")):
            continue
        header = _CFG_SECTION.match(stripped)
        if header is not None:
            section = header.group("name").strip()
            continue
        entry = _CFG_KEY.match(stripped)
        if entry is not None:
            key = entry.group("key")
            first = entry.group("value").strip()
            values = [(number, first)] if first else []
    if key is not None:
        yield section, key, values


def read_setup_cfg(
    path: Path, relpath: str, is_dev_extra: Callable[[str], bool] | None = None
) -> ManifestData:
    """``[options] install_requires`` (runtime), ``tests_require`` (dev) and
    ``[options.extras_require]`` (an extra each) of a setup.cfg.

    ``file:`` / ``attr:`` directives and anything else kdocs cannot read are left alone: the
    file is a declaration source, not something to validate beyond the requirement strings.
    """
    data = ManifestData()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return data
    found = False
    for section, key, values in _cfg_entries(text):
        if section == "options" and key in ("install_requires", "tests_require"):
            group = "setup.cfg" if key == "install_requires" else "setup.cfg:tests_require"
            role = "runtime" if key == "install_requires" else "dev"
        elif section == "options.extras_require":
            dev = is_dev_extra is not None and is_dev_extra(key)
            group, role = f"optional:{key}", "dev" if dev else "runtime"
        else:
            continue
        found = True
        for line, value in values:
            item = value.split(" #", 1)[0].strip()
            if not item or item.startswith(("file:", "attr:")):
                continue
            got = parse_requirement(item, group=group, role=role, file=relpath, line=line)
            if isinstance(got, ManifestProblem):
                data.problems.append(got)
            else:
                data.dependencies.append(got)
    if found:
        data.manifests.append(relpath)
    return data
