"""The console's planner pages: keywords, clusters, ideas."""
