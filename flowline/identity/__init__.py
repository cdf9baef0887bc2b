"""Identity: users, accounts (the tenant), memberships, invitations, API keys."""
