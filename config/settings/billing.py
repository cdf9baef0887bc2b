"""Payments: the Stripe account, its webhook secret, checkout return pages, invoices.

Without STRIPE_SECRET_KEY card payments are off (purchases answer 503) and only manual
bank transfers, approved by staff, are offered.
"""

import environ

env = environ.Env()

STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
# Signs every webhook delivery (Stripe-Signature); the endpoint refuses events without it.
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Where the SDK sends requests; tests point it at a local fake of Stripe's HTTP API.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="") or "https://api.stripe.com"
# Seconds one call to Stripe may take, and how many times the SDK retries a failed one
# (with an idempotency key, so a retried POST does its work once).
STRIPE_TIMEOUT = env.float("STRIPE_TIMEOUT", default=10.0)
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
# Events older than this (seconds) are refused, so a captured delivery cannot be replayed.
STRIPE_WEBHOOK_TOLERANCE = env.int("STRIPE_WEBHOOK_TOLERANCE", default=300)

_frontend = env.str("FRONTEND_URL", default="http://127.0.0.1:8000").rstrip("/")
# (An empty variable, as in .env.example, means the default.)
BILLING_CHECKOUT_SUCCESS_URL = (
    env.str("BILLING_CHECKOUT_SUCCESS_URL", default="")
    or f"{_frontend}/billing/success?session_id={{CHECKOUT_SESSION_ID}}"
)
BILLING_CHECKOUT_CANCEL_URL = (
    env.str("BILLING_CHECKOUT_CANCEL_URL", default="") or f"{_frontend}/billing/cancelled"
)
# Printed on invoices and shown to users who pay by bank transfer.
BILLING_SELLER_NAME = env.str("BILLING_SELLER_NAME", default="") or "Flowline"
BILLING_BANK_TRANSFER_INSTRUCTIONS = (
    env.str("BILLING_BANK_TRANSFER_INSTRUCTIONS", default="")
    or "Pay by bank transfer quoting the invoice number; staff confirm the payment."
)
# Prices include tax at this rate (percent); invoices show it split out of the total.
BILLING_TAX_RATE_PERCENT = env.float("BILLING_TAX_RATE_PERCENT", default=0.0)
