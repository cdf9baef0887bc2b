"""The console's automation page."""
