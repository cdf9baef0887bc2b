"""Analytics reads: every figure is summed by the database, from rollups or live events."""
