"""AI agents (004 Elinara Lab, 000 ai-agents): processes over data sources that run an
extract-load-transform pipeline by hand or on a schedule, streaming what they think."""
