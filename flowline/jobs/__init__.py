"""Jobs: every background operation is a persisted job with status, progress and result."""
