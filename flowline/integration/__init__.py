"""Site integrations and WordPress publishing (002, 003)."""
