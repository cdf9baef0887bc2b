"""Campaigns (000): windows, posts and content, metrics."""
