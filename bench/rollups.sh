#!/usr/bin/env bash
# Ingest end to end with rollups (issue 24): clicks through record-clicks until every one is stored AND counted by
# the rollups, for two builds in the same run on the same machine, each on a database of its own:
#   before = BEFORE_REF (default cf9e6c8: rollups and exact sessions inside the clicks' transaction);
#   after  = this working tree (rollups after the commit, HyperLogLog sessions).
# Realistic traffic (bench/analytics-client.mjs): LINKS links of jobs and applications, public addresses of ~200
# countries, today's browsers and crawlers, sessions of 1–4 clicks; SPREAD_HOURS=1 is live traffic (the default),
# 2160 a 90-day backfill. Prints clicks/s for each, their ratio, the rollups' lag after the last acknowledgement, and
# (after) unique sessions estimated against the exact count.
# Env: CLICKS (after, default 1000000), BEFORE_CLICKS (default 100000; the before build is ~20x slower), LINKS (1000),
#      SPREAD_HOURS (1), CLICKS_PER_REQUEST (1000), BEFORE_REF (cf9e6c8), SKIP_BEFORE=1, SQLITE_CLICKS (0: skip SQLite),
#      SPLIT=1 (also "after" with the burst and decoy rules off: how much of the worker's time they take),
#      BEFORE_WATERMARK=1 (BEFORE_REF counts after the commit too, ADR 0021 or later: wait for its watermark as well).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source ./scripts/lib.sh

CLICKS=${CLICKS:-1000000}
BEFORE_CLICKS=${BEFORE_CLICKS:-100000}
LINKS=${LINKS:-1000}
SQLITE_CLICKS=${SQLITE_CLICKS:-0}
export SPREAD_HOURS=${SPREAD_HOURS:-1}
export CLICKS_PER_REQUEST=${CLICKS_PER_REQUEST:-1000}
export PG_OPTIONS=${PG_OPTIONS:--c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB -c random_page_cost=1.1 -c max_wal_size=8GB}
BEFORE_REF=${BEFORE_REF:-cf9e6c8}
KEY=ltk_BenchAdminKey0000000000000000000000000000
OUT=$(pwd)/bench/out/rollups
rm -rf "$OUT"; mkdir -p "$OUT"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_private_postgres
}
trap cleanup EXIT

log "Building this tree and $BEFORE_REF (Release)"
dotnet build src/WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null
AFTER_DLL=src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll
BEFORE_TREE=$(pwd)/bench/out/before-$BEFORE_REF
BEFORE_DLL=$BEFORE_TREE/src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll
if [ "${SKIP_BEFORE:-0}" != 1 ] && [ ! -f "$BEFORE_DLL" ]; then
  rm -rf "$BEFORE_TREE"; mkdir -p "$BEFORE_TREE"
  git archive "$BEFORE_REF" | tar -x -C "$BEFORE_TREE"
  dotnet build "$BEFORE_TREE/src/WebApi" -c Release -nologo -clp:ErrorsOnly >/dev/null
fi

start_service() { # $1 = dll, $2 = provider, $3 = connection string, $4 = name
  local port; port=$(free_port)
  local rules=true
  case "$4" in after-norules*) rules=false ;; esac
  ClickClassification__BurstRule=$rules ClickClassification__DecoyRule=$rules ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  Database__Provider="$2" ConnectionStrings__LinkTracking="$3" Auth__BootstrapApiKey=$KEY \
  RateLimits__ClicksPerMinutePerIp=0 RateLimits__AnalyticsPerMinutePerKey=0 Database__QueryTimeout=00:05:00 \
  ClickPipeline__SpoolDirectory="$OUT/spool-$4" \
    dotnet "$1" --urls "http://127.0.0.1:$port" >"$OUT/service-$4.log" 2>&1 &
  SERVICE_PID=$!; PIDS+=("$SERVICE_PID")
  SERVICE="http://127.0.0.1:$port"
  wait_live "$SERVICE/health/live"
}

stop_service() { kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; }

# Every acknowledged click is in the database: the journal and the queue are empty.
stored() {
  for _ in $(seq 1 36000); do
    curl -s "$SERVICE/track/health" | grep -q '"queue_depth":0,"queue_capacity":[0-9]*,"spool_bytes":0' && return 0
    sleep 0.05
  done
}

# Every stored click is counted (after: the watermark has reached the last click's number; before: counted in the
# clicks' own transaction, so stored is counted).
counted() { # $1 = name, $2 = count command
  [ "$1" = before ] && [ "${BEFORE_WATERMARK:-0}" != 1 ] && return 0
  # shellcheck disable=SC2034
  for _ in $(seq 1 36000); do
    [ "$($2 "SELECT (SELECT rolled_seq FROM click_rollup_state) >= (SELECT coalesce(max(seq), 0) FROM link_clicks)")" = t ] && return 0
    [ "$($2 "SELECT (SELECT rolled_seq FROM click_rollup_state) >= (SELECT coalesce(max(seq), 0) FROM link_clicks)")" = 1 ] && return 0
    sleep 0.05
  done
}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

run() { # $1 = name (before|after), $2 = dll, $3 = provider, $4 = connection string, $5 = count command, $6 = clicks
  log "$1 ($3): $LINKS links, $6 clicks through record-clicks (SPREAD_HOURS=$SPREAD_HOURS)"
  start_service "$2" "$3" "$4" "$1-$3"
  node bench/analytics-client.mjs links "$SERVICE" "$KEY" "$LINKS" >"$OUT/links-$1-$3.json"
  local started acked stored_at counted_at n
  started=$(now)
  node bench/analytics-client.mjs load "$SERVICE" "$KEY" "$OUT/links-$1-$3.json" "$6" >"$OUT/load-$1-$3.json"
  acked=$(now)
  stored; stored_at=$(now)
  counted "$1" "$5"; counted_at=$(now)
  n=$($5 "SELECT count(*) FROM link_clicks")
  local rate; rate=$(awk -v n="$n" -v t="$(secs "$started" "$counted_at")" 'BEGIN { printf "%.0f", n / t }')
  echo "$1 ($3): $n clicks acknowledged in $(secs "$started" "$acked") s, stored +$(secs "$acked" "$stored_at") s, counted +$(secs "$stored_at" "$counted_at") s: $rate clicks/s stored and counted end to end; rollups current $(secs "$acked" "$counted_at") s after the last acknowledgement" | tee -a "$OUT/summary.txt"
  eval "RATE_${1//-/_}_$3=$rate"
  if [ "$1" != before ] && [ "$3" = Postgres ]; then
    local hot; hot=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$OUT/links-$1-$3.json','utf8'))[0].id)")
    echo "unique sessions of the hot link $hot: exact $($5 "SELECT count(DISTINCT session_id) FROM link_clicks WHERE tracking_id = '$hot' AND NOT is_bot"), estimate $($5 "SELECT round(hll_cardinality(hll_union_agg(human_keys))) FROM link_click_daily_sketches WHERE scope = 'l:$hot' AND kind = 's'"); all links: exact $($5 "SELECT count(DISTINCT session_id) FROM link_clicks c JOIN link_tracking l USING (tracking_id) WHERE NOT is_bot AND l.link_function <> 'Decoy'"), estimate $($5 "SELECT round(hll_cardinality(hll_union_agg(human_keys))) FROM link_click_daily_sketches WHERE scope = '*' AND kind = 's'")" | tee -a "$OUT/summary.txt"
  fi
  stop_service
}

start_private_postgres
pg() { "${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$PG_DB" -tAc "$1"; }
NAMES="before after"
[ "${SPLIT:-0}" = 1 ] && NAMES="before after after-norules"
for name in $NAMES; do
  [ "$name" = before ] && [ "${SKIP_BEFORE:-0}" = 1 ] && continue
  PG_DB=rollups_${name//-/_}
  "${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $PG_DB" >/dev/null
  dll=$AFTER_DLL; clicks=$CLICKS
  [ "$name" = before ] && dll=$BEFORE_DLL && clicks=$BEFORE_CLICKS
  run "$name" "$dll" Postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DB;Maximum Pool Size=64" pg "$clicks"
done
if [ "${SKIP_BEFORE:-0}" != 1 ]; then
  echo "after / before (PostgreSQL, clicks/s stored and counted): $(awk -v a="$RATE_after_Postgres" -v b="$RATE_before_Postgres" 'BEGIN { printf "%.1fx", a / b }')" | tee -a "$OUT/summary.txt"
fi

if [ "$SQLITE_CLICKS" -gt 0 ]; then
  SQLITE_FILE="$OUT/linktracking.db"
  sq() { sqlite3 "$SQLITE_FILE" "$1"; }
  run after "$AFTER_DLL" Sqlite "Data Source=$SQLITE_FILE" sq "$SQLITE_CLICKS"
fi

log "Summary (also in $OUT/summary.txt)"
cat "$OUT/summary.txt"
