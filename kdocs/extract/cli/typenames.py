"""One readable name per parameter type, shared by the static extractors and the runtime inspector.

Static extraction sees source spellings (``int``, ``click.INT``, ``click.Choice(...)``,
``pathlib.Path``, ``argparse.FileType("r")``); the runtime inspector sees objects (click
``ParamType`` instances, Python callables). Both go through this module so the ``type`` key
of an OPTION/ARGUMENT means the same thing whichever way the model was built.

The vocabulary is click's own ``ParamType.name`` values (what click prints in help), which
is what users of the most common framework already see:

=================  =========================================================
``text``           ``str``, ``click.STRING``, ``click.UNPROCESSED``
``integer``        ``int``, ``click.INT``
``float``          ``float``, ``click.FLOAT``
``boolean``        ``bool``, ``click.BOOL`` (also click/typer boolean flags)
``choice``         ``click.Choice(...)``, a typer ``Enum`` annotation
``path``           ``click.Path(...)``, ``pathlib.Path``/``PurePath``
``filename``       ``click.File(...)``, ``argparse.FileType(...)``, typer ``FileText``...
``integer range``  ``click.IntRange(...)``
``float range``    ``click.FloatRange(...)``
``uuid``           ``click.UUID``, ``uuid.UUID``
``datetime``       ``click.DateTime(...)``, ``datetime.datetime``
``tuple``          ``click.Tuple([...])`` and tuple-typed typer parameters
=================  =========================================================

Anything else keeps its own name: a custom ``ParamType`` subclass's ``name`` attribute at
runtime, and for a plain callable (``type=parse_size``) the callable's ``__name__`` (the last
component of the dotted source name statically, which is the same thing).
"""

from __future__ import annotations

from typing import Any

CANONICAL: dict[str, str] = {
    # Python builtins and stdlib types.
    "str": "text",
    "int": "integer",
    "float": "float",
    "bool": "boolean",
    "Path": "path",
    "PurePath": "path",
    "PosixPath": "path",
    "WindowsPath": "path",
    "UUID": "uuid",
    "datetime": "datetime",
    "FileType": "filename",
    # click constants and classes.
    "STRING": "text",
    "UNPROCESSED": "text",
    "INT": "integer",
    "FLOAT": "float",
    "BOOL": "boolean",
    "Choice": "choice",
    "File": "filename",
    "DateTime": "datetime",
    "IntRange": "integer range",
    "FloatRange": "float range",
    "Tuple": "tuple",
    "tuple": "tuple",
    # click ParamType class names (runtime fallbacks) and their ``name`` attributes.
    "StringParamType": "text",
    "UnprocessedParamType": "text",
    "IntParamType": "integer",
    "FloatParamType": "float",
    "BoolParamType": "boolean",
    "UUIDParameterType": "uuid",
    "text": "text",
    "integer": "integer",
    "boolean": "boolean",
    "choice": "choice",
    "path": "path",
    "filename": "filename",
    "uuid": "uuid",
    "integer range": "integer range",
    "float range": "float range",
    # typer file types.
    "FileText": "filename",
    "FileTextWrite": "filename",
    "FileBinaryRead": "filename",
    "FileBinaryWrite": "filename",
}


def normalize_type_name(dotted: str) -> str:
    """The readable name for a type spelled in source, e.g. ``click.INT`` -> ``integer``.

    Only the last dotted component matters (``pathlib.Path`` and ``Path`` are the same);
    unknown names are returned unchanged (``parse_size`` stays ``parse_size``).
    """
    last = dotted.rsplit(".", 1)[-1]
    return CANONICAL.get(last, last)


def runtime_type_name(obj: Any) -> str | None:
    """The readable name of a runtime type object: a click ``ParamType`` or a Python callable.

    ``None`` stays ``None`` (argparse without ``type=``).
    """
    if obj is None:
        return None
    cls_name = type(obj).__name__
    module = type(obj).__module__ or ""
    if module.startswith("click") or "._click" in module or _is_click_param_type(obj):
        if cls_name == "FuncParamType":
            func = getattr(obj, "func", None)
            return _callable_name(func) if func is not None else "text"
        if cls_name == "Tuple" or cls_name.endswith("Tuple"):
            return "tuple"
        if cls_name in CANONICAL:
            return CANONICAL[cls_name]
        name = getattr(obj, "name", None)
        if isinstance(name, str) and name:
            return CANONICAL.get(name, name)
        return cls_name
    if cls_name == "FileType":
        return "filename"
    return _callable_name(obj)


def _is_click_param_type(obj: Any) -> bool:
    return any(
        c.__name__ == "ParamType"
        and ((c.__module__ or "").startswith("click") or "._click" in (c.__module__ or ""))
        for c in type(obj).__mro__
    )


def _callable_name(obj: Any) -> str:
    name = getattr(obj, "__name__", None)
    if not isinstance(name, str):
        name = type(obj).__name__
    return CANONICAL.get(name, name)
