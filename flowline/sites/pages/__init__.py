"""The console's site (brand) pages."""
