"""Count the work a call does in executed Python lines, not seconds.

Speed is measured by the ``benchmarks/`` scripts; the test suite asserts properties that
hold on any machine under any load. "Linear in the input" is one: the Python lines a call
executes (counted with :func:`sys.settrace`, every frame, loop iterations and comprehensions
included) are a deterministic measure of its work, so a test runs the same call at sizes
``n`` and ``4 * n`` and asserts the count grows about four times, not sixteen.

A quadratic path would take minutes under the tracer at the larger size, so the larger run
gets a budget: past it, the tracer raises :class:`OverBudget` into the traced code (a
``BaseException``, so no ``except Exception`` in kdocs swallows it) and the test fails at
once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

T = TypeVar("T")

GROWTH_LIMIT = 6.0
"""How much the count may grow when the input grows four times: linear work gives about 4
(less with a fixed start-up cost), quadratic about 16; 6 leaves room for n log n."""


class OverBudget(BaseException):
    """The traced call executed more lines than its budget."""


def lines_executed(call: Callable[[], T], budget: int | None = None) -> tuple[T, int]:
    """``call()``'s result and how many Python lines it executed (raises
    :class:`OverBudget` once the count passes ``budget``)."""
    count = 0
    previous = sys.gettrace()

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
            if budget is not None and count > budget:
                sys.settrace(None)
                raise OverBudget(f"more than {budget} lines executed")
        return local

    def global_(frame: FrameType, event: str, arg: Any) -> Any:
        return local

    sys.settrace(global_)
    try:
        result = call()
    finally:
        sys.settrace(previous)
    return result, count


def assert_linear(run: Callable[[int], object], size: int) -> tuple[int, int]:
    """Run ``run(size)`` and ``run(4 * size)`` under the line counter and assert the second
    did at most :data:`GROWTH_LIMIT` times the work of the first. Returns both counts."""
    _, small = lines_executed(lambda: run(size))
    budget = int(small * GROWTH_LIMIT)
    try:
        _, large = lines_executed(lambda: run(4 * size), budget)
    except OverBudget:
        raise AssertionError(
            f"not linear: {small} lines executed at size {size}, more than {budget} "
            f"({GROWTH_LIMIT}x) at size {4 * size}"
        ) from None
    return small, large
