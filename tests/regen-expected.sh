#!/usr/bin/env bash
# Regenerates tests/programs/*.out (and .err for failing programs) from CPython 3.11.
# Usage: tests/regen-expected.sh [NAME.py ...]
set -euo pipefail
cd "$(dirname "$0")/programs"
python3 -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' 
files=("$@"); [ ${#files[@]} -gt 0 ] || files=(*.py)
for f in "${files[@]}"; do
  base="${f%.py}"
  set +e
  PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8 python3 "$f" > "$base.out" 2> "$base.stderr" < /dev/null
  status=$?
  set -e
  if [ $status -ne 0 ]; then
    grep -v '^\s*$' "$base.stderr" | tail -n 1 > "$base.err" || true
  else
    rm -f "$base.err"
  fi
  rm -f "$base.stderr"
done
