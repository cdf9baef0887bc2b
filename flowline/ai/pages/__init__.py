"""The AI engine's console pages."""
