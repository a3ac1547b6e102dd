#!/usr/bin/env bash
# Redirects at full speed with the database behind them, against the journal-only ceiling (issue 24, "Speed"):
#   one service (Release, Production, PostgreSQL on a private cluster set up as rollups.sh sets it) trusting 127.0.0.1
#   as its proxy (Network:TrustedProxies), LINKS links (jobs and applications, bench/analytics-client.mjs), WARMUP s of
#   the load below, then ROUNDS rounds (default 1) of two phases, the database's first:
#   (db)      DURATION s of wrk (bench/load.lua: over the links, one taking 20 %, a public X-Forwarded-For address per
#             request, today's browsers with their full header sets) with PostgreSQL running → R_db. During it an
#             analytics call of the hot link and the 30-day report are timed every ANALYTICS_EVERY s (the issue's
#             "an analytics call during the load"). After wrk ends: the seconds until every acknowledged click is
#             stored (journal and queue empty) and until it is rolled up (the rollup watermark at the last click's
#             number, ADR 0021), the clicks stored against wrk's 302s, and the link totals against the clicks.
#   (journal) PostgreSQL stopped (pg_ctl stop -m fast), the same wrk → R_journal: only the journal works (the mover
#             finds no database). Then PostgreSQL started again and the seconds until the journal's clicks are stored
#             and rolled up (waiting at most CATCHUP_WAIT s).
#   The order is not alternated: the journal phase leaves a backlog of ~R_journal x DURATION clicks for the database,
#   and a database phase after it would measure that catch-up too (each phase first waits, up to CATCHUP_WAIT s, for
#   the clicks before it to be rolled up, and says so when they are not).
#   Each phase also prints the CPU seconds the service, PostgreSQL, wrk and everything else on the machine took (of
#   2 cores x DURATION), and the rollup worker's failed rounds (service log) with their causes.
# Prints per phase req/s, p50/p99 ms, and at the end R_db / R_journal (target >= 0.75; also per CPU-second of the
# service, PostgreSQL and wrk, which holds when other processes take part of the machine), the lag after the load
# (target <= 10 s) and the analytics calls' latencies (target <= 200 ms).
# Env: DURATION (s, default 30), CONNECTIONS (32), THREADS (wrk threads, 2), ROUNDS (1), WARMUP (s, 30), LINKS (1000),
#      ANALYTICS_EVERY (s, 3), CATCHUP_WAIT (s, 120), PG_OPTIONS (as rollups.sh). Outputs in bench/out/load.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source ./scripts/lib.sh

DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-1}
WARMUP=${WARMUP:-30}
LINKS=${LINKS:-1000}
ANALYTICS_EVERY=${ANALYTICS_EVERY:-3}
CATCHUP_WAIT=${CATCHUP_WAIT:-120}
export PG_OPTIONS=${PG_OPTIONS:--c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB -c random_page_cost=1.1 -c max_wal_size=8GB}
KEY=ltk_BenchAdminKey0000000000000000000000000000
OUT=$(pwd)/bench/out/load
rm -rf "$OUT"; mkdir -p "$OUT"

ensure_wrk

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  # The service copies its journal while it stops: without a database it would wait; it is not waited for.
  sleep 1; kill -9 "${SERVICE_PID:-0}" 2>/dev/null || true
  stop_private_postgres
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "Load average at the start: $(cat /proc/loadavg) ($(nproc) cores)"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "Building Release"
dotnet build src/WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null

start_private_postgres
"${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE linktracking" >/dev/null
pg() { "${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d linktracking -tAc "$1"; }
pg_stop() { "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null; }

PORT=$(free_port)
SERVICE="http://127.0.0.1:$PORT"
ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
Database__Provider=Postgres Auth__BootstrapApiKey=$KEY \
ConnectionStrings__LinkTracking="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=linktracking;Maximum Pool Size=64" \
RateLimits__ClicksPerMinutePerIp=0 RateLimits__AnalyticsPerMinutePerKey=0 Network__TrustedProxies__0=127.0.0.1 \
ClickPipeline__SpoolDirectory="$OUT/spool" \
  dotnet src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll --urls "$SERVICE" >"$OUT/service.log" 2>&1 &
SERVICE_PID=$!; PIDS+=("$SERVICE_PID")
wait_live "$SERVICE/health/live"

log "$LINKS links"
node bench/analytics-client.mjs links "$SERVICE" "$KEY" "$LINKS" >"$OUT/links.json"
node -e "for (const l of JSON.parse(require('fs').readFileSync('$OUT/links.json', 'utf8'))) console.log(l.id)" >"$OUT/links.txt"
HOT=$(head -1 "$OUT/links.txt")
export BENCH_LINKS_FILE=$OUT/links.txt

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }

# Every acknowledged click is in PostgreSQL: the journal and the queue are empty (up to $1 s, default 600).
stored() {
  for _ in $(seq 1 $((${1:-600} * 10))); do
    curl -s "$SERVICE/track/health" | grep -q '"queue_depth":0,"queue_capacity":[0-9]*,"spool_bytes":0' && return 0
    sleep 0.1
  done
  return 1
}
# Every stored click is counted: the watermark has reached the last click's number (up to $1 s, default 600).
rolled() {
  for _ in $(seq 1 $((${1:-600} * 10))); do
    [ "$(pg "SELECT (SELECT rolled_seq FROM click_rollup_state) >= (SELECT coalesce(max(seq), 0) FROM link_clicks)" 2>/dev/null)" = t ] && return 0
    sleep 0.1
  done
  return 1
}
# The rollup worker's failed rounds so far (service log), and by cause (the exception's message).
rollup_failures() { grep -c "A rollup round failed" "$OUT/service.log" || true; }
rollup_failures_by_cause() {
  grep -A1 "A rollup round failed" "$OUT/service.log" | grep -v "A rollup round failed\|^--" | sed -E 's/^ +//' | sort | uniq -c | sed -E 's/^ +//' || true
}
clicks() { pg "SELECT count(*) FROM link_clicks"; }
counted() { pg "SELECT coalesce(sum(human_clicks + bot_clicks), 0) FROM link_click_totals"; }

# CPU seconds (user + system) so far: the service; PostgreSQL (postmaster, its live children, and those that exited);
# a process ($1).
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local master; master=$(head -1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)
  [ -n "$master" ] && [ -d "/proc/$master" ] || { echo 0; return; }
  local sum; sum=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$master/stat")
  for child in $(pgrep -P "$master"); do sum=$((sum + $(ticks "$child"))); done
  echo "$sum"
}
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; } # the machine: user, nice, system, irq, softirq
cpu() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }'; }

# wrk's report → "req/s p50 p99 requests non-3xx socket-errors" (latencies in ms)
parse_wrk() {
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps=$2 }
    /^ +50%/ { p50=ms($2) }
    /^ +99%/ { p99=ms($2) }
    /requests in/ { n=$1 }
    /Non-2xx or 3xx/ { bad=$5 }
    /Socket errors/ { gsub(",", ""); errors=$4 + $6 + $8 + $10 }
    END { printf "%.0f %.2f %.2f %d %d %d\n", rps, p50, p99, n, bad+0, errors+0 }' "$1"
}

# Times the analytics calls every ANALYTICS_EVERY s until the file $1 exists; one "route ms status" line each.
time_analytics() { # $1 = stop file, $2 = output
  while [ ! -e "$1" ]; do
    for route in "analytics/$HOT?days=30" "report?days=30"; do
      curl -s -o /dev/null -w "${route%%\?*} %{time_total} %{http_code}\n" -H "X-API-Key: $KEY" \
        "$SERVICE/api/v1/link-tracking/$route" >>"$2" || true
    done
    sleep "$ANALYTICS_EVERY"
  done
}
# "route: n calls, p50 X ms, max Y ms (statuses)" per route of $1
analytics_summary() {
  sed -E 's#^analytics/[^ ]+#link-analytics#' "$1" | sort -k1,1 -k2,2n | awk '
    { r[$1] = r[$1] " " $2 * 1000; s[$1] = s[$1] ($3 == 200 ? "" : " " $3) }
    END { for (k in r) { n = split(substr(r[k], 2), v, " "); printf "%s: %d calls, p50 %.0f ms, max %.0f ms%s\n", k, n, v[int((n + 1) / 2)], v[n], (s[k] == "" ? ", all 200" : ", non-200:" s[k]) } }'
}

run_load() { # $1 = label, $2 = duration → the wrk report in $OUT/wrk-$1.txt, wrk's CPU ticks in $OUT/wrk-$1.cpu
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --latency --timeout 10s -s bench/load.lua "$SERVICE/" >"$OUT/wrk-$1.txt" 2>&1
  awk '{ print $16 + $17 }' "/proc/$BASHPID/stat" >"$OUT/wrk-$1.cpu" # the children's CPU: wrk's own
}

# A phase; sets RPS, P50, P99, and (db) LAG_STORED, LAG_ROLLED
phase() { # $1 = db|journal, $2 = round
  local label="$1-$2" failed0 all0 all_t base t_end t_stored t_rolled svc0 pg0 wrk_pid wrk_t n bad errors stored_n
  if ! { stored "$CATCHUP_WAIT" && rolled "$CATCHUP_WAIT"; }; then
    echo "    (the clicks before this phase are not all rolled up after $CATCHUP_WAIT s: measured with that backlog)" | tee -a "$OUT/summary.txt"
  fi
  base=$(clicks); failed0=$(rollup_failures)
  if [ "$1" = journal ]; then pg_stop; fi
  svc0=$(ticks "$SERVICE_PID"); pg0=$(pg_ticks); all0=$(busy_ticks)
  rm -f "$OUT/stop-$label"
  [ "$1" = db ] && { time_analytics "$OUT/stop-$label" "$OUT/analytics-$label.txt" & PIDS+=("$!"); }
  run_load "$label" "$DURATION" &
  wrk_pid=$!; PIDS+=("$wrk_pid")
  wait "$wrk_pid"
  wrk_t=$(cat "$OUT/wrk-$label.cpu")
  t_end=$(now)
  touch "$OUT/stop-$label"
  local svc_t pg_t
  all_t=$(( $(busy_ticks) - all0 )); svc_t=$(( $(ticks "$SERVICE_PID") - svc0 )); pg_t=$(( $(pg_ticks) - pg0 ))
  read -r RPS P50 P99 n bad errors < <(parse_wrk "$OUT/wrk-$label.txt")
  local acked=$((n - bad))
  # Redirects per CPU-second of the service, PostgreSQL and wrk: what the rate would be on two cores of its own, if it
  # scales with the CPU it gets (the machine is shared; other processes take what they take in either phase).
  PER_CPU=$(awk -v n="$acked" -v t="$((svc_t + pg_t + wrk_t))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", n / (t / hz) }')
  printf '%-26s %8s req/s  p50 %7s ms  p99 %7s ms  %8d 302s%s\n' "[$2] $1 (PostgreSQL $([ "$1" = db ] && echo up || echo stopped))" \
    "$RPS" "$P50" "$P99" "$acked" "$([ "$bad" -gt 0 ] && echo ", $bad non-3xx")$([ "$errors" -gt 0 ] && echo ", $errors socket errors")" | tee -a "$OUT/summary.txt"
  echo "    CPU over the ${DURATION} s (2 cores = $((2 * DURATION)) s): service $(cpu "$svc_t") s, PostgreSQL $(cpu "$pg_t") s, wrk $(cpu "$wrk_t") s; the machine busy $(cpu "$all_t") s, of which other processes $(cpu $((all_t - svc_t - pg_t - wrk_t))) s; $PER_CPU redirects per CPU-second of service + PostgreSQL + wrk" | tee -a "$OUT/summary.txt"
  if [ "$1" = journal ]; then
    start_private_postgres_server
    t_end=$(now)
  fi
  local wait=600; [ "$1" = journal ] && wait=$CATCHUP_WAIT
  stored "$wait" && t_stored=$(now) || t_stored=""
  rolled "$wait" && t_rolled=$(now) || t_rolled=""
  stored_n=$(( $(clicks) - base ))
  local what="after the load ends"; [ "$1" = journal ] && what="after PostgreSQL is back"
  local s_at="NOT within $wait s" r_at="NOT within $wait s"
  [ -n "$t_stored" ] && s_at="$(secs "$t_end" "$t_stored") s"
  [ -n "$t_rolled" ] && r_at="$(secs "$t_end" "$t_rolled") s"
  echo "    $stored_n clicks stored for $acked 302s ($([ "$stored_n" -ge "$acked" ] && echo "every 302 has its row" || echo "MISSING $((acked - stored_n))")); stored $s_at and rolled up $r_at $what; rollup totals $(counted) = clicks $(clicks): $([ "$(counted)" = "$(clicks)" ] && echo yes || echo NO)" | tee -a "$OUT/summary.txt"
  echo "    rollup rounds failed meanwhile: $(( $(rollup_failures) - failed0 )) ($(rollup_failures_by_cause | tail -n +1 | paste -sd ';' | sed 's/;/; /g'))" | tee -a "$OUT/summary.txt"
  if [ "$1" = db ]; then
    LAG_STORED=$(secs "$t_end" "${t_stored:-$t_end}"); LAG_ROLLED=${t_rolled:+$(secs "$t_end" "$t_rolled")}; LAG_ROLLED=${LAG_ROLLED:-never}
    echo "    analytics during the load: $(analytics_summary "$OUT/analytics-$label.txt" | paste -sd ';' | sed 's/;/; /g')" | tee -a "$OUT/summary.txt"
    cat "$OUT/analytics-$label.txt" >>"$OUT/analytics-all.txt"
  fi
}

# The warm-up runs every path the database phase runs (redirects, the mover, the rollup worker, the analytics calls):
# with 10 s, the JIT's tiering was still compiling through the database phase (perf: a quarter to a third of the
# service's samples on the ".NET Tiered Compilation" thread), none of it in the journal phase after it.
log "Warm-up: ${WARMUP} s of the same load with the analytics calls (every link cached, the JIT's tiering settled), then drained"
curl -s -o /dev/null "$SERVICE/track/$HOT"
time_analytics "$OUT/stop-warmup" "$OUT/analytics-warmup.txt" & PIDS+=("$!")
run_load warmup "$WARMUP"
touch "$OUT/stop-warmup"
stored; rolled

log "$ROUNDS round(s): ${DURATION} s of wrk -t$THREADS -c$CONNECTIONS over $LINKS links each, PostgreSQL up and stopped"
declare -a DB JOURNAL DB_P50 DB_P99 J_P50 J_P99 LAGS DB_CPU J_CPU
for round in $(seq 1 "$ROUNDS"); do
  for p in db journal; do
    phase "$p" "$round"
    if [ "$p" = db ]; then DB+=("$RPS"); DB_P50+=("$P50"); DB_P99+=("$P99"); LAGS+=("$LAG_STORED/$LAG_ROLLED"); DB_CPU+=("$PER_CPU")
    else JOURNAL+=("$RPS"); J_P50+=("$P50"); J_P99+=("$P99"); J_CPU+=("$PER_CPU"); fi
  done
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
log "Summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
{
  for i in "${!DB[@]}"; do
    echo "round $((i + 1)): R_db ${DB[$i]} req/s (p50 ${DB_P50[$i]} ms, p99 ${DB_P99[$i]} ms), R_journal ${JOURNAL[$i]} req/s (p50 ${J_P50[$i]} ms, p99 ${J_P99[$i]} ms): R_db / R_journal = $(ratio "${DB[$i]}" "${JOURNAL[$i]}") (target >= 0.75); stored / rolled up ${LAGS[$i]} s after the load (target <= 10 s)"
    echo "round $((i + 1)), per CPU-second of service + PostgreSQL + wrk: ${DB_CPU[$i]} with the database, ${J_CPU[$i]} journal only: $(ratio "${DB_CPU[$i]}" "${J_CPU[$i]}") (the ratio the two cores would give if nothing else ran)"
  done
  [ "$ROUNDS" -gt 1 ] && echo "median: R_db $(median "${DB[@]}") req/s, R_journal $(median "${JOURNAL[@]}") req/s: $(ratio "$(median "${DB[@]}")" "$(median "${JOURNAL[@]}")")"
  echo "analytics calls during the load (target <= 200 ms): $(analytics_summary "$OUT/analytics-all.txt" | paste -sd ';' | sed 's/;/; /g')"
} | tee -a "$OUT/summary.txt"
