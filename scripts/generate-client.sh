#!/usr/bin/env bash
# Regenerates the Kiota client of src/Client from the committed OpenAPI snapshot docs/openapi/v1.json.
# Kiota is the pinned local dotnet tool (dotnet-tools.json). Usage:
#   scripts/generate-client.sh            # into src/Client/Generated (commit the result)
#   scripts/generate-client.sh OUT_DIR    # elsewhere (the staleness test generates into a temp dir and compares)
# Refresh the snapshot first when the service's contract changed:
#   UPDATE_OPENAPI_SNAPSHOT=1 ./test.sh --filter FullyQualifiedName~OpenApi
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-src/Client/Generated}"
export KIOTA_TUTORIAL_ENABLED=false KIOTA_OFFLINE_ENABLED=true
dotnet tool restore >/dev/null
dotnet kiota generate \
  --language CSharp \
  --openapi docs/openapi/v1.json \
  --output "$out" \
  --class-name LinkTrackingApiClient \
  --namespace-name LinkTracking.Client.Generated \
  --exclude-backward-compatible \
  --clean-output \
  --log-level Warning
# The lock file records where the description was read from and when; nothing the client needs.
rm -f "$out/kiota-lock.json"
