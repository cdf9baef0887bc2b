from flowline.identity.models.accounts import Account, Invitation, Membership
from flowline.identity.models.api_keys import ApiKey, ApiKeyUsage
from flowline.identity.models.users import EndedSession, User

__all__ = ["Account", "ApiKey", "ApiKeyUsage", "EndedSession", "Invitation", "Membership", "User"]
