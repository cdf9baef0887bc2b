"""The console's home: the dashboard and the root of every app's pages."""
