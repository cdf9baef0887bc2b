"""003's Auth module: authentication, users, accounts, sites, sectors, plans, industries,
seed keywords, site access and subscriptions."""

from flowline.contracts.tests.igny8.endpoints import crud, read_only
from flowline.contracts.tests.table import Row


def end_subscriptions(account_id: int) -> None:
    """The account's subscription has ended: POST subscribes it anew."""
    from flowline.billing.models import Subscription

    Subscription.unscoped.filter(account_id=account_id).update(status=Subscription.Status.CANCELED)


ROWS = [
    # Auth Module: authentication endpoints
    # (registration answers without `user`: Flowline verifies the address before an account
    # exists, and the answer must not tell whether the address was already registered)
    Row(
        "POST",
        "/v1/auth/register/",
        {
            "email": "user@example.com",
            "password": "password-123-Long",
            "password_confirm": "password-123-Long",
        },
        status=201,
        keys=("success", "message"),
    ),
    Row(
        "POST",
        "/v1/auth/login/",
        lambda w: {"email": w["email"], "password": w["password"]},
        keys=("success", "message", "user", "tokens"),
    ),
    Row(
        "POST",
        "/v1/auth/change-password/",
        lambda w: {
            "old_password": w["password"],
            "new_password": "newpass-123-Long",
            "new_password_confirm": "newpass-123-Long",
        },
        keys=("success", "message"),
    ),
    Row("GET", "/v1/auth/me/", keys=("success", "user")),
    # UsersViewSet
    *crud(
        "/v1/auth/users/",
        "member",
        {"email": "made@example.com", "password": "password-123-Long", "role": "editor"},
        {"role": "viewer"},
    ),
    Row(
        "POST",
        "/v1/auth/users/invite/",
        {"email": "invited@example.com", "role": "editor"},
        status=201,
        keys=("success", "data"),
    ),
    Row("POST", "/v1/auth/users/{member}/activate/", keys=("success", "data")),
    # AccountsViewSet
    *crud("/v1/auth/accounts/", "account", {"name": "Second brand house"}, {"name": "Renamed"}),
    # SiteViewSet
    *crud("/v1/auth/sites/", "spare_site", {"name": "Yoga blog"}, {"name": "Yoga journal"}),
    Row("GET", "/v1/auth/sites/{site}/sectors/", keys=("success", "data")),
    Row("POST", "/v1/auth/sites/{site}/set_active/", keys=("success", "data")),
    Row(
        "POST",
        "/v1/auth/sites/{site}/select_sectors/",
        lambda w: {
            "industry_slug": w["industry_slug"],
            "sector_slugs": [w["industry_sector_slug"]],
        },
        keys=("success", "data"),
    ),
    # SectorViewSet
    *crud(
        "/v1/auth/sectors/",
        "spare_sector",
        lambda w: {"site": w["site"], "name": "Mats"},
        lambda w: {"site": w["site"], "name": "Yoga mats"},
    ),
    # PlanViewSet, IndustryViewSet, SeedKeywordViewSet
    *read_only("/v1/auth/plans/", "plan"),
    *read_only("/v1/auth/industries/", "industry"),
    *read_only("/v1/auth/seed-keywords/", "seed_keyword"),
    # SiteUserAccessViewSet
    Row("GET", "/v1/auth/site-access/", keys=("count", "results")),
    Row(
        "POST",
        "/v1/auth/site-access/",
        lambda w: {"user": w["viewer"], "site": w["spare_site"]},
        status=201,
        keys=("success", "data"),
    ),
    Row("GET", "/v1/auth/site-access/{grant}/", keys=("success", "data")),
    Row(
        "PUT",
        "/v1/auth/site-access/{grant}/",
        lambda w: {"user": w["viewer"], "site": w["spare_site"]},
        keys=("success", "data"),
    ),
    Row("DELETE", "/v1/auth/site-access/{grant}/"),
    # SubscriptionsViewSet
    Row("GET", "/v1/auth/subscriptions/", keys=("count", "results")),
    Row(
        "POST",
        "/v1/auth/subscriptions/",
        lambda w: {"plan": w["free_plan"]},
        given=lambda w: end_subscriptions(w["account"]),
        status=201,
        keys=("success", "data"),
    ),
    Row("GET", "/v1/auth/subscriptions/{subscription}/", keys=("success", "data")),
    Row(
        "PUT",
        "/v1/auth/subscriptions/{subscription}/",
        lambda w: {"plan": w["plan"]},
        keys=("success", "data"),
    ),
    Row(
        "DELETE",
        "/v1/auth/subscriptions/{subscription}/",
    ),
    Row("GET", "/v1/auth/subscriptions/by-account/{account_id}/", keys=("count", "results")),
]
