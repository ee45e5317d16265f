// `npm start [-- web=3 worker=2 clock=1]`: install, build, find or start Postgres and Redis,
// migrate (the Procfile's release), then run the formation behind one front port.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, runMain, say } from './lib/console.mjs';
import { clearState, readState, serveControl, writeState } from './lib/control.mjs';
import { build, ensureInstalled } from './lib/install.mjs';
import { DATA_DIR } from './lib/paths.mjs';
import { formatFormation, parseFormation, readProcfile } from './lib/procfile.mjs';
import { childEnv, scriptSettings } from './lib/settings.mjs';

const DEFAULT_FORMATION = 'web=1 worker=1 clock=1';

/** A session secret that survives restarts of a local formation (sessions stay valid). */
function localSessionSecret() {
  const file = join(DATA_DIR, 'session-secret');
  if (!existsSync(file)) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

async function main() {
  // Whoever reads our output may go away (`npm start | head`): keep the formation running.
  process.stdout.on('error', () => undefined);
  const settings = scriptSettings();
  const procfile = readProcfile();
  const formation = parseFormation(process.argv.slice(2).join(' ') || settings.formation || DEFAULT_FORMATION, procfile);
  if (readState()) fail('a formation is already running from this checkout: use `npm run scale` or stop it first');

  if (!settings.skipBuild) {
    await ensureInstalled();
    await build();
  }
  // Loaded only now: on a fresh clone their dependencies exist only after the install above.
  const { createRunner } = await import('./lib/runner.mjs');
  const { resolveServices } = await import('./lib/services.mjs');
  const services = await resolveServices({ databaseUrl: settings.databaseUrl, redisUrl: settings.redisUrl, database: 'watchpost' });
  const env = childEnv({
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    SESSION_SECRET: settings.sessionSecret ?? localSessionSecret(),
    // The front port is the only proxy in front of the web processes.
    TRUST_PROXY: settings.trustProxy ?? 'loopback',
  });
  const runner = createRunner({ procfile, env, frontPort: settings.port, graceMs: settings.graceMs + 5000 });
  let stopping = false;
  // Control requests run one at a time, and none once shutdown has begun.
  let queue = Promise.resolve();
  const serially = (work) => {
    if (stopping) return Promise.reject(new Error('the formation is shutting down'));
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };
  let control = null;
  const stopEverything = async () => {
    stopping = true;
    await queue;
    const clean = await runner.stop();
    await control?.close();
    clearState();
    await services.stop();
    return clean;
  };

  const shutdown = async (signal) => {
    if (stopping) return;
    runner.log('runner', `${signal}: stopping ${runner.describe()}`);
    const clean = await stopEverything();
    runner.log('runner', clean ? 'all processes exited cleanly' : 'some processes did not exit cleanly');
    process.exit(clean ? 0 : 1);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    await runner.release();
    control = await serveControl({
      formation: () => runner.formation(),
      scale: (text) =>
        serially(async () => {
          const changes = parseFormation(text, procfile);
          for (const [type, count] of Object.entries(changes)) await runner.scale(type, count);
          runner.log('runner', `formation is now ${runner.describe()}`);
          return runner.formation();
        }),
      restart: (type) =>
        serially(async () => {
          const name = type.trim();
          if (!procfile.has(name) || name === 'release') throw new Error(`unknown process type "${name}"`);
          await runner.restart(name);
          return runner.formation();
        }),
    });
    writeState({ pid: process.pid, controlUrl: control.url, frontUrl: `http://localhost:${settings.port}`, redisUrl: services.redisUrl, redisPrefix: settings.redisPrefix ?? 'wp' });
    await runner.start(formation);
  } catch (error) {
    // E.g. the front port is taken: leave no process or embedded service behind.
    await stopEverything();
    throw error;
  }

  say(`running ${formatFormation(formation)}: open http://localhost:${settings.port}`);
}

runMain(main);
