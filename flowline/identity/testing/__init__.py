"""Test helpers other apps may use: a local OAuth 2.0 / OpenID Connect provider."""
