"""Flowline: one backend for AI-driven marketing work."""

__version__ = "0.1.0"
