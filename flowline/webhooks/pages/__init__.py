"""The console's webhook pages."""
