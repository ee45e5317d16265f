import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestRedisPrefix } from '../support/redis.js';
import { databaseUrl, redisUrl } from '../support/test-env.js';
import { buildTestApp, type TestWebApp } from '../support/web-app.js';
import { leaksInternals, PASSWORD, sleep, uniqueEmail, WebClient, type Response } from '../support/web-client.js';

// Postgres or Redis away: requests get a quick 503 with a message, readiness fails, and the same
// process recovers by itself when the server is back.

/**
 * A real TCP proxy to a server, which the test can take down (closing every connection through it)
 * and bring back on the same port, like a database failing over.
 */
class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    /** Accept connections but never answer (a blackholed server) instead of piping them. */
    private readonly silent = false,
  ) {}

  async start(port = this.port): Promise<number> {
    const server = createServer((client) => {
      this.track(client);
      if (this.silent) return;
      const upstream = connect(this.targetPort, this.targetHost);
      this.track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      // Whichever side closes, close the other.
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  /** Stops listening and cuts every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: Socket) {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}

/** A port nothing listens on. */
const DEAD_PORT = 1;
const CONNECT_TIMEOUT_MS = 1000;

let db: TestDatabase;
let redis: ReturnType<typeof createTestRedisPrefix>;
/** A healthy app on the same database and Redis prefix, to make users and sessions. */
let healthy: TestWebApp;
const apps: TestWebApp[] = [];
const proxies: TcpProxy[] = [];

async function app(env: Record<string, string>): Promise<TestWebApp> {
  const built = await buildTestApp(db.name, redis.prefix, { LOG_LEVEL: 'silent', DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), ...env });
  apps.push(built);
  return built;
}

async function proxy(targetPort: number, silent = false): Promise<TcpProxy> {
  const p = new TcpProxy('127.0.0.1', targetPort, silent);
  await p.start();
  proxies.push(p);
  return p;
}

function dbUrlVia(port: number): string {
  const url = new URL(databaseUrl(db.name));
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

function redisUrlVia(port: number): string {
  const url = new URL(redisUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

/** A request, timed. */
async function timed(fn: () => Promise<Response>): Promise<{ res: Response; ms: number }> {
  const started = Date.now();
  const res = await fn();
  return { res, ms: Date.now() - started };
}

function expect503(res: Response, message: RegExp) {
  expect(res.statusCode).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  const body = res.json();
  expect(body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
  expect(body.message).toMatch(message);
  expect(leaksInternals(res.body)).toBe(false);
  expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres:\/\//);
}

/** Polls until `check` passes or `ms` elapse; returns whether it passed. */
async function eventually(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(200);
  }
  return check();
}

const DB_DOWN = /^The database is unavailable; try again shortly$/;
const REDIS_DOWN = /^Session and queue storage is unavailable; try again shortly$/;

beforeAll(async () => {
  db = await createTestDatabase();
  redis = createTestRedisPrefix();
  healthy = await app({});
});

afterAll(async () => {
  const failures: unknown[] = [];
  for (const a of apps) {
    await a.close().catch((error: Error) => failures.push(error));
  }
  for (const p of proxies) await p.stop();
  await redis?.cleanup();
  await db?.drop();
  expect(failures).toEqual([]);
});

describe('Postgres unreachable', () => {
  it('answers DB-touching requests with a quick 503 and fails readiness (nothing listening)', async () => {
    // A session made while the database was up: sessions live in Redis, which is still there.
    const email = uniqueEmail('outage');
    const user = new WebClient(healthy.app);
    expect((await user.signUp(email, PASSWORD)).statusCode).toBe(201);
    expect((await user.api('POST', '/api/v1/monitors', { name: 'Before', url: 'https://example.com' })).statusCode).toBe(201);

    const down = await app({ DATABASE_URL: dbUrlVia(DEAD_PORT) });
    const client = user.clone(down.app);
    const bound = CONNECT_TIMEOUT_MS + 4000;

    for (const request of [
      () => client.get('/api/v1/me'),
      () => client.get('/api/v1/monitors'),
      () => client.api('POST', '/api/v1/monitors', { name: 'During', url: 'https://example.com' }),
      () => new WebClient(down.app).logIn(email, PASSWORD),
      () => new WebClient(down.app).signUp(uniqueEmail('new'), PASSWORD),
    ]) {
      const { res, ms } = await timed(request);
      expect503(res, DB_DOWN);
      expect(ms).toBeLessThan(bound);
    }

    // Pages say so in HTML.
    const page = await client.get('/');
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('The database is unavailable');
    expect(leaksInternals(page.body)).toBe(false);

    const { res: ready, ms } = await timed(() => new WebClient(down.app).get('/readyz'));
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ ready: false, redis: 'ok', postgres: expect.stringMatching(/^unreachable/) });
    expect(ms).toBeLessThan(bound);
    // Liveness does not depend on backing services.
    expect((await new WebClient(down.app).get('/healthz')).statusCode).toBe(200);
    // The healthy instance is unaffected.
    expect((await new WebClient(healthy.app).get('/readyz')).json()).toMatchObject({ ready: true, postgres: 'ok', redis: 'ok' });
  });

  it('gives up within the connect timeout when the server accepts but never answers', async () => {
    const blackhole = await proxy(0, true);
    const down = await app({ DATABASE_URL: dbUrlVia(blackhole.port) });
    const { res, ms } = await timed(() => new WebClient(down.app).logIn(uniqueEmail('blackhole'), PASSWORD));
    expect503(res, DB_DOWN);
    expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + 4000);

    const { res: ready, ms: readyMs } = await timed(() => new WebClient(down.app).get('/readyz'));
    expect(ready.statusCode).toBe(503);
    expect(ready.json().postgres).toMatch(/^unreachable/);
    expect(readyMs).toBeLessThan(CONNECT_TIMEOUT_MS + 4000);
  });

  it('recovers without a restart when Postgres comes back on the same address', async () => {
    const pgProxy = await proxy(5432);
    const web = await app({ DATABASE_URL: dbUrlVia(pgProxy.port) });
    const user = new WebClient(web.app);
    expect((await user.signUp(uniqueEmail('recover'), PASSWORD)).statusCode).toBe(201);
    const created = await user.api('POST', '/api/v1/monitors', { name: 'Survivor', url: 'https://example.com' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await user.get('/api/v1/monitors')).statusCode).toBe(200);
    expect((await user.get('/readyz')).statusCode).toBe(200);

    // Down: open connections are cut, new ones refused.
    await pgProxy.stop();
    for (let i = 0; i < 3; i++) {
      const { res, ms } = await timed(() => user.get(`/api/v1/monitors/${id}`));
      expect503(res, DB_DOWN);
      expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + 4000);
    }
    const ready = await user.get('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().postgres).toMatch(/^unreachable/);
    // The session survived the outage: it lives in Redis.
    expect((await user.get('/healthz')).statusCode).toBe(200);

    // Back on the same port: the same app instance serves again.
    await pgProxy.start(pgProxy.port);
    const res = await user.get(`/api/v1/monitors/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('Survivor');
    expect((await user.get('/readyz')).statusCode).toBe(200);
    expect((await user.api('PATCH', `/api/v1/monitors/${id}`, { paused: true })).json().paused).toBe(true);
  });
});

describe('Redis unreachable', () => {
  it('refuses to start while Redis is unreachable, naming the plugin that waited for it', async () => {
    const started = Date.now();
    const error = await app({ REDIS_URL: redisUrlVia(DEAD_PORT) }).then(
      () => null,
      (e: Error) => e,
    );
    // Crash-only: the process exits and its manager restarts it; it never serves without Redis.
    expect(error?.message).toMatch(/fastify-redis|@fastify\/redis|did not start in time/);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it('recovers without a restart when Redis comes back on the same address', async () => {
    const email = uniqueEmail('redis-recover');
    expect((await new WebClient(healthy.app).signUp(email, PASSWORD)).statusCode).toBe(201);
    const redisProxy = await proxy(Number(new URL(redisUrl).port || 6379));
    const web = await app({ REDIS_URL: redisUrlVia(redisProxy.port) });
    const user = new WebClient(web.app);
    expect(await eventually(5000, async () => (await user.get('/readyz')).statusCode === 200)).toBe(true);
    expect((await user.logIn(email, PASSWORD)).statusCode).toBe(200);

    await redisProxy.stop();
    const { res, ms } = await timed(() => user.get('/api/v1/me'));
    // A request with a session cookie cannot load its session: 503, not a silent log-out.
    expect503(res, REDIS_DOWN);
    expect(ms).toBeLessThan(5000);
    expect503(await new WebClient(web.app).logIn(email, PASSWORD), REDIS_DOWN);
    // A probe sends no cookie.
    const ready = await new WebClient(web.app).get('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ ready: false, postgres: 'ok', redis: expect.stringMatching(/^unreachable/) });
    // The login form as well, as a page.
    const form = await new WebClient(web.app).submit('/login', { email, password: PASSWORD });
    expect(form.statusCode).toBe(503);
    expect(form.headers['content-type']).toMatch(/^text\/html/);
    expect(form.body).toContain('Session and queue storage is unavailable');
    expect(leaksInternals(form.body)).toBe(false);
    expect((await new WebClient(web.app).get('/healthz')).statusCode).toBe(200);

    await redisProxy.start(redisProxy.port);
    // ioredis reconnects by itself (backing off up to 2 s).
    expect(await eventually(10_000, async () => (await user.get('/readyz')).statusCode === 200)).toBe(true);
    // The session stored before the outage is still there.
    const me = await user.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(email);
    expect((await new WebClient(web.app).logIn(email, PASSWORD)).statusCode).toBe(200);
  }, 30_000);
});
