"""A stock DRF implementation of the three benchmarked endpoints (see settings.py)."""
