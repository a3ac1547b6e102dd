#!/usr/bin/env bash
# Builds everything and runs every test: unit, integration (real PostgreSQL and SQLite) and functional.
# When LINKTRACKING_TEST_POSTGRES is not set, provisions a private PostgreSQL cluster (initdb into a temp dir,
# 127.0.0.1, a free port) and removes it afterwards; likewise Redis and NATS with JetStream (LINKTRACKING_TEST_REDIS,
# LINKTRACKING_TEST_NATS). Installs what it needs (apt-get: PostgreSQL, Redis, nats-server, Chromium for
# the dashboard's browser tests; dotnet tool restore).
# Then the client packages (the packed .nupkg and npm tarball against a live service), the migration bundles (applied
# to empty databases) and the cluster fault test (tests/Cluster.FaultTests: three nodes behind HAProxy under faults).
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter FullyQualifiedName~Analytics) and skip the cluster
# stage; ./test.sh --cluster runs only the cluster stage.
set -euo pipefail
cd "$(dirname "$0")"

# shellcheck source=scripts/lib.sh
source ./scripts/lib.sh

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK (10.0) is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi

# Three nodes behind HAProxy under faults (kill -9, Redis and PostgreSQL outages, a drain): a stage of its own after
# the main run, outside LinkTracking.sln, since it starts a whole cluster of its own (scripts/cluster.sh: PostgreSQL,
# Redis, HAProxy; a few minutes). Figures are printed as "cluster fault test: …" lines.
cluster_stage() {
  log "Cluster fault test: three nodes behind HAProxy (scripts/cluster.sh)"
  dotnet build tests/Cluster.FaultTests -c Release -nologo -clp:ErrorsOnly
  dotnet test tests/Cluster.FaultTests --no-build -c Release -nologo --logger "console;verbosity=normal" --blame-hang-timeout 10m
}

if [ "${1:-}" = "--cluster" ]; then
  cluster_stage
  exit 0
fi

cleanup() { stop_private_postgres; stop_private_redis; stop_private_nats; }
trap cleanup EXIT

if [ -z "${LINKTRACKING_TEST_POSTGRES:-}" ]; then
  start_private_postgres
fi
export_pg_tools
if [ -z "${LINKTRACKING_TEST_REDIS:-}" ]; then
  start_private_redis
fi
if [ -z "${LINKTRACKING_TEST_NATS:-}" ]; then
  start_private_nats
else
  ensure_nats_server
fi
if [ -z "${LINKTRACKING_CHROMIUM:-}" ]; then
  ensure_chromium
fi

log "Restoring tools and packages"
dotnet tool restore >/dev/null
dotnet restore LinkTracking.sln >/dev/null

log "Building"
dotnet build LinkTracking.sln --no-restore -c Release -nologo -clp:ErrorsOnly

log "Linting the served OpenAPI document (Redocly, recommended rules)"
./scripts/lint-openapi.sh

log "Running tests"
dotnet test LinkTracking.sln --no-build -c Release -nologo --logger "console;verbosity=minimal" --blame-hang-timeout 5m "$@"

log "Checking the committed TypeScript types (openapi-typescript), building @linktracking/client, type-checking its example"
./scripts/generate-typescript.sh --check

# Skipped when the arguments select tests (--filter …), like the cluster stage; about a minute and a half.
if [ "$#" -eq 0 ]; then
  log "Client packages as integrators get them, against a live service (scripts/check-client-packages.sh)"
  ./scripts/check-client-packages.sh
fi

# Skipped when the arguments select tests (--filter …); about a minute and a half.
if [ "$#" -eq 0 ]; then
  log "Migration bundles as DBAs get them: self-contained, applied to an empty PostgreSQL and SQLite (scripts/migration-bundles.sh)"
  bundles=$(mktemp -d /tmp/linktracking-bundles.XXXXXX)
  ./scripts/migration-bundles.sh --test --out "$bundles"
  rm -rf "$bundles"
fi

log "Checking compose.yaml against the Compose Specification's JSON schema (the image itself is not built here)"
./scripts/check-container-recipe.sh --compose-only

# Skipped when the arguments select tests (--filter …); ./test.sh --cluster runs it alone.
if [ "$#" -eq 0 ]; then
  cluster_stage
fi
