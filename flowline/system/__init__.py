"""System module (003): settings at every level, and the health status."""
