"""The ``shipit`` command line (click)."""

from __future__ import annotations

import click

from shipit.core.planner import plan_rollout

verbose_option = click.option("-v", "--verbose", is_flag=True, help="Print every step.")


@click.group()
@click.version_option("0.3.0", "-V", "--version")
def cli() -> None:
    """Deploy services and watch their rollout.

    shipit reads a service manifest, plans a rollout and applies it
    step by step.
    """


@cli.command()
@click.argument("service")
@click.option("--dry_run", is_flag=True, help="Plan the rollout but change nothing.")
@click.option("--replicas", type=int, default=3, show_default=True, help="How many replicas to run.")
@click.option("--strategy", type=click.Choice(["rolling", "blue-green"]), default="rolling",
              help="Rollout strategy: rolling, canary or blue-green.")
@click.option("--wait", is_flag=True, default=True, help="Wait until the rollout finishes.")
@click.option("--token", envvar="shipit_token")
@verbose_option
def deploy(service: str, dry_run: bool, replicas: int, strategy: str, wait: bool, token: str | None,
           verbose: bool) -> None:
    """Deploy SERVICE to the current environment.

    Examples:

    \b
        # Deploy the web service with five replicas
        shipit deploy web --replicas 5
        // plan only
        shipit deploy web --dry-run
    """
    for step in plan_rollout(service, replicas, strategy):
        click.echo(step)


@cli.command(short_help="roll back to the previous release")
@click.argument("service")
@click.option("--to-release", "-r", help="Release to roll back to (default: the previous one).")
@verbose_option
def rollback(service: str, to_release: str | None, verbose: bool) -> None:
    """Roll SERVICE back to an earlier release."""
    click.echo(f"rolling back {service} to {to_release or 'previous'}")


@cli.command()
@click.option("-o", "--output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def status(output: str) -> None:
    """Show the status of every service"""
    click.echo("all services healthy")
