"""Rollout planning: pure logic, no CLI and no storage."""
