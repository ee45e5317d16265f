// `npm run ps`: the live formation as its processes report it through their Redis heartbeats,
// like `heroku ps`. Works against any deployment whose Redis it can reach (REDIS_URL).
import { runMain } from './lib/console.mjs';
import { readState } from './lib/control.mjs';
import { scriptSettings } from './lib/settings.mjs';

function since(iso, now) {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** The built packages `ps` reads heartbeats with; a clear line when the app is not built yet. */
async function builtPackages() {
  try {
    const [{ createRedis }, { readFormation }] = await Promise.all([import('@watchpost/redis'), import('@watchpost/runtime')]);
    return { createRedis, readFormation };
  } catch {
    throw new Error('the app is not built yet: run `npm run build` (or `npm start`) first');
  }
}

runMain(async () => {
  const { createRedis, readFormation } = await builtPackages();
  const settings = scriptSettings();
  const state = readState();
  const url = settings.redisUrl ?? state?.redisUrl ?? 'redis://127.0.0.1:6379';
  const prefix = settings.redisPrefix ?? state?.redisPrefix ?? 'wp';
  const redis = createRedis(url, 'blocking', 'watchpost-ps');
  redis.on('error', () => undefined);
  try {
    const processes = await Promise.race([
      readFormation(redis, prefix),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`Redis at ${url} did not answer`)), 5000)),
    ]);
    const now = Date.now();
    const counts = {};
    for (const p of processes) counts[p.type] = (counts[p.type] ?? 0) + 1;
    const summary = Object.entries(counts).map(([t, n]) => `${t}=${n}`).join(' ');
    process.stdout.write(`=== formation: ${summary || 'no live processes'}\n`);
    if (processes.length === 0) return;
    const rows = [['INSTANCE', 'STATE', 'HOST', 'PID', 'VERSION', 'UP', 'BEAT', 'STATS']];
    for (const p of processes) {
      const stats = Object.entries(p.stats).map(([k, v]) => `${k}=${v}`).join(' ');
      rows.push([p.instance, 'up', p.host, String(p.pid), p.version, since(p.startedAt, now), `${since(p.updatedAt, now)} ago`, stats]);
    }
    process.stdout.write(`${table(rows)}\n`);
  } finally {
    redis.disconnect();
  }
});
