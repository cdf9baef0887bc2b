"""Identity services: every write about users, accounts, invitations and API keys."""
