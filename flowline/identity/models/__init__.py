from flowline.identity.models.accounts import Account, Invitation, Membership
from flowline.identity.models.api_keys import ApiKey, ApiKeyUsage
from flowline.identity.models.users import User

__all__ = ["Account", "ApiKey", "ApiKeyUsage", "Invitation", "Membership", "User"]
