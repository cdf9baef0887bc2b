"""Shared plumbing every Flowline app plugs into: envelope, errors, tenancy, permissions."""
