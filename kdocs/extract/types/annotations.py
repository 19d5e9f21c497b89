"""Readable type strings from annotation syntax, and the typing wrappers that carry meaning.

``Optional[List["Pod"]]`` renders as ``list[Pod] | None``; ``Annotated[int, Field(...)]``
renders as ``int`` (the ``Field`` is read separately); ``ClassVar``/``Required``/... are
unwrapped and reported as flags, because they decide whether something is a field at all.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

TYPING_MODULES = frozenset({"typing", "typing_extensions", "t", "te", "pydantic", "types"})

BUILTIN_GENERICS = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
    "Text": "str",
}

WRAPPERS = frozenset(
    {"ClassVar", "Final", "Required", "NotRequired", "ReadOnly", "InitVar", "Annotated"}
)


@dataclass
class AnnotationInfo:
    """The rendered type plus the wrappers and ``Annotated`` metadata found on the outside."""

    text: str
    flags: set[str] = field(default_factory=set)
    metadata: list[ast.expr] = field(default_factory=list)
    nullable: bool = False
    container: str | None = None  # list | dict | set | tuple, for naming rules


def _last(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_typing(node: ast.expr, name: str) -> bool:
    if isinstance(node, ast.Name):
        return node.id == name
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr == name and node.value.id in TYPING_MODULES
    return False


def _elements(node: ast.expr) -> list[ast.expr]:
    return list(node.elts) if isinstance(node, ast.Tuple) else [node]


def _forward(node: ast.expr) -> ast.expr:
    """A string annotation (forward reference) parsed as an expression, when it parses."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return ast.parse(node.value.strip(), mode="eval").body
        except SyntaxError:
            return node
    return node


def analyse(node: ast.expr) -> AnnotationInfo:
    """Unwrap the outer typing wrappers of an annotation and render the rest."""
    flags: set[str] = set()
    metadata: list[ast.expr] = []
    node = _forward(node)
    for _ in range(10):
        if isinstance(node, ast.Subscript):
            name = _last(node.value)
            if name in WRAPPERS and _is_typing(node.value, name or ""):
                flags.add(name or "")
                items = _elements(node.slice)
                if name == "Annotated":
                    metadata.extend(items[1:])
                node = _forward(items[0]) if items else node
                continue
        elif name_is_bare_wrapper(node):
            flags.add(_last(node) or "")
        break
    text = render(node)
    return AnnotationInfo(
        text=text,
        flags=flags,
        metadata=metadata,
        nullable=_nullable(node),
        container=_container(node),
    )


def name_is_bare_wrapper(node: ast.expr) -> bool:
    """``x: ClassVar = 1`` or ``x: Final = 1`` (no subscript)."""
    if not isinstance(node, ast.Name | ast.Attribute):
        return False
    if isinstance(node, ast.Attribute) and node.attr == "KW_ONLY":
        return True  # dataclasses.KW_ONLY
    return any(_is_typing(node, n) for n in ("ClassVar", "Final", "KW_ONLY", "InitVar"))


def _nullable(node: ast.expr) -> bool:
    node = _forward(node)
    if isinstance(node, ast.Constant) and node.value is None:
        return True
    if isinstance(node, ast.Subscript):
        if _is_typing(node.value, "Optional"):
            return True
        if _is_typing(node.value, "Union"):
            return any(_nullable(e) for e in _elements(node.slice))
        if _is_typing(node.value, "Annotated"):
            items = _elements(node.slice)
            return bool(items) and _nullable(items[0])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _nullable(node.left) or _nullable(node.right)
    return False


_CONTAINERS = {
    "list": "list",
    "List": "list",
    "Sequence": "list",
    "MutableSequence": "list",
    "Iterable": "list",
    "set": "set",
    "Set": "set",
    "FrozenSet": "set",
    "frozenset": "set",
    "AbstractSet": "set",
    "tuple": "tuple",
    "Tuple": "tuple",
    "dict": "dict",
    "Dict": "dict",
    "Mapping": "dict",
    "MutableMapping": "dict",
    "OrderedDict": "dict",
    "DefaultDict": "dict",
    "defaultdict": "dict",
}


def _container(node: ast.expr) -> str | None:
    """The container kind of a type, looking through ``Optional``/``X | None``."""
    node = _forward(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        parts = [p for p in (node.left, node.right) if not _is_none(p)]
        return _container(parts[0]) if len(parts) == 1 else None
    if isinstance(node, ast.Subscript):
        name = _last(node.value)
        if name == "Optional":
            return _container(node.slice)
        if name == "Union":
            parts = [p for p in _elements(node.slice) if not _is_none(p)]
            return _container(parts[0]) if len(parts) == 1 else None
        if name == "Annotated":
            items = _elements(node.slice)
            return _container(items[0]) if items else None
        return _CONTAINERS.get(name or "")
    name = _last(node)
    return _CONTAINERS.get(name or "")


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def render(node: ast.expr) -> str:
    """A readable type string: typing aliases lowered, ``Optional``/``Union`` as ``|``."""
    node = _forward(node)
    if isinstance(node, ast.Constant):
        if node.value is None:
            return "None"
        if isinstance(node.value, str):
            return node.value
        return repr(node.value)
    if isinstance(node, ast.Name):
        return BUILTIN_GENERICS.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id in TYPING_MODULES:
            return BUILTIN_GENERICS.get(node.attr, node.attr)
        return ast.unparse(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return f"{render(node.left)} | {render(node.right)}"
    if isinstance(node, ast.Subscript):
        items = _elements(node.slice)
        if _is_typing(node.value, "Optional") and items:
            inner = render(items[0])
            return inner if inner.endswith("| None") else f"{inner} | None"
        if _is_typing(node.value, "Union"):
            return " | ".join(render(i) for i in items)
        if _is_typing(node.value, "Annotated") or (
            (_last(node.value) or "") in WRAPPERS
            and _is_typing(node.value, _last(node.value) or "")
        ):
            return render(items[0]) if items else "Any"
        if _is_typing(node.value, "Literal"):
            return "Literal[" + ", ".join(ast.unparse(i) for i in items) + "]"
        head = render(node.value)
        return f"{head}[{', '.join(render(i) for i in items)}]"
    if isinstance(node, ast.List):
        return "[" + ", ".join(render(e) for e in node.elts) + "]"
    if isinstance(node, ast.Tuple):
        return ", ".join(render(e) for e in node.elts)
    try:
        return ast.unparse(node)
    except Exception:
        return "?"
