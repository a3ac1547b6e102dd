#!/usr/bin/env bash
# SQLite ingest on a database that already holds clicks (issue 24, ADR 0030): what the rollup worker's upserts cost
# once their tables are large, which a fresh database (bench/analytics.sh's ingest) does not show.
#   For each of ROUNDS rounds, for BEFORE_DLL then this branch's build: copy DB, start the service on the copy (its
#   migrations run first, not timed), send CLICKS clicks through record-clicks (bench/analytics-client.mjs load: the
#   links of the database, 20 % on the first, 90 days, 30 % crawlers, a new session every one to four clicks) and time
#   until they are stored and counted (click_rollup_state's watermark at the last number). Prints clicks/s of each
#   run and the ratio of the medians (this build / before).
# Env: DB (required: a SQLite database such as bench/analytics.sh leaves in bench/out/analytics/linktracking.db, copied
#      first), BEFORE_DLL (required: the service to compare with, e.g. a Release build of an older tree), CLICKS
#      (100000), ROUNDS (2). Needs sqlite3 and node.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source ./scripts/lib.sh

: "${DB:?DB: the SQLite database to copy}"
: "${BEFORE_DLL:?BEFORE_DLL: the service to compare with}"
CLICKS=${CLICKS:-100000}
ROUNDS=${ROUNDS:-2}
KEY=ltk_BenchAdminKey0000000000000000000000000000
OUT=bench/out/sqlite-ingest-at-scale
mkdir -p "$OUT"
dotnet build src/WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null
AFTER_DLL=src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll

# The links of the database, the busiest first (bench/analytics-client.mjs sends 20 % of the clicks to the first).
sqlite3 "$DB" "SELECT l.tracking_id, lower(coalesce(l.job_id, '')), lower(coalesce(l.application_id, '')) FROM link_tracking l
  LEFT JOIN link_click_totals t ON t.tracking_id = l.tracking_id ORDER BY coalesce(t.human_clicks + t.bot_clicks, 0) DESC" |
  node -e 'const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").map(r => r.split("|"));
    console.log(JSON.stringify(rows.map(([id, job, application]) => ({ id, job: job || null, application: application || null }))));' >"$OUT/links.json"

run() { # $1 = dll, $2 = label; prints clicks/s
  local copy="$OUT/$2.db" port pid before started
  cp "$DB" "$copy"
  port=$(free_port)
  rm -rf "$OUT/spool"; mkdir -p "$OUT/spool"
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Database__Provider=Sqlite \
    ConnectionStrings__LinkTracking="Data Source=$copy" Database__MigrateOnStartup=true Auth__BootstrapApiKey=$KEY \
    RateLimits__ClicksPerMinutePerIp=0 RateLimits__AnalyticsPerMinutePerKey=0 Database__QueryTimeout=00:05:00 \
    ClickPipeline__SpoolDirectory="$OUT/spool" dotnet "$1" --urls "http://127.0.0.1:$port" >"$OUT/service-$2.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 1; done # migrations first
  before=$(sqlite3 "$copy" "SELECT count(*) FROM link_clicks")
  started=$(date +%s.%N)
  node bench/analytics-client.mjs load "http://127.0.0.1:$port" "$KEY" "$OUT/links.json" "$CLICKS" >/dev/null
  until [ "$(sqlite3 "$copy" "SELECT (SELECT count(*) FROM link_clicks) - $before >= $CLICKS AND last_seq = rolled_seq FROM click_rollup_state" 2>/dev/null)" = 1 ]; do
    sleep 0.5
  done
  awk -v n="$CLICKS" -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f\n", n / (b - a) }'
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$copy" "$copy-wal" "$copy-shm"
}

befores=(); afters=()
for round in $(seq 1 "$ROUNDS"); do
  b=$(run "$BEFORE_DLL" "before-$round"); befores+=("$b"); echo "round $round: before $b clicks/s stored and counted"
  a=$(run "$AFTER_DLL" "after-$round"); afters+=("$a"); echo "round $round: this build $a clicks/s stored and counted"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
mb=$(median "${befores[@]}"); ma=$(median "${afters[@]}")
echo "median: before $mb, this build $ma clicks/s: ratio $(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.2f", a / b }')"
