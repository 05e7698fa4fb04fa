#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or explain and exit 1.
# Order: $NEUROCODE_PYTHON, python3.13/python3.12/python3 on PATH, then pyenv's installed versions.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for cand in "${NEUROCODE_PYTHON:-}" python3.12 python3.13 python3; do
  [ -n "$cand" ] || continue
  path=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$path"; then
    # pyenv shims resolve to a real interpreter only when that version is selected; ask it.
    "$path" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for path in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V); do
  if ok "$path"; then echo "$path"; exit 0; fi
done
echo "E001: no Python >= 3.12 found (medspaCy on spaCy 3.8 needs it). Install one (e.g. 'pyenv install 3.12') or set NEUROCODE_PYTHON=/path/to/python3.12." >&2
exit 1
