"""The table: Flowline against the raw and stock apps, and the bars."""

from __future__ import annotations

BAR_RATIO, BAR_STOCK_RATIO, BAR_P99_MS = 0.33, 3.0, 50


def speed_ratio(figures: dict, name: str, label: str) -> float | None:
    """Flowline's req/s over `name`'s, or None when `name` was not run or answered nothing
    in its run (a short run on a loaded machine)."""
    other = figures.get(name, {}).get(label, {}).get("rps")
    return figures["flowline"][label]["rps"] / other if other else None


def print_table(figures: dict, db: str) -> None:
    def figure(name: str, label: str, key: str, spec: str) -> str:
        return format(figures[name][label][key], spec) if name in figures else "-"

    def ratio(name: str, label: str) -> str:
        value = speed_ratio(figures, name, label)
        return "-" if value is None else f"{value:.2f}"

    print()
    print(
        f"| endpoint ({db}) | raw req/s | stock DRF req/s | Flowline req/s "
        "| Flowline / raw | Flowline / stock | Flowline p50 | Flowline p99 "
        f"| bar (raw >= {BAR_RATIO}, stock >= {BAR_STOCK_RATIO:g}, p99 < {BAR_P99_MS} ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for label, flow in figures["flowline"].items():
        met = flow["p99_ms"] < BAR_P99_MS
        for name, bar in (("raw", BAR_RATIO), ("stock", BAR_STOCK_RATIO)):
            value = speed_ratio(figures, name, label)
            met = met and (value is None or value >= bar)
        print(
            f"| {label} | {figure('raw', label, 'rps', '.0f')} "
            f"| {figure('stock', label, 'rps', '.0f')} | {flow['rps']:.0f} "
            f"| {ratio('raw', label)} | {ratio('stock', label)} | {flow['p50_ms']:.1f} ms "
            f"| {flow['p99_ms']:.1f} ms | {'met' if met else 'NOT met'} |"
        )
    print()
    print(
        f"| endpoint ({db}) | raw server CPU | stock DRF server CPU | Flowline server CPU "
        "| stock / Flowline (target >= 3) | Flowline <= 1 ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for label, flow in figures["flowline"].items():
        stock = figures.get("stock", {}).get(label)
        versus = f"{stock['cpu_ms'] / flow['cpu_ms']:.2f}x" if stock and flow["cpu_ms"] else "-"
        print(
            f"| {label} | {figure('raw', label, 'cpu_ms', '.3f')} ms "
            f"| {figure('stock', label, 'cpu_ms', '.3f')} ms | {flow['cpu_ms']:.3f} ms "
            f"| {versus} "
            f"| {'met' if flow['cpu_ms'] <= 1 else 'NOT met'} |"
        )
