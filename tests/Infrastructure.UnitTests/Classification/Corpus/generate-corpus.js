#!/usr/bin/env node
// Generates the labelled click corpus (corpus.ndjson.gz) for ClassifierCorpusTests. Deterministic (seeded).
// Usage: node generate-corpus.js   (needs npm: fetches the pinned packages below with `npm pack`)
// Sources and the reasoning behind every label: README.md next to this file.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { execFileSync } = require('child_process');

const USER_AGENTS_VERSION = '2.1.198';        // BSD-2-Clause; weighted real browser traffic
const CRAWLER_USER_AGENTS_VERSION = '1.60.0'; // MIT; instances of known bots with tags
const here = __dirname;
const dataDir = path.resolve(here, '../../../../src/Infrastructure/Classification/Data');

// ---- deterministic randomness --------------------------------------------------------------------------------
let seed = 20261201;
function rand() { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296; }
const pick = a => a[Math.floor(rand() * a.length)];
const chance = p => rand() < p;
function weighted(items, weightOf) {
  const total = items.reduce((s, x) => s + weightOf(x), 0);
  let r = rand() * total;
  for (const x of items) { r -= weightOf(x); if (r <= 0) return x; }
  return items[items.length - 1];
}

// ---- packages ----------------------------------------------------------------------------------------------------
function unpack(name, version) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-'));
  execFileSync('npm', ['pack', '--silent', `${name}@${version}`], { cwd: dir });
  const tgz = fs.readdirSync(dir).find(f => f.endsWith('.tgz'));
  execFileSync('tar', ['xzf', tgz], { cwd: dir });
  return path.join(dir, 'package');
}
const uaPackage = unpack('user-agents', USER_AGENTS_VERSION);
const cuaPackage = unpack('crawler-user-agents', CRAWLER_USER_AGENTS_VERSION);
const browsers = JSON.parse(fs.readFileSync(path.join(uaPackage, 'dist/user-agents.json'), 'utf8'))
  .filter(b => ['desktop', 'mobile', 'tablet'].includes(b.deviceCategory));
const crawlers = JSON.parse(fs.readFileSync(path.join(cuaPackage, 'crawler-user-agents.json'), 'utf8'));

// ---- addresses from the shipped ASN table ------------------------------------------------------------------------
const ranges4 = new Map(), ranges6 = new Map();
for (const [file, map] of [['asn-ipv4.csv.gz', ranges4], ['asn-ipv6.csv.gz', ranges6]]) {
  for (const line of zlib.gunzipSync(fs.readFileSync(path.join(dataDir, file))).toString().split('\n')) {
    if (!line) continue;
    const [s, e, asn] = line.split(',');
    const big = file.includes('ipv6') ? x => BigInt('0x' + x) : x => BigInt(x);
    if (!map.has(asn)) map.set(asn, []);
    map.get(asn).push([big(s), big(e)]);
  }
}
function v4(n) { return [24n, 16n, 8n, 0n].map(sh => ((n >> sh) & 255n).toString()).join('.'); }
function v6(n) { const parts = []; for (let i = 7; i >= 0; i--) parts.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16)); return parts.join(':'); }
function address(asns, ipv6Share = 0.15) {
  const asn = String(pick(asns));
  const use6 = chance(ipv6Share) && ranges6.has(asn);
  const list = (use6 ? ranges6 : ranges4).get(asn);
  if (!list) throw new Error(`AS${asn} has no ranges in the shipped table`);
  const [s, e] = pick(list);
  const span = e - s;
  const offset = span === 0n ? 0n : BigInt(Math.floor(rand() * Number(span > 1000000n ? 1000000n : span)));
  return { ip: use6 ? v6(s + offset) : v4(s + offset), asn: Number(asn) };
}

// Access networks (home broadband and mobile carriers, checked against the table's organisation names).
const ISPS = [7922, 20115, 7018, 701, 21928, 3320, 3209, 2856, 5089, 5607, 3215, 12322, 3352, 55836, 45609, 22773, 1136, 6805, 812, 577, 4766, 17676, 28573];
const ZSCALER = [22616, 53813, 62044, 62907];
const PRIVATE_RELAY = [36183, 13335, 54113]; // Akamai, Cloudflare and Fastly egress of iCloud Private Relay
const WARP = [13335];
const MICROSOFT = [8075];
const MAIL_SECURITY = {
  proofpoint: [22843, 26211, 52129, 13916], mimecast: [30031, 39588, 42427], barracuda: [15324],
  ironport: [16417, 30238], trendmicro: [16880, 132229],
};
const CLOUDS = [16509, 14618, 396982, 15169, 8075, 14061, 16276, 24940, 63949, 31898];

// ---- header shapes ------------------------------------------------------------------------------------------------
const LANGS = ['en-US,en;q=0.9', 'en-GB,en-US;q=0.9,en;q=0.8', 'de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7', 'fr-FR,fr;q=0.9,en;q=0.8', 'es-ES,es;q=0.9', 'nl-NL,nl;q=0.9,en;q=0.8', 'en-IN,en;q=0.9,hi;q=0.8'];
const CHROME_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const FIREFOX_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const SAFARI_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
function browserHeaders(ua) {
  const h = { 'accept-language': pick(LANGS), 'accept-encoding': 'gzip, deflate, br' };
  if (/Firefox\//.test(ua)) Object.assign(h, { accept: FIREFOX_ACCEPT, 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site', 'sec-fetch-user': '?1' });
  else if (/Chrome\//.test(ua)) Object.assign(h, { accept: CHROME_ACCEPT, 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site', 'sec-fetch-user': '?1', 'sec-ch-ua': '"Chromium";v="131", "Not_A Brand";v="24"' });
  else Object.assign(h, { accept: SAFARI_ACCEPT, 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site' });
  return h;
}
// A scripted fetch with a browser's agent: what HTTP libraries and headless sandboxes send by default.
function scriptHeaders() {
  return pick([
    { accept: '*/*', 'accept-encoding': 'gzip, deflate' },
    { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'accept-encoding': 'gzip' },
    { accept: CHROME_ACCEPT, 'accept-encoding': 'gzip, deflate, br', 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none' }, // headless Chrome: no Accept-Language
    { 'accept-language': 'en-US', accept: '*/*' }, // Safe Links style pre-fetch: Accept-Language but no Sec-Fetch
  ]);
}

// ---- timing -------------------------------------------------------------------------------------------------------
const BASE = Date.UTC(2026, 9, 1, 8, 0, 0);
function sentAt(i) { return new Date(BASE + i * 3_600_000 * 0.37).toISOString(); }
function after(sent, seconds) { return new Date(Date.parse(sent) + seconds * 1000).toISOString(); }
function humanDelay() { // people read mail minutes to days later; a few click within two minutes
  if (chance(0.06)) return 15 + rand() * 105;
  return Math.exp(Math.log(120) + rand() * Math.log(3 * 86400 / 120));
}

const rows = [];
let n = 0;
function add(label, scenario, { method = 'GET', ip, ua, headers, delay, withSent = true }) {
  const sent = sentAt(n++);
  rows.push({ label, scenario, method, ip, userAgent: ua, headers: headers ?? null, sentAt: withSent ? sent : null, clickedAt: after(sent, delay) });
}
function humanUa() { return weighted(browsers, b => b.weight).userAgent; }

// ---- humans -------------------------------------------------------------------------------------------------------
for (let i = 0; i < 2600; i++) {
  const ua = humanUa();
  const net = weighted([[ISPS, 78], [ZSCALER, 8], [PRIVATE_RELAY, 8], [WARP, 3], [ISPS, 3]], x => x[1])[0];
  const partner = chance(0.3); // partner clicks (record-click) without headers
  add('human', partner ? 'browser-partner' : 'browser', { ip: address(net).ip, ua, headers: partner ? null : browserHeaders(ua), delay: humanDelay(), withSent: chance(0.8) });
}
// The long tail: agents drawn uniformly (not by traffic weight), so rare browsers and devices are in too.
for (let i = 0; i < 800; i++) {
  const ua = pick(browsers).userAgent;
  add('human', 'browser-long-tail', { ip: address(ISPS).ip, ua, headers: chance(0.5) ? browserHeaders(ua) : null, delay: humanDelay() });
}
// In-app browsers and apps (agents built from the apps' published formats on real iOS/Android agents).
const IOS = v => `Mozilla/5.0 (iPhone; CPU iPhone OS ${v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148`;
const ANDROID_WV = (m, c) => `Mozilla/5.0 (Linux; Android 14; ${m} Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${c} Mobile Safari/537.36`;
const inApp = [
  () => `${IOS('17_6_1')} [LinkedInApp]/9.30.1543`,
  () => `${ANDROID_WV('SM-S918B', '131.0.6778.39')} [LinkedInApp]/4.1.1005`,
  () => `${IOS('18_1')} GSA/343.0.695551749 Mobile/15E148 Safari/604.1`,
  () => `${IOS('17_5')} Gmail/6.0.241014 Safari/604.1`,
  () => `${IOS('17_6')} [FBAN/FBIOS;FBAV/485.0.0.39.105;FBBV/652125417;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.6;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/80]`,
  () => `${ANDROID_WV('Pixel 8', '131.0.6778.81')} [FB_IAB/FB4A;FBAV/487.0.0.51.109;]`,
  () => `${IOS('17_6')} Instagram 353.0.0.26.90 (iPhone14,5; iOS 17_6; en_US; en; scale=3.00; 1170x2532; 651203409)`,
  () => `${ANDROID_WV('SM-A546B', '130.0.6723.102')} Instagram 354.0.0.46.100 Android (34/14; 450dpi; 1080x2340; samsung; SM-A546B; a54x; s5e8835; en_GB; 652914384)`,
  () => `Mozilla/5.0 (Linux; Android 13; Cubot KingKong 9 Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36`,
  () => `Mozilla/5.0 (Linux; Android 12; Cubot Note 30 Build/SP1A.210812.016) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.107 Mobile Safari/537.36`,
];
for (let i = 0; i < 300; i++) {
  const ua = pick(inApp)();
  // WebViews and iOS in-app browsers: Accept and Accept-Language, Sec-Fetch-* not guaranteed; a plain Chrome app
  // on an Android phone (the Cubot models) sends what Chrome sends.
  const webView = / wv\)|iPhone/.test(ua);
  const headers = webView ? { accept: SAFARI_ACCEPT, 'accept-language': pick(LANGS), 'accept-encoding': 'gzip, deflate, br' } : browserHeaders(ua);
  add('human', 'in-app-browser', { ip: address(ISPS).ip, ua, headers: chance(0.5) ? headers : null, delay: humanDelay() });
}

// ---- scanners -----------------------------------------------------------------------------------------------------
const desktopUa = () => weighted(browsers.filter(b => b.deviceCategory === 'desktop'), b => b.weight).userAgent;
for (let i = 0; i < 350; i++) { // Defender for Office 365 Safe Links: browser agents from Microsoft, on delivery
  const shape = rand();
  add('scanner', 'safe-links', {
    ip: address(MICROSOFT, 0.3).ip, ua: desktopUa(),
    headers: shape < 0.5 ? scriptHeaders() : shape < 0.75 ? browserHeaders(desktopUa()) : null,
    delay: shape < 0.5 ? rand() * 600 : rand() * 90,
  });
}
for (let i = 0; i < 300; i++) { // Gateways on their own networks: any agent, any time (rescans)
  const vendor = pick(Object.keys(MAIL_SECURITY));
  const ua = chance(0.8) ? desktopUa() : pick(['Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)', 'Mozilla/5.0']);
  add('scanner', `gateway-${vendor}`, { ip: address(MAIL_SECURITY[vendor]).ip, ua, headers: chance(0.4) ? browserHeaders(ua) : chance(0.5) ? scriptHeaders() : null, delay: chance(0.7) ? rand() * 120 : rand() * 86400 });
}
for (let i = 0; i < 300; i++) { // API-based scanners and sandboxes in public clouds (Abnormal, Avanan, …)
  add('scanner', 'cloud-sandbox', { ip: address(CLOUDS, 0.2).ip, ua: desktopUa(), headers: chance(0.6) ? scriptHeaders() : null, delay: rand() * 3600 * 6 });
}
for (let i = 0; i < 150; i++) { // Cloud sandboxes that look complete but fetch on delivery
  const ua = desktopUa();
  add('scanner', 'cloud-sandbox-on-delivery', { ip: address(CLOUDS).ip, ua, headers: browserHeaders(ua), delay: rand() * 100 });
}
const officeAgents = [
  'Microsoft Office Protocol Discovery',
  'Microsoft Office Existence Discovery',
  'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0 OneOutlook/1.2024.1105.300',
];
for (let i = 0; i < 120; i++) { // Office link pre-checks (HEAD/OPTIONS or their own agents)
  add('scanner', 'office-precheck', { method: pick(['HEAD', 'OPTIONS', 'GET']), ip: address(chance(0.5) ? MICROSOFT : ISPS).ip, ua: pick(officeAgents), headers: chance(0.5) ? { accept: '*/*' } : null, delay: rand() * 30 });
}
for (let i = 0; i < 80; i++) { // Link checkers without any agent; HEAD checkers with a browser agent
  const head = chance(0.5);
  add('scanner', head ? 'head-check' : 'no-agent', { method: head ? 'HEAD' : 'GET', ip: address(chance(0.5) ? CLOUDS : ISPS).ip, ua: head ? desktopUa() : '', headers: null, delay: rand() * 600 });
}
for (let i = 0; i < 60; i++) { // Headless browsers that say so
  add('scanner', 'headless', { ip: address(CLOUDS).ip, ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.85 Safari/537.36', headers: scriptHeaders(), delay: rand() * 3600 });
}

// ---- crawlers, previews, monitors, listed scanners: crawler-user-agents instances by tag ------------------------
const byLabel = { crawler: [], preview: [], monitor: [], scanner: [] };
for (const c of crawlers) {
  const label = c.tags.includes('social-preview') ? 'preview' : c.tags.includes('monitoring') ? 'monitor' : c.tags.includes('scanner') ? 'scanner' : 'crawler';
  for (const instance of c.instances) byLabel[label].push(instance);
}
const quota = { crawler: 500, preview: 250, monitor: 250, scanner: 120 };
for (const [label, instances] of Object.entries(byLabel)) {
  for (let i = 0; i < quota[label]; i++) {
    add(label, 'crawler-user-agents', { ip: address(chance(0.7) ? CLOUDS : ISPS).ip, ua: pick(instances), headers: chance(0.5) ? { accept: '*/*' } : null, delay: rand() * 86400, withSent: chance(0.3) });
  }
}
// Previews that announce themselves by a Purpose header (Chrome's speculative prefetch) rather than by agent.
for (let i = 0; i < 60; i++) {
  const ua = humanUa();
  add('preview', 'sec-purpose-prefetch', { ip: address(ISPS).ip, ua, headers: { ...browserHeaders(ua), 'sec-purpose': 'prefetch' }, delay: humanDelay() });
}

// ---- second pass (issue 26): in-app browsers of every app, cloud desktops, remote browser isolation -------------
// Appended after the first pass, so the rows above are unchanged. Agents follow each app's published format (see
// README.md); versions, devices and OS releases are drawn, so no two rows need share an agent.
const num = (a, b) => a + Math.floor(rand() * (b - a + 1));
const iosVersion = () => `${num(16, 18)}_${num(0, 6)}`;
const iosBase = () => `Mozilla/5.0 (iPhone; CPU iPhone OS ${iosVersion()} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/${pick(['15E148', '22B83', '22F76', '21G93'])}`;
const ANDROID_MODELS = ['SM-S918B', 'SM-A546B', 'Pixel 8', 'Pixel 7a', 'CPH2581', '23078RKD5C', 'moto g84 5G', 'SM-G991B', 'V2302', 'RMX3771'];
const androidBase = () => { const v = num(11, 15); return `Mozilla/5.0 (Linux; Android ${v}; ${pick(ANDROID_MODELS)} Build/${pick(['UP1A', 'AP2A', 'TP1A', 'SP1A'])}.${num(210000, 250000)}.0${num(10, 99)}; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${num(118, 146)}.0.${num(5000, 7800)}.${num(10, 200)} Mobile Safari/537.36`; };
const fbv = () => `${num(440, 520)}.0.0.${num(10, 70)}.${num(100, 120)}`;
const appAgents = [
  ['facebook', () => `${iosBase()} [FBAN/FBIOS;FBAV/${fbv()};FBBV/${num(600000000, 699999999)};FBDV/iPhone${num(12, 17)},${num(1, 5)};FBMD/iPhone;FBSN/iOS;FBSV/${num(16, 18)}.${num(0, 6)};FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0;IABMV/1]`],
  ['facebook', () => `${androidBase()} [FB_IAB/FB4A;FBAV/${fbv()};IABMV/1;]`],
  ['facebook', () => `${androidBase()} MetaIAB Facebook`],
  ['facebook', () => `${iosBase()} Safari/604.1 MetaIAB Facebook`],
  ['messenger', () => `${iosBase()} [FBAN/MessengerForiOS;FBAV/${fbv()};FBBV/${num(600000000, 699999999)};FBDV/iPhone${num(12, 17)},${num(1, 5)};FBMD/iPhone;FBSN/iOS;FBSV/${num(16, 18)}.${num(0, 6)};FBSS/3;FBID/phone;FBLC/en_GB;FBOP/5]`],
  ['messenger', () => `${androidBase()} [FB_IAB/Orca-Android;FBAV/${fbv()};]`],
  ['pages-manager', () => `${androidBase()} [FB_IAB/PMA;FBAV/${fbv()};]`],
  ['instagram', () => `${iosBase()} Instagram ${num(330, 420)}.0.0.${num(10, 60)}.${num(70, 120)} (iPhone${num(12, 17)},${num(1, 5)}; iOS ${iosVersion()}; en_US; en; scale=3.00; 1170x2532; IABMV/1; ${num(600000000, 899999999)})`],
  ['instagram', () => `${androidBase()} Instagram ${num(330, 420)}.0.0.${num(10, 60)}.${num(70, 160)} Android (34/14; 450dpi; 1080x2340; samsung; SM-A546B; a54x; s5e8835; en_GB; ${num(600000000, 899999999)})`],
  ['threads', () => `${androidBase()} Barcelona ${num(300, 400)}.0.0.${num(10, 60)}.${num(70, 120)} Android (34/14; 420dpi; 1080x2205; Google/google; Pixel 8; shiba; shiba; en_US; ${num(600000000, 899999999)})`],
  ['threads', () => `${iosBase()} Safari/604.1 MetaIAB Threads`],
  ['linkedin', () => `${iosBase()} [LinkedInApp]/9.${num(20, 31)}.${num(1000, 9999)}`],
  ['x', () => `${androidBase()} TwitterAndroid`],
  ['x', () => `${iosBase()} Twitter for iPhone/10.${num(40, 80)}`],
  ['tiktok', () => `${iosBase()} musical_ly_${num(33, 42)}.${num(0, 9)}.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US ByteFullLocale/en isDarkMode/0 WKWebView/1 BytedanceWebview/d8a21c6`],
  ['tiktok', () => `${androidBase()} trill_${num(330000, 420000)} JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/trill app_version/${num(33, 42)}.${num(0, 9)}.${num(0, 5)} ByteLocale/en Region/US BytedanceWebview/d8a21c6`],
  ['snapchat', () => `${iosBase().replace('Mobile/', `Version/${num(16, 18)}.${num(0, 6)} Mobile/`)} Snapchat/${num(12, 13)}.${num(10, 90)}.0.${num(10, 60)} (like Safari/8617.2.4.10.8, panda)`],
  ['snapchat', () => `${androidBase()} Snapchat/${num(12, 13)}.${num(10, 90)}.0.${num(10, 60)} (SM-S918B; Android 14#S918BXXU3BXH8#34; gzip)`],
  ['pinterest', () => `${iosBase()} [Pinterest/iOS]`],
  ['pinterest', () => `${androidBase()} [Pinterest/Android]`],
  ['wechat', () => `${androidBase()} XWEB/${num(1100000, 1300000)} MMWEBSDK/20231202 MicroMessenger/8.0.${num(40, 55)}.${num(2400, 2800)}(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/en ABI/arm64`],
  ['wechat', () => `${iosBase()} MicroMessenger/8.0.${num(40, 55)}(0x18003133) NetType/WIFI Language/en`],
  ['line', () => `${iosBase()} Safari Line/${num(13, 15)}.${num(0, 20)}.0`],
  ['line', () => `${androidBase()} Line/${num(13, 15)}.${num(0, 20)}.${num(0, 3)}/IAB`],
  ['telegram', () => `${androidBase()} Telegram-Android/${num(10, 12)}.${num(0, 9)}.${num(0, 5)} (Google Pixel 8; Android 14; SDK 34; ${pick(['HIGH', 'AVERAGE', 'LOW'])})`],
  ['slack', () => `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.${num(35, 45)}.${num(50, 150)} Chrome/${num(120, 140)}.0.${num(6000, 7000)}.${num(50, 200)} Electron/${num(28, 36)}.${num(0, 3)}.${num(0, 9)} Safari/537.36 Sonic Slack_SSB/4.${num(35, 45)}.${num(50, 150)}`],
  ['android-webview', () => androidBase()],
  ['android-webview', () => `${androidBase()} Reddit/Version 2026.${num(1, 40)}.0/Build ${num(2600000, 2700000)}/Android ${num(12, 15)}`],
];
// A WebView or an iOS in-app browser on a navigation: Accept with text/html and Accept-Language; Android WebViews on
// recent Chromium also send Fetch Metadata, iOS ones since 16.4 — drawn, since neither is guaranteed.
function inAppHeaders() {
  const h = { accept: SAFARI_ACCEPT, 'accept-language': pick(LANGS), 'accept-encoding': 'gzip, deflate, br' };
  if (chance(0.5)) Object.assign(h, { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none' });
  if (chance(0.3)) h['x-requested-with'] = 'com.example.app';
  return h;
}
for (let i = 0; i < 700; i++) {
  const [app, make] = pick(appAgents);
  const net = weighted([[ISPS, 85], [PRIVATE_RELAY, 10], [ZSCALER, 5]], x => x[1])[0];
  add('human', `in-app-${app}`, { ip: address(net).ip, ua: make(), headers: chance(0.3) ? null : inAppHeaders(), delay: humanDelay(), withSent: chance(0.8) });
}
// People on cloud desktops: an ordinary desktop browser with its complete headers, on the cloud's network, from ten
// minutes to days after delivery (Windows 365 / Azure Virtual Desktop on Microsoft, Amazon WorkSpaces on AWS, Citrix
// DaaS on Azure or Google Cloud).
const CLOUD_DESKTOPS = { 'windows-365': [8075], 'amazon-workspaces': [16509, 14618], 'citrix-daas': [8075, 396982] };
for (let i = 0; i < 400; i++) {
  const kind = pick(Object.keys(CLOUD_DESKTOPS));
  const ua = desktopUa();
  add('human', `cloud-desktop-${kind}`, { ip: address(CLOUD_DESKTOPS[kind], 0.2).ip, ua, headers: browserHeaders(ua), delay: 600 + rand() * 3 * 86400 });
}
// People behind remote browser isolation: the vendor's browser fetches on the person's click, with a browser's
// complete headers, from the vendor's network, any time (Menlo AS62654, Cloudflare, Zscaler, Netskope AS55256).
const ISOLATION = { menlo: [62654], cloudflare: [13335], zscaler: ZSCALER, netskope: [55256] };
for (let i = 0; i < 300; i++) {
  const vendor = pick(Object.keys(ISOLATION));
  const ua = desktopUa();
  add('human', `isolation-${vendor}`, { ip: address(ISOLATION[vendor]).ip, ua, headers: browserHeaders(ua), delay: humanDelay() });
}
// Scanners wearing an app's agent: scripted header shapes from clouds and access networks, or no headers from clouds.
for (let i = 0; i < 120; i++) {
  const [, make] = pick(appAgents);
  const cloud = chance(0.6);
  add('scanner', 'in-app-agent-scripted', { ip: address(cloud ? CLOUDS : ISPS).ip, ua: make(), headers: !cloud || chance(0.6) ? pick([{ accept: '*/*', 'accept-encoding': 'gzip' }, { accept: '*/*', 'accept-language': 'en-US', 'sec-fetch-mode': 'cors' }, { accept: 'application/json', 'accept-language': 'en-US' }]) : null, delay: rand() * 86400 });
}
// Cloud sandboxes with a Safari agent that send Accept-Language but no Fetch Metadata (Safari 17+ sends it), any time.
const safariUa = () => `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${num(17, 26)}.${num(0, 6)} Safari/605.1.15`;
for (let i = 0; i < 100; i++) {
  add('scanner', 'cloud-sandbox-safari', { ip: address(CLOUDS, 0.2).ip, ua: safariUa(), headers: { 'accept-language': 'en-US', accept: SAFARI_ACCEPT, 'accept-encoding': 'gzip, deflate, br' }, delay: rand() * 3600 * 12 });
}
// Cloud desktops and isolation browsers that fetch on delivery (scanners using the same stacks): within 100 s.
for (let i = 0; i < 80; i++) {
  const ua = desktopUa();
  add('scanner', 'cloud-desktop-on-delivery', { ip: address([8075, 16509, 14618, 396982]).ip, ua, headers: browserHeaders(ua), delay: rand() * 100 });
}

const text = rows.map(r => JSON.stringify(r)).join('\n') + '\n';
fs.writeFileSync(path.join(here, 'corpus.ndjson.gz'), zlib.gzipSync(text, { level: 9 }));
const counts = {};
for (const r of rows) counts[r.label] = (counts[r.label] || 0) + 1;
console.log('corpus.ndjson.gz', rows.length, 'clicks', counts);
