"""The console's jobs panel (top bar) and job pages."""
