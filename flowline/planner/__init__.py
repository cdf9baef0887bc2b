"""Keyword planner (003): keywords, clusters, ideas."""
