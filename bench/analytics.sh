#!/usr/bin/env bash
# Analytics at scale (issue 9). One command; before and after measured in the same run on the same data:
#   1. this branch's service on a private PostgreSQL: LINKS links (jobs, applications), SCALE clicks through
#      record-clicks (CLICKS_PER_REQUEST, default 200, a request, 4 at a time; one link holds 20 %, 90 days, 30 % crawlers) — ingest counted in
#      clicks/s until every click is in PostgreSQL and counted by the rollup worker (ADR 0021);
#   2. every analytics route timed from the client, SAMPLES calls each (p50/p99), in PASSES passes: the first meets a
#      fresh service and new connections (cold), the last is the steady state the targets are about: "after" (rollups);
#   3. the service before the rollups (git archive of BEFORE_REF, default 35291b5, the last commit before them;
#      built Release) on the same database: "before" (the queries over the raw clicks);
#   4. the same on SQLite with SQLITE_SCALE clicks (0 skips it).
#   The job summary and the report carry the funnel and engagement_vs_outcome (issue 27): the links' applications get
#   outcomes first (about one application per link: LINKS=100000 is the issue's 100,000 applications).
# Env: SCALE (default 100000; the issue's figure is 10000000; 0 skips PostgreSQL), LINKS (1000), SAMPLES (20), PASSES (3), SQLITE_SCALE (SCALE/10),
#      BEFORE_REF (35291b5), SKIP_BEFORE=1 (only this branch: for development runs), INGEST / SQLITE_INGEST (how many
#      of them go through record-clicks, default all; the rest are seeded in the database and the rollups rebuilt),
#      HOLD=1 (after the first provider's timings keep its database and service up, for profiling, until stopped),
#      SPREAD_HOURS (how far back the clicks' times go: default 2160 = 90 days; 1 = live traffic),
#      EXTRA_LINKS (after the timings add this many links, each about an application of its own, with outcomes and a
#      click each, and time every route again: EXTRA_LINKS=99000 gives the issue-27 scale of 100,000 applications).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source ./scripts/lib.sh

SCALE=${SCALE:-100000}
LINKS=${LINKS:-1000}
SAMPLES=${SAMPLES:-20}
PASSES=${PASSES:-3}
SQLITE_SCALE=${SQLITE_SCALE:-$((SCALE / 10))}
INGEST=${INGEST:-$SCALE}                  # clicks sent through record-clicks; the rest of SCALE is seeded (below)
EXTRA_LINKS=${EXTRA_LINKS:-0}             # after the timings: this many more links (~ as many applications), timed again
SQLITE_INGEST=${SQLITE_INGEST:-$SQLITE_SCALE}
# A PostgreSQL set up as for production on this box (the test suite's private cluster keeps 128 MB buffers).
export PG_OPTIONS=${PG_OPTIONS:--c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB -c random_page_cost=1.1}
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

service() { # $1 = dll, $2 = provider, $3 = connection string, $4 = migrate (true|false), $5 = log name, then arguments
  local dll=$1 provider=$2 connection=$3 migrate=$4 name=$5; shift 5
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  Database__Provider="$provider" ConnectionStrings__LinkTracking="$connection" Database__MigrateOnStartup="$migrate" Auth__BootstrapApiKey=$KEY \
  RateLimits__ClicksPerMinutePerIp=0 RateLimits__AnalyticsPerMinutePerKey=0 Database__QueryTimeout=00:05:00 \
  ClickPipeline__SpoolDirectory="$OUT/spool-$name" \
    exec dotnet "$dll" "$@" # in the subshell of its caller, so $! is the service itself
}

start_service() { # $1 = dll, $2 = provider, $3 = connection string, $4 = migrate (true|false), $5 = log name
  local port; port=$(free_port)
  service "$@" --urls "http://127.0.0.1:$port" >"$OUT/service-$5.log" 2>&1 &
  SERVICE_PID=$!; PIDS+=("$SERVICE_PID")
  SERVICE="http://127.0.0.1:$port"
  wait_live "$SERVICE/health/live"
}

stop_service() { kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; }

drained() { # $1 = count command: every acknowledged click stored, then counted (the watermark at the last number, ADR 0021)
  for _ in $(seq 1 36000); do
    curl -s "$SERVICE/track/health" | grep -q '"queue_depth":0,"queue_capacity":[0-9]*,"spool_bytes":0' && break
    sleep 0.1
  done
  for _ in $(seq 1 36000); do
    case "$($1 "SELECT (SELECT rolled_seq FROM click_rollup_state) >= (SELECT coalesce(max(seq), 0) FROM link_clicks)")" in
      t|1) return 0 ;;
    esac
    sleep 0.1
  done
}

# Aggregate rows: rollups, and the distinct keys' rows (PostgreSQL: sketches; SQLite: exact per-key rows).
aggregate_rows() { # $1 = provider, $2 = count command
  local keys
  if [ "$1" = Postgres ]; then
    keys="sketches: $($2 "SELECT count(*) FROM link_click_sketches") hourly, $($2 "SELECT count(*) FROM link_click_daily_sketches") daily"
  else
    keys="per-key rows: $($2 "SELECT count(*) FROM link_click_uniques")"
  fi
  echo "rollups: $($2 "SELECT count(*) FROM link_click_rollups") rows, daily rollups: $($2 "SELECT count(*) FROM link_click_daily_rollups") rows, $keys"
}

# Seeding (SCALE above INGEST): the clicks stored through record-clicks copied with new ids, random times over the
# 90 days and random addresses (origins follow), their sessions renamed per copy — the same mix of links, agents,
# categories and enrichment — then the rollups rebuilt by the service's own `rollups rebuild` command.
COLUMNS="id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id, click_source, metadata, event_id,
         is_bot, bot_reason, bot_category, signals, origin, country, device_type, browser, os"
seed_Postgres() { # $1 = clicks to add
  pg_count "INSERT INTO link_clicks ($COLUMNS)
    SELECT gen_random_uuid(), tracking_id, at, ip, user_agent, referrer_url, session_id || '-' || k, click_source, metadata,
           NULL, is_bot, bot_reason, bot_category, signals, network(set_masklen(ip, 24))::text, country, device_type, browser, os
    FROM (SELECT c.*, k, now() - random() * interval '90 days' AS at,
                 ('10.' || floor(random() * 256) || '.' || floor(random() * 256) || '.' || floor(random() * 256))::inet AS ip
          FROM link_clicks c CROSS JOIN generate_series(1, ceil($1::numeric / (SELECT count(*) FROM link_clicks))::int) AS k
          LIMIT $1) AS copies" >/dev/null
}
seed_Sqlite() { # $1 = clicks to add
  sqlite3 "$SQLITE_FILE" "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k
                                                  WHERE n < (SELECT ($1 + count(*) - 1) / count(*) FROM link_clicks))
    INSERT INTO link_clicks ($COLUMNS)
    SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-8'
                 || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
           tracking_id, strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (abs(random()) % 7776000) || ' seconds'),
           '10.' || a || '.' || b || '.' || (abs(random()) % 256), user_agent, referrer_url, session_id || '-' || n,
           click_source, metadata, NULL, is_bot, bot_reason, bot_category, signals, '10.' || a || '.' || b || '.0/24',
           country, device_type, browser, os
    FROM (SELECT c.*, n, abs(random()) % 256 AS a, abs(random()) % 256 AS b FROM link_clicks c CROSS JOIN k LIMIT $1)"
}

timed() { # $1 = label, $2 = provider: every route timed in PASSES passes of SAMPLES calls (after 2 warm-up calls each)
  # The first pass meets a process just started and new database connections, right after the load; the last pass,
  # the same calls again, is the steady state that the targets are about. Every pass is printed.
  local pass
  for pass in $(seq 1 "$PASSES"); do
    if [ "$pass" = 1 ]; then
      echo "$1, pass 1 of $PASSES (cold: fresh service, new connections):" | tee -a "$OUT/summary.txt"
    else
      echo "$1, pass $pass of $PASSES (warm):" | tee -a "$OUT/summary.txt"
    fi
    node bench/analytics-client.mjs time "$SERVICE" "$KEY" "$OUT/links-$2.json" "$SAMPLES" | tee -a "$OUT/summary.txt"
  done
}

vacuum() { # $1 = provider, $2 = count command: what autovacuum would do after a bulk load (statistics, visibility map)
  if [ "$1" = Postgres ]; then $2 "VACUUM ANALYZE" >/dev/null; else $2 "ANALYZE" >/dev/null; fi
}

run() { # $1 = provider, $2 = connection string, $3 = clicks in all, $4 = count command, $5 = clicks through record-clicks
  log "$1: this branch, $LINKS links, $5 clicks through record-clicks"
  start_service "$AFTER_DLL" "$1" "$2" true "after-$1"
  node bench/analytics-client.mjs links "$SERVICE" "$KEY" "$LINKS" >"$OUT/links-$1.json"
  # Outcomes of the applications (issue 27): the job summary's and the report's funnel read them per application.
  echo "outcomes ($1): $(node bench/analytics-client.mjs outcomes "$SERVICE" "$KEY" "$OUT/links-$1.json")" | tee -a "$OUT/summary.txt"
  started=$(date +%s.%N)
  node bench/analytics-client.mjs load "$SERVICE" "$KEY" "$OUT/links-$1.json" "$5" >"$OUT/load-$1.json"
  drained "$4"
  elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  stored=$($4 "SELECT count(*) FROM link_clicks")
  rows=$(aggregate_rows "$1" "$4")
  vacuum "$1" "$4" # as autovacuum would soon; before and after are timed on the same statistics
  echo "ingest ($1): $stored clicks stored in $elapsed s = $(awk -v n="$stored" -v t="$elapsed" 'BEGIN { printf "%.0f", n / t }') clicks/s stored and counted end to end ($rows)" | tee -a "$OUT/summary.txt"
  if [ "$3" -gt "$stored" ]; then
    stop_service
    log "$1: seeding $(($3 - stored)) more clicks, then rollups rebuild"
    started=$(date +%s.%N)
    "seed_$1" $(($3 - stored))
    seeded=$(date +%s.%N)
    (service "$AFTER_DLL" "$1" "$2" false "after-$1" rollups rebuild >>"$OUT/service-after-$1.log" 2>&1)
    echo "seeded ($1): $($4 "SELECT count(*) FROM link_clicks") clicks in $(awk -v a="$started" -v b="$seeded" 'BEGIN { printf "%.0f", b - a }') s; rollups rebuild $(awk -v a="$seeded" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s ($(aggregate_rows "$1" "$4"))" | tee -a "$OUT/summary.txt"
    vacuum "$1" "$4"
    start_service "$AFTER_DLL" "$1" "$2" false "after-$1-seeded"
  fi
  timed "after ($1, rollups)" "$1"
  if [ "$EXTRA_LINKS" -gt 0 ]; then # issue 27: the funnel over ~100,000 applications on the same 10 M clicks
    log "$1: $EXTRA_LINKS more links (about one application each), their outcomes and $EXTRA_LINKS clicks"
    node bench/analytics-client.mjs links "$SERVICE" "$KEY" "$EXTRA_LINKS" >"$OUT/extra-links-$1.json"
    echo "outcomes ($1, extra links): $(node bench/analytics-client.mjs outcomes "$SERVICE" "$KEY" "$OUT/extra-links-$1.json")" | tee -a "$OUT/summary.txt"
    node bench/analytics-client.mjs load "$SERVICE" "$KEY" "$OUT/extra-links-$1.json" "$EXTRA_LINKS" >/dev/null
    drained "$4"
    vacuum "$1" "$4"
    echo "applications ($1): $($4 "SELECT count(DISTINCT application_id) FROM link_tracking"), links: $($4 "SELECT count(*) FROM link_tracking"), clicks: $($4 "SELECT count(*) FROM link_clicks")" | tee -a "$OUT/summary.txt"
    timed "after ($1, rollups, with the extra applications)" "$1"
  fi
  if [ "${HOLD:-0}" = 1 ]; then # keep the data and the service up for profiling, until this script is stopped
    log "Holding: service $SERVICE (key $KEY), links in $OUT/links-$1.json, database log ${PG_DIR:-}/server.log"
    while :; do sleep 60; done
  fi
  stop_service

  [ "${SKIP_BEFORE:-0}" = 1 ] && return 0
  log "$1: $BEFORE_REF (raw queries) on the same data"
  start_service "$BEFORE_DLL" "$1" "$2" false "before-$1"
  timed "before ($1, $BEFORE_REF's raw queries)" "$1"
  stop_service
}

if [ "$SCALE" -gt 0 ]; then
  start_private_postgres
  "${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE linktracking" >/dev/null
  pg_count() { "${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d linktracking -tAc "$1"; }
  run Postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=linktracking;Maximum Pool Size=64" "$SCALE" pg_count "$INGEST"
fi

if [ "$SQLITE_SCALE" -gt 0 ]; then
  SQLITE_FILE="$OUT/linktracking.db"
  sqlite_count() { sqlite3 "$SQLITE_FILE" "$1"; }
  if ! command -v sqlite3 >/dev/null 2>&1; then
    sqlite_count() { echo "?"; }
  fi
  run Sqlite "Data Source=$SQLITE_FILE" "$SQLITE_SCALE" sqlite_count "$SQLITE_INGEST"
fi

log "Summary (also in $OUT/summary.txt)"
cat "$OUT/summary.txt"
