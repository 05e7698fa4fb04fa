"""Speed of the web API: `POST /api/suggest` on a warm `neurocode serve`, over loopback.

    .venv/bin/python scripts/bench_web.py [--notes DIR] [--requests 500] [--concurrency 4] [--workers 1 2]

For each worker count: starts `neurocode serve --workers N` on a free loopback port in a child
process, waits for it and warms it, then sends one typical note (the one closest to 3,000
characters in --notes, else in training_data/notes) `--requests` times from `--concurrency`
client threads, each on its own keep-alive connection. Prints latency median / p90 / p99 / max
and the request rate beside the targets (median <= 50 ms, p99 <= 200 ms); asserts nothing.
Prints figures only, never note text.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPICAL_CHARS = 3000


def typical_note(notes_dir: Path | None) -> tuple[str, str]:
    """(where it came from, text) of the note whose length is closest to 3,000 characters."""
    for folder in (notes_dir, ROOT / "training_data" / "notes"):
        if folder is not None and folder.is_dir():
            paths = sorted(folder.glob("*.txt"))
            if paths:
                texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in paths}
                best = min(paths, key=lambda p: abs(len(texts[p]) - TYPICAL_CHARS))
                return f"{folder.name}/{best.name}", texts[best]
    raise SystemExit("no notes found: pass --notes DIR")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(conn: http.client.HTTPConnection, body: bytes) -> float:
    start = time.perf_counter()
    conn.request("POST", "/api/suggest", body=body, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    resp.read()
    if resp.status != 200:
        raise RuntimeError(f"POST /api/suggest answered {resp.status}")
    return time.perf_counter() - start


def _start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).parent / "neurocode"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "nlp.cli"]
    env = {k: v for k, v in os.environ.items() if k != "NEUROCODE_TOKEN"}
    proc = subprocess.Popen(cmd + ["serve", "--port", str(port), "--workers", str(workers)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"neurocode serve exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("neurocode serve did not start within 120 s")


def measure(text: str, requests: int = 500, concurrency: int = 4, workers: int = 1,
            warm_up: int = 20) -> dict[str, float]:
    """Latencies (ms) of `requests` POST /api/suggest from `concurrency` threads on a fresh server."""
    port = _free_port()
    proc = _start_server(port, workers)
    body = json.dumps({"text": text, "note_id": "bench", "setting": "outpatient"}).encode()
    try:
        for _ in range(warm_up):  # a new connection each: with several workers, each one warms up
            _post(http.client.HTTPConnection("127.0.0.1", port, timeout=60), body)
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        single = [_post(warm, body) for _ in range(50)]  # one client alone, warm
        latencies: list[float] = []
        lock = threading.Lock()
        per_thread = [requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)]

        def client(n: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine = [_post(conn, body) for _ in range(n)]
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=client, args=(n,)) for n in per_thread]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"requests": len(ms), "concurrency": concurrency, "median_ms": statistics.median(ms), "p90_ms": q[89],
            "p99_ms": q[98], "max_ms": ms[-1], "requests_per_s": len(ms) / wall,
            "single_client_median_ms": statistics.median(x * 1000 for x in single)}


def report(notes_dir: Path | None, requests: int = 500, concurrency: int = 4,
           workers: tuple[int, ...] = (1, 2)) -> None:
    source, text = typical_note(notes_dir)
    print(f"web API POST /api/suggest, warm `neurocode serve` on loopback, note {source} ({len(text)} chars), "
          f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:")
    for n in workers:
        f = measure(text, requests=requests, concurrency=concurrency, workers=n)
        print(f"  --workers {n}: {f['requests']:.0f} requests from {f['concurrency']:.0f} concurrent clients: "
              f"median {f['median_ms']:.1f} ms, p90 {f['p90_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms, "
              f"max {f['max_ms']:.1f} ms, {f['requests_per_s']:.1f} requests/s   target median <= 50 ms, "
              f"p99 <= 200 ms; one client alone: median {f['single_client_median_ms']:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=Path, default=ROOT.parent / "shared" / "data" / "mtsamples_neuro" / "notes")
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="server worker counts to measure")
    args = ap.parse_args()
    report(args.notes, args.requests, args.concurrency, tuple(args.workers))


if __name__ == "__main__":
    main()
