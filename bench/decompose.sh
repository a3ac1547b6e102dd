#!/usr/bin/env bash
# Where the redirect's time goes (issue 3). Measures, in the same run and interleaved with the baseline:
#   (a)  bench/BaselineRedirect: a bare Kestrel MVC 302 from a dictionary (the ceiling of bench/redirect.sh);
#   (e1) the service answering /track from an action that does nothing (its own middleware, routing, MVC);
#   (e2) the whole redirect (cache, Mediator, click, cookie) with the click dropped instead of recorded;
#   (b)  the real redirect, click durable in the journal before the 302 (the unpatched build).
# (e1) and (e2) need bench/experiments/decomposition.patch, applied to a copy of the tree in a temp directory:
# the service itself has no switch that drops clicks. Prints req/s and the service's CPU per request
# (user + system, from /proc) for each, at 32 and 256 connections. Env: DURATION (s, default 8), ROUNDS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source ./scripts/lib.sh

DURATION=${DURATION:-8}
ROUNDS=${ROUNDS:-2}
KEY=ltk_BenchAdminKey0000000000000000000000000000
OUT=bench/out
mkdir -p "$OUT"
VARIANT_TREE=$(mktemp -d /tmp/linktracking-variant.XXXXXX)

ensure_wrk

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_private_postgres
  rm -rf "$VARIANT_TREE"
}
trap cleanup EXIT

start_private_postgres
PGCONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=linktracking;Maximum Pool Size=64"
"${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE linktracking" >/dev/null

log "Building Release: the service as it is, the patched copy, the baseline"
dotnet build src/WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/BaselineRedirect -c Release -nologo -clp:ErrorsOnly >/dev/null
cp -r src Directory.Build.props Directory.Packages.props global.json .editorconfig "$VARIANT_TREE"/
find "$VARIANT_TREE/src" -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
patch -d "$VARIANT_TREE" -p1 -s <bench/experiments/decomposition.patch
dotnet build "$VARIANT_TREE/src/WebApi" -c Release -nologo -clp:ErrorsOnly >/dev/null

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# measure PID URL CONNECTIONS -> "req/s cpu_us_per_request"
measure() {
  local pid=$1 url=$2 c=$3 before after n rps
  before=$(cpu_ticks "$pid")
  wrk -t2 -c"$c" -d"${DURATION}s" "$url" >"$OUT/wrk.txt" 2>&1
  after=$(cpu_ticks "$pid")
  n=$(awk '/requests in/ { print $1 }' "$OUT/wrk.txt")
  rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$OUT/wrk.txt")
  if grep -q 'Non-2xx' "$OUT/wrk.txt"; then echo "unexpected status codes: $(grep Non-2xx "$OUT/wrk.txt")" >&2; return 1; fi
  echo "$rps $(( (after - before) * 1000000 / $(getconf CLK_TCK) / n ))"
}

start_baseline "$OUT"; PIDS+=("$BASE_PID")
BASE="$BASE/track/lt_benchbaseline"
wrk -t2 -c32 -d10s "$BASE" >/dev/null 2>&1

start_service() { # $1 = dll, $2 = BENCH_VARIANT
  local port; port=$(free_port)
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning BENCH_VARIANT="$2" \
  Database__Provider=Postgres ConnectionStrings__LinkTracking="$PGCONN" Auth__BootstrapApiKey=$KEY \
  RateLimits__ClicksPerMinutePerIp=0 RateLimits__AnalyticsPerMinutePerKey=0 ClickPipeline__SpoolDirectory="$OUT/spool" \
    dotnet "$1" --urls "http://127.0.0.1:$port" >"$OUT/service-$2.log" 2>&1 &
  SERVICE_PID=$!; PIDS+=("$SERVICE_PID")
  SERVICE="http://127.0.0.1:$port"
  wait_live "$SERVICE/health/live"
  ID=$(curl -sf -X POST "$SERVICE/api/v1/link-tracking/create" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
    -d '{"original_url":"https://example.com/job","link_function":"Job_Posting"}' | sed -E 's/.*"tracking_id":"([^"]+)".*/\1/')
  wrk -t2 -c64 -d10s "$SERVICE/track/$ID" >/dev/null 2>&1
}

declare -A RPS
row() { printf '%-58s %10s %12s\n' "$@"; }
row "" "req/s" "CPU µs/req"
for round in $(seq 1 "$ROUNDS"); do
  for variant in bare unrecorded journal; do
    if [ "$variant" = journal ]; then dll=src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll; else dll="$VARIANT_TREE/src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll"; fi
    start_service "$dll" "$variant"
    for c in 32 256; do
      # Assigned first, so that a failed measurement (unexpected status codes) stops the script.
      m=$(measure "$BASE_PID" "$BASE" "$c"); read -r brps bcpu <<<"$m"
      m=$(measure "$SERVICE_PID" "$SERVICE/track/$ID" "$c"); read -r vrps vcpu <<<"$m"
      RPS[$variant$c]="${RPS[$variant$c]:-} $(awk -v v="$vrps" -v b="$brps" 'BEGIN { printf "%.2f", v / b }')"
      row "round $round, c=$c: (a) baseline" "$brps" "$bcpu"
      row "round $round, c=$c: service, $variant" "$vrps" "$vcpu"
    done
    kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true
  done
done

echo
log "Ratios to the baseline measured beside each ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores), one per round"
echo "(e1) bare action in the service:   c=32:${RPS[bare32]}   c=256:${RPS[bare256]}"
echo "(e2) redirect, click dropped:      c=32:${RPS[unrecorded32]}   c=256:${RPS[unrecorded256]}"
echo "(b)  redirect, click journalled:   c=32:${RPS[journal32]}   c=256:${RPS[journal256]}   (targets 0.6 / 0.8)"
