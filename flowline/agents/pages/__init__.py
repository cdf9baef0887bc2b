"""The console's agent pages: processes, one process's configuration, data sources, live
run and matches."""
