#!/usr/bin/env bash
# Redirect hot-path benchmark (issue 3). One command; everything measured in the same run on this machine:
#   (a) a bare Kestrel MVC 302 from a dictionary (bench/BaselineRedirect): the ceiling;
#   (b) GET /track/{id} on the real service, PostgreSQL behind it, clicks durable before the 302: the default
#       journal (group commit onto the fsync'd local spool, mover copies into PostgreSQL);
#   (d) the same with ClickPipeline:Durability=Database (group commit into PostgreSQL), the alternative of ADR 0005;
#   (n) the same with one awaited INSERT per click (bench/NaiveService: the service with its recorder replaced; the
#       naive recorder is not in the production code): the naive design;
#   (c) record-clicks ingest, 1000 clicks per request, counted once they are all in PostgreSQL;
#   (v) a link with A/B variants beside the plain link on the same service (b), interleaved, VARIANT_ROUNDS rounds
#       (default 5, the order alternating), c=32: medians and the run-to-run spread (min–max) of each (issue 29).
# Prints req/s, p50/p99, rows actually stored, and the ratios b/a. Env: DURATION (s, default 10), SOAK (s, default 0),
# WARMUP (s, default 10: the JIT's tiering settles before anything is measured).
# Before/after (issue 10 item 6): BEFORE_REF=<git ref> also builds that commit (git archive into
# bench/out/before-<sha>, Release, reused by later runs) and runs it beside this tree's service on the same database and link; ROUNDS rounds (default 3) each
# measure (a), then before and after (the order alternating between rounds) at c=32 and c=256, and print req/s and
# the service's CPU per request (user + system from /proc), their medians and after/before. AB_ONLY=1 stops there.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source ./scripts/lib.sh

DURATION=${DURATION:-10}
SOAK=${SOAK:-0}
WARMUP=${WARMUP:-10}
KEY=ltk_BenchAdminKey0000000000000000000000000000
OUT=$(pwd)/bench/out
mkdir -p "$OUT"
ROUNDS=${ROUNDS:-3}
BEFORE_TREE=""
if [ -n "${BEFORE_REF:-}" ]; then BEFORE_TREE="$OUT/before-$(git rev-parse --short "$BEFORE_REF")"; fi

ensure_wrk

# Redirects are sent as a person's browser sends them (agent, Accept, Accept-Language, Sec-Fetch-*), so the service
# pays for the classification a real click costs (agent matched, headers read) and records human clicks.
BROWSER=(-H 'User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
  -H 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' -H 'Accept-Language: en-GB,en;q=0.9'
  -H 'Sec-Fetch-Site: cross-site' -H 'Sec-Fetch-Mode: navigate' -H 'Sec-Fetch-Dest: document' -H 'Sec-Fetch-User: ?1')

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_private_postgres
}
trap cleanup EXIT

start_private_postgres
PGCONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=linktracking;Maximum Pool Size=64"
"${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE linktracking" >/dev/null
psql_count() { "${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d linktracking -tAc "$1"; }

log "Building Release"
dotnet build src/WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/BaselineRedirect -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/NaiveService -c Release -nologo -clp:ErrorsOnly >/dev/null
if [ -n "$BEFORE_TREE" ]; then
  # Kept under bench/out (ignored by git) and reused by the next run of the same ref.
  log "Building $BEFORE_REF Release in $BEFORE_TREE"
  [ -d "$BEFORE_TREE/src" ] || { mkdir -p "$BEFORE_TREE"; git archive "$BEFORE_REF" | tar -x -C "$BEFORE_TREE"; }
  dotnet build "$BEFORE_TREE/src/WebApi" -c Release -nologo -clp:ErrorsOnly >/dev/null
fi


# Batched: the service; Direct: the same service with one awaited INSERT per click (bench/NaiveService).
# Before: the same service built from BEFORE_REF.
service_dll() {
  case "$1" in
    Direct) echo bench/NaiveService/bin/Release/net10.0/NaiveService.dll ;;
    Before) echo "$BEFORE_TREE/src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll" ;;
    *) echo src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll ;;
  esac
}

start_service() { # $1 = mode (Batched|Direct|Before), $2 = durability (Journal|Database)
  local port; port=$(free_port)
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  Database__Provider=Postgres ConnectionStrings__LinkTracking="$PGCONN" Auth__BootstrapApiKey=$KEY \
  RateLimits__ClicksPerMinutePerIp=0 RateLimits__AnalyticsPerMinutePerKey=0 \
  ClickPipeline__Durability="$2" ClickPipeline__SpoolDirectory="$OUT/spool-$1" \
    dotnet "$(service_dll "$1")" --urls "http://127.0.0.1:$port" >"$OUT/service-$1-$2.log" 2>&1 &
  SERVICE_PID=$!; PIDS+=("$SERVICE_PID")
  SERVICE="http://127.0.0.1:$port"
  wait_live "$SERVICE/health/live"
}

stop_service() { kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; }

# Waits until every acknowledged click is in PostgreSQL (journal and queue empty), then prints the row count.
drained_count() {
  for _ in $(seq 1 600); do
    curl -s "$SERVICE/track/health" | grep -q '"queue_depth":0,"queue_capacity":[0-9]*,"spool_bytes":0' && break
    sleep 0.1
  done
  psql_count "SELECT count(*) FROM link_clicks"
}

# wrk → "req/s p50 p99 requests" (latencies in ms)
run_wrk() { # $1 connections, $2 url, rest: extra wrk args
  local c=$1 url=$2; shift 2
  wrk -t2 -c"$c" -d"${DURATION}s" --latency "$@" "$url" >"$OUT/wrk.txt" 2>&1
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps=$2 }
    /^ +50%/ { p50=ms($2) }
    /^ +99%/ { p99=ms($2) }
    /requests in/ { n=$1 }
    /Non-2xx or 3xx/ { bad=$5 }
    END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, n, bad+0 }' "$OUT/wrk.txt"
}

row() { printf '%-44s %10s %9s %9s %10s\n' "$@"; }

log "Starting the baseline (a)"
start_baseline "$OUT"; PIDS+=("$BASE_PID")

log "Starting the service (b): journal (group commit onto the local spool), PostgreSQL behind it"
start_service Batched Journal
ID=$(curl -sf -X POST "$SERVICE/api/v1/link-tracking/create" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
  -d '{"original_url":"https://example.com/job","link_function":"Job_Posting"}' | sed -E 's/.*"tracking_id":"([^"]+)".*/\1/')
curl -s -o /dev/null "$SERVICE/track/$ID"
wrk -t2 -c32 -d"${WARMUP}s" "${BROWSER[@]}" "$BASE/track/lt_benchbaseline" >/dev/null 2>&1   # warm-up
wrk -t2 -c32 -d"${WARMUP}s" "${BROWSER[@]}" "$SERVICE/track/$ID" >/dev/null 2>&1

declare -A R
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

if [ -n "$BEFORE_TREE" ]; then
  AFTER_PID=$SERVICE_PID; AFTER=$SERVICE
  log "Starting $BEFORE_REF's service beside it (same database, same link)"
  start_service Before Journal
  BEFORE_PID=$SERVICE_PID; BEFORE=$SERVICE
  curl -s -o /dev/null "$BEFORE/track/$ID"
  wrk -t2 -c32 -d"${WARMUP}s" "${BROWSER[@]}" "$BEFORE/track/$ID" >/dev/null 2>&1
  ab_run() { # $1 = label, $2 = pid, $3 = base url, $4 = connections → one row; sets AB_RPS, AB_CPU
    local before_ticks after_ticks rps p50 p99 n bad
    before_ticks=$(cpu_ticks "$2")
    read -r rps p50 p99 n bad < <(run_wrk "$4" "$3/track/$ID" "${BROWSER[@]}")
    after_ticks=$(cpu_ticks "$2")
    AB_RPS=$rps
    AB_CPU=$(( (after_ticks - before_ticks) * 1000000 / $(getconf CLK_TCK) / (n > 0 ? n : 1) ))
    row "$1, c=$4" "$rps" "$p50" "$p99" "${AB_CPU} µs/req$([ "$bad" -gt 0 ] && echo " ($bad non-3xx)")"
  }
  printf '%-44s %10s %9s %9s %10s\n' "before/after ($ROUNDS rounds)" "req/s" "p50 ms" "p99 ms" "CPU"
  declare -A AB
  for round in $(seq 1 "$ROUNDS"); do
    for c in 32 256; do
      read -r rps p50 p99 n bad < <(run_wrk "$c" "$BASE/track/lt_benchbaseline" "${BROWSER[@]}")
      row "[$round] (a) baseline 302, c=$c" "$rps" "$p50" "$p99" "-"
      AB[a$c]+="$rps "
      order=(before after); [ $((round % 2)) -eq 0 ] && order=(after before)
      for side in "${order[@]}"; do
        if [ "$side" = before ]; then ab_run "[$round] $BEFORE_REF /track" "$BEFORE_PID" "$BEFORE" "$c"
        else ab_run "[$round] this tree /track" "$AFTER_PID" "$AFTER" "$c"; fi
        AB[${side}_rps$c]+="$AB_RPS "; AB[${side}_cpu$c]+="$AB_CPU "
      done
    done
  done
  kill "$BEFORE_PID"; wait "$BEFORE_PID" 2>/dev/null || true
  echo
  log "Before/after summary, medians of $ROUNDS rounds ($(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
  for c in 32 256; do
    # shellcheck disable=SC2086
    { ma=$(median ${AB[a$c]}); mbr=$(median ${AB[before_rps$c]}); mar=$(median ${AB[after_rps$c]}); mbc=$(median ${AB[before_cpu$c]}); mac=$(median ${AB[after_cpu$c]}); }
    echo "c=$c: baseline $ma req/s; before $mbr req/s, $mbc µs CPU/req (b/a $(ratio "$mbr" "$ma")); after $mar req/s, $mac µs CPU/req (b/a $(ratio "$mar" "$ma")); after/before: req/s $(ratio "$mar" "$mbr"), CPU/req $(ratio "$mac" "$mbc")"
  done
  if [ "${AB_ONLY:-0}" = 1 ]; then exit 0; fi
  SERVICE_PID=$AFTER_PID; SERVICE=$AFTER
fi

for c in 32 256; do
  read -r rps p50 p99 n bad < <(run_wrk "$c" "$BASE/track/lt_benchbaseline" "${BROWSER[@]}"); R[a$c]=$rps
  row "(a) baseline 302, c=$c" "$rps" "$p50" "$p99" "-"
  before=$(drained_count)
  read -r rps p50 p99 n bad < <(run_wrk "$c" "$SERVICE/track/$ID" "${BROWSER[@]}"); R[b$c]=$rps
  after=$(drained_count)
  stored=$((after - before))
  row "(b) /track durable (journal), c=$c" "$rps" "$p50" "$p99" "$stored/$((n - bad))"
  R[ok$c]=$([ "$stored" -ge "$((n - bad))" ] && echo yes || echo NO)
done

# (v) Variants: the redirect picks a variant by hashing (no database, no allocation-heavy work; ADR 0025). Measured
# beside the plain link in one run, interleaved, so the machine's drift hits both alike; every request is a new
# visitor (no cookie), the path that also seeds the new session id.
VARIANT_ROUNDS=${VARIANT_ROUNDS:-5}
VID=$(curl -sf -X POST "$SERVICE/api/v1/link-tracking/create" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
  -d '{"original_url":"https://example.com/job","link_function":"Job_Posting","variants":[{"key":"a","url":"https://example.com/job-a","weight":50},{"key":"b","url":"https://example.com/job-b","weight":30},{"key":"c","url":"https://example.com/job-c","weight":20}]}' \
  | sed -E 's/.*"tracking_id":"([^"]+)".*/\1/')
curl -s -o /dev/null "$SERVICE/track/$VID"
wrk -t2 -c32 -d"${WARMUP}s" "${BROWSER[@]}" "$SERVICE/track/$VID" >/dev/null 2>&1
log "(v) variants beside the plain link, c=32, $VARIANT_ROUNDS interleaved rounds"
declare -A V
for round in $(seq 1 "$VARIANT_ROUNDS"); do
  order=(plain variants); [ $((round % 2)) -eq 0 ] && order=(variants plain)
  for side in "${order[@]}"; do
    target=$ID; [ "$side" = variants ] && target=$VID
    read -r rps p50 p99 n bad < <(run_wrk 32 "$SERVICE/track/$target" "${BROWSER[@]}")
    row "[$round] (v) /track $side, c=32" "$rps" "$p50" "$p99" "$([ "$bad" -gt 0 ] && echo "$bad non-3xx" || echo -)"
    V[${side}_rps]+="$rps "; V[${side}_p50]+="$p50 "
  done
done
spread() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s–%s", lo, hi }'; }
# shellcheck disable=SC2086
{
  R[vplain]=$(median ${V[plain_rps]}); R[vvariants]=$(median ${V[variants_rps]})
  R[vline]="plain $(median ${V[plain_rps]}) req/s (spread $(spread ${V[plain_rps]}), p50 $(median ${V[plain_p50]}) ms); variants $(median ${V[variants_rps]}) req/s (spread $(spread ${V[variants_rps]}), p50 $(median ${V[variants_p50]}) ms)"
}
drained_count >/dev/null

read -r rss_kb < <(awk '/VmRSS/ {print $2}' "/proc/$SERVICE_PID/status")

log "(c) record-clicks ingest, 1000 clicks per request; counted when every click is in PostgreSQL"
BENCH_TRACKING_ID=$ID BENCH_API_KEY=$KEY wrk -t2 -c4 -d"${WARMUP}s" -s bench/ingest.lua "$SERVICE/api/v1/link-tracking/record-clicks" >/dev/null 2>&1
before=$(drained_count)
started=$(date +%s.%N)
read -r rps p50 p99 n bad < <(BENCH_TRACKING_ID=$ID BENCH_API_KEY=$KEY run_wrk 4 "$SERVICE/api/v1/link-tracking/record-clicks" -s bench/ingest.lua)
after=$(drained_count)
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
R[ingest]=$(awk -v n="$((after - before))" -v t="$elapsed" 'BEGIN { printf "%.0f", n / t }')
R[acked]=$(( (n - bad) * 1000 / DURATION ))
row "(c) record-clicks (1000/request), c=4" "$rps" "$p50" "$p99" "$((after - before)) in ${elapsed}s"

if [ "$SOAK" -gt 0 ]; then
  log "Soak: ${SOAK}s of redirects at c=64, RSS every 30 s (kB)"
  wrk -t2 -c64 -d"${SOAK}s" "${BROWSER[@]}" "$SERVICE/track/$ID" >"$OUT/soak.txt" 2>&1 &
  SOAK_PID=$!
  while kill -0 "$SOAK_PID" 2>/dev/null; do awk '/VmRSS/ {printf "%s ", $2}' "/proc/$SERVICE_PID/status"; sleep 30; done; echo
fi
stop_service

log "Restarting the service (d): group commit into PostgreSQL (ClickPipeline:Durability=Database)"
start_service Batched Database
curl -s -o /dev/null "$SERVICE/track/$ID"
wrk -t2 -c32 -d"${WARMUP}s" "${BROWSER[@]}" "$SERVICE/track/$ID" >/dev/null 2>&1
for c in 32 256; do
  before=$(drained_count)
  read -r rps p50 p99 n bad < <(run_wrk "$c" "$SERVICE/track/$ID" "${BROWSER[@]}"); R[d$c]=$rps
  after=$(drained_count)
  row "(d) /track durable (database), c=$c" "$rps" "$p50" "$p99" "$((after - before))/$((n - bad))"
done
stop_service

log "Restarting the service (n): one awaited INSERT per click"
start_service Direct Database
curl -s -o /dev/null "$SERVICE/track/$ID"
wrk -t2 -c32 -d"${WARMUP}s" "${BROWSER[@]}" "$SERVICE/track/$ID" >/dev/null 2>&1
read -r rps p50 p99 n bad < <(run_wrk 32 "$SERVICE/track/$ID" "${BROWSER[@]}"); R[n32]=$rps
row "(n) /track naive INSERT per click, c=32" "$rps" "$p50" "$p99" "-"
stop_service

echo
log "Summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m))"
echo "b/a at c=32:  $(ratio "${R[b32]}" "${R[a32]}")   (target >= 0.6)"
echo "b/a at c=256: $(ratio "${R[b256]}" "${R[a256]}")   (target >= 0.8)"
echo "d/a at c=32:  $(ratio "${R[d32]}" "${R[a32]}")   d/a at c=256: $(ratio "${R[d256]}" "${R[a256]}")   (database durability, for comparison)"
echo "naive/a at c=32: $(ratio "${R[n32]}" "${R[a32]}")   journal / naive: $(ratio "${R[b32]}" "${R[n32]}")x   journal / database: $(ratio "${R[b32]}" "${R[d32]}")x"
echo "every 302 has its row: c=32 ${R[ok32]}, c=256 ${R[ok256]}"
echo "ingest: ${R[ingest]} clicks/s in PostgreSQL end to end (target >= 50000); ${R[acked]} clicks/s acknowledged (durable in the journal)"
echo "service RSS after the redirect runs: $((rss_kb / 1024)) MiB"
echo "variants (medians of $VARIANT_ROUNDS interleaved rounds, c=32): ${R[vline]}; variants/plain $(ratio "${R[vvariants]}" "${R[vplain]}")"
