"""Linker and optimizer (002): internal links and SEO scores."""
