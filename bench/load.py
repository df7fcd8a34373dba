"""Benchmark: N concurrent browser sessions against 1, 2 and 4 app processes behind nginx.

Run:  .venv/bin/python bench/load.py [--processes 1,2,4] [--sessions 1,5,10,20]
                                     [--timeout 300] [--max-minutes 40]

For each number of processes it starts a cluster as `make cluster` does (`deploy.cluster`:
nginx with sticky sessions, one throwaway PostgreSQL in a temporary folder), then for each
number of sessions opens that many headless Chromium contexts at once (Debian's
/usr/bin/chromium, loopback only) on the Càng Long map and times, per session:

* first draw: from `goto` until the map iframe has drawn the commune layer;
* toggle: from a click on the roads layer's switch until the map has no road left.

It prints p50 and p95 of both, the sessions that failed (a timeout or an error), the app
processes' resident memory after the run and the CPU seconds they spent per session (what
sizes a machine: one core serves about 60 / that many new sessions a minute), then the
issue's criterion: 2 processes with 10 sessions against 1 process with 5, as ratios.
Bounded: at most 20 sessions, each action --timeout seconds, the whole run --max-minutes
(the configurations left are printed as "skipped"). Figures only: tests never time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy import cluster, postgres  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
ROADS_TITLE = "Giao thông: hiện có và quy hoạch"
MAX_SESSIONS = 20
PRELUDE = (
    f"const f = document.querySelector({json.dumps(MAP_IFRAME)});"
    "const w = f && f.contentWindow; if (!w || !w.map) return false;"
    "const ids = Object.values(w.map._layers).filter(l => l.feature && l.feature.id)"
    "  .map(l => String(l.feature.id));"
)
DRAWN = f"() => {{ {PRELUDE} return ids.some(i => i.startsWith('communes:')); }}"
NO_ROADS = f"() => {{ {PRELUDE} return !ids.some(i => i.startsWith('roads:')); }}"
QUIET = """() => new Promise(resolve => {
    const app = document.querySelector('[data-testid="stApp"]'); let since = Date.now();
    const tick = () => { if (app.getAttribute("data-test-script-state") !== "notRunning")
        since = Date.now(); if (Date.now() - since >= 1000) resolve(true);
        else setTimeout(tick, 50); }; tick(); })"""


async def one_session(browser, url: str, timeout_ms: float) -> tuple[float | None, float | None]:
    """(first draw s, toggle s) of one session; None where it failed."""
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    page = await context.new_page()
    first = toggle = None
    try:
        start = time.perf_counter()
        await page.goto(url, timeout=timeout_ms)
        await page.wait_for_function(DRAWN, timeout=timeout_ms, polling=100)
        first = time.perf_counter() - start
        await page.wait_for_function(QUIET, timeout=timeout_ms)
        switch = page.get_by_test_id("stCheckbox").filter(has=page.get_by_text(ROADS_TITLE))
        start = time.perf_counter()
        await switch.click(timeout=timeout_ms)
        await page.wait_for_function(NO_ROADS, timeout=timeout_ms, polling=100)
        toggle = time.perf_counter() - start
    except Exception as exc:  # a timeout or a lost page is a counted failure, not a crash
        print(f"    session failed: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        await context.close()
    return first, toggle


async def sessions(url: str, n: int, timeout_s: float) -> list[tuple[float | None, float | None]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            return await asyncio.gather(
                *(one_session(browser, url, timeout_s * 1000) for _ in range(n))
            )
        finally:
            await browser.close()


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), "VmRSS: 0 kB")
        total += int(line.split()[1])
    return total / 1024


def cpu_s(pids: list[int]) -> float:
    """CPU seconds (user + system) the app processes have used so far."""
    import os

    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / tick


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:7.1f}"


def run(args: argparse.Namespace) -> dict[tuple[int, int], dict]:
    results: dict[tuple[int, int], dict] = {}
    deadline = time.monotonic() + args.max_minutes * 60
    folder = Path(tempfile.mkdtemp(prefix="atlas-load-"))
    folder.chmod(0o755)  # the postgres account (when we are root) must reach its folder
    pg = postgres.start(folder / "pg", fast=True)
    try:
        for procs in args.processes:
            db = postgres.create_database(pg, f"load_{procs}")
            env = {"ATLAS_USER_DATA": str(folder / "packs"), "ATLAS_PACK": "cang_long"}
            with cluster.running(procs, postgres.free_port(), db, folder / f"c{procs}", env) as (
                url, _ports,
            ):  # fmt: skip
                for n in args.sessions:
                    if time.monotonic() > deadline:
                        print(f"  {procs} processes × {n} sessions: skipped (--max-minutes)")
                        continue
                    print(f"  {procs} processes × {n} sessions …", flush=True)
                    used = cpu_s(cluster.last_pids)
                    got = asyncio.run(sessions(f"{url}/?p=cang_long", n, args.timeout))
                    used = cpu_s(cluster.last_pids) - used
                    firsts = [f for f, _ in got if f is not None]
                    toggles = [t for _, t in got if t is not None]
                    results[(procs, n)] = {
                        "first": (pct(firsts, 50), pct(firsts, 95)),
                        "toggle": (pct(toggles, 50), pct(toggles, 95)),
                        "errors": sum(1 for f, t in got if f is None or t is None),
                        "rss": rss_mb(cluster.last_pids),
                        "cpu": used / n,
                    }
    finally:
        postgres.stop(pg, immediate=True)
        shutil.rmtree(folder, ignore_errors=True)
    return results


def report(results: dict[tuple[int, int], dict]) -> None:
    print("\nprocesses sessions  first p50  first p95  toggle p50 toggle p95  errors  app MB"
          "  app CPU s/session")  # fmt: skip
    for (procs, n), r in sorted(results.items()):
        times = "    ".join(fmt(v) for v in (*r["first"], *r["toggle"]))
        print(f"{procs:9d} {n:8d}    {times}  {r['errors']:6d}  {r['rss']:6.0f}  {r['cpu']:8.1f}")
    one, two = results.get((1, 5)), results.get((2, 10))
    if one and two:
        print("\n2 processes × 10 sessions against 1 process × 5 (p95; below 1.00 is better):")
        for key in ("first", "toggle"):
            a, b = two[key][1], one[key][1]
            ratio = "—" if a is None or not b else f"{a / b:.2f}"
            print(f"  {key:6s}: {fmt(a)} s vs {fmt(b)} s → {ratio}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ints = lambda text: [int(x) for x in text.split(",") if x]  # noqa: E731
    parser.add_argument("--processes", type=ints, default=[1, 2, 4])
    parser.add_argument("--sessions", type=ints, default=[1, 5, 10, 20])
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per action")
    parser.add_argument("--max-minutes", type=float, default=40.0)
    args = parser.parse_args()
    if max(args.sessions) > MAX_SESSIONS:
        parser.error(f"at most {MAX_SESSIONS} sessions")
    print(f"Load: processes {args.processes}, sessions {args.sessions}, loopback only")
    report(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
