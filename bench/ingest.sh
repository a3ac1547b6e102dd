#!/usr/bin/env bash
# Ingest benchmark (issue 9, partitioned raw clicks): record-clicks into PostgreSQL, counted once every click is in
# link_clicks (end to end, as (c) of bench/redirect.sh), for two builds in the same run on the same machine:
#   before = the git revision BEFORE (default: main), built from `git archive` into bench/out/before-src;
#   after  = this working tree.
# Two workloads each: 1000 clicks per request without event_id (redirect-like rows, COPY without event keys) and
# BENCH_BATCH (800) clicks per request each with a unique event_id (partner events: COPY with event keys on the
# partitioned table). The builds alternate for ROUNDS rounds (noise from other work on the machine hits both).
# Env: DURATION (s, default 10), WARMUP (s, default 5), ROUNDS (default 2), BEFORE (default main).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source ./scripts/lib.sh

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-2}
BEFORE=${BEFORE:-main}
KEY=ltk_BenchAdminKey0000000000000000000000000000
OUT=bench/out
mkdir -p "$OUT"
ensure_wrk

SERVICE_PID=
cleanup() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null || true
  stop_private_postgres
}
trap cleanup EXIT

log "Building before ($BEFORE) and after (working tree), Release"
rm -rf "$OUT/before-src" && mkdir -p "$OUT/before-src"
git archive "$BEFORE" | tar -x -C "$OUT/before-src"
dotnet build "$OUT/before-src/src/WebApi" -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build src/WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null
declare -A DLL=([before]="$OUT/before-src/src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll"
                [after]="src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll")

start_private_postgres
psql_in() { local db=$1; shift; "${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -tAc "$1"; }

# Waits until every acknowledged click is in PostgreSQL (journal and queue empty), then prints the row count.
drained_count() { # $1 database
  for _ in $(seq 1 600); do
    curl -s "$SERVICE/track/health" | grep -q '"queue_depth":0,"queue_capacity":[0-9]*,"spool_bytes":0' && break
    sleep 0.1
  done
  psql_in "$1" "SELECT count(*) FROM link_clicks"
}

# One measured workload: prints "clicks/s-in-postgres acknowledged-requests"
measure() { # $1 database, rest: env for the lua script
  local db=$1; shift
  env "$@" BENCH_TRACKING_ID="$ID" BENCH_API_KEY=$KEY wrk -t2 -c4 -d"${WARMUP}s" -s bench/ingest.lua \
    "$SERVICE/api/v1/link-tracking/record-clicks" >/dev/null 2>&1
  local before after started elapsed
  before=$(drained_count "$db"); started=$(date +%s.%N)
  env "$@" BENCH_TRACKING_ID="$ID" BENCH_API_KEY=$KEY wrk -t2 -c4 -d"${DURATION}s" -s bench/ingest.lua \
    "$SERVICE/api/v1/link-tracking/record-clicks" >"$OUT/ingest-wrk.txt" 2>&1
  after=$(drained_count "$db")
  elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  awk -v n="$((after - before))" -v t="$elapsed" 'BEGIN { printf "%.0f", n / t }'
  grep -q "Non-2xx" "$OUT/ingest-wrk.txt" && printf ' (non-2xx answers: %s)' "$(grep Non-2xx "$OUT/ingest-wrk.txt")"
  echo
}

declare -A R
for round in $(seq 1 "$ROUNDS"); do
  for build in before after; do
    db="ingest_${build}_${round}"
    psql_in postgres "CREATE DATABASE $db" >/dev/null
    port=$(free_port)
    ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    Database__Provider=Postgres ConnectionStrings__LinkTracking="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$db;Maximum Pool Size=64" \
    Auth__BootstrapApiKey=$KEY RateLimits__ClicksPerMinutePerIp=0 RateLimits__AnalyticsPerMinutePerKey=0 \
    ClickPipeline__SpoolDirectory="$OUT/spool-$db" \
      dotnet "${DLL[$build]}" --urls "http://127.0.0.1:$port" >"$OUT/service-$db.log" 2>&1 &
    SERVICE_PID=$!
    SERVICE="http://127.0.0.1:$port"
    wait_live "$SERVICE/health/live"
    ID=$(curl -sf -X POST "$SERVICE/api/v1/link-tracking/create" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
      -d '{"original_url":"https://example.com/job","link_function":"Job_Posting"}' | sed -E 's/.*"tracking_id":"([^"]+)".*/\1/')
    log "round $round, $build: partitions $(psql_in "$db" "SELECT count(*) FROM pg_inherits WHERE inhparent = 'link_clicks'::regclass")"
    R[$build-plain-$round]=$(measure "$db" BENCH_EVENT_IDS=0)
    R[$build-events-$round]=$(measure "$db" BENCH_EVENT_IDS=1)
    echo "  no event_id: ${R[$build-plain-$round]} clicks/s; with event_id: ${R[$build-events-$round]} clicks/s"
    kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=
  done
done

log "Ingest, clicks/s in PostgreSQL end to end (DURATION=${DURATION}s, c=4)"
printf '%-8s %-28s %-28s\n' round "no event_id (before / after)" "event_id (before / after)"
for round in $(seq 1 "$ROUNDS"); do
  printf '%-8s %-28s %-28s\n' "$round" "${R[before-plain-$round]} / ${R[after-plain-$round]}" "${R[before-events-$round]} / ${R[after-events-$round]}"
done
