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

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # flowline

from loadtest.cli import main

if __name__ == "__main__":
    main()
