"""Line breaks as Python's tokenizer and libcst count them: CRLF, lone CR and LF are each one.

Shared by the literal table (built at extraction), the literal lookup of the help-text rules
and ``--fix``, so all three agree on what line and column a position means.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import tokenize
from dataclasses import dataclass

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def logical_text(text: str) -> str:
    """``text`` with every line break (CRLF, lone CR, LF) as ``"\\n"``; line contents are
    unchanged, so columns agree."""
    return LINE_BREAK.sub("\n", text)


@dataclass(frozen=True)
class DecodedSource:
    """A file's bytes decoded as Python reads them: ``text`` has no BOM; ``encoding`` (with
    ``-sig`` when there was a BOM) turns the text back into the same bytes."""

    text: str
    encoding: str
    digest: str


def decode_source(data: bytes) -> DecodedSource | None:
    """Decode like Python (BOM, PEP 263 cookie, else UTF-8); ``None`` when the bytes do not
    decode or would not re-encode to themselves (then no edit can be written back safely)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        codecs.lookup(encoding)
        text = data.decode(encoding)
        if text.encode(encoding) != data:
            return None
    except (SyntaxError, LookupError, UnicodeError, ValueError):
        return None
    if text.startswith("\ufeff"):  # a BOM the codec kept (e.g. a cookie naming utf-8)
        return None
    return DecodedSource(text, encoding, hashlib.sha256(data).hexdigest())
