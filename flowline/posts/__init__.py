"""Social posts (000, 001): variants, schedules, the publishing scheduler."""
