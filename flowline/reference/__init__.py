"""Reference data every account shares: industries, their sectors, seed keywords."""
