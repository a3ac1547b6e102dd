#!/usr/bin/env bash
# The client packages as a consumer gets them, against a live service (scripts/lib.sh start_live_service: the
# WebApi's Release build on SQLite, a free port, an admin key from `api-keys create`):
#  1. .NET: scripts/pack-client.sh packs LinkTracking.Client into a temp folder feed; a fresh console project (its own
#     nuget.config: that feed added to the machine's sources, a private packages folder) restores it from the .nupkg
#     and runs tests/ClientPackages/Program.cs: create a link, record a click, read its analytics.
#  2. TypeScript: clients/typescript is built (tsc) and `npm pack`ed; a fresh npm project installs the tarball and
#     runs clients/typescript/test/*.test.mjs (node:test) through it: the same flow.
# The service starts and both packages are prepared in parallel (each step's output in a log, shown when it fails).
# The service is src/WebApi's Release build as it is (./test.sh has just built it; alone, build it first).
#   scripts/check-client-packages.sh            # both (./test.sh runs this; about a minute and a half)
#   scripts/check-client-packages.sh dotnet     # one of them: dotnet | typescript
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib.sh
source ./scripts/lib.sh

only=${1:-}
case "$only" in "" | dotnet | typescript) ;; *) echo "usage: $0 [dotnet|typescript]" >&2; exit 2 ;; esac
work=$(mktemp -d /tmp/linktracking-client-packages.XXXXXX)
starter=
cleanup() {
  local code=$?
  [ -n "$starter" ] && kill "$starter" 2>/dev/null || true
  [ -z "${LIVE_PID:-}" ] && [ -f "$work/service/live.env" ] && LIVE_PID=$(sed -n 's/^LIVE_PID=//p' "$work/service/live.env")
  stop_live_service
  if [ "$code" -ne 0 ] && [ -f "$work/service/service.log" ]; then
    echo "--- the service's log (last 30 lines) ---" >&2
    tail -n 30 "$work/service/service.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Runs "$@" with its output in $work/NAME.log; prints the log when it fails. (A background subshell, so that errexit
# holds inside "$@": it would not under `if` or `||`.)
logged() {
  local name=$1 code=0; shift
  ( "$@" ) >"$work/$name.log" 2>&1 &
  wait "$!" || code=$?
  if [ "$code" -ne 0 ]; then
    echo "$name failed (exit code $code):" >&2; tail -n 60 "$work/$name.log" >&2
  fi
  return "$code"
}

dotnet_prepare() {
  OUT="$work/feed" ./scripts/pack-client.sh
  local nupkg version
  nupkg=$(find "$work/feed" -name 'LinkTracking.Client.*.nupkg' ! -name '*.snupkg' | head -n 1)
  version=$(basename "$nupkg" .nupkg); version=${version#LinkTracking.Client.}
  echo "$version" >"$work/dotnet-version"

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
  # What `dotnet new console` writes, with the package reference.
  cat >"$app/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="LinkTracking.Client" Version="[$version]" />
  </ItemGroup>
</Project>
XML
  cp tests/ClientPackages/Program.cs "$app/Program.cs"
  (cd "$app" && dotnet build -c Release -nologo -clp:ErrorsOnly)

  local restored="$work/packages/linktracking.client/$version/linktracking.client.$version.nupkg.sha512"
  [ -f "$restored" ] || { echo "LinkTracking.Client $version was not restored from the folder feed" >&2; return 1; }
  local packed_hash
  packed_hash=$(node -e 'const c = require("node:crypto"), fs = require("node:fs");
    console.log(c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$nupkg")
  [ "$(cat "$restored")" = "$packed_hash" ] \
    || { echo "the restored LinkTracking.Client is not the package just packed" >&2; return 1; }
}

typescript_prepare() {
  (cd clients/typescript && npm ci --prefer-offline --no-audit --no-fund --loglevel=error && npm run --silent build)
  local tarball
  tarball=$(cd clients/typescript && npm pack --silent --pack-destination "$work" | tail -n 1)
  local app="$work/npm-consumer"
  mkdir -p "$app"
  (cd "$app" && npm init -y >/dev/null && npm install --prefer-offline --no-audit --no-fund --loglevel=error "$work/$tarball")
  cp clients/typescript/test/*.test.mjs "$app/"
}

log "Starting a live service; packing the client packages and installing them into fresh projects (in parallel)"
( start_live_service "$work/service" ) >"$work/service-start.log" 2>&1 &
starter=$!
pids=()
[ "$only" != typescript ] && { logged dotnet-prepare dotnet_prepare & pids+=("$!"); }
[ "$only" != dotnet ] && { logged typescript-prepare typescript_prepare & pids+=("$!"); }
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
service_ok=0
wait "$starter" || service_ok=$?
starter=
[ -f "$work/service/live.env" ] && eval "$(sed 's/^/export /' "$work/service/live.env")"
if [ "$service_ok" -ne 0 ]; then
  echo "the live service did not start:" >&2; cat "$work/service-start.log" >&2; exit 1
fi
[ "$failed" -eq 0 ] || exit 1
echo "service on $LIVE_URL"

if [ "$only" != typescript ]; then
  log ".NET: LinkTracking.Client $(cat "$work/dotnet-version"), restored from the folder feed, against the service"
  (cd "$work/consumer" && LINKTRACKING_URL="$LIVE_URL" LINKTRACKING_API_KEY="$LIVE_API_KEY" dotnet bin/Release/net10.0/Consumer.dll)
fi
if [ "$only" != dotnet ]; then
  log "TypeScript: @linktracking/client, installed from its tarball, against the service (node --test)"
  (cd "$work/npm-consumer" && LINKTRACKING_URL="$LIVE_URL" LINKTRACKING_API_KEY="$LIVE_API_KEY" node --test ./*.test.mjs)
fi
echo "client packages: ok"
