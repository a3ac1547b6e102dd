#!/usr/bin/env bash
# Checks the container recipe without a container engine (none runs here or in CI, so neither image is built):
#  1. compose.yaml against the Compose Specification's JSON schema (tools/container, ajv; pinned by its lock file);
#  2. the Dockerfile states what it promises (SDK build stage, ASP.NET Core runtime stage, tzdata, non-root user,
#     volumes for the spool and the key ring, HEALTHCHECK);
#  3. the Dockerfile's own commands, read from it, run on this machine: the build stage's `RUN dotnet …` (restore,
#     publish to /app), then the runtime stage's ENV, VOLUME, WORKDIR, ENTRYPOINT and CMD, with /app and /data mapped
#     into a temp directory, the published files read-only and the service run as `nobody` (when run as root), as
#     `--read-only` with volumes would; the HEALTHCHECK command must report ready, a CLI command must work in the same
#     layout, nothing may be written outside the volumes, and SIGTERM must stop the service with exit code 0.
#   scripts/check-container-recipe.sh                 # all of it (a few minutes: a Release publish)
#   scripts/check-container-recipe.sh --compose-only  # 1 alone (seconds; ./test.sh runs this)
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib.sh
source ./scripts/lib.sh

log "compose.yaml against the Compose Specification's JSON schema"
(cd tools/container && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node tools/container/validate-compose.mjs compose.yaml
[ "${1:-}" = "--compose-only" ] && exit 0

log "Dockerfile: what the recipe promises"
# Continuation lines joined, comments dropped.
dockerfile=$(sed -e ':a' -e '/\\$/{N;s/\\\n//;ta}' Dockerfile | grep -v '^[[:space:]]*#' | grep -v '^[[:space:]]*$')
expect() { grep -Eq "$1" <<<"$dockerfile" || { echo "Dockerfile: no $2" >&2; exit 1; }; }
expect '^FROM mcr\.microsoft\.com/dotnet/sdk:\S+ AS build$' 'SDK build stage'
expect '^FROM mcr\.microsoft\.com/dotnet/aspnet:\S+ AS runtime$' 'ASP.NET Core runtime stage'
expect 'apt-get install .*tzdata' 'tzdata'
expect '^USER \$APP_UID$' 'non-root user'
expect '^VOLUME .*"/data/spool"' 'volume for the spool'
expect '^VOLUME .*"/data/keys"' 'volume for the Data Protection keys'
expect '^HEALTHCHECK .*CMD \[' 'HEALTHCHECK'
echo "ok"

build_stage=$(sed -n '/ AS build$/,/ AS runtime$/p' <<<"$dockerfile")
runtime_stage=$(sed -n '/ AS runtime$/,$p' <<<"$dockerfile")
instruction() { sed -n "s/^$1 //p" <<<"$runtime_stage" | tail -n 1; }
json_words() { node -e 'for (const w of JSON.parse(process.argv[1])) console.log(w)' "$1"; }

work=$(mktemp -d /tmp/linktracking-container.XXXXXX)
chmod 755 "$work"
service_pid=
cleanup() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then kill -KILL "$service_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# The image's paths, mapped into the temp directory.
map() { sed -e "s#/app\b#$work/app#g" -e "s#/data/#$work/data/#g"; }

log "Build stage: its dotnet commands (WORKDIR /src is the repository root: COPY keeps the layout)"
while IFS= read -r command; do
  command=$(map <<<"$command")
  echo "+ $command"
  eval "$command"
done < <(sed -n 's/^RUN \(dotnet .*\)$/\1/p' <<<"$build_stage")
# The runtime stage copies the publish output and the health check script into WORKDIR.
while IFS= read -r copy; do
  read -r -a parts <<<"$copy"
  [ "${parts[0]}" = "--from=build" ] && continue
  cp "${parts[0]}" "$(map <<<"/app/${parts[1]#./}")"
done < <(sed -n 's/^COPY //p' <<<"$runtime_stage")

log "Runtime stage: ENV, VOLUME, WORKDIR, USER, read-only root"
environment=()
while IFS= read -r assignments; do
  eval "declare -a pairs=($(map <<<"$assignments"))"
  environment+=("${pairs[@]}")
done < <(sed -n 's/^ENV //p' <<<"$runtime_stage")
port=$(free_port)
environment+=("ASPNETCORE_HTTP_PORTS=$port" "HOME=/nonexistent" "DOTNET_NOLOGO=1")
printf '  %s\n' "${environment[@]}"
mapfile -t volumes < <(json_words "$(instruction VOLUME)" | map)
mkdir -p "${volumes[@]}"
workdir=$(instruction WORKDIR | map)
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown -R nobody "$work/data"
  # setpriv execs the service itself (runuser would stand between and SIGKILL it 2 s after a SIGTERM).
  run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
chmod -R a-w "$workdir"
touch "$work/started"
mapfile -t entrypoint < <(json_words "$(instruction ENTRYPOINT)")
mapfile -t cmd < <(json_words "$(instruction CMD)")
healthcheck_json=$(sed -n 's/^HEALTHCHECK .*CMD \(\[.*\]\)$/\1/p' <<<"$runtime_stage")
mapfile -t healthcheck < <(json_words "$healthcheck_json" | map)

log "Start-up: ${entrypoint[*]} ${cmd[*]} (as $([ ${#run_as[@]} -gt 0 ] && echo nobody || id -un), port $port)"
(cd "$workdir" && exec "${run_as[@]}" env "${environment[@]}" "${entrypoint[@]}" "${cmd[@]}") >"$work/service.log" 2>&1 &
service_pid=$!
ready=false
for _ in $(seq 1 120); do
  if env "${environment[@]}" "${healthcheck[@]}"; then ready=true; break; fi
  kill -0 "$service_pid" 2>/dev/null || break
  sleep 1
done
if ! $ready; then
  echo "The HEALTHCHECK command (${healthcheck[*]}) never reported ready:" >&2
  tail -n 40 "$work/service.log" >&2
  exit 1
fi
echo "HEALTHCHECK (${healthcheck[*]}): ready"
curl -sf -o /dev/null "http://127.0.0.1:$port/dashboard/" || { echo "the dashboard did not answer" >&2; exit 1; }
echo "dashboard: served from the read-only files"

log "A command in the same layout: api-keys list"
(cd "$workdir" && "${run_as[@]}" env "${environment[@]}" "${entrypoint[@]}" api-keys list >/dev/null)
echo "ok"

log "Stop: SIGTERM drains, exit code 0"
kill -TERM "$service_pid"
exit_code=0
wait "$service_pid" || exit_code=$?
service_pid=
if [ "$exit_code" -ne 0 ]; then
  echo "the service exited with $exit_code after SIGTERM" >&2
  tail -n 40 "$work/service.log" >&2
  exit 1
fi
echo "ok"

log "Nothing written outside the volumes"
written=$(find "$work" -mindepth 1 -newer "$work/started" -not -path "$work/data/*" -not -path "$work/data" -not -name service.log -print)
if [ -n "$written" ] || grep -Eiq 'read-only file system|access to the path .* is denied' "$work/service.log"; then
  echo "written outside the volumes (or tried to):" >&2
  echo "$written" >&2
  grep -Ei 'read-only file system|access to the path' "$work/service.log" >&2 || true
  exit 1
fi
echo "ok: the container recipe publishes, starts unprivileged on a read-only root, reports ready, and stops cleanly"
