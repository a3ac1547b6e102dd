#!/usr/bin/env bash
# Shared by test.sh and bench/*.sh: install and start private PostgreSQL, Redis and NATS servers on free ports.
# Source it; it defines functions only.

log() { printf '\n==> %s\n' "$*"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

# A port nobody listens on, below the kernel's ephemeral range (32768 and up by default): a port there may be
# the local end of some client connection (wrk's, Npgsql's), and binding it then fails although nothing listens.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 12000 ))
    if ! (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2; return 1
}

# Sets PG_BIN to the PostgreSQL binaries, installing the Debian package first when there are none, and the
# HyperLogLog extension that unique sessions are estimated with (ADR 0021) when the server lacks it.
ensure_pg_bin() {
  if ! PG_BIN=$(find_pg_bin); then
    log "Installing PostgreSQL (Debian package)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
    PG_BIN=$(find_pg_bin)
  fi
  local version
  version=$(basename "$(dirname "$PG_BIN")")
  if [ ! -f "/usr/share/postgresql/$version/extension/hll.control" ]; then
    log "Installing PostgreSQL's HyperLogLog extension (postgresql-$version-hll)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "postgresql-$version-hll" >/dev/null
  fi
}

# The dashboard's browser tests drive Debian's Chromium through Playwright (no browser download): install it when
# missing and tell the tests where it is.
ensure_chromium() {
  local bin
  bin=$(command -v chromium || true)
  if [ -z "$bin" ]; then
    log "Installing Chromium (Debian package) for the dashboard's browser tests"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
    bin=$(command -v chromium)
  fi
  export LINKTRACKING_CHROMIUM="$bin"
}

start_private_postgres() {
  ensure_pg_bin
  local bin=$PG_BIN

  PG_DIR=$(mktemp -d /tmp/linktracking-pg.XXXXXX)
  PG_PORT=$(free_port)
  local run_as=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
    run_as=(runuser -u postgres --)
  fi
  PG_RUN_AS=("${run_as[@]}")

  log "Starting a private PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"
  "${run_as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  start_private_postgres_server
  export LINKTRACKING_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Include Error Detail=true"
}

# (Re)starts the server of the cluster start_private_postgres made (PG_BIN, PG_DIR, PG_PORT, PG_RUN_AS set).
start_private_postgres_server() {
  "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=300 -c shared_buffers=128MB ${PG_OPTIONS:-}" start >/dev/null
}

# An outage: the server goes away at once (connections are cut); its data stays for start_private_postgres_server.
stop_private_postgres_server() {
  "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null
}

# The outage test runs a PostgreSQL of its own (it stops and starts it): tell it where the binaries are.
export_pg_tools() {
  ensure_pg_bin
  export LINKTRACKING_TEST_PG_BIN="$PG_BIN"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    export LINKTRACKING_TEST_PG_RUN_AS="runuser -u postgres --"
  else
    export LINKTRACKING_TEST_PG_RUN_AS=""
  fi
}

# Redis backs the shared cache of several instances; the cross-instance tests need a server.
ensure_redis_server() {
  if ! command -v redis-server >/dev/null 2>&1; then
    log "Installing Redis (Debian package)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq redis-server >/dev/null
  fi
}

start_private_redis() {
  ensure_redis_server
  REDIS_DIR=$(mktemp -d /tmp/linktracking-redis.XXXXXX)
  REDIS_PORT=$(free_port)
  log "Starting a private Redis on 127.0.0.1:$REDIS_PORT"
  start_private_redis_server
  export LINKTRACKING_TEST_REDIS="127.0.0.1:$REDIS_PORT"
}

# (Re)starts the server of start_private_redis (REDIS_DIR, REDIS_PORT set) and waits until it listens.
start_private_redis_server() {
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize yes \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --dir "$REDIS_DIR" >/dev/null
  for _ in $(seq 1 50); do
    (echo > "/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break
    sleep 0.1
  done
}

# Stops the Redis server (its directory stays) and waits until it has exited.
stop_private_redis_server() {
  local pid=""
  [ -f "$REDIS_DIR/redis.pid" ] && pid=$(cat "$REDIS_DIR/redis.pid")
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  # Redis writes its log (and removes its pid file) while it exits: removing the directory under it failed the
  # whole test run ("Directory not empty") after every test had passed.
  for _ in $(seq 1 50); do { [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; } && break; sleep 0.1; done
}

stop_private_redis() {
  if [ -n "${REDIS_DIR:-}" ]; then
    stop_private_redis_server
    rm -rf "$REDIS_DIR" || true
  fi
}

# NATS with JetStream carries the click stream (ADR 0024); the streaming tests need a server, and the outage test
# stops and restarts one of its own (it is told the binary).
ensure_nats_server() {
  if ! command -v nats-server >/dev/null 2>&1; then
    log "Installing NATS (Debian package nats-server)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nats-server >/dev/null
  fi
  export LINKTRACKING_TEST_NATS_SERVER
  LINKTRACKING_TEST_NATS_SERVER=$(command -v nats-server)
}

start_private_nats() {
  ensure_nats_server
  NATS_DIR=$(mktemp -d /tmp/linktracking-nats.XXXXXX)
  NATS_PORT=$(free_port)
  log "Starting a private NATS (JetStream) on 127.0.0.1:$NATS_PORT"
  nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$NATS_DIR/store" -l "$NATS_DIR/nats.log" -P "$NATS_DIR/nats.pid" >/dev/null 2>&1 &
  NATS_PID=$!
  for _ in $(seq 1 50); do
    (echo > "/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null && break
    sleep 0.1
  done
  export LINKTRACKING_TEST_NATS="nats://127.0.0.1:$NATS_PORT"
}

stop_private_nats() {
  if [ -n "${NATS_DIR:-}" ]; then
    [ -n "${NATS_PID:-}" ] && kill "$NATS_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do { [ -z "${NATS_PID:-}" ] || ! kill -0 "$NATS_PID" 2>/dev/null; } && break; sleep 0.1; done
    rm -rf "$NATS_DIR" || true
  fi
}

stop_private_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

# The benchmarks' load generator.
ensure_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    log "Installing wrk (Debian package)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null
  fi
}

# Waits (up to 30 s) until the URL answers 2xx.
wait_live() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "not live: $1" >&2; return 1; }

# Starts bench/BaselineRedirect (a bare MVC 302, built Release) on a free port; logs to $1/baseline.log.
# Sets BASE_PID and BASE (its base URL) and waits until it answers.
start_baseline() {
  local port; port=$(free_port)
  ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    dotnet bench/BaselineRedirect/bin/Release/net10.0/BaselineRedirect.dll --urls "http://127.0.0.1:$port" >"$1/baseline.log" 2>&1 &
  BASE_PID=$!
  BASE="http://127.0.0.1:$port"
  wait_live "$BASE/track/lt_benchbaseline" || { kill "$BASE_PID"; return 1; }
}

# A live service for the client packages' tests (scripts/check-client-packages.sh): the Release build of src/WebApi
# (built when missing) on SQLite in $1, on a free loopback port, with an admin API key made by its CLI
# (`api-keys create`). Sets LIVE_PID, LIVE_URL and LIVE_API_KEY and writes them to $1/live.env (for a caller that ran
# this in the background); logs to $1/service.log. stop_live_service ends it.
start_live_service() {
  local dir=$1 dll=src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll port
  [ -f "$dll" ] || dotnet build src/WebApi -c Release -nologo -clp:ErrorsOnly
  mkdir -p "$dir"
  local environment=(
    "ASPNETCORE_ENVIRONMENT=Production" "Database__Provider=Sqlite"
    "ConnectionStrings__LinkTracking=Data Source=$dir/linktracking.db" "ClickPipeline__SpoolDirectory=$dir/spool"
    "DataProtection__KeysDirectory=$dir/keys" "Logging__LogLevel__Default=Warning"
  )
  LIVE_API_KEY=$(env "${environment[@]}" dotnet "$dll" api-keys create --name client-packages --scopes admin 2>>"$dir/service.log" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).key))') \
    || { echo "api-keys create failed:" >&2; tail -n 30 "$dir/service.log" >&2; return 1; }
  port=$(free_port)
  LIVE_URL="http://127.0.0.1:$port"
  env "${environment[@]}" ASPNETCORE_URLS="$LIVE_URL" dotnet "$dll" >>"$dir/service.log" 2>&1 &
  LIVE_PID=$!
  export LIVE_URL LIVE_API_KEY
  printf 'LIVE_PID=%s\nLIVE_URL=%s\nLIVE_API_KEY=%s\n' "$LIVE_PID" "$LIVE_URL" "$LIVE_API_KEY" >"$dir/live.env"
  if ! wait_live "$LIVE_URL/health/ready"; then
    echo "the service did not become ready:" >&2; tail -n 40 "$dir/service.log" >&2
    stop_live_service; return 1
  fi
}

stop_live_service() {
  if [ -n "${LIVE_PID:-}" ]; then
    kill "$LIVE_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$LIVE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$LIVE_PID" 2>/dev/null || true
    LIVE_PID=
  fi
}
