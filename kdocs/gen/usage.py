"""Usage lines and value placeholders the way each framework prints them in ``--help``.

``Command.usage`` is the framework's own usage when the model knows it; until the
extractors fill it for every command, :func:`synopsis` builds it from the model with each
framework's rules (click/typer ``prog sub [OPTIONS] SRC... COMMAND [ARGS]...``, argparse
``prog sub [-h] [-v] [--name NAME] src [src ...] {a,b} ...``), so the SYNOPSIS of a page
matches what ``--help`` shows.
"""

from __future__ import annotations

from kdocs.models.cli import Argument, Command, Option


def option_metavar(option: Option, framework: str) -> str:
    """The placeholder shown after an option's flags (empty for flags)."""
    if option.is_flag or option.count or option.nargs == 0:
        return ""
    if framework == "argparse":
        return _argparse_nargs(_argparse_option_metavar(option), option.nargs)
    if option.metavar:
        base = option.metavar
    elif option.choices:
        base = "[" + "|".join(option.choices) + "]"
    else:
        base = (option.type or "text").upper()
    if isinstance(option.nargs, int) and option.nargs != 1:
        base += "..."
    return base


def _argparse_option_metavar(option: Option) -> str:
    if option.metavar:
        return option.metavar
    if option.choices:
        return "{" + ",".join(option.choices) + "}"
    dest = option.dest or _longest(option.names).lstrip("-").replace("-", "_")
    return dest.upper()


def argument_metavar(argument: Argument, framework: str) -> str:
    """An argument as shown in usage: ``SRC...``/``[DST]`` for click, ``src [src ...]``
    for argparse."""
    if framework == "argparse":
        if argument.metavar:
            base = argument.metavar
        elif argument.choices:
            base = "{" + ",".join(argument.choices) + "}"
        else:
            base = argument.name
        return _argparse_nargs(base, argument.nargs)
    if argument.metavar:
        base = argument.metavar
    elif argument.choices:  # click: {a|b} when required, [a|b] (no second brackets) if not
        base = "|".join(argument.choices)
        base = f"{{{base}}}" if argument.required else f"[{base}]"
    else:
        base = argument.name.upper()
    if not argument.required and not (argument.choices and not argument.metavar):
        base = f"[{base}]"
    if argument.nargs not in (None, 1):
        base += "..."
    return base


def _argparse_nargs(metavar: str, nargs: int | str | None) -> str:
    if nargs is None:
        return metavar
    if nargs == "?":
        return f"[{metavar}]"
    if nargs == "*":
        return f"[{metavar} ...]"
    if nargs == "+":
        return f"{metavar} [{metavar} ...]"
    if nargs in ("...", "A..."):
        return "..."
    if isinstance(nargs, int):
        return " ".join([metavar] * nargs)
    return metavar


def _longest(names: tuple[str, ...]) -> str:
    return max(names, key=len) if names else ""


def synopsis(cmd: Command, *, include_hidden: bool = False) -> str:
    """The usage line without its ``Usage:`` label: the model's ``usage`` when set (with
    argparse's ``%(prog)s`` filled in), else built from the model."""
    prog = " ".join(cmd.path)
    # click wraps its usage at the terminal width and breaks a word longer than a line
    # (``[integer|int|floa`` / ``t|real]``): such a line cannot be joined back, so a wrapped
    # click/typer usage is rebuilt from the model; argparse never breaks inside a word.
    wrapped = cmd.usage is not None and "\n" in cmd.usage.strip()
    if cmd.usage and (cmd.framework == "argparse" or not wrapped):
        text = " ".join(cmd.usage.replace("%(prog)s", prog).split())
        for label in ("usage:", "Usage:"):
            if text.startswith(label):
                text = text[len(label) :].strip()
        return text
    if cmd.framework == "argparse":
        return _argparse_synopsis(cmd, prog, include_hidden)
    parts = [prog, "[OPTIONS]"]
    for argument in cmd.arguments:
        if include_hidden or not argument.hidden:
            parts.append(argument_metavar(argument, cmd.framework))
    if cmd.is_group or cmd.subcommands:
        parts.append("COMMAND [ARGS]...")
    return " ".join(parts)


def _argparse_synopsis(cmd: Command, prog: str, include_hidden: bool) -> str:
    parts = [prog, "[-h]"]
    for option in cmd.options:
        if option.hidden and not include_hidden:
            continue
        flag = option.names[0] if option.names else ""
        metavar = option_metavar(option, "argparse")
        text = f"{flag} {metavar}" if metavar else flag
        if option.secondary_names:  # BooleanOptionalAction: [--color | --no-color]
            text = " | ".join([*option.names, *option.secondary_names])
        parts.append(text if option.required else f"[{text}]")
    for argument in cmd.arguments:
        if include_hidden or not argument.hidden:
            parts.append(argument_metavar(argument, "argparse"))
    if cmd.subcommands:
        # argparse lists every name it accepts, aliases and help-less (hidden) ones too.
        names = [name for s in cmd.subcommands for name in (s.name, *s.aliases)]
        parts.append("{" + ",".join(names) + "} ...")
    return " ".join(parts)
