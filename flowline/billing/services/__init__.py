"""Billing services: every write to balances, the ledger, plans and payments."""
