"""Name conversions, exactly like ``pydantic.alias_generators`` (and msgspec's ``rename``).

kdocs never imports the analysed project, so an ``alias_generator=to_camel`` seen in the
source is applied here with the same regular expressions pydantic uses, giving the same
serialized names as the runtime.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def to_pascal(snake: str) -> str:
    """``snake_case`` -> ``PascalCase`` (pydantic's ``to_pascal``)."""
    camel = snake.title()
    return re.sub("([0-9A-Za-z])_(?=[0-9A-Z])", lambda m: m.group(1), camel)


def to_camel(snake: str) -> str:
    """``snake_case`` -> ``camelCase`` (pydantic's ``to_camel``; camelCase input is kept)."""
    if re.match("^[a-z]+[A-Za-z0-9]*$", snake) and not re.search(r"\d[a-z]", snake):
        return snake
    camel = to_pascal(snake)
    return re.sub("(^_*[A-Z])", lambda m: m.group(1).lower(), camel)


def to_snake(camel: str) -> str:
    """``PascalCase``/``camelCase``/``kebab-case`` -> ``snake_case`` (pydantic's ``to_snake``)."""
    snake = re.sub(r"([A-Z]+)([A-Z][a-z])", lambda m: f"{m.group(1)}_{m.group(2)}", camel)
    snake = re.sub(r"([a-z])([A-Z])", lambda m: f"{m.group(1)}_{m.group(2)}", snake)
    snake = re.sub(r"([0-9])([A-Z])", lambda m: f"{m.group(1)}_{m.group(2)}", snake)
    snake = re.sub(r"([a-z])([0-9])", lambda m: f"{m.group(1)}_{m.group(2)}", snake)
    snake = snake.replace("-", "_")
    return snake.lower()


def _msgspec_words(name: str) -> tuple[str, list[str]]:
    stripped = name.lstrip("_")
    prefix = name[: len(name) - len(stripped)]
    return prefix, [w for w in stripped.split("_") if w]


def msgspec_camel(name: str) -> str:
    """msgspec's ``rename="camel"``: leading underscores kept, first word as written, the
    other words title-cased (``http_URL`` -> ``httpUrl``)."""
    prefix, words = _msgspec_words(name)
    if not words:
        return name
    return prefix + words[0] + "".join(w.title() for w in words[1:])


def msgspec_pascal(name: str) -> str:
    """msgspec's ``rename="pascal"``: every word title-cased."""
    prefix, words = _msgspec_words(name)
    if not words:
        return name
    return prefix + "".join(w.title() for w in words)


def msgspec_kebab(name: str) -> str:
    """msgspec's ``rename="kebab"``: outer underscores dropped, inner ones become dashes."""
    return name.strip("_").replace("_", "-") or name


GENERATORS: dict[str, Callable[[str], str]] = {
    "camel": to_camel,
    "pascal": to_pascal,
    "snake": to_snake,
}
"""Known alias generator functions, by the style they produce."""

# Fully qualified (or bare) function names recognised as a known generator.
KNOWN_FUNCTIONS: dict[str, str] = {
    "pydantic.alias_generators.to_camel": "camel",
    "pydantic.alias_generators.to_pascal": "pascal",
    "pydantic.alias_generators.to_snake": "snake",
    "pydantic.utils.to_lower_camel": "camel",
    "pydantic.v1.utils.to_lower_camel": "camel",
    "pydantic.utils.to_camel": "pascal",  # pydantic v1's to_camel produced PascalCase
    "pydantic.v1.utils.to_camel": "pascal",
    "humps.camelize": "camel",
    "humps.pascalize": "pascal",
    "humps.decamelize": "snake",
    "str.upper": "upper",
    "str.lower": "lower",
}

MSGSPEC_RENAMES: dict[str, Callable[[str], str]] = {
    "camel": msgspec_camel,
    "pascal": msgspec_pascal,
    "lower": str.lower,
    "upper": str.upper,
    "kebab": msgspec_kebab,
}


def apply_style(style: str, name: str) -> str:
    """Apply a generator style (``camel``, ``pascal``, ``snake``, ``upper``, ``lower``)."""
    if style == "upper":
        return name.upper()
    if style == "lower":
        return name.lower()
    return GENERATORS[style](name)


def guess_style(function_name: str) -> str | None:
    """A style for a project-local generator by its name (``to_lower_camel`` -> camel)."""
    lowered = function_name.rsplit(".", 1)[-1].lower()
    if "pascal" in lowered or "upper_camel" in lowered:
        return "pascal"
    if "camel" in lowered:
        return "camel"
    if "snake" in lowered:
        return "snake"
    return None
