"""Test helpers shared by every app's tests (imported by tests only)."""
