"""Writes of the notifications app: raising notifications, reading them, preferences,
push subscriptions, and delivering by email and Web Push."""
