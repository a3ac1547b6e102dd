#!/usr/bin/env bash
# Analytics at scale (issue 9). One command; before and after measured in the same run on the same data:
#   1. this branch's service on a private PostgreSQL: LINKS links (jobs, applications), SCALE clicks through
#      record-clicks (CLICKS_PER_REQUEST, default 200, a request, 4 at a time; one link holds 20 %, 90 days, 30 % crawlers) — ingest counted in
#      clicks/s until every click is in PostgreSQL, rollups included;
#   2. every analytics route timed from the client, SAMPLES calls each (p50/p99): "after" (rollups);
#   3. the service before the rollups (git archive of BEFORE_REF, default 35291b5, the last commit before them;
#      built Release) on the same database: "before" (the queries over the raw clicks);
#   4. the same on SQLite with SQLITE_SCALE clicks (0 skips it).
# Env: SCALE (default 100000; the issue's figure is 10000000), LINKS (1000), SAMPLES (20), SQLITE_SCALE (SCALE/10),
#      BEFORE_REF (35291b5), SKIP_BEFORE=1 (only this branch: for development runs).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source ./scripts/lib.sh

SCALE=${SCALE:-100000}
LINKS=${LINKS:-1000}
SAMPLES=${SAMPLES:-20}
SQLITE_SCALE=${SQLITE_SCALE:-$((SCALE / 10))}
KEY=ltk_BenchAdminKey0000000000000000000000000000
OUT=$(pwd)/bench/out/analytics
rm -rf "$OUT"; mkdir -p "$OUT"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_private_postgres
}
trap cleanup EXIT

BEFORE_REF=${BEFORE_REF:-35291b5}
BEFORE_TREE=$(pwd)/bench/out/before-$BEFORE_REF # kept between runs: the old tree is built once
log "Building this branch and $BEFORE_REF (before the rollups; Release)"
dotnet build src/WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null
AFTER_DLL=src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll
BEFORE_DLL=$BEFORE_TREE/src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll
if [ "${SKIP_BEFORE:-0}" != 1 ] && [ ! -f "$BEFORE_DLL" ]; then
  rm -rf "$BEFORE_TREE"; mkdir -p "$BEFORE_TREE"
  git archive "$BEFORE_REF" | tar -x -C "$BEFORE_TREE"
  dotnet build "$BEFORE_TREE/src/WebApi" -c Release -nologo -clp:ErrorsOnly >/dev/null
fi

start_service() { # $1 = dll, $2 = provider, $3 = connection string, $4 = migrate (true|false), $5 = log name
  local port; port=$(free_port)
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  Database__Provider="$2" ConnectionStrings__LinkTracking="$3" Database__MigrateOnStartup="$4" Auth__BootstrapApiKey=$KEY \
  RateLimits__ClicksPerMinutePerIp=0 RateLimits__AnalyticsPerMinutePerKey=0 Database__QueryTimeout=00:05:00 \
  ClickPipeline__SpoolDirectory="$OUT/spool-$5" \
    dotnet "$1" --urls "http://127.0.0.1:$port" >"$OUT/service-$5.log" 2>&1 &
  SERVICE_PID=$!; PIDS+=("$SERVICE_PID")
  SERVICE="http://127.0.0.1:$port"
  wait_live "$SERVICE/health/live"
}

stop_service() { kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; }

drained() {
  for _ in $(seq 1 36000); do
    curl -s "$SERVICE/track/health" | grep -q '"queue_depth":0,"queue_capacity":[0-9]*,"spool_bytes":0' && return 0
    sleep 0.1
  done
}

run() { # $1 = provider, $2 = connection string, $3 = clicks, $4 = count command
  log "$1: this branch, $LINKS links, $3 clicks through record-clicks"
  start_service "$AFTER_DLL" "$1" "$2" true "after-$1"
  node bench/analytics-client.mjs links "$SERVICE" "$KEY" "$LINKS" >"$OUT/links-$1.json"
  started=$(date +%s.%N)
  node bench/analytics-client.mjs load "$SERVICE" "$KEY" "$OUT/links-$1.json" "$3" >"$OUT/load-$1.json"
  drained
  elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  stored=$($4 "SELECT count(*) FROM link_clicks")
  rollup_rows=$($4 "SELECT count(*) FROM link_click_rollups")
  unique_rows=$($4 "SELECT count(*) FROM link_click_uniques")
  echo "ingest ($1): $stored clicks stored in $elapsed s = $(awk -v n="$stored" -v t="$elapsed" 'BEGIN { printf "%.0f", n / t }') clicks/s end to end (rollups: $rollup_rows rows, uniques: $unique_rows rows)" | tee -a "$OUT/summary.txt"
  echo "after ($1, rollups):" | tee -a "$OUT/summary.txt"
  node bench/analytics-client.mjs time "$SERVICE" "$KEY" "$OUT/links-$1.json" "$SAMPLES" | tee -a "$OUT/summary.txt"
  stop_service

  [ "${SKIP_BEFORE:-0}" = 1 ] && return 0
  log "$1: $BEFORE_REF (raw queries) on the same data"
  start_service "$BEFORE_DLL" "$1" "$2" false "before-$1"
  echo "before ($1, $BEFORE_REF's raw queries):" | tee -a "$OUT/summary.txt"
  node bench/analytics-client.mjs time "$SERVICE" "$KEY" "$OUT/links-$1.json" "$SAMPLES" | tee -a "$OUT/summary.txt"
  stop_service
}

start_private_postgres
"${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE linktracking" >/dev/null
pg_count() { "${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d linktracking -tAc "$1"; }
run Postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=linktracking;Maximum Pool Size=64" "$SCALE" pg_count

if [ "$SQLITE_SCALE" -gt 0 ]; then
  SQLITE_FILE="$OUT/linktracking.db"
  sqlite_count() { sqlite3 "$SQLITE_FILE" "$1"; }
  if ! command -v sqlite3 >/dev/null 2>&1; then
    sqlite_count() { echo "?"; }
  fi
  run Sqlite "Data Source=$SQLITE_FILE" "$SQLITE_SCALE" sqlite_count
fi

log "Summary (also in $OUT/summary.txt)"
cat "$OUT/summary.txt"
