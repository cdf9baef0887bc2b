"""Agent services: process control and scheduling, file loading, the ELT pipeline."""
