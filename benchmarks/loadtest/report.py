"""The figures: per journey and overall, failures by kind, memory, "nothing lost"; printed
against the targets."""

from __future__ import annotations

import json

P99_LIMIT_MS = 800
ERROR_LIMIT = 0.001
GROWTH_LIMIT = 0.10


def percentiles(entry) -> tuple[float, float, float]:
    if not entry.num_requests:
        return (0.0, 0.0, 0.0)
    return tuple(entry.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99))


def report_stats(stats) -> tuple[list[dict], dict]:
    """Per journey (requests named `journey: ...`) and overall."""
    from locust.stats import StatsEntry

    journeys: dict[str, StatsEntry] = {}
    for (name, _method), entry in sorted(stats.entries.items()):
        journey = name.split(":", 1)[0]
        if journey not in journeys:
            journeys[journey] = StatsEntry(stats, journey, "", use_response_times_cache=False)
        journeys[journey].extend(entry)
    rows = []
    for name, entry in [*journeys.items(), ("overall", stats.total)]:
        p50, p95, p99 = percentiles(entry)
        rows.append(
            {
                "journey": name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "error_rate": entry.num_failures / max(1, entry.num_requests),
                "p50_ms": p50,
                "p95_ms": p95,
                "p99_ms": p99,
                "max_ms": entry.max_response_time or 0,
                "rps": entry.num_requests
                / max(1e-9, entry.last_request_timestamp - entry.start_time)
                if entry.last_request_timestamp
                else 0,
            }
        )
    endpoints = []
    for (name, _method), entry in sorted(stats.entries.items()):
        p50, p95, p99 = percentiles(entry)
        endpoints.append(
            {"name": name, "requests": entry.num_requests, "failures": entry.num_failures,
             "p50_ms": p50, "p99_ms": p99, "max_ms": entry.max_response_time or 0}
        )  # fmt: skip
    return rows, {"endpoints": endpoints}


def error_kinds(errors: list[dict]) -> dict[str, int]:
    """Overload (no answer in time: the client gave up) apart from Flowline's answers."""
    import re

    kinds = {
        "no answer (timeout, refused)": 0,
        "connection closed (keep-alive race)": 0,
        "5xx": 0,
        "4xx": 0,
        "other": 0,
    }
    for error in errors:
        text = error["error"]
        status = re.search(r"^(\d{3}):|code=(\d{3})", text)
        code = (status.group(1) or status.group(2)) if status else ""
        if code.startswith("5"):
            kind = "5xx"
        elif code.startswith("4"):
            kind = "4xx"
        elif "ConnectionClosed" in text:
            # uvicorn closes a connection idle for 5 s; a POST sent on it just then is
            # not retried by the client (a browser would send it again)
            kind = "connection closed (keep-alive race)"
        elif text.startswith("no answer") or re.search(r"timed out|RetriesExceeded|refused", text):
            kind = "no answer (timeout, refused)"
        else:
            kind = "other"
        kinds[kind] += error["occurrences"]
    return kinds


def memory_summary(samples, warmup: float) -> dict:
    """Per role: RSS after warm-up and at the end, each the lowest sample of a 60 s window
    (a login's Argon2 hash takes 100 MiB for a moment: a single sample says little), the
    median of those windows too, the peak, and growth of the floor after warm-up."""
    import statistics

    roles = sorted({role for _, rss, _ in samples for role in rss})
    end_t = samples[-1][0]
    summary = {}
    for role in roles:
        series = [(t, rss[role]) for t, rss, _ in samples if role in rss]
        first = [v for t, v in series if warmup <= t < warmup + 60] or [series[-1][1]]
        last = [v for t, v in series if t >= end_t - 60] or [series[-1][1]]
        summary[role] = {
            "start_mib": round(series[0][1], 1),
            "warmup_mib": round(min(first), 1),
            "warmup_median_mib": round(statistics.median(first), 1),
            "end_mib": round(min(last), 1),
            "end_median_mib": round(statistics.median(last), 1),
            "peak_mib": round(max(v for _, v in series), 1),
            "growth": (min(last) - min(first)) / min(first) if min(first) else 0.0,
        }
    return summary


def print_report(args, result: dict, duration: float, warmup: float) -> None:
    print(
        f"\nMixed load ({result['mode']}, {result['users']} users, {duration:.0f} s; "
        f"load average at the end {result['load_average_end']})"
    )
    print(f"{'journey':<10} {'requests':>9} {'failed':>7} {'errors':>8} {'p50':>7} {'p95':>7} "
          f"{'p99':>7} {'max':>7} {'req/s':>7}")  # fmt: skip
    for row in result["journeys"]:
        print(
            f"{row['journey']:<10} {row['requests']:>9} {row['failures']:>7} "
            f"{row['error_rate']:>8.3%} {row['p50_ms']:>5.0f}ms {row['p95_ms']:>5.0f}ms "
            f"{row['p99_ms']:>5.0f}ms {row['max_ms']:>5.0f}ms {row['rps']:>7.1f}"
        )
    overall = result["journeys"][-1]
    print(
        f"target p99 < {P99_LIMIT_MS} ms: {overall['p99_ms']:.0f} ms -> "
        f"{'MET' if overall['p99_ms'] < P99_LIMIT_MS else 'NOT MET'}"
    )
    print(
        f"target errors < {ERROR_LIMIT:.1%}: {overall['error_rate']:.3%} -> "
        f"{'MET' if overall['error_rate'] < ERROR_LIMIT else 'NOT MET'}"
    )
    print(f"  failures by kind: {result['error_kinds']}")
    print(
        f"  Flowline's CPU (every process): {result['server_cpu_s']:.0f} s, "
        f"{result['server_cpu_ms_per_request']:.1f} ms per request"
    )
    for error in result["errors"][:10]:
        print(f"  {error['occurrences']:>6} x {error['name']}: {error['error'][:200]}")
    check = result["verify"]
    ledger = result["ledger"]
    lost = (
        check["jobs_unfinished"]
        or check["jobs_missing"]
        or check["holds_left_after_end"]
        or check["charge_problem_count"]
        or check["completed_uncharged"]
        or check["ledger_problems"]
        or check["chat_inbound"] < ledger["chat_sent"]
        or check["chat_inbound_distinct"] != check["chat_inbound"]
        or check["events_stored"] < ledger["events_accepted"]
    )
    print(f"\nNothing lost (after waiting {check['waited_s']} s for the jobs to end):")
    print(f"  jobs by kind and status: {json.dumps(check['jobs'])}")
    print(
        f"  jobs answered by the API {check['jobs_answered']}, "
        f"missing {len(check['jobs_missing'])}, not ended {len(check['jobs_unfinished'])}"
    )
    print(
        f"  paid jobs completed {check['paid_completed']}; charge problems "
        f"{check['charge_problem_count']}; completed without a charge "
        f"{len(check['completed_uncharged'])}; holds left {len(check['holds_left_after_end'])}; "
        f"balances off their ledger {len(check['ledger_problems'])}"
    )
    print(
        f"  chat messages accepted {ledger['chat_sent']}, stored {check['chat_inbound']} "
        f"({check['chat_inbound_distinct']} distinct); replies {check['chat_outbound']} "
        f"({check['chat_outbound_failed']} marked failed: no WhatsApp sender connected)"
    )
    print(f"  events accepted {ledger['events_accepted']}, stored {check['events_stored']}")
    print(
        "  (more stored than accepted: requests the server finished after the client had "
        "given up on them, counted as failures above; fewer would be a loss)"
    )
    if check["jobs_failed"]:
        print(f"  failed jobs: {json.dumps(check['jobs_failed'])[:1000]}")
    if check["charge_problems"]:
        print(f"  charge problems: {check['charge_problems'][:5]}")
    print(f"  -> {'SOMETHING LOST OR DOUBLED' if lost else 'nothing lost, every charge once'}")
    print(
        f"\nMemory (RSS MiB, lowest / median of a 60 s window; warm-up {warmup:.0f} s; "
        f"limit +{GROWTH_LIMIT:.0%} after warm-up):"
    )
    for role, m in result["memory"].items():
        print(
            f"  {role:<11} start {m['start_mib']:>5.0f}  after warm-up {m['warmup_mib']:>5.0f} / "
            f"{m['warmup_median_mib']:<5.0f} end {m['end_mib']:>5.0f} / "
            f"{m['end_median_mib']:<5.0f} "
            f"peak {m['peak_mib']:>5.0f}  growth {m['growth']:+.1%} -> "
            f"{'MET' if m['growth'] <= GROWTH_LIMIT else 'NOT MET'}"
        )
