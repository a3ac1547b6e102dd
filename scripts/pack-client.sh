#!/usr/bin/env bash
# Packs src/Client as the NuGet package LinkTracking.Client (+ symbols) into OUT (default ./artifacts/packages).
# The version comes from the latest git tag vX.Y.Z (MinVer); untagged commits get X.Y.(Z+1)-alpha.0.N.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(pwd)/artifacts/packages}
mkdir -p "$OUT"
dotnet pack src/Client -c Release -nologo -clp:ErrorsOnly -o "$OUT"
ls -1 "$OUT"/LinkTracking.Client.*
