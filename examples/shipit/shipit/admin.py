"""The ``shipit-admin`` maintenance tool (argparse)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default="shipit.yaml", help="Path to the config file (default: %(default)s).")
    parser.add_argument("--maxRetries", type=int, default=3)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shipit-admin",
        description="Maintenance tasks for a shipit installation.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    prune = sub.add_parser("prune", help="Delete releases older than the retention window.")
    prune.add_argument("--keep", type=int, default=10, help="Releases to keep per service (default: %(default)s).")
    add_common(prune)

    backup = sub.add_parser("Backup", help="copy the release database to a file")
    backup.add_argument("target", help="Where to write the backup.")
    add_common(backup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    print(args.command)
    return 0
