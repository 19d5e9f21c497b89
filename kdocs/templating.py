"""The jinja2 environments over ``templates/`` (shipped in the wheel as ``kdocs/_templates``)
and the named escaping filters every template uses.

Generated documents carry repository text (help strings, names, defaults) into formats where
some characters are instructions: a roff request at a line start, Markdown markup or raw
HTML, a YAML scalar that reads as a boolean. Templates never concatenate such text raw; they
pass it through one of the filters below, which are the only place escaping happens:

``roff`` / ``roff_arg``
    man-page text / a quoted macro argument (backslashes, ``-`` as ``\\-``, ``.``/``'`` at a
    line start, non-ASCII as ``\\[uXXXX]``, double quotes in arguments).
``md_inline`` / ``md_table_cell``
    Markdown paragraph text / a table cell: markup characters backslash-escaped, one line.
``md_code``
    an inline code span (for names and metavars), safe inside a table cell.
``md_code_block``
    a fenced code block whose fence is longer than any backtick run inside.
``html``
    HTML text and attribute values.
``yaml_str``
    a double-quoted YAML scalar (always a string, whatever it looks like).
"""

from __future__ import annotations

import html as _html
import json
import re
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.sandbox

from kdocs.errors import KdocsError


def templates_dir() -> Path:
    """Installed wheels carry ``kdocs/_templates``; a source checkout has ``templates/``."""
    here = Path(__file__).resolve().parent  # the kdocs package
    for candidate in (here / "_templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise KdocsError("kdocs templates not found: the installation is incomplete")


def _configure(env: jinja2.Environment) -> jinja2.Environment:
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """kdocs' own templates (rule pages); trusted, so not sandboxed."""
    return _configure(
        jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir())),
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
    )


@lru_cache(maxsize=8)
def gen_environment(override: str | None = None) -> jinja2.Environment:
    """The generators' environment over ``templates/gen``; a project's ``templates`` folder
    (``override``) is searched first. A project's templates are repository content, so with
    an override every template renders in jinja2's sandbox (no attribute access to Python
    internals); kdocs' own templates alone skip the sandbox's per-call checks."""
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(override, followlinks=False))
    loaders.append(jinja2.FileSystemLoader(str(templates_dir() / "gen")))
    cls = jinja2.sandbox.SandboxedEnvironment if override is not None else jinja2.Environment
    return _configure(
        cls(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
    )


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


# --- roff -----------------------------------------------------------------------------------


def roff(text: object) -> str:
    """Text safe for a man page body: no character acts as a roff request or escape."""
    out = []
    for line in str(text).split("\n"):
        line = line.rstrip()
        if line.isascii() and line.isprintable():
            escaped = line.replace("\\", "\\e").replace("-", "\\-")
        else:
            escaped = "".join(_roff_char(ch) for ch in line)
        if escaped.startswith((".", "'")):
            escaped = "\\&" + escaped
        out.append(escaped)
    return "\n".join(out)


def _roff_char(ch: str) -> str:
    if ch == "\\":
        return "\\e"
    if ch == "-":
        return "\\-"
    if ch == "\t":
        return " "
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return f"\\e{code:03o}"  # shown as text, never acted on (cleaned text has none)
    if code > 0x7E:
        return f"\\[u{code:04X}]"
    return ch


def roff_arg(text: object) -> str:
    """A man macro argument written between double quotes (``.TH "NAME" ...``)."""
    return roff(" ".join(str(text).split())).replace('"', "\\(dq")


# --- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = frozenset("\\`*_{}[]<>()#+!|~&")
_MD_LEADING = re.compile(r"^(?:[-=:>]|\d+[.)])")
_URL = re.compile(r"(https?://[A-Za-z0-9][^\s<>\"'`|\\\[\]{}^]*)")


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown markup character backslash-escaped, so it reads as
    written wherever inline Markdown is parsed (a link's text, a heading)."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def markdown_inline(text: object) -> str:
    """Escape untrusted text for use inside a Markdown paragraph or table cell: markup
    characters get a backslash, line breaks become spaces, and a leading character that
    would start a list, heading or quote is escaped."""
    flat = " ".join(str(text).split("\n"))
    parts = []
    for i, piece in enumerate(_URL.split(flat)):
        if i % 2:  # a URL: an autolink, which CommonMark and linters accept, not bare text
            url = piece.rstrip(".,;:!?)")
            parts.append(f"<{url}>" + escape_markdown(piece[len(url) :]))
        else:
            parts.append(escape_markdown(piece))
    out = "".join(parts)
    match = _MD_LEADING.match(out)
    if match:
        end = match.end()
        out = out[: end - 1] + "\\" + out[end - 1 :]
    return out


def markdown_table_cell(text: object) -> str:
    """A table cell: inline-escaped, one line, never empty (an empty cell reads as missing)."""
    cell = markdown_inline(" ".join(str(text).split()))
    return cell or " "


def markdown_code_block(text: object, info: str = "") -> str:
    """A fenced code block holding ``text`` verbatim: the fence is one backtick longer than
    the longest run of backticks inside, so nothing in ``text`` can close it."""
    body = str(text).rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    info = "".join(ch for ch in info if ch.isalnum() or ch in "-_")
    return f"{fence}{info}\n{body}\n{fence}"


def markdown_code_span(text: object) -> str:
    """An inline code span holding ``text`` verbatim (one line): delimited by more backticks
    than any run inside, with ``|`` escaped so it cannot split a table row."""
    body = " ".join(str(text).split("\n"))
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    ticks = "`" * (longest + 1)
    if body.startswith("`") or body.endswith("`") or (body.startswith(" ") and body.strip()):
        body = f" {body} "
    return f"{ticks}{body.replace('|', chr(92) + '|')}{ticks}"


# --- HTML and YAML --------------------------------------------------------------------------


def html(text: object) -> str:
    return _html.escape(str(text), quote=True)


def yaml_str(text: object) -> str:
    """A YAML double-quoted scalar: always read back as this exact string."""
    return json.dumps(str(text), ensure_ascii=True)


FILTERS = {
    "roff": roff,
    "roff_arg": roff_arg,
    "md_inline": markdown_inline,
    "md_table_cell": markdown_table_cell,
    "md_code_block": markdown_code_block,
    "md_code": markdown_code_span,
    "html": html,
    "yaml_str": yaml_str,
}
