"""The UTF-8 fast path of :func:`kdocs.sources.decode` decides as Python's tokenizer does.

A file with no byte-order mark and no ``coding`` in its first two lines skips
``tokenize.detect_encoding``; every other file still goes through it. Each input below is
decoded both ways, and checked against ``compile`` (what Python itself accepts)."""

from __future__ import annotations

import codecs
import io
import tokenize

import pytest

from kdocs import sources
from kdocs.sources import FileProblem

HEADS = [
    b"",
    b"x = 1\n",
    b"# -*- coding: latin-1 -*-\n",
    b"#!/usr/bin/env python\n# coding: latin-1\n",
    b"\n\n# coding: latin-1\n",  # third line: not a cookie
    b"# coding: latin-1",  # no newline at all
    b"x = 1\r# coding: latin-1\r",  # \r alone does not end a line for detect_encoding
    b"# vim: set fileencoding=cp1252 :\n",
    b"# coding: no-such-codec\n",
    b"# coding: hex\n",
    b"# decoding the coding\n",  # says coding, declares nothing
    b"\xff\xfe = 1\n",  # undecodable first line
    codecs.BOM_UTF8 + b"x = 1\n",
    codecs.BOM_UTF8 + b"# coding: latin-1\n",
]
TAILS = [b"", b"s = '\xc3\xa9'\n", b"s = '\xe9'\n", b"s = '\xef\xbb\xbf'\n"]


def _reference(data: bytes) -> str | FileProblem:
    """The decision without the fast path: always ask the tokenizer."""
    encoding = sources._declared_encoding(data)
    if isinstance(encoding, FileProblem):
        return encoding
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return FileProblem("E002", "")
    return text[1:] if text.startswith("\ufeff") else text


@pytest.mark.parametrize("head", HEADS)
@pytest.mark.parametrize("tail", TAILS)
def test_fast_path_decodes_as_the_tokenizer_does(head: bytes, tail: bytes) -> None:
    data = head + tail
    got, want = sources.decode(data), _reference(data)
    if isinstance(want, FileProblem):
        assert isinstance(got, FileProblem)
        assert got.code == want.code
    else:
        assert got == want
    if sources._plain_utf8(data):
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError:  # bytes that are not UTF-8 in the first two lines
            encoding = "utf-8"  # what the slow path falls back to, to say where
        assert encoding == "utf-8"


def test_what_python_compiles_is_decoded() -> None:
    """Bytes Python itself compiles are never an E002 for kdocs."""
    compiled = 0
    for head in HEADS:
        for tail in TAILS:
            data = head + tail
            try:
                compile(data, "<test>", "exec")
            except (SyntaxError, ValueError):
                continue
            assert isinstance(sources.decode(data), str), data
            compiled += 1
    assert compiled > 10
