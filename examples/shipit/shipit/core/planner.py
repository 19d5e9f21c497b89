"""Plan the steps of a rollout."""

from __future__ import annotations

from shipit.api.models import Strategy
from shipit.storage.releases import latest_release


def plan_rollout(service: str, replicas: int, strategy: str) -> list[str]:
    """Return the human-readable steps of a rollout."""
    release = latest_release(service)
    batches = 1 if strategy == Strategy.BLUE_GREEN.value else max(1, replicas // 2)
    return [f"{service}@{release}: batch {i + 1}/{batches}" for i in range(batches)]
