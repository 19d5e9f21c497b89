"""Long run of the ``--fix`` property test (tests/test_fuzz_fix.py): random click / argparse
programs with fixable help problems (LF / CRLF / lone CR, BOM, unicode) must come out of
``kdocs check --fix`` parsing and changed only inside the help literals.

    python benchmarks/fuzz_fix.py                 # 2000 examples, random seed
    python benchmarks/fuzz_fix.py -n 500 --seed 1

Prints the number of examples run, the time taken, and the first failing program (exit 1).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed, settings

from tests.test_fuzz_fix import Program, check_fix_property, programs


def main() -> int:
    parser = argparse.ArgumentParser(prog="fuzz_fix", description="Fuzz kdocs check --fix.")
    parser.add_argument("-n", "--examples", type=int, default=2000, help="Examples to run.")
    parser.add_argument("--seed", type=int, default=None, help="Random seed (default: random).")
    args = parser.parse_args()
    count = changed = 0

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(programs())
    def run(program: Program) -> None:
        nonlocal count, changed
        count += 1
        changed += check_fix_property(program)

    if args.seed is not None:
        run = seed(args.seed)(run)
    start = time.perf_counter()
    try:
        run()
    except Exception as err:  # the failing example is in hypothesis' report above
        print(f"FAILED after {count} examples: {type(err).__name__}: {err}")
        return 1
    took = time.perf_counter() - start
    print(f"{count} examples passed in {took:.1f} s ({changed} were changed by --fix)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
