#!/usr/bin/env bash
# Memory under a backlog (issue 13). The service, its .NET heap capped at 512 MB (DOTNET_GCHeapHardLimit=0x20000000, as
# a container limit would do), journal durability, ingests CLICKS clicks (default 5,000,000) through POST record-clicks
# in batches of 200, each with a unique event_id, from CONCURRENCY clients (bench/memory-client.mjs), as fast as it
# acknowledges them, while PostgreSQL is kept slower than the client: its processes run in a cgroup (v1 cpu controller)
# limited to PG_CPU percent of one core (default 20); where no cgroup can be made, they are pinned to one core with
# taskset instead. Throughout, the service's RSS is sampled from /proc/<pid>/status; the peak is VmHWM (the kernel's
# high-water mark, so nothing between samples is missed).
# Prints: peak RSS, acknowledged clicks and ingest rate, 503s, the time for the backlog (spool) to drain, and whether
# every acknowledged click is in PostgreSQL exactly once (count(*) = count(DISTINCT event_id) = acknowledged).
# PASS when: the service never ran out of memory (alive, no OutOfMemoryException in its log), peak RSS <= 700 MB,
# all clicks stored once, no 5xx other than 503. Exit status 0 on PASS, 1 on FAIL.
# Env: CLICKS (default 5000000; e.g. CLICKS=200000 for a quick run), CONCURRENCY (8), PG_CPU (20), RSS_LIMIT_MB (700),
# DRAIN_TIMEOUT (s, 1800), HEAP_LIMIT (0x20000000).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source ./scripts/lib.sh

CLICKS=${CLICKS:-5000000}
CONCURRENCY=${CONCURRENCY:-8}
PG_CPU=${PG_CPU:-20}
RSS_LIMIT_MB=${RSS_LIMIT_MB:-700}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-1800}
HEAP_LIMIT=${HEAP_LIMIT:-0x20000000}
KEY=ltk_BenchAdminKey0000000000000000000000000000
OUT=bench/out
SPOOL="$OUT/memory-spool"
mkdir -p "$OUT"
rm -rf "$SPOOL"

command -v node >/dev/null 2>&1 || { log "Installing Node.js (Debian package)"; as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs >/dev/null; }

PIDS=()
CGROUP=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_private_postgres
  if [ -n "$CGROUP" ]; then
    for _ in $(seq 1 50); do rmdir "$CGROUP" 2>/dev/null && break; sleep 0.1; done
  fi
}
trap cleanup EXIT

start_private_postgres
PGCONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=linktracking;Maximum Pool Size=64"
"${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE linktracking" >/dev/null
psql_q() { "${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d linktracking -tAc "$1"; }

# PostgreSQL slower than the client: every process of the cluster (the postmaster's children inherit its cgroup).
PG_PIDS=$(head -1 "$PG_DIR/data/postmaster.pid")
PG_PIDS="$PG_PIDS $(ps -o pid= --ppid "$PG_PIDS" | tr '\n' ' ')"
THROTTLE="none"
if [ -w /sys/fs/cgroup/cpu ] && mkdir "/sys/fs/cgroup/cpu/linktracking-bench-$$" 2>/dev/null; then
  CGROUP="/sys/fs/cgroup/cpu/linktracking-bench-$$"
  echo 100000 > "$CGROUP/cpu.cfs_period_us"
  echo $((PG_CPU * 1000)) > "$CGROUP/cpu.cfs_quota_us"
  for pid in $PG_PIDS; do echo "$pid" > "$CGROUP/cgroup.procs"; done
  THROTTLE="cgroup cpu quota ${PG_CPU}% of one core"
elif command -v taskset >/dev/null 2>&1; then
  for pid in $PG_PIDS; do taskset -a -p -c 1 "$pid" >/dev/null; done
  THROTTLE="pinned to core 1 (taskset; no cgroup could be made)"
fi
log "PostgreSQL throttled: $THROTTLE"

log "Building Release"
dotnet build src/WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null

PORT=$(free_port)
SERVICE="http://127.0.0.1:$PORT"
log "Starting the service: heap limit $HEAP_LIMIT, journal durability, PostgreSQL"
DOTNET_GCHeapHardLimit=$HEAP_LIMIT ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
Database__Provider=Postgres ConnectionStrings__LinkTracking="$PGCONN" Auth__BootstrapApiKey=$KEY \
RateLimits__ClicksPerMinutePerIp=0 RateLimits__AnalyticsPerMinutePerKey=0 \
ClickPipeline__Durability=Journal ClickPipeline__SpoolDirectory="$SPOOL" \
  dotnet src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll --urls "$SERVICE" >"$OUT/memory-service.log" 2>&1 &
SERVICE_PID=$!; PIDS+=("$SERVICE_PID")
wait_live "$SERVICE/health/live"

ID=$(curl -sf -X POST "$SERVICE/api/v1/link-tracking/create" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
  -d '{"original_url":"https://example.com/backfill","link_function":"Job_Posting"}' | sed -E 's/.*"tracking_id":"([^"]+)".*/\1/')

# RSS every 0.5 s: seconds since start, VmRSS and VmHWM (kB), spool bytes as /track/health reports them.
RSS_LOG="$OUT/memory-rss.tsv"
printf 't_s\tvm_rss_kb\tvm_hwm_kb\tspool_bytes\n' > "$RSS_LOG"
T0=$(date +%s.%N)
(
  while [ -r "/proc/$SERVICE_PID/status" ]; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVICE_PID/status" 2>/dev/null || true)
    hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVICE_PID/status" 2>/dev/null || true)
    spool=$(curl -s -m 2 "$SERVICE/track/health" | grep -o '"spool_bytes":[0-9]*' | head -1 | cut -d: -f2 || true)
    [ -n "$rss" ] && printf '%s\t%s\t%s\t%s\n' "$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')" "$rss" "$hwm" "${spool:-?}" >> "$RSS_LOG"
    sleep 0.5
  done
) &
PIDS+=("$!")

log "Ingesting $CLICKS clicks (batches of 200, unique event ids, $CONCURRENCY clients)"
URL="$SERVICE/api/v1/link-tracking/record-clicks" API_KEY=$KEY TRACKING_ID=$ID CLICKS=$CLICKS CONCURRENCY=$CONCURRENCY \
  RUN_ID="m$$" node bench/memory-client.mjs > "$OUT/memory-client.json"
CLIENT_DONE=$(date +%s.%N)
cat "$OUT/memory-client.json"
json() { grep -o "\"$1\":[0-9.]*" "$OUT/memory-client.json" | cut -d: -f2; }
ACKED=$(json acknowledged); S503=$(json status_503); OTHER5XX=$(json other_5xx); NETERR=$(json network_errors)
OTHERSTATUS=$(json other_status); GAVEUP=$(json gave_up); INGEST_S=$(json seconds); RATE=$(json clicks_per_second)

log "Waiting for the backlog to drain (spool empty, every acknowledged click in PostgreSQL)"
DRAINED=no
deadline=$(( $(date +%s) + DRAIN_TIMEOUT ))
while [ "$(date +%s)" -lt "$deadline" ] && kill -0 "$SERVICE_PID" 2>/dev/null; do
  health=$(curl -s -m 5 "$SERVICE/track/health" || true)
  if echo "$health" | grep -q '"queue_depth":0[,}]' && echo "$health" | grep -q '"spool_bytes":0[,}]'; then
    if [ "$(psql_q "SELECT count(*) >= $ACKED FROM link_clicks")" = "t" ]; then DRAINED=yes; break; fi
  fi
  sleep 1
done
DRAIN_S=$(awk -v a="$CLIENT_DONE" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
TOTAL_S=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

ALIVE=yes; kill -0 "$SERVICE_PID" 2>/dev/null || ALIVE=no
OOM=no; grep -q "OutOfMemoryException" "$OUT/memory-service.log" && OOM=yes
HWM_KB=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVICE_PID/status" 2>/dev/null || true)
SAMPLED_KB=$(awk 'NR > 1 && $2 > m { m = $2 } END { print m + 0 }' "$RSS_LOG")
HWM_KB=${HWM_KB:-$(awk 'NR > 1 && $3 > m { m = $3 } END { print m + 0 }' "$RSS_LOG")}
MAX_SPOOL=$(awk 'NR > 1 && $4 ~ /^[0-9]+$/ && $4 > m { m = $4 } END { print m + 0 }' "$RSS_LOG")
read -r STORED DISTINCT < <(psql_q "SELECT count(*), count(DISTINCT event_id) FROM link_clicks WHERE tracking_id = '$ID'" | tr '|' ' ')

echo
log "Memory under a backlog: summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, heap limit $HEAP_LIMIT, PostgreSQL: $THROTTLE)"
echo "clicks sent:            $CLICKS in batches of 200 from $CONCURRENCY clients"
echo "acknowledged:           $ACKED in ${INGEST_S}s ($RATE clicks/s); items rejected: $(json rejected_items)"
echo "answers:                503 (retried): $S503; other 5xx: $OTHER5XX; other non-200: $OTHERSTATUS; network errors: $NETERR; batches given up: $GAVEUP"
echo "backlog:                largest spool seen $((MAX_SPOOL / 1048576)) MiB; drained ${DRAIN_S}s after the last acknowledgement (drained: $DRAINED); ${TOTAL_S}s in all"
echo "service RSS:            peak (VmHWM) $((HWM_KB / 1024)) MiB; largest sample (VmRSS) $((SAMPLED_KB / 1024)) MiB; samples in $RSS_LOG"
echo "stored in PostgreSQL:   count(*) $STORED, count(DISTINCT event_id) $DISTINCT (acknowledged $ACKED)"
echo "service alive: $ALIVE; OutOfMemoryException in its log: $OOM"

FAIL=()
[ "$ALIVE" = yes ] || FAIL+=("the service died")
[ "$OOM" = no ] || FAIL+=("OutOfMemoryException")
[ "$HWM_KB" -le $((RSS_LIMIT_MB * 1024)) ] || FAIL+=("peak RSS $((HWM_KB / 1024)) MiB > $RSS_LIMIT_MB MB")
[ "$ACKED" -eq "$CLICKS" ] || FAIL+=("acknowledged $ACKED of $CLICKS")
[ "$DRAINED" = yes ] || FAIL+=("backlog not drained within ${DRAIN_TIMEOUT}s")
{ [ "$STORED" -eq "$ACKED" ] && [ "$DISTINCT" -eq "$ACKED" ]; } || FAIL+=("stored $STORED (distinct $DISTINCT) != acknowledged $ACKED")
[ "$OTHER5XX" -eq 0 ] || FAIL+=("$OTHER5XX answers 5xx other than 503")
if [ ${#FAIL[@]} -eq 0 ]; then
  echo "PASS: no out-of-memory, peak RSS <= $RSS_LIMIT_MB MB, every acknowledged click stored exactly once"
else
  printf 'FAIL: %s\n' "$(IFS=';'; echo "${FAIL[*]}")"
  exit 1
fi
