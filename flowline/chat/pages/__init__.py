"""The console's inbox: customer conversations, live."""
