"""The console's notification pages and the bell in the top bar."""
