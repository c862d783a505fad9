#!/usr/bin/env bash
# The whole pytest suite on SQLite, then on PostgreSQL when one is reachable, each run by
# TEST_WORKERS pytest-xdist workers (default 2, one per core of the 2-core machine; 0 runs in
# one process). Arguments go to pytest: a path, -k, -n 0 …
# REQUIRE_POSTGRES=1 makes an unreachable PostgreSQL a failure instead of a skip (CI sets it);
# REQUIRE_BROWSER=1 does the same for the headless Chromium of the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/minzheng}
WORKERS=${TEST_WORKERS:-2}
skipped=()

if [ -x /usr/bin/chromium ] || [ -n "${CHROMIUM_PATH:-}" ]; then
  browser="yes"
elif [ "${REQUIRE_BROWSER:-0}" = "1" ]; then
  echo "REQUIRE_BROWSER=1 but no Chromium at /usr/bin/chromium (apt-get install chromium)" >&2
  exit 1
else
  browser="no"
  skipped+=("browser tests: no Chromium at /usr/bin/chromium (install Debian's chromium)")
fi

echo "== pytest on SQLite =="
env -u DATABASE_URL "$BIN/pytest" -n "$WORKERS" "$@"

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
  echo "== pytest on PostgreSQL ($PG_URL) =="
  DATABASE_URL="$PG_URL" "$BIN/pytest" -n "$WORKERS" "$@"
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
