#!/usr/bin/env bash
# The Parquet export (issue 28 item 7): seeds CLICKS clicks straight into a private PostgreSQL (generate_series; every
# category, realistic user agents, referrers, enrichment) of LINKS links (the export needs no link rows) spread over DAYS UTC days ending yesterday, then times
# `export parquet` over those days under /usr/bin/time -v and prints wall time, clicks/s, peak RSS and the output size.
# Env: CLICKS (default 10000000), DAYS (default 30), LINKS (default 1000), COMPRESSION (zstd|snappy; default zstd).
# The target (issue 28): 10 M clicks in at most 3 minutes with a peak RSS of at most 500 MB. On a shared machine the
# wall time is mostly waiting for a core: compare the CPU time (user + system) and the clicks per CPU-second.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source ./scripts/lib.sh

CLICKS=${CLICKS:-10000000}
DAYS=${DAYS:-30}
LINKS=${LINKS:-1000}
COMPRESSION=${COMPRESSION:-zstd}
export PG_OPTIONS=${PG_OPTIONS:--c shared_buffers=1GB -c work_mem=64MB -c max_wal_size=8GB -c synchronous_commit=off}
OUT=$(pwd)/bench/out/export
rm -rf "$OUT"; mkdir -p "$OUT"
trap stop_private_postgres EXIT

[ -x /usr/bin/time ] || as_root apt-get install -y -qq time >/dev/null

log "Building (Release)"
dotnet build src/WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null
DLL=src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll

start_private_postgres
PG_DB=export_bench
pg() { "${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$PG_DB" -v ON_ERROR_STOP=1 -qtAc "$1"; }
"${PG_RUN_AS[@]}" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $PG_DB" >/dev/null
export Database__Provider=Postgres
export ConnectionStrings__LinkTracking="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DB"
export ClickPipeline__SpoolDirectory="$OUT/spool"
dotnet "$DLL" migrate >"$OUT/migrate.log" 2>&1

TO=$(date -u +%F)
FROM=$(date -u -d "$TO - $DAYS days" +%F)
log "Seeding $CLICKS clicks of $LINKS links over $FROM .. $TO (exclusive)"
started=$(date +%s.%N)
pg "INSERT INTO link_clicks (id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id, click_source,
                             is_bot, bot_category, signals, country, device_type, browser, os)
    SELECT gen_random_uuid(),
           'lt_bench' || lpad((1 + i % $LINKS)::text, 8, '0'),
           timestamp '$FROM' + (i::float8 / $CLICKS) * interval '$DAYS days',
           ('203.0.' || (i % 256) || '.' || (i % 251))::inet,
           (ARRAY['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
                  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
                  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
                  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'])[1 + i % 4],
           CASE WHEN i % 3 = 0 THEN 'https://www.linkedin.com/' END,
           's' || (i / 3),
           'direct',
           i % 5 <> 0,
           (ARRAY['human','scanner','crawler','preview','monitor'])[1 + i % 5],
           CASE WHEN i % 5 <> 0 THEN 'ua_list,asn_cloud' END,
           (ARRAY['DE','US','FR','GB','NL','IN'])[1 + i % 6],
           (ARRAY['desktop','mobile','other'])[1 + i % 3],
           (ARRAY['Chrome','Safari','Firefox'])[1 + i % 3],
           (ARRAY['Windows','iOS','Linux'])[1 + i % 3]
    FROM generate_series(0, $CLICKS - 1) i"
pg "ANALYZE link_clicks"
echo "seeded $(pg 'SELECT count(*) FROM link_clicks') clicks in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"

export_once() { # $1 = label, then env assignments for the export
  local label=$1; shift
  rm -rf "$OUT/parquet"
  log "export parquet --from $FROM --to $TO ($COMPRESSION; $label)"
  /usr/bin/time -v -o "$OUT/time-$label.txt" env Export__Parquet__Compression="$COMPRESSION" Logging__LogLevel__Default=Warning "$@" \
    dotnet "$DLL" export parquet --from "$FROM" --to "$TO" --out "$OUT/parquet" >"$OUT/export-$label.log"
  tail -1 "$OUT/export-$label.log"
  local wall rss_kb cpu size
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s }' "$OUT/time-$label.txt")
  rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/time-$label.txt")
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$OUT/time-$label.txt")
  size=$(du -sh "$OUT/parquet" | cut -f1)
  echo "export parquet ($label): $CLICKS clicks over $DAYS days in ${wall} s wall, ${cpu} s CPU ($(awk -v n="$CLICKS" -v t="$wall" 'BEGIN { printf "%.0f", n / t }') clicks/s wall, $(awk -v n="$CLICKS" -v t="$cpu" 'BEGIN { printf "%.0f", n / t }') per CPU-second), peak RSS $((rss_kb / 1024)) MB, $size of $COMPRESSION Parquet in $(find "$OUT/parquet" -name '*.parquet' | wc -l) files; load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" | tee -a "$OUT/summary.txt"
}

# As the service binary runs (Server GC, the ASP.NET Core default), then with the workstation GC, which the command
# can be run with (DOTNET_gcServer=0) where memory is tight.
export_once server-gc
export_once workstation-gc DOTNET_gcServer=0
