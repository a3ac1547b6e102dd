#!/usr/bin/env bash
# Lints the OpenAPI document the running service serves with Redocly's recommended rules (errors fail; warnings
# are shown). Starts the built service (Release, SQLite in a temp dir) on a free port, fetches /openapi/v1.json,
# stops it. The Redocly CLI is pinned in tools/openapi/package-lock.json (npm ci, npm registry only).
# Run after `dotnet build -c Release`; ./test.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib.sh
source ./scripts/lib.sh

if ! command -v npm >/dev/null 2>&1; then
  echo "npm (Node.js 20.19 or later) is required to lint the OpenAPI document" >&2
  exit 1
fi

dll=src/WebApi/bin/Release/net10.0/LinkTracking.WebApi.dll
[ -f "$dll" ] || { echo "Build the solution in Release first ($dll missing)" >&2; exit 1; }

(cd tools/openapi && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

work=$(mktemp -d)
port=$(free_port)
ASPNETCORE_ENVIRONMENT=Production \
Database__Provider=Sqlite \
ConnectionStrings__LinkTracking="Data Source=$work/lint.db" \
ClickPipeline__SpoolDirectory="$work/spool" \
Logging__LogLevel__Default=Warning \
  dotnet "$dll" --urls "http://127.0.0.1:$port" >"$work/service.log" 2>&1 &
service=$!
stop_service() { kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; rm -rf "$work"; }
trap stop_service EXIT

if ! wait_live "http://127.0.0.1:$port/health/live" && ! wait_live "http://127.0.0.1:$port/health/live"; then
  cat "$work/service.log" >&2
  exit 1
fi
curl -sf "http://127.0.0.1:$port/openapi/v1.json" -o "$work/v1.json"
(cd tools/openapi && npm exec --no -- redocly lint --extends recommended --format stylish "$work/v1.json")
