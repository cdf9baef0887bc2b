"""`make fuzz`: the schema's operations split into FUZZ_WORKERS shards (every n-th operation,
so each shard gets a mix of cheap and costly ones), one pytest process each, side by side;
a run that outlasts FUZZ_TIMEOUT seconds is stopped and fails. Each shard's output is
printed when it ends; the run passes only if every shard does.

Usage: python fuzz/run.py [pytest arguments...]
"""

import contextlib
import os
import subprocess
import sys
import tempfile
import time

WORKERS = max(1, int(os.environ.get("FUZZ_WORKERS", "2")))
TIMEOUT = float(os.environ.get("FUZZ_TIMEOUT", "2400"))


def main(args: list[str]) -> int:
    with contextlib.ExitStack() as logs:
        return _run(args, logs)


def _run(args: list[str], logs: contextlib.ExitStack) -> int:
    started = time.monotonic()
    shards = []
    for index in range(WORKERS):
        # Closed by the ExitStack, once every shard has ended.
        log = logs.enter_context(tempfile.TemporaryFile(mode="w+"))  # noqa: SIM115
        env = {**os.environ, "FUZZ_SHARD": f"{index}/{WORKERS}"}
        command = [sys.executable, "-m", "pytest", "fuzz", "-p", "no:cacheprovider", *args]
        # The arguments are make's FUZZ_ARGS, given by whoever runs it.
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        shards.append((index, process, log))
    failed = False
    for index, process, log in shards:
        left = max(1.0, TIMEOUT - (time.monotonic() - started))
        try:
            code = process.wait(timeout=left)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
            print(f"== fuzz shard {index + 1}/{WORKERS}: stopped after {TIMEOUT:.0f} s")
        log.seek(0)
        print(f"== fuzz shard {index + 1}/{WORKERS} (exit {code})")
        print(log.read(), flush=True)
        # 5 (nothing collected): a shard that FUZZ_OPERATIONS left empty; never in a full run.
        empty = code == 5 and bool(os.environ.get("FUZZ_OPERATIONS"))
        failed = failed or (code != 0 and not empty)
    print(f"== make fuzz: {'FAILED' if failed else 'passed'} in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
