"""Settings pages of the system module."""
