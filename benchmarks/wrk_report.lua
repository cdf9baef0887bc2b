-- wrk script: Bearer token from BENCH_TOKEN; one JSON line with the figures at the end.
local token = os.getenv("BENCH_TOKEN") or ""
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, ' ..
    '"p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "non2xx": %d, "errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status, errors))
end
