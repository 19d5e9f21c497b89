"""Allow ``python -m kdocs``.

``python -m`` puts the current directory first on ``sys.path``: run from inside the project
being checked, a module of that project named like one kdocs imports later (``tempfile.py``,
``shutil.py``) would be imported, that is executed. kdocs never runs the code it analyses, so
the entry is removed before anything else is imported (kdocs itself is already loaded and
finds its own modules through its package; ``-P`` / ``PYTHONSAFEPATH`` do the same).
"""

import os
import sys

if not sys.flags.safe_path and sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from kdocs.cli import main  # after the import path is made safe

if __name__ == "__main__":
    main()
