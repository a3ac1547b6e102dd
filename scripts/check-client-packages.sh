#!/usr/bin/env bash
# The client packages as a consumer gets them, against a live service (scripts/lib.sh start_live_service: the
# WebApi's Release build on SQLite, a free port, an admin key from `api-keys create`):
#  1. .NET: scripts/pack-client.sh packs LinkTracking.Client into a temp folder feed; a fresh `dotnet new console`
#     project (its own nuget.config: that feed added to the machine's sources, a private packages folder) restores it
#     from the .nupkg and runs tests/ClientPackages/Program.cs: create a link, record a click, read its analytics.
#  2. TypeScript: clients/typescript is built (tsc) and `npm pack`ed; a fresh npm project installs the tarball and
#     runs clients/typescript/test/*.test.mjs (node:test) through it: the same flow.
#   scripts/check-client-packages.sh            # both (./test.sh runs this; about a minute)
#   scripts/check-client-packages.sh dotnet     # one of them: dotnet | typescript
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

# shellcheck source=scripts/lib.sh
source ./scripts/lib.sh

only=${1:-}
work=$(mktemp -d /tmp/linktracking-client-packages.XXXXXX)
cleanup() {
  local code=$?
  stop_live_service
  if [ "$code" -ne 0 ] && [ -f "$work/service/service.log" ]; then
    echo "--- the service's log (last 30 lines) ---" >&2
    tail -n 30 "$work/service/service.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

log "A live service for the client packages"
start_live_service "$work/service"
echo "listening on $LIVE_URL"

dotnet_package() {
  log ".NET: pack LinkTracking.Client, restore it from a folder feed into a fresh console project, run it"
  OUT="$work/feed" ./scripts/pack-client.sh >/dev/null
  local nupkg version
  nupkg=$(find "$work/feed" -name 'LinkTracking.Client.*.nupkg' ! -name '*.snupkg' | head -n 1)
  version=$(basename "$nupkg" .nupkg); version=${version#LinkTracking.Client.}
  echo "packed $(basename "$nupkg")"

  # Every package of the machine's cache but this one may come from there (fast, no download); LinkTracking.Client
  # must come from the feed, and its hash is checked against the .nupkg below.
  local global fallback="$work/fallback"
  global=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //'); global=${global%/}
  mkdir -p "$fallback"
  for package in "$global"/*; do
    [ "$(basename "$package")" = linktracking.client ] || ln -s "$package" "$fallback/"
  done

  local app="$work/consumer"
  mkdir -p "$app"
  cat >"$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <packageSources><add key="linktracking-local" value="$work/feed" /></packageSources>
  <fallbackPackageFolders><clear /><add key="machine" value="$fallback" /></fallbackPackageFolders>
</configuration>
XML
  (cd "$app" && dotnet new console --name Consumer --output . --framework net10.0 >/dev/null)
  cp tests/ClientPackages/Program.cs "$app/Program.cs"
  (cd "$app" && dotnet add package LinkTracking.Client --version "$version" --no-restore >/dev/null)
  (cd "$app" && dotnet restore -nologo >/dev/null) || { echo "restoring LinkTracking.Client $version from $work/feed failed" >&2; (cd "$app" && dotnet restore -nologo) >&2; return 1; }

  local restored="$work/packages/linktracking.client/$version/linktracking.client.$version.nupkg.sha512"
  [ -f "$restored" ] || { echo "LinkTracking.Client $version was not restored from the folder feed" >&2; return 1; }
  [ "$(cat "$restored")" = "$(openssl dgst -sha512 -binary "$nupkg" | base64 -w0)" ] \
    || { echo "the restored LinkTracking.Client is not the package just packed" >&2; return 1; }

  (cd "$app" && LINKTRACKING_URL="$LIVE_URL" LINKTRACKING_API_KEY="$LIVE_API_KEY" dotnet run --no-restore -c Release -nologo -clp:ErrorsOnly)
}

typescript_package() {
  log "TypeScript: build and pack @linktracking/client, install the tarball into a fresh project, node --test through it"
  (cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build)
  local tarball
  tarball=$(cd clients/typescript && npm pack --silent --pack-destination "$work")
  local app="$work/npm-consumer"
  mkdir -p "$app"
  (cd "$app" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$work/$tarball" >/dev/null)
  cp clients/typescript/test/*.test.mjs "$app/"
  (cd "$app" && LINKTRACKING_URL="$LIVE_URL" LINKTRACKING_API_KEY="$LIVE_API_KEY" node --test ./*.test.mjs)
}

case "$only" in
  "") dotnet_package; typescript_package ;;
  dotnet) dotnet_package ;;
  typescript) typescript_package ;;
  *) echo "usage: $0 [dotnet|typescript]" >&2; exit 2 ;;
esac
echo "client packages: ok"
