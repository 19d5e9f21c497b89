"""Static argparse extraction: ``ast`` facts per file, a small symbolic interpreter at link time.

Why two steps: argparse CLIs are built imperatively (``parser = ArgumentParser(...)``,
``sub = subparsers.add_parser(...)``, ``add_common(sub)`` in another module), so a single
file rarely tells the whole story. :func:`extract` turns every function of a file (and the
module body) into an ordered list of *events* over symbolic *terms* (a local object, a
parameter, a module global, an imported name, a ``self`` attribute, a constant). Those facts
are cached per file. :func:`link` then replays the events of the functions that build parsers,
inlining calls to project functions with their arguments bound (so helpers that add arguments
to a parser they receive, across modules, land on the right parser), and turns the resulting
parser objects into :class:`~kdocs.models.cli.Command` trees.

The three jobs live in their own modules; this one is the façade the provider and tests
import: :mod:`.argparse_facts` (per file), :mod:`.argparse_replay` (link-time interpreter),
:mod:`.argparse_model` (parser objects -> commands) and :mod:`.argparse_values` (terms,
replay values and constant folding shared by facts and replay).

What cannot be known without running the code (arguments added in loops over dynamic data,
parsers passed to callables kdocs cannot follow, help computed at runtime) becomes an
:class:`~kdocs.models.cli.Unresolved` note on the command, never a guess.

Choices made here (documented in the README section of the CLI model):

* Help texts are the raw strings given to argparse: argparse expands ``%(default)s`` and
  friends only when it formats help, so ``help="size (default: %(default)s)"`` is stored as is.
* A root parser gets the name of the console script whose target function reaches the
  function that creates it (or the interpretation entry that built it) through project
  calls, or whose target lives in the same module; otherwise its ``prog=`` when that is a
  constant, otherwise the dotted module name (``pkg.__main__`` -> ``pkg``).
* The automatic ``-h/--help`` (and an explicit help action with argparse's default text) is
  left out; ``version`` and explicit ``help`` actions are flags.
* ``default`` is the literal value when it is one (implied ``False``/``True`` for
  ``store_true``/``store_false``); ``argparse.SUPPRESS`` and non-literal defaults are ``None``.
"""

from kdocs.extract.cli.argparse_facts import (
    FACTS_VERSION,
    WANTS_MARKERS,
    bridge_facts,
    extract,
    wants,
)
from kdocs.extract.cli.argparse_model import HELP_DEFAULT, VERSION_HELP_DEFAULT, link
from kdocs.extract.cli.argparse_values import SUPPRESS

__all__ = [
    "FACTS_VERSION",
    "HELP_DEFAULT",
    "SUPPRESS",
    "VERSION_HELP_DEFAULT",
    "WANTS_MARKERS",
    "bridge_facts",
    "extract",
    "link",
    "wants",
]
