"""The console's analytics dashboard."""
