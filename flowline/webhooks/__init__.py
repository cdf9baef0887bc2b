"""Outbound webhooks: accounts subscribe URLs to events; deliveries are signed and retried."""
