"""Real-time events over Socket.IO (004 §4): rooms, authentication, replay of missed events."""
