"""The console's account pages: sign up, log in, verify, reset, invitations, profile."""
