"""Flowline's API against a raw ASGI app and a stock DRF app doing the same queries.

    .venv/bin/python benchmarks/run_api.py [--db sqlite|postgres] [--duration 12]
        [--server uvicorn|granian] [--interface asgi|wsgi]

The parts live in benchmarks/apispeed/ (what the run does is its docstring): servers (the
three apps, their database and processes), client (wrk against each in turn) and report
(the table against the bars).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # flowline

from apispeed.cli import main

if __name__ == "__main__":
    main()
