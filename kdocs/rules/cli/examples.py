"""C5xx: examples (kubectl ``CheckExamples``): indentation, comment style, real command lines.

A command's examples are the model's ``examples`` text when the extractor found a section,
else an ``Examples:`` section of its epilog or help (click epilog or docstring, argparse
epilog).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

from kdocs.escape import excerpt, quoted
from kdocs.extract.cli.examples import find_examples
from kdocs.models.cli import Command, Option
from kdocs.models.diagnostics import Diagnostic
from kdocs.rules.cli.common import NEEDS, Node, all_names, diag, location, nodes, subject
from kdocs.rules.registry import RuleContext, rule


def examples_text(cmd: Command) -> str | None:
    """The examples block: the model's ``examples`` (filled by the extractors), else the
    ``Examples:`` section of the epilog or help (for models built by other means)."""
    if cmd.examples and cmd.examples.strip():
        return cmd.examples
    return find_examples(cmd)


@dataclass(frozen=True)
class ExampleLine:
    number: int  # 1-based within the examples block
    text: str

    @property
    def indent(self) -> str:
        return self.text[: len(self.text) - len(self.text.lstrip())]

    @property
    def stripped(self) -> str:
        return self.text.strip()


def example_lines(text: str) -> list[ExampleLine]:
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return [ExampleLine(i + 1, ln.rstrip()) for i, ln in enumerate(lines)]


@rule(
    code="C501",
    severity="warning",
    name="example-indentation",
    summary="Every line of a command's examples is indented the same way.",
    rationale="""
kubectl's `CheckExamples` requires every example line to start with the standard indentation
(`templates.Examples` normalises it): examples are copied into terminals and docs, and a line
that sticks out (or in) reads as output or as part of the previous command. Continuation lines
(after a line ending in `\\`, or inside a quote left open, like sqlite-utils' multi-line JSON
`echo '[...]' | ...` examples, the only false positives measured before this) may be
indented further.
""",
    bad='''
@cli.command(epilog="""Examples:

  # Deploy to staging.
  mycli deploy --env staging
    mycli deploy --env prod
""")
''',
    good='''
@cli.command(epilog="""Examples:

  # Deploy to staging.
  mycli deploy --env staging
  mycli deploy --env prod
""")
''',
    needs=NEEDS,
)
def check_indentation(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        text = examples_text(node.command)
        if text is None:
            continue
        lines = [ln for ln in example_lines(text) if ln.stripped]
        if not lines:
            continue
        want = lines[0].indent
        pending = ""  # the command so far while a line ends in `\` or a quote is open
        for ln in lines:
            continuation = bool(pending)
            pending = _continued(pending, ln.stripped)
            if ln.indent == want or (continuation and ln.indent.startswith(want)):
                continue
            d = diag(
                "C501",
                f"examples of `{node.display}`: line {ln.number} is indented "
                f"{len(ln.indent)} columns, the first line {len(want)}",
                location(node.command),
                subject(node, "examples", "indentation"),
            )
            if d:
                yield d
            break


@rule(
    code="C502",
    name="example-comment-style",
    summary="Comments in examples start with `#`, never `//`.",
    rationale="""
Examples are shell command lines; a shell comment starts with `#`. kubectl's `CheckExamples`
rejects `//` ("we use # to start comments in examples instead of //"), because a user who
pastes the example block runs `//` as a command.
""",
    bad='''
@cli.command(epilog="""Examples:

  // Deploy to staging.
  mycli deploy --env staging
""")
''',
    good='''
@cli.command(epilog="""Examples:

  # Deploy to staging.
  mycli deploy --env staging
""")
''',
    needs=NEEDS,
)
def check_comment_style(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        text = examples_text(node.command)
        if text is None:
            continue
        for ln in example_lines(text):
            if ln.stripped.startswith("//"):
                d = diag(
                    "C502",
                    f"examples of `{node.display}`: line {ln.number} starts a comment with `//`; "
                    "use `#`",
                    location(node.command),
                    subject(node, "examples", "comment"),
                )
                if d:
                    yield d
                break


_STOP = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "&"}
_ALWAYS_OK = {"--help", "-h", "--version"}


def _find_option(chain: list[Command], name: str) -> Option | None:
    for cmd in reversed(chain):
        for opt in cmd.options:
            if name in all_names(opt):
                return opt
    return None


def _subcommand(cmd: Command, name: str) -> Command | None:
    for sub in cmd.subcommands:
        if sub.name == name or name in sub.aliases:
            return sub
    return None


def _continued(pending: str, line: str) -> str:
    """The command text still open after ``line`` (a trailing backslash or an unclosed
    quote continues it on the next line), or ``""`` when the command is complete."""
    text = f"{pending}\n{line}" if pending else line
    if text.endswith("\\"):
        return text[:-1]
    if line.startswith(("#", "//")) and not pending:
        return ""
    try:
        shlex.split(text, comments=True)
    except ValueError:
        return text  # an open quote
    return ""


def _tokens(line: str) -> list[str] | None:
    try:
        return shlex.split(line, comments=True)
    except ValueError:
        return None


def check_command_line(root: Command, tokens: list[str]) -> str | None:
    """Why the example command line does not fit the CLI, or ``None``."""
    chain = [root]
    args_seen = False
    i = 1
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok in _STOP or tok == "--" or tok.startswith(("<", "[", "{", "$", "...")):
            return None
        current = chain[-1]
        if tok.startswith("--"):
            name = tok.split("=", 1)[0]
            if name in _ALWAYS_OK:
                return None
            opt = _find_option(chain, name)
            if opt is None:
                path = " ".join(c.name for c in chain)
                return f"`{path}` has no option `{excerpt(name)}`"
            if (
                "=" not in tok
                and not (opt.is_flag or opt.count)
                and name not in opt.secondary_names
            ):
                i += 1  # its value
            continue
        if tok.startswith("-") and len(tok) > 1:
            if len(tok) != 2 or not tok[1].isalpha():
                return None  # a cluster or a negative number: arity unknown from here
            if tok in _ALWAYS_OK:
                return None
            opt = _find_option(chain, tok)
            if opt is None:
                path = " ".join(c.name for c in chain)
                return f"`{path}` has no option `{excerpt(tok)}`"
            if not (opt.is_flag or opt.count):
                i += 1
            continue
        if current.subcommands and not args_seen and not current.arguments:
            sub = _subcommand(current, tok)
            if sub is None:
                if tok.isupper() or not re.match(r"^[\w-]+$", tok):
                    return None  # a placeholder, a file name, a value: not a command name
                path = " ".join(c.name for c in chain)
                return f"`{path}` has no subcommand `{excerpt(tok)}`"
            chain.append(sub)
            continue
        if current.subcommands and not args_seen:
            sub = _subcommand(current, tok)
            if sub is not None:
                chain.append(sub)
                continue
        args_seen = True
    return None


@rule(
    code="C503",
    name="example-command",
    summary="Example command lines start with the real program name and use real subcommands "
    "and options.",
    rationale="""
Examples rot: a command is renamed, an option removed, and the example that users copy fails.
kubectl's examples always start with the full command path (`kubectl create deployment ...`).
kdocs reads each example line that starts with the program's name (after an optional `$`
prompt) and walks it through the command tree: every subcommand must exist and every long or
single-letter option must be accepted by the command it follows (or a parent). A line that
names another program but goes on with one of this CLI's subcommands is flagged too (a renamed
program). Placeholders (`<name>`, `[OPTIONS]`, `FILE`), file-like words (`data.db`, which a
default-command group such as sqlite-utils' takes in place of a subcommand), pipes and `...`
end the walk.
""",
    bad='''
@cli.command(epilog="""Examples:

  mycli deploy --enviroment staging
""")
''',
    good='''
@cli.command(epilog="""Examples:

  mycli deploy --environment staging
""")
''',
    needs=NEEDS,
)
def check_example_commands(ctx: RuleContext) -> Iterator[Diagnostic]:
    for node in nodes(ctx):
        text = examples_text(node.command)
        if text is None:
            continue
        root = node.root
        for ln in example_lines(text):
            line = ln.stripped
            if line.startswith(("#", "//")):
                continue
            prompted = line.startswith("$")
            line = line.lstrip("$ ").rstrip("\\").strip()
            tokens = _tokens(line)
            if not tokens:
                continue
            if tokens[0] in ("python", "python3") and len(tokens) > 2 and tokens[1] == "-m":
                tokens = tokens[2:]
            elif tokens[0] != root.name:
                if (
                    prompted
                    and len(tokens) > 1
                    and root.subcommands
                    and _subcommand(root, tokens[1]) is not None
                    and "/" not in tokens[0]
                ):
                    problem = (
                        f"starts with `{excerpt(tokens[0])}`, not the program name `{root.name}`"
                    )
                else:
                    continue
                yield from _report(node, ln, problem)
                continue
            walked = check_command_line(root, tokens)
            if walked is not None:
                yield from _report(node, ln, walked)


def _report(node: Node, ln: ExampleLine, problem: str) -> Iterator[Diagnostic]:
    d = diag(
        "C503",
        f"examples of `{node.display}`, line {ln.number} ({quoted(ln.stripped)}): {problem}",
        location(node.command),
        subject(node, "examples", ln.stripped),
    )
    if d:
        yield d
