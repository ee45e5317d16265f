// `npm run bench`: request throughput and latency through the runner's front port with web=2,
// steady and during a rolling restart of every web process, and the failures in each phase.
// Needs a build (`npm run build`) and Postgres/Redis as `npm start` finds them; uses its own
// database (watchpost_bench) and Redis key prefix. Prints a table.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PORT = 4700;
const CONCURRENCY = 8;
const STEADY_MS = 10_000;
const front = `http://127.0.0.1:${PORT}`;
const env = {
  ...process.env,
  PORT: String(PORT),
  WATCHPOST_SKIP_BUILD: '1',
  WATCHPOST_STATE_FILE: join(mkdtempSync(join(tmpdir(), 'wp-bench-')), 'runner.json'),
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/watchpost_bench?sslmode=disable',
  REDIS_KEY_PREFIX: `bench${Date.now()}`,
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  LOG_LEVEL: 'warn',
  READINESS_DRAIN_SECONDS: '1',
};

function run(script, args) {
  return spawn(process.execPath, [`scripts/${script}.mjs`, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
}

function waitFor(child, pattern) {
  return new Promise((resolve, reject) => {
    let seen = '';
    // Keep reading to the end: the runner must always have somewhere to write.
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      if (pattern.test(seen)) resolve();
    });
    child.once('exit', () => reject(new Error(`runner exited before printing ${pattern}`)));
  });
}

async function load(cookie, untilDone) {
  const latencies = [];
  let failures = 0;
  const loop = async () => {
    while (!untilDone()) {
      const started = performance.now();
      const ok = await fetch(`${front}/api/v1/me`, { headers: { cookie } }).then(
        (r) => r.text().then(() => r.status === 200),
        () => false,
      );
      if (ok) latencies.push(performance.now() - started);
      else failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  return { latencies: latencies.sort((a, b) => a - b), failures, seconds: (performance.now() - started) / 1000 };
}

function row(phase, { latencies, failures, seconds }) {
  const q = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1) : '-');
  return [phase, String(latencies.length + failures), (latencies.length / seconds).toFixed(0), q(0.5), q(0.99), String(failures)];
}

const { default: pg } = await import('pg');
const admin = new pg.Client({ connectionString: env.DATABASE_URL.replace(/\/watchpost_bench\?/, '/postgres?') });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS watchpost_bench WITH (FORCE)');
await admin.query('CREATE DATABASE watchpost_bench');
await admin.end();

const runner = run('start', ['web=2', 'worker=1', 'clock=1']);
try {
  await waitFor(runner, /running web=2/);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const signup = await fetch(`${front}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'correct horse battery' }),
  });
  const cookie = signup.headers.getSetCookie()[0].split(';')[0];

  const steadyEnd = Date.now() + STEADY_MS;
  const steady = await load(cookie, () => Date.now() > steadyEnd);
  let restarted = false;
  const restart = run('restart', ['web']);
  restart.once('exit', () => (restarted = true));
  const rolling = await load(cookie, () => restarted);

  const rows = [['phase', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'failed'], row('steady, web=2', steady), row('rolling restart of web', rolling)];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padStart(widths[i])).join('  '));
  console.log(`(${CONCURRENCY} concurrent clients, GET /api/v1/me with a session, through the front port)`);
} finally {
  runner.kill('SIGTERM');
  await new Promise((resolve) => runner.once('exit', resolve));
}
