from flowline.billing.models.credits import (
    CreditBalance,
    CreditCost,
    CreditHold,
    CreditTransaction,
    CreditUsage,
)
from flowline.billing.models.plans import Plan, Subscription

__all__ = [
    "CreditBalance",
    "CreditCost",
    "CreditHold",
    "CreditTransaction",
    "CreditUsage",
    "Plan",
    "Subscription",
]
