// Client of bench/analytics.sh (Node 20, no packages).
//   node analytics-client.mjs links SERVICE KEY COUNT            → creates COUNT links (jobs and applications), prints JSON
//   node analytics-client.mjs load SERVICE KEY LINKS_JSON CLICKS  → sends CLICKS clicks through record-clicks,
//                                                                   CLICKS_PER_REQUEST (default 200) a request: 200 fit
//                                                                   the 64 KiB body limit; 1000 need the 1 MiB one
//   node analytics-client.mjs outcomes SERVICE KEY LINKS_JSON      → records outcomes for the links' applications
//   node analytics-client.mjs time SERVICE KEY LINKS_JSON N       → times every analytics route N times, prints a table
// Load shape (issue 9): one link holds 20 % of the clicks, the rest spread evenly; clicked_at uniform over 90 days;
// 30 % crawler agents; a session makes 1–4 clicks. Addresses are random public IPv4 ones (so the country database
// spreads them over ~200 countries, the US first, as real traffic is), agents a mix of today's browsers on desktops,
// phones and tablets and of crawlers and link checkers: the breakdowns have as many values as they would in
// production. Bodies are generated before the clock starts, then cycled.
// SPREAD_HOURS=1 sends the same mix as live traffic (every click in the last hour) instead.
const [, , mode, service, key, arg1, arg2] = process.argv;
const api = `${service}/api/v1/link-tracking`;
const headers = { 'X-API-Key': key, 'Content-Type': 'application/json' };
const humans = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0',
];
const crawlers = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
  'python-requests/2.32.3',
];
let seed = 42;
// A 32-bit LCG in integer arithmetic (Math.imul): the plain `seed * 1103515245` overflows a double's 53 bits, and
// the sequence then cycles after ~16,000 values — every batch reused the same few thousand hours and addresses.
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 0x100000000);

async function post(path, body) {
  const response = await fetch(`${api}/${path}`, { method: 'POST', headers, body });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function createLinks(count) {
  const jobs = Array.from({ length: Math.max(1, count / 20) }, () => crypto.randomUUID());
  const links = new Array(count);
  let next = 0;
  async function worker() { // 8 at a time: LINKS=100000 (about as many applications) is created in minutes
    for (let i = next++; i < count; i = next++) {
      const job = jobs[i % jobs.length];
      const application = `${job.slice(0, 24)}${String(Math.floor(i / 4)).padStart(12, '0')}`;
      const functions = ['LinkedIn', 'Calendly', 'Portfolio', 'Apply_Now'];
      const link = await post('create', JSON.stringify({ original_url: `https://example.com/${i}`, link_function: functions[i % 4], job_id: job, application_id: application }));
      links[i] = { id: link.tracking_id, job, application };
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  return links;
}

// Outcomes (issue 27) for every application: none for 45 %, else one stage drawn as a job search goes (most get no
// reply, a few an interview, fewer an offer), plus `applied` before it; 8 requests at a time. Prints how many.
async function recordOutcomes(links) {
  const applications = [...new Set(links.map(l => l.application))];
  const ladder = [[0.45, []], [0.75, ['applied']], [0.9, ['applied', 'replied']], [0.97, ['applied', 'replied', 'interview']], [1, ['applied', 'interview', 'offer']]];
  let next = 0, recorded = 0;
  async function worker() {
    for (let i = next++; i < applications.length; i = next++) {
      const r = rand();
      for (const stage of ladder.find(([p]) => r < p)[1]) {
        await post(`applications/${applications[i]}/outcomes`, JSON.stringify({ stage, occurred_at: new Date(Date.now() - rand() * 60 * 86400000).toISOString() }));
        recorded++;
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  return { applications: applications.length, outcomes: recorded };
}

// A random unicast IPv4 address outside the private, loopback, shared, link-local and multicast ranges.
function publicAddress() {
  for (;;) {
    const [a, b] = [1 + Math.floor(rand() * 223), Math.floor(rand() * 256)];
    if (a === 10 || a === 127 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168)) continue;
    return `${a}.${b}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
  }
}

function bodies(links, perBody, count) {
  const now = Date.now();
  // SPREAD_HOURS: how far back clicked_at goes (default 90 days, the load; 1 = live traffic in the last hour).
  const spreadHours = Number(process.env.SPREAD_HOURS ?? 90 * 24);
  const result = [];
  for (let b = 0; b < count; b++) {
    const clicks = [];
    let session = null, left = 0;
    for (let i = 0; i < perBody; i++) {
      if (left-- <= 0) { session = `s${Math.floor(rand() * 1e12)}`; left = Math.floor(rand() * 4); }
      const link = rand() < 0.2 ? links[0] : links[1 + Math.floor(rand() * (links.length - 1))];
      const bot = rand() < 0.3;
      clicks.push({
        tracking_id: link.id,
        clicked_at: new Date(now - Math.floor(rand() * spreadHours * 3600e3)).toISOString(),
        ip_address: publicAddress(),
        user_agent: bot ? crawlers[Math.floor(rand() * crawlers.length)] : humans[Math.floor(rand() * humans.length)],
        session_id: bot ? null : session,
        referrer_url: rand() < 0.5 ? 'https://www.linkedin.com/feed/' : null,
      });
    }
    result.push(Buffer.from(JSON.stringify({ clicks })));
  }
  return result;
}

async function load(links, total) {
  const perRequest = Number(process.env.CLICKS_PER_REQUEST ?? 200);
  const prepared = bodies(links, perRequest, Math.min(500, Math.ceil(total / perRequest)));
  let sent = 0, next = 0;
  const started = performance.now();
  async function worker() {
    while (sent < total) {
      sent += perRequest;
      const response = await fetch(`${api}/record-clicks`, { method: 'POST', headers, body: prepared[next++ % prepared.length] });
      if (!response.ok) throw new Error(`record-clicks: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker));
  console.log(JSON.stringify({ acknowledged: sent, seconds: (performance.now() - started) / 1000 }));
}

async function time(links, n) {
  const hot = links[0], cold = links[links.length - 1];
  const routes = [
    ['link analytics, hot link (20 %), 30 d', `analytics/${hot.id}?days=30`],
    ['link analytics, hot link, 90 d, tz', `analytics/${hot.id}?days=90&tz=America/New_York`],
    ['link analytics, other link, 30 d', `analytics/${cold.id}?days=30`],
    ['link analytics, hot link, include_bots', `analytics/${hot.id}?days=30&include_bots=true`],
    ['job summary (with funnel, engagement)', `jobs/${hot.job}/summary`],
    ['application summary', `applications/${hot.application}/summary`],
    ['report, 30 d (funnel of every application)', 'report?days=30'],
    ['report, 365 d', 'report?days=365'],
  ];
  console.log(`${'route'.padEnd(42)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  for (const [name, path] of routes) {
    const times = [];
    for (let i = 0; i < n + 2; i++) {
      const started = performance.now();
      const response = await fetch(`${api}/${path}`, { headers });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      if (i >= 2) times.push(performance.now() - started); // two warm-up calls
    }
    times.sort((a, b) => a - b);
    const at = q => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
    console.log(`${name.padEnd(42)} ${at(0.5).toFixed(1).padStart(8)} ${at(0.99).toFixed(1).padStart(8)}`);
  }
}

const { readFileSync } = await import('node:fs');
if (mode === 'links') console.log(JSON.stringify(await createLinks(Number(arg1))));
else if (mode === 'load') await load(JSON.parse(readFileSync(arg1, 'utf8')), Number(arg2));
else if (mode === 'outcomes') console.log(JSON.stringify(await recordOutcomes(JSON.parse(readFileSync(arg1, 'utf8')))));
else if (mode === 'time') await time(JSON.parse(readFileSync(arg1, 'utf8')), Number(arg2));
else { console.error('usage: links|load|outcomes|time'); process.exit(1); }
