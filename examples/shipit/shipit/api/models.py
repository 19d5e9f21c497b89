"""API types sent to and from the shipit server (JSON, camelCase on the wire)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class Strategy(str, Enum):
    """How a rollout replaces old replicas."""

    ROLLING = "rolling"
    """Replace replicas one batch at a time."""
    BLUE_GREEN = "blue-green"
    """Start a full new set, then switch traffic."""


class ApiModel(BaseModel):
    """Base of every wire type: camelCase JSON names."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class DeploymentSpec(ApiModel):
    """What to deploy and how."""

    service_name: str
    """serviceName is the name of the service to deploy."""
    replica_count: int = 3
    """replicaCount is how many replicas to run; must be at least min_ready."""
    min_ready: int = Field(default=1, description="minReady is how many replicas must be ready.")
    strategy: Strategy = Strategy.ROLLING
    """strategy is the rollout strategy."""
    timeout: int = 600
    """timeout is how long to wait for the rollout."""
    is_paused: bool = False
    """isPaused stops the rollout after the current batch."""


class DeploymentStatus(ApiModel):
    """The observed state of a deployment."""

    ready_replicas: int = 0
    """readyReplicas is how many replicas are ready."""
    last_update_timestamp: str | None = None
    conditions: list[str] = Field(default_factory=list, description="conditions are the latest observations.")


@dataclass
class Release:
    """A release recorded by the server."""

    version: str
    """version is the release's version string."""
    image: str
    """image is the container image of the release."""
