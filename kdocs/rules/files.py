"""Family E: files that cannot be read, decoded or parsed.

These are reported by the analysis pipeline itself (a broken file is skipped, the run goes
on), so the rules carry documentation and selection only, no check function.
"""

from __future__ import annotations

from kdocs.rules.registry import rule

rule(
    code="E001",
    name="unreadable-file",
    summary="A file in the analysed tree cannot be read.",
    rationale="""
kdocs skips a file it cannot open (permission denied, a dangling symlink, a symlink loop, a
directory it cannot list) and goes on with the rest, but says so: a skipped file may hold a
command or a type whose docs would otherwise silently go missing.
""",
    bad="ln -s loop.py loop.py   # a symlink pointing at itself",
    good="# fix the permission or the link, or add the path to `extend-exclude`",
    bad_language="shell",
)(None)

rule(
    code="E002",
    name="undecodable-file",
    summary="A Python file is not valid in its declared encoding (UTF-8 by default).",
    rationale="""
Python decodes source as UTF-8 unless a PEP 263 coding cookie says otherwise; a file that
does not decode cannot be imported, and kdocs cannot read its help texts or docstrings.
""",
    bad="# a latin-1 byte (0xE9) in a file with no coding cookie\nNAME = 'caf\\xe9'",
    good="# -*- coding: latin-1 -*-\nNAME = 'café'",
)(None)

rule(
    code="E003",
    name="syntax-error",
    summary="A Python file has a syntax error.",
    rationale="""
A file Python cannot parse defines nothing kdocs can check. kdocs reports the position of
the error and checks the rest of the project. A file valid only for a newer Python than the
one running kdocs (PEP 701 f-strings, PEP 695 `type` aliases and type parameters) is not an
error: kdocs reads it with libcst's parser and extracts from it as usual.
""",
    bad="def deploy(:\n    ...",
    good="def deploy() -> None:\n    ...",
)(None)

rule(
    code="E004",
    name="empty-file",
    summary="A Python module (other than a package's __init__.py) is empty.",
    rationale="""
An empty module is usually a leftover of a move or a half-finished change. Off by default:
empty files are legitimate in many layouts; enable it to keep a tree tidy.
""",
    bad="# src/app/helpers.py: 0 bytes",
    good="# delete the file, or give it content",
    default_enabled=False,
    severity="warning",
)(None)

rule(
    code="E900",
    name="internal-error",
    summary="kdocs failed while analysing a file (a bug in kdocs; please report it).",
    rationale="""
An extractor raised an unexpected error on this file. kdocs reports it as a finding and
keeps going instead of crashing, so one odd file never blocks a commit. Run with
`KDOCS_DEBUG=1` to include the traceback in the message.
""",
    bad="# any input that trips an extractor bug",
    good="# report the file (or a reduced copy) to the kdocs issue tracker",
)(None)
