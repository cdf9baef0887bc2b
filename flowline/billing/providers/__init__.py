"""Adapters to payment providers; billing services call them, views never do."""
