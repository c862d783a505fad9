#!/usr/bin/env bash
# The whole pytest suite on SQLite, then on PostgreSQL when one is reachable, each run by
# TEST_WORKERS pytest-xdist workers (default 2, one per core of the 2-core machine; 0 runs in
# one process) and timed (scripts/timed.sh). Arguments go to pytest: a path, -k, -n 0 …
# REQUIRE_POSTGRES=1 makes an unreachable PostgreSQL a failure instead of a skip (CI sets it);
# REQUIRE_BROWSER=1 does the same for the headless Chromium of the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/timed.sh
BIN=.venv/bin
PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/minzheng}
WORKERS=${TEST_WORKERS:-2}
skipped=()

# suite LABEL COMMAND…: pytest on one database (COMMAND sets its environment), timed, its
# summary line ("N passed, M skipped in T s") kept for the summary of times.
suite() {
  local label=$1 log status=0
  shift
  log=$(mktemp)
  part_begin "$label"
  echo "$* $BIN/pytest -n $WORKERS${PYTEST_ARGS[*]:+ ${PYTEST_ARGS[*]}}"
  "$@" "$BIN/pytest" -n "$WORKERS" "${PYTEST_ARGS[@]}" 2>&1 | tee "$log" || status=$?
  part_end "$status" "$(grep -E '[0-9]+ (passed|failed|errors?)|no tests ran' "$log" |
    tail -n 1 | tr -d '=' | sed 's/^ *//; s/ *$//; s/ ([0-9:]*)$//')"
  rm -f "$log"
  return "$status"
}
PYTEST_ARGS=("$@")
# pytest's output goes through tee: keep its colours on a terminal
[ -t 1 ] && PYTEST_ARGS=(--color=yes "${PYTEST_ARGS[@]}")

if [ -x /usr/bin/chromium ] || [ -n "${CHROMIUM_PATH:-}" ]; then
  browser="yes"
elif [ "${REQUIRE_BROWSER:-0}" = "1" ]; then
  echo "REQUIRE_BROWSER=1 but no Chromium at /usr/bin/chromium (apt-get install chromium)" >&2
  exit 1
else
  browser="no"
  skipped+=("browser tests: no Chromium at /usr/bin/chromium (install Debian's chromium)")
fi

suite "pytest on SQLite" env -u DATABASE_URL

if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg, dj_database_url
cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                    dbname="postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL unreachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  suite "pytest on PostgreSQL" env DATABASE_URL="$PG_URL"
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "REQUIRE_POSTGRES=1 but PostgreSQL is unreachable at $PG_URL" >&2
  exit 1
else
  skipped+=("PostgreSQL run: no server reachable at $PG_URL")
fi

if [ ${#skipped[@]} -gt 0 ]; then
  echo
  echo "SKIPPED:"
  for reason in "${skipped[@]}"; do echo "  - $reason"; done
fi
[ "$browser" = "yes" ] || true
