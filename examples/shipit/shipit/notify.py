"""The ``shipit-notify`` tool (typer): tell people about releases."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="Send release notifications.")


@app.command()
def slack(
    channel: Annotated[str, typer.Argument(help="Channel to post to.")],
    message: Annotated[str, typer.Option("--message", "-m", help="Text to post.")] = "Released!",
    dry_run: Annotated[bool, typer.Option(help="Print instead of posting.")] = False,
) -> None:
    """Post a release note to a Slack channel."""
    typer.echo(f"{channel}: {message} (dry run: {dry_run})")


@app.command()
def email(to: Annotated[str, typer.Option("--To")]) -> None:
    """Send a release note by email."""
    typer.echo(f"mail to {to}")
