"""The table: Flowline against the raw and stock apps, and the bars."""

from __future__ import annotations

BAR_RATIO, BAR_STOCK_RATIO, BAR_P99_MS = 0.33, 3.0, 50


def print_table(figures: dict, db: str) -> None:
    def figure(name: str, label: str, key: str, spec: str) -> str:
        return format(figures[name][label][key], spec) if name in figures else "-"

    def ratio(name: str, label: str) -> str:
        if name not in figures:
            return "-"
        return f"{figures['flowline'][label]['rps'] / figures[name][label]['rps']:.2f}"

    print()
    print(
        f"| endpoint ({db}) | raw req/s | stock DRF req/s | Flowline req/s "
        "| Flowline / raw | Flowline / stock | Flowline p50 | Flowline p99 "
        f"| bar (raw >= {BAR_RATIO}, stock >= {BAR_STOCK_RATIO:g}, p99 < {BAR_P99_MS} ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for label, flow in figures["flowline"].items():
        met = flow["p99_ms"] < BAR_P99_MS
        if "raw" in figures:
            met = met and flow["rps"] / figures["raw"][label]["rps"] >= BAR_RATIO
        if "stock" in figures:
            met = met and flow["rps"] / figures["stock"][label]["rps"] >= BAR_STOCK_RATIO
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
        versus = f"{stock['cpu_ms'] / flow['cpu_ms']:.2f}x" if stock else "-"
        print(
            f"| {label} | {figure('raw', label, 'cpu_ms', '.3f')} ms "
            f"| {figure('stock', label, 'cpu_ms', '.3f')} ms | {flow['cpu_ms']:.3f} ms "
            f"| {versus} "
            f"| {'met' if flow['cpu_ms'] <= 1 else 'NOT met'} |"
        )
