"""Progress of a batch run: a tqdm bar on a terminal, plain periodic log lines otherwise.

Lines carry counts, rates and note ids at most; never note text.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int | None, *, stream: TextIO | None = None, every: float = 10.0,
                 enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.total, self.every, self.enabled = total, every, enabled
        self.done = self.errors = self.skipped = 0
        self.start = self.last = time.perf_counter()
        self.bar = None
        if enabled and self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="note", file=self.stream, dynamic_ncols=True, smoothing=0.1)

    def update(self, n: int, errors: int = 0, *, skipped: bool = False) -> None:
        self.done += n
        self.errors += errors
        if skipped:  # finished by an earlier run (--resume): not part of this run's rate
            self.skipped += n
        if self.bar is not None:
            self.bar.update(n)
            self.bar.set_postfix(errors=self.errors, refresh=False)
            return
        now = time.perf_counter()
        if self.enabled and not skipped and now - self.last >= self.every:
            self.last = now
            print(self.line(now), file=self.stream, flush=True)

    def line(self, now: float) -> str:
        rate = (self.done - self.skipped) / max(now - self.start, 1e-9)
        eta = ""
        if self.total and rate > 0:
            left = max(self.total - self.done, 0) / rate
            eta = f", ETA {int(left // 3600)}:{int(left % 3600 // 60):02d}:{int(left % 60):02d}"
        of = f"/{self.total}" if self.total else ""
        return f"batch: {self.done}{of} notes ({self.errors} error), {rate:.1f} notes/s{eta}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
