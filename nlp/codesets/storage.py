"""Write a folder of the data home atomically: build it under a temporary name, then rename.

A failed import leaves what was there untouched; a replaced folder is swapped in one rename.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_folder(root: Path, name: str) -> Iterator[Path]:
    """Yield an empty temporary folder under `root`; on success it becomes `root/name`
    (replacing an existing one), on error it is removed and `root/name` is left as it was."""
    root.mkdir(parents=True, exist_ok=True)
    target = root / name
    tmp = Path(tempfile.mkdtemp(prefix=f".import-{name}-", dir=root))
    try:
        yield tmp
        if target.exists():
            old = root / f".old-{name}-{os.getpid()}"
            target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            try:
                tmp.rename(target)
            except OSError:
                # another process installed the same folder first (e.g. parallel batch workers)
                if not target.exists():
                    raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
