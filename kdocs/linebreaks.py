"""Line breaks as Python's tokenizer and libcst count them: CRLF, lone CR and LF are each one.

Shared by the literal table (built at extraction), the literal lookup of the help-text rules
and ``--fix``, so all three agree on what line and column a position means.
"""

from __future__ import annotations

import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def logical_text(text: str) -> str:
    """``text`` with every line break (CRLF, lone CR, LF) as ``"\\n"``; line contents are
    unchanged, so columns agree."""
    return LINE_BREAK.sub("\n", text)
