"""Test doubles for billing that speak the real protocols (a fake Stripe server)."""
