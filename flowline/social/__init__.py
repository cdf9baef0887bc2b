"""Social accounts (000, 001): connections, platform adapters, token health."""
