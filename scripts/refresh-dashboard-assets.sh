#!/usr/bin/env bash
# Refreshes the dashboard's vendored chart library (uPlot, MIT) from the npm registry: packs the pinned version,
# checks the tarball's SHA-256, and copies its minified build into src/WebApi/wwwroot/dashboard/assets/vendor/.
# The copied files are committed, so neither `dotnet build` nor a running service needs npm or a network.
# To move to another version: change UPLOT_VERSION, run once with UPLOT_SHA256= to print the new checksum, pin it.
set -euo pipefail
cd "$(dirname "$0")/.."

UPLOT_VERSION=1.6.32
UPLOT_SHA256=${UPLOT_SHA256-4b8a8191e425658e3ea8c8c1314b0fc679c861ee3a1af2b20c7b16ba50b5133d}
DEST=src/WebApi/wwwroot/dashboard/assets/vendor

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "uplot@$UPLOT_VERSION" >/dev/null)
tarball="$work/uplot-$UPLOT_VERSION.tgz"
actual=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ -z "$UPLOT_SHA256" ]; then
  echo "uplot@$UPLOT_VERSION sha256: $actual"
elif [ "$actual" != "$UPLOT_SHA256" ]; then
  echo "uplot@$UPLOT_VERSION: checksum $actual, expected $UPLOT_SHA256" >&2
  exit 1
fi

tar -xzf "$tarball" -C "$work"
mkdir -p "$DEST"
cp "$work/package/dist/uPlot.iife.min.js" "$DEST/uplot.min.js"
cp "$work/package/dist/uPlot.min.css" "$DEST/uplot.min.css"
cp "$work/package/LICENSE" "$DEST/uplot.LICENSE.txt"
echo "uPlot $UPLOT_VERSION copied to $DEST"
