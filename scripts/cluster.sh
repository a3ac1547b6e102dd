#!/usr/bin/env bash
# Three LinkTracking nodes behind HAProxy, on loopback, free ports, in a temp directory: a private PostgreSQL, a
# private Redis (Debian redis-server), three instances of the Release-built service (each with its own spool
# directory, the same database and Redis) and HAProxy (Debian haproxy; health checks on /health/ready, retries and
# redispatch on connection failure, and of a GET, HEAD or OPTIONS a node took but never answered; a request id per
# request that the nodes take as a redirect's idempotency key). Installs PostgreSQL, Redis and HAProxy with apt-get
# when missing.
#
#   scripts/cluster.sh                 start everything, print the addresses, wait until Ctrl-C, clean up
#   scripts/cluster.sh start           start everything in the background; prints CLUSTER_DIR=… and the addresses
#                                      (also written to $CLUSTER_DIR/cluster.env)
#   CLUSTER_DIR=… scripts/cluster.sh kill-node N | start-node N | term-node N | stop-redis | start-redis
#                                      | stop-postgres | start-postgres | status | stop
#   HAPROXY_PORT=… NODE1_PORT=… NODE2_PORT=… NODE3_PORT=… scripts/cluster.sh haproxy-config FILE
#                                      write (and check) only the HAProxy configuration, for those ports
#
# kill-node is kill -9; term-node is SIGTERM (graceful drain: readiness 503, then exit); start-node starts node N again
# on its port with its spool. stop ends every process and removes every directory the cluster made.
# Settings (environment, for start): CLUSTER_DRAIN_DELAY (default 00:00:03), CLUSTER_CLICK_LIMIT and
# CLUSTER_ANALYTICS_LIMIT (per minute; defaults 0 = off and 100), CLUSTER_WEBAPI_DLL (default: the Release build),
# CLUSTER_BRAND_HOST (default go.brand.test: every node's branded domain, LinkTracking:Domains, short path /r; HAProxy
# passes the Host header through).
# Build first: dotnet build src/WebApi -c Release.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

NODES=3
ADMIN_KEY_DEFAULT="ltk_ClusterAdminKey000000000000000000000000"

ensure_haproxy() {
  if ! command -v haproxy >/dev/null 2>&1; then
    log "Installing HAProxy (Debian package)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq haproxy >/dev/null
  fi
}

load_env() {
  [ -n "${CLUSTER_DIR:-}" ] && [ -f "$CLUSTER_DIR/cluster.env" ] || { echo "CLUSTER_DIR is not a running cluster's directory" >&2; exit 1; }
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/cluster.env"
  read -r -a PG_RUN_AS <<< "${PG_RUN_AS_STRING:-}"
}

node_port() { local var="NODE${1}_PORT"; echo "${!var}"; }

start_node() {
  local n=$1 port; port=$(node_port "$n")
  mkdir -p "$CLUSTER_DIR/node$n/spool"
  # setsid: the node outlives this script (start mode) and takes no signal meant for it; output to a log file so
  # that whoever reads this script's output is not kept waiting by the node's.
  ( cd "$CLUSTER_DIR/node$n" && exec env \
      ASPNETCORE_ENVIRONMENT=Production \
      Database__Provider=Postgres \
      ConnectionStrings__LinkTracking="$DB" \
      Redis__Configuration="127.0.0.1:$REDIS_PORT,abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000" \
      Auth__BootstrapApiKey="$ADMIN_KEY" \
      ClickPipeline__SpoolDirectory="$CLUSTER_DIR/node$n/spool" \
      RateLimits__ClicksPerMinutePerIp="$CLICK_LIMIT" \
      RateLimits__AnalyticsPerMinutePerKey="$ANALYTICS_LIMIT" \
      Lifecycle__DrainDelay="$DRAIN_DELAY" \
      Network__RequestIdHeader=X-Request-ID \
      LinkTracking__Domains__0__Host="$BRAND_HOST" \
      LinkTracking__Domains__0__ShortPath="$BRAND_SHORT_PATH" \
      Logging__LogLevel__Default=Warning \
      setsid dotnet "$WEBAPI_DLL" --urls "http://127.0.0.1:$port" >>"$CLUSTER_DIR/node$n.log" 2>&1 </dev/null ) &
  echo $! > "$CLUSTER_DIR/node$n.pid"
  wait_live "http://127.0.0.1:$port/health/live"
}

signal_node() {
  local n=$1 signal=$2 pid
  pid=$(cat "$CLUSTER_DIR/node$n.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill "-$signal" "$pid" 2>/dev/null || true
  if [ "$signal" = KILL ]; then
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$CLUSTER_DIR/node$n.pid"
  fi
}

write_haproxy_config() {
  local file=$1 servers="" n
  for n in $(seq 1 $NODES); do servers+="  server node$n 127.0.0.1:$(node_port "$n")"$'\n'; done
  cat > "$file" <<EOF
global
  maxconn 4096

defaults
  mode http
  option forwardfor
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout check 1s
  # Connection failures are retried on another node; so is a request a node took and then closed or reset the
  # connection on without a byte of answer (a node killed mid-request), but only a GET, HEAD or OPTIONS (see the
  # frontend). HAProxy re-sends it with the same request id (below), so a redirect the first node journalled is
  # stored once. Without empty-response HAProxy closes the client's connection without an answer when that request
  # was not the connection's first ("the client is required to retry"): the browser's, or .NET's, retry is a new
  # request with a new id, and the click was stored twice.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response
  default-server check inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2

frontend linktracking
  bind 127.0.0.1:$HAPROXY_PORT
  # Every request gets an id of its own (a random UUID: nothing of the client in it), the same when HAProxy sends it
  # again to another node; the nodes (Network:RequestIdHeader) store a redirect's click once per link and id. A
  # client's own X-Request-ID is dropped first: only HAProxy's reaches a node.
  http-request del-header X-Request-ID
  unique-id-format %[uuid()]
  unique-id-header X-Request-ID
  # A write the node may have made is never re-sent by HAProxy: partner batches without event_ids, and API writes,
  # have no idempotency key.
  http-request disable-l7-retry unless { method GET HEAD OPTIONS }
  # Which node answered (or, for an error HAProxy made, which node it gave up on).
  http-after-response set-header X-Served-By %s
  # No node ready means the shared database is down: the live nodes still serve cached redirects and keep clicks
  # on local disk, which beats a 503 from the balancer.
  use_backend nodes_live if { nbsrv(nodes_ready) eq 0 }
  default_backend nodes_ready

backend nodes_ready
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
$servers
backend nodes_live
  balance roundrobin
  option httpchk GET /health/live
  http-check expect status 200
$servers
EOF
  haproxy -c -q -f "$file"
}

start_all() {
  ensure_haproxy
  ensure_pg_bin
  ensure_redis_server
  WEBAPI_DLL=${CLUSTER_WEBAPI_DLL:-$ROOT/src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll}
  [ -f "$WEBAPI_DLL" ] || { echo "Build first: dotnet build src/WebApi -c Release ($WEBAPI_DLL is missing)" >&2; exit 1; }

  CLUSTER_DIR=$(mktemp -d /tmp/linktracking-cluster.XXXXXX)
  export CLUSTER_DIR
  start_private_postgres >/dev/null
  REDIS_DIR="$CLUSTER_DIR/redis"; mkdir -p "$REDIS_DIR"
  REDIS_PORT=$(free_port)
  start_private_redis_server
  DB="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Timeout=2;Command Timeout=5"
  HAPROXY_PORT=$(free_port)
  {
    echo "PG_BIN='$PG_BIN'"; echo "PG_DIR='$PG_DIR'"; echo "PG_PORT=$PG_PORT"; echo "PG_RUN_AS_STRING='${PG_RUN_AS[*]}'"
    echo "REDIS_DIR='$REDIS_DIR'"; echo "REDIS_PORT=$REDIS_PORT"; echo "DB='$DB'"
    echo "ADMIN_KEY='${CLUSTER_ADMIN_KEY:-$ADMIN_KEY_DEFAULT}'"; echo "WEBAPI_DLL='$WEBAPI_DLL'"
    echo "CLICK_LIMIT=${CLUSTER_CLICK_LIMIT:-0}"; echo "ANALYTICS_LIMIT=${CLUSTER_ANALYTICS_LIMIT:-100}"
    echo "DRAIN_DELAY='${CLUSTER_DRAIN_DELAY:-00:00:03}'"; echo "HAPROXY_PORT=$HAPROXY_PORT"
    echo "BRAND_HOST='${CLUSTER_BRAND_HOST:-go.brand.test}'"; echo "BRAND_SHORT_PATH=/r"
    for n in $(seq 1 $NODES); do echo "NODE${n}_PORT=$(free_port)"; done
  } > "$CLUSTER_DIR/cluster.env"
  load_env

  # The first node migrates the database; the others start once it has.
  start_node 1
  for n in $(seq 2 $NODES); do start_node "$n"; done
  write_haproxy_config "$CLUSTER_DIR/haproxy.cfg"
  haproxy -D -f "$CLUSTER_DIR/haproxy.cfg" -p "$CLUSTER_DIR/haproxy.pid"
  wait_live "http://127.0.0.1:$HAPROXY_PORT/health/ready"
}

stop_all() {
  [ -n "${CLUSTER_DIR:-}" ] && [ -d "$CLUSTER_DIR" ] || return 0
  if [ -f "$CLUSTER_DIR/cluster.env" ]; then
    load_env
    local n pid
    [ -f "$CLUSTER_DIR/haproxy.pid" ] && kill "$(cat "$CLUSTER_DIR/haproxy.pid")" 2>/dev/null || true
    for n in $(seq 1 $NODES); do signal_node "$n" KILL; done
    stop_private_redis_server
    stop_private_postgres
  elif [ -n "${PG_DIR:-}" ]; then
    stop_private_postgres
  fi
  rm -rf "$CLUSTER_DIR"
}

print_addresses() {
  echo "CLUSTER_DIR=$CLUSTER_DIR"
  echo "HAPROXY=http://127.0.0.1:$HAPROXY_PORT"
  for n in $(seq 1 $NODES); do echo "NODE$n=http://127.0.0.1:$(node_port "$n")"; done
  echo "POSTGRES=$DB"
  echo "REDIS=127.0.0.1:$REDIS_PORT"
  echo "ADMIN_KEY=$ADMIN_KEY"
  echo "BRAND_HOST=$BRAND_HOST"
}

command=${1:-up}
case "$command" in
  up)
    trap stop_all EXIT
    trap 'exit 130' INT TERM
    start_all
    print_addresses
    echo "Running; Ctrl-C stops and removes everything."
    while true; do sleep 1; done
    ;;
  start)
    # Cleans up what it made when start-up fails or is interrupted; on success the cluster runs on.
    trap stop_all EXIT
    trap 'exit 130' INT TERM
    start_all >&2
    trap - EXIT INT TERM
    print_addresses
    ;;
  kill-node) load_env; signal_node "$2" KILL ;;
  term-node) load_env; signal_node "$2" TERM ;;
  start-node) load_env; start_node "$2" ;;
  stop-redis) load_env; stop_private_redis_server ;;
  start-redis) load_env; start_private_redis_server ;;
  stop-postgres) load_env; stop_private_postgres_server ;;
  start-postgres) load_env; start_private_postgres_server ;;
  status) load_env; print_addresses ;;
  haproxy-config) ensure_haproxy; write_haproxy_config "${2:?haproxy-config FILE}" ;;
  stop) stop_all ;;
  *) sed -n '2,23p' "$0" >&2; exit 2 ;;
esac
