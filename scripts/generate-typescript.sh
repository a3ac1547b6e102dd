#!/usr/bin/env bash
# Regenerates clients/typescript/linktracking.d.ts from the committed docs/openapi/v1.json with openapi-typescript
# (pinned in tools/openapi/package-lock.json), builds the npm package @linktracking/client and type-checks its example.
#   scripts/generate-typescript.sh           # rewrite the types (commit them)
#   scripts/generate-typescript.sh --check   # fail when the committed types are stale (./test.sh runs this)
set -euo pipefail
cd "$(dirname "$0")/.."

(cd tools/openapi && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
target=clients/typescript/linktracking.d.ts
out=$target
if [ "${1:-}" = "--check" ]; then
  out=$(mktemp --suffix=.d.ts)
  trap 'rm -f "$out"' EXIT
fi
out_abs=$(realpath -m "$out")
(cd tools/openapi && npm exec --no -- openapi-typescript ../../docs/openapi/v1.json -o "$out_abs" --silent)
if [ "$out" != "$target" ] && ! diff -q "$target" "$out" >/dev/null; then
  echo "$target is stale: run scripts/generate-typescript.sh and commit it." >&2
  diff -u "$target" "$out" | head -40 >&2
  exit 1
fi
# The npm package @linktracking/client: its own pinned TypeScript builds it (dist/) and type-checks the example.
(cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build && npm run --silent check-example)
