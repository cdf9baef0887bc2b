"""Automation pipeline (002): keywords to published articles, in stages."""
