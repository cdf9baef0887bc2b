from flowline.billing.models.credits import (
    CreditBalance,
    CreditCost,
    CreditHold,
    CreditTransaction,
    CreditUsage,
)
from flowline.billing.models.payments import (
    BillingCustomer,
    CreditPackage,
    Invoice,
    InvoiceSequence,
    Payment,
    PaymentMethod,
    ProcessedWebhookEvent,
)
from flowline.billing.models.plans import Plan, Subscription

__all__ = [
    "BillingCustomer",
    "CreditBalance",
    "CreditCost",
    "CreditHold",
    "CreditPackage",
    "CreditTransaction",
    "CreditUsage",
    "Invoice",
    "InvoiceSequence",
    "Payment",
    "PaymentMethod",
    "Plan",
    "ProcessedWebhookEvent",
    "Subscription",
]
