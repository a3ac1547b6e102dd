#!/usr/bin/env bash
# Builds an EF Core migrations bundle per database provider: one executable that applies the schema, for a deployment
# step or a DBA, with no SDK or service configuration on the machine that runs it.
#   scripts/migration-bundles.sh                        # self-contained linux-x64 bundles in artifacts/migrations/
#   scripts/migration-bundles.sh --framework-dependent  # smaller and faster to build; needs the .NET 10 runtime to run
#   scripts/migration-bundles.sh --out DIR              # elsewhere
#   scripts/migration-bundles.sh --test                 # then apply them to an empty private PostgreSQL and SQLite
#                                                       # (tests/Resilience.Tests MigrationBundleTests)
# Running one:
#   artifacts/migrations/efbundle-postgres --connection "Host=…;Username=…;Password=…;Database=linktracking"
#   artifacts/migrations/efbundle-sqlite --connection "Data Source=/var/lib/linktracking/linktracking.db"
# Exit code 0 when the database is at the latest migration (also when it already was). PostgreSQL needs the hll
# extension installed on the server (postgresql-15-hll). docs/operations.md, "Migrations".
# Takes a few minutes on two cores (about 3 min for the first, self-contained, with the build).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib.sh
source ./scripts/lib.sh

out=artifacts/migrations
self_contained=(--self-contained -r linux-x64)
run_test=false
while [ "$#" -gt 0 ]; do
  case "$1" in
    --framework-dependent) self_contained=() ;;
    --out) out=$2; shift ;;
    --out=*) out=${1#--out=} ;;
    --test) run_test=true ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

dotnet tool restore >/dev/null
mkdir -p "$out"
build=()
for provider in postgres sqlite; do
  case $provider in
    postgres) context=PostgresLinkTrackingDbContext ;;
    sqlite) context=SqliteLinkTrackingDbContext ;;
  esac
  log "Bundling the $provider migrations ($context) into $out/efbundle-$provider"
  # The design-time factories (src/Infrastructure/Persistence/DesignTimeFactories.cs) make the context: no server,
  # no configuration. The startup project is built once, for the first bundle.
  dotnet ef migrations bundle --project src/Infrastructure --startup-project src/WebApi --context "$context" \
    --configuration Release "${self_contained[@]}" "${build[@]}" --force -o "$out/efbundle-$provider"
  build=(--no-build)
done
ls -l "$out"

if $run_test; then
  cleanup() { stop_private_postgres; }
  trap cleanup EXIT
  if [ -z "${LINKTRACKING_TEST_POSTGRES:-}" ]; then
    start_private_postgres
  fi
  export_pg_tools
  log "Applying the bundles to empty databases (MigrationBundleTests)"
  dotnet build tests/Resilience.Tests -c Release -nologo -clp:ErrorsOnly
  LINKTRACKING_MIGRATION_BUNDLES=$(realpath "$out") dotnet test tests/Resilience.Tests --no-build -c Release -nologo \
    --filter "FullyQualifiedName~MigrationBundleTests" --logger "console;verbosity=normal"
fi
