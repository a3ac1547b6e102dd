// Load client of bench/memory.sh: sends CLICKS clicks through POST record-clicks in batches of BATCH, each click with
// a unique event_id, from CONCURRENCY keep-alive connections, as fast as the service acknowledges them. A batch
// answered 503 is sent again, identical (same event ids), after its Retry-After (capped at RETRY_CAP_MS); any other
// failure is counted and also retried, so that every click is acknowledged once the run ends. Node's standard
// library only. Prints one line of JSON with the counts at the end.
import http from 'node:http';

const env = process.env;
const url = new URL(env.URL);
const key = env.API_KEY;
const trackingId = env.TRACKING_ID;
const clicks = Number(env.CLICKS ?? 5_000_000);
const batch = Number(env.BATCH ?? 200);
const concurrency = Number(env.CONCURRENCY ?? 8);
const retryCapMs = Number(env.RETRY_CAP_MS ?? 5000);
const maxAttempts = Number(env.MAX_ATTEMPTS ?? 1000);
const run = env.RUN_ID ?? Date.now().toString(36);

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const batches = Math.ceil(clicks / batch);
const counts = { acknowledged: 0, rejected_items: 0, batches: 0, status_503: 0, other_5xx: 0, other_status: 0, network_errors: 0, gave_up: 0 };
let next = 0;

function body(index) {
  const first = index * batch;
  const last = Math.min(first + batch, clicks);
  const items = [];
  for (let i = first; i < last; i++) {
    items.push(`{"tracking_id":"${trackingId}","event_id":"${run}-${i}","session_id":"s${i % 5000}"}`);
  }
  return `{"clicks":[${items.join(',')}]}`;
}

function post(payload) {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', 'X-API-Key': key, 'Content-Length': Buffer.byteLength(payload) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'], text: Buffer.concat(chunks).toString() }));
      res.on('error', (error) => resolve({ status: 0, error }));
    });
    req.on('error', (error) => resolve({ status: 0, error }));
    req.end(payload);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function worker() {
  for (let index = next++; index < batches; index = next++) {
    const payload = body(index);
    const size = Math.min(batch, clicks - index * batch);
    for (let attempt = 1; ; attempt++) {
      const answer = await post(payload);
      if (answer.status === 200) {
        const created = (answer.text.match(/"status":201/g) ?? []).length;
        counts.acknowledged += created;
        counts.rejected_items += size - created;
        counts.batches++;
        break;
      }
      if (answer.status === 503) counts.status_503++;
      else if (answer.status >= 500) counts.other_5xx++;
      else if (answer.status === 0) counts.network_errors++;
      else counts.other_status++;
      if (attempt >= maxAttempts) { counts.gave_up++; break; }
      const seconds = Number(answer.retryAfter);
      await sleep(answer.status === 503 && seconds > 0 ? Math.min(seconds * 1000, retryCapMs) : 200);
    }
  }
}

const started = process.hrtime.bigint();
const progress = setInterval(() => process.stderr.write(`  sent ${counts.acknowledged} acknowledged, ${counts.status_503} answers 503\n`), 10_000);
await Promise.all(Array.from({ length: concurrency }, worker));
clearInterval(progress);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
agent.destroy();
console.log(JSON.stringify({ ...counts, seconds: Number(seconds.toFixed(2)), clicks_per_second: Math.round(counts.acknowledged / seconds) }));
