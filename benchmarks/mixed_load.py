"""Mixed load: simulated users over the main journeys, then "nothing lost" checked in the DB.

    .venv/bin/python benchmarks/mixed_load.py --mode embedded [--users 200] [--duration 600]
    .venv/bin/python benchmarks/mixed_load.py --mode scaled   # PostgreSQL + Redis, the Procfile
    .venv/bin/python benchmarks/mixed_load.py --mode embedded --soak 3600 --users 100

The parts live in benchmarks/loadtest/ (what the run does, step by step, is its docstring):
seed (the accounts), servers (the processes under test), users (the Locust journeys),
audit (the "nothing lost" checks), report (the figures) and cli (this command line).
"""

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCHMARKS.parent), str(BENCHMARKS)]

from loadtest.cli import main  # noqa: E402 (after the paths it needs)

if __name__ == "__main__":
    main()
