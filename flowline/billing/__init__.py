"""Billing: plans and subscriptions (credits, invoices and payments build on these)."""
