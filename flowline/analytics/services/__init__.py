"""Analytics writes: ingestion, rollups, platform-reported numbers."""
