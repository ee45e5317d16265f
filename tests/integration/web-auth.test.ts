import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestRedisPrefix } from '../support/redis.js';
import { buildTestApp, type TestWebApp } from '../support/web-app.js';
import {
  PASSWORD,
  redisKeys,
  SESSION_COOKIE,
  setCookieLines,
  sleep,
  uniqueEmail,
  WebClient,
} from '../support/web-client.js';

// Sign-up, log-in, sessions in Redis (ids, TTLs, idle and absolute timeouts), cookie flags and
// the login rate limits, against real Postgres and Redis.

let db: TestDatabase;
let redis: ReturnType<typeof createTestRedisPrefix>;
let web: TestWebApp;
const extraApps: TestWebApp[] = [];

/** Another app instance on this file's database and Redis prefix (closed in afterAll). */
async function anotherApp(env: Record<string, string>): Promise<TestWebApp> {
  const app = await buildTestApp(db.name, redis.prefix, env);
  extraApps.push(app);
  return app;
}

const sessionKey = (id: string | undefined) => `${redis.prefix}:sess:${id}`;

beforeAll(async () => {
  db = await createTestDatabase();
  redis = createTestRedisPrefix();
  // Many log-ins come from one address (127.0.0.1) in this file; the per-address limit is tested on its own.
  web = await buildTestApp(db.name, redis.prefix, { LOG_LEVEL: 'silent', LOGIN_MAX_ATTEMPTS_PER_IP: '1000' });
});

afterAll(async () => {
  for (const app of extraApps) await app.close();
  await web?.close();
  await redis?.cleanup();
  await db?.drop();
});

describe('sign-up', () => {
  it('creates the account (201), stores an argon2 hash rather than the password, and logs in', async () => {
    const client = new WebClient(web.app);
    const email = uniqueEmail('signup');
    const res = await client.signUp(email, PASSWORD);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({ email, id: expect.any(String), createdAt: expect.any(String) });
    expect(body.csrfToken).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toContain(PASSWORD);
    expect(JSON.stringify(body)).not.toMatch(/passwordHash|\$argon2/);

    const row = await db.prisma.user.findUnique({ where: { email } });
    expect(row).not.toBeNull();
    expect(row!.passwordHash).not.toBe(PASSWORD);
    expect(row!.passwordHash).not.toContain(PASSWORD);
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);

    // Signed up means logged in.
    const me = await client.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(email);
  });

  it('normalises the email, so the same address in other case is a duplicate: 409 with a message', async () => {
    const email = uniqueEmail('dup');
    expect((await new WebClient(web.app).signUp(email, PASSWORD)).statusCode).toBe(201);
    const again = await new WebClient(web.app).signUp(email.toUpperCase(), 'another password 123');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ statusCode: 409, message: 'An account with this email already exists' });
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(await db.prisma.user.count({ where: { email } })).toBe(1);
  });

  it('rejects a short password and a bad email with a message per field', async () => {
    const res = await new WebClient(web.app).signUp('not-an-email', 'short');
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual({
      email: 'Must be a valid email address',
      password: 'Password must be at least 10 characters',
    });
  });
});

describe('log-in', () => {
  let email: string;
  beforeAll(async () => {
    email = uniqueEmail('login');
    expect((await new WebClient(web.app).signUp(email, PASSWORD)).statusCode).toBe(201);
  });

  it('answers a wrong password and an unknown email alike: 401 with a message, no session', async () => {
    for (const [who, password] of [
      [email, 'wrong password 123'],
      [uniqueEmail('nobody'), PASSWORD],
    ] as const) {
      const client = new WebClient(web.app);
      const res = await client.logIn(who, password);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Email or password is incorrect' });
      expect(client.sessionCookie).toBeUndefined();
    }
  });

  it('sets an HttpOnly, SameSite session cookie that GET /api/v1/me accepts', async () => {
    const client = new WebClient(web.app);
    const res = await client.logIn(email, PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.email).toBe(email);
    const line = setCookieLines(res).find((l) => l.startsWith(`${SESSION_COOKIE}=`));
    expect(line).toBeDefined();
    expect(line).toMatch(/;\s*HttpOnly/i);
    expect(line).toMatch(/;\s*SameSite=Lax/i);
    expect(line).toMatch(/;\s*Path=\//i);
    // Plain http without a trusted proxy: not Secure (the browser would drop it on http).
    expect(line).not.toMatch(/;\s*Secure/i);

    const me = await client.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email }, csrfToken: expect.any(String) });

    // Without the cookie the same request is anonymous.
    const anon = await new WebClient(web.app).get('/api/v1/me');
    expect(anon.statusCode).toBe(401);
    expect(anon.json().message).toBe('Log in first');
  });

  it('keeps the session in Redis under <prefix>:sess:<id> with a TTL of the idle timeout', async () => {
    const client = new WebClient(web.app);
    expect((await client.logIn(email, PASSWORD)).statusCode).toBe(200);
    const key = sessionKey(client.sessionId);
    const stored = JSON.parse((await redis.client.get(key)) ?? 'null');
    expect(stored).toMatchObject({ userId: expect.any(String), createdAt: expect.any(Number) });
    const ttl = await redis.client.ttl(key);
    const idle = web.config.session.idleTimeoutSeconds;
    expect(idle).toBe(1800);
    expect(ttl).toBeGreaterThan(idle - 10);
    expect(ttl).toBeLessThanOrEqual(idle);
  });

  it('writes nothing to Redis for anonymous requests', async () => {
    const before = await redisKeys(redis.client, redis.prefix);
    const anon = new WebClient(web.app);
    expect((await anon.get('/login')).statusCode).toBe(200);
    expect((await anon.get('/signup')).statusCode).toBe(200);
    expect((await anon.get('/healthz')).statusCode).toBe(200);
    expect((await anon.get('/api/v1/me')).statusCode).toBe(401);
    expect((await anon.get('/api/v1/monitors')).statusCode).toBe(401);
    expect((await anon.get('/')).statusCode).toBe(303);
    // A forged cookie naming no session is anonymous too.
    const forged = new WebClient(web.app);
    forged.cookies.set(SESSION_COOKIE, 'forged-session-id.bad-signature');
    expect((await forged.get('/api/v1/me')).statusCode).toBe(401);
    expect((await forged.get('/login')).statusCode).toBe(200);
    expect(await redisKeys(redis.client, redis.prefix)).toEqual(before);
    expect(anon.sessionCookie).toBeUndefined();
  });

  it('gives a new session id on log-in and deletes the old session from Redis', async () => {
    const client = new WebClient(web.app);
    expect((await client.logIn(email, PASSWORD)).statusCode).toBe(200);
    const oldId = client.sessionId!;
    const oldCopy = client.clone();
    expect(await redis.client.exists(sessionKey(oldId))).toBe(1);

    // Logging in again from a logged-in session (a state-changing request: CSRF applies).
    const again = await client.logIn(email, PASSWORD);
    expect(again.statusCode).toBe(200);
    const newId = client.sessionId!;
    expect(newId).toBeDefined();
    expect(newId).not.toBe(oldId);
    expect(await redis.client.exists(sessionKey(oldId))).toBe(0);
    expect(await redis.client.exists(sessionKey(newId))).toBe(1);

    // The old cookie is worthless now; the new one works.
    expect((await oldCopy.get('/api/v1/me')).statusCode).toBe(401);
    expect((await client.get('/api/v1/me')).statusCode).toBe(200);
  });

  it('logs out: the Redis key is deleted and the cookie no longer works', async () => {
    const client = new WebClient(web.app);
    expect((await client.logIn(email, PASSWORD)).statusCode).toBe(200);
    const id = client.sessionId!;
    const copy = client.clone();
    expect(await redis.client.exists(sessionKey(id))).toBe(1);

    // Log-out is state-changing: without the CSRF token it is refused and the session stays.
    const forged = await client.api('DELETE', '/api/v1/session', undefined, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect(await redis.client.exists(sessionKey(id))).toBe(1);

    const res = await client.api('DELETE', '/api/v1/session');
    expect(res.statusCode).toBe(204);
    expect(await redis.client.exists(sessionKey(id))).toBe(0);
    const me = await copy.get('/api/v1/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().message).toBe('Log in first');
    // ... and the dead session is not resurrected by using it.
    expect(await redis.client.exists(sessionKey(id))).toBe(0);
  });
});

describe('session timeouts', () => {
  it('expires a session idle longer than SESSION_IDLE_TIMEOUT_SECONDS, while activity keeps it alive', async () => {
    const short = await anotherApp({ LOG_LEVEL: 'silent', SESSION_IDLE_TIMEOUT_SECONDS: '5' });
    const client = new WebClient(short.app);
    expect((await client.signUp(uniqueEmail('idle'), PASSWORD)).statusCode).toBe(201);
    const key = sessionKey(client.sessionId);
    const ttl = await redis.client.ttl(key);
    expect(ttl).toBeGreaterThanOrEqual(4);
    expect(ttl).toBeLessThanOrEqual(5);

    // Activity rolls the idle timeout: 7 s of requests a second apart, longer than the timeout.
    const started = Date.now();
    while (Date.now() - started < 7000) {
      await sleep(1000);
      expect((await client.get('/api/v1/me')).statusCode).toBe(200);
    }
    expect(await redis.client.ttl(key)).toBeGreaterThanOrEqual(4);

    // Then 6 s idle: gone.
    await sleep(6000);
    const res = await client.get('/api/v1/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('Log in first');
    expect(await redis.client.exists(key)).toBe(0);
  }, 30_000);

  it('ends a session SESSION_ABSOLUTE_TIMEOUT_SECONDS after log-in however active it is', async () => {
    const short = await anotherApp({ LOG_LEVEL: 'silent', SESSION_IDLE_TIMEOUT_SECONDS: '5', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '5' });
    const client = new WebClient(short.app);
    expect((await client.signUp(uniqueEmail('absolute'), PASSWORD)).statusCode).toBe(201);
    const loggedInAt = Date.now();
    const key = sessionKey(client.sessionId);

    let status = 200;
    while (status === 200) {
      await sleep(1000);
      status = (await client.get('/api/v1/me')).statusCode;
      const elapsed = Date.now() - loggedInAt;
      if (elapsed < 4500) expect(status).toBe(200);
      expect(elapsed).toBeLessThan(8000);
    }
    expect(status).toBe(401);
    expect(Date.now() - loggedInAt).toBeGreaterThan(5000);
    expect(await redis.client.exists(key)).toBe(0);
  }, 30_000);

  it('lets a user whose session hit the absolute timeout log in again with the stale cookie', async () => {
    const short = await anotherApp({ LOG_LEVEL: 'silent', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '5' });
    const email = uniqueEmail('relogin');
    const client = new WebClient(short.app);
    expect((await client.signUp(email, PASSWORD)).statusCode).toBe(201);
    await sleep(5500);
    // The first request after the timeout is the log-in itself, still carrying the old cookie.
    const res = await client.logIn(email, PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.email).toBe(email);
    expect((await client.get('/api/v1/me')).statusCode).toBe(200);

    // The HTML form does the same.
    const browser = new WebClient(short.app);
    expect((await browser.signUp(uniqueEmail('relogin-form'), PASSWORD)).statusCode).toBe(201);
    const formEmail = (await browser.get('/api/v1/me')).json().user.email as string;
    await sleep(5500);
    const form = await browser.submit('/login', { email: formEmail, password: PASSWORD }, { csrf: false });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe('/');
    expect((await browser.get('/api/v1/me')).statusCode).toBe(200);
  }, 30_000);
});

describe('Secure cookie behind a TLS-terminating proxy', () => {
  it('sets Secure when TRUST_PROXY=true and the proxy says x-forwarded-proto: https', async () => {
    const proxied = await anotherApp({ LOG_LEVEL: 'silent', TRUST_PROXY: 'true', LOGIN_MAX_ATTEMPTS_PER_IP: '1000' });
    const email = uniqueEmail('tls');
    const https = new WebClient(proxied.app, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } });
    const res = await https.signUp(email, PASSWORD);
    expect(res.statusCode).toBe(201);
    const line = setCookieLines(res).find((l) => l.startsWith(`${SESSION_COOKIE}=`));
    expect(line).toMatch(/;\s*Secure/i);
    expect(line).toMatch(/;\s*HttpOnly/i);
    expect((await https.get('/api/v1/me')).statusCode).toBe(200);

    // The same app over plain http: no Secure flag.
    const http = new WebClient(proxied.app);
    const plain = await http.logIn(email, PASSWORD);
    expect(plain.statusCode).toBe(200);
    expect(setCookieLines(plain).find((l) => l.startsWith(`${SESSION_COOKIE}=`))).not.toMatch(/;\s*Secure/i);
  });

  it('ignores x-forwarded-proto when the proxy is not trusted (TRUST_PROXY=false)', async () => {
    const client = new WebClient(web.app, { headers: { 'x-forwarded-proto': 'https' } });
    expect(web.config.http.trustProxy).toBe(false);
    const res = await client.signUp(uniqueEmail('untrusted'), PASSWORD);
    expect(res.statusCode).toBe(201);
    expect(setCookieLines(res).find((l) => l.startsWith(`${SESSION_COOKIE}=`))).not.toMatch(/;\s*Secure/i);
  });

  it('always sets Secure with COOKIE_SECURE=true (over https)', async () => {
    const strict = await anotherApp({ LOG_LEVEL: 'silent', COOKIE_SECURE: 'true', TRUST_PROXY: 'true' });
    const client = new WebClient(strict.app, { headers: { 'x-forwarded-proto': 'https' } });
    const res = await client.signUp(uniqueEmail('secure'), PASSWORD);
    expect(res.statusCode).toBe(201);
    expect(setCookieLines(res).find((l) => l.startsWith(`${SESSION_COOKIE}=`))).toMatch(/;\s*Secure/i);
  });
});

describe('login rate limits across instances', () => {
  let a: TestWebApp;
  let b: TestWebApp;
  beforeAll(async () => {
    const env = { LOG_LEVEL: 'silent', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_ATTEMPTS_PER_IP: '6' };
    a = await anotherApp(env);
    b = await anotherApp(env);
  });

  it('blocks an account after LOGIN_MAX_FAILURES_PER_ACCOUNT failures spread over two instances and many addresses', async () => {
    const email = uniqueEmail('limited');
    expect((await new WebClient(a.app).signUp(email, PASSWORD)).statusCode).toBe(201);
    const other = uniqueEmail('bystander');
    expect((await new WebClient(b.app).signUp(other, PASSWORD)).statusCode).toBe(201);

    // An attacker rotating addresses and instances: each attempt from a different address.
    const instances = [a, b, a];
    for (const [i, instance] of instances.entries()) {
      const res = await new WebClient(instance.app, { remoteAddress: `198.51.100.${i + 1}` }).logIn(email, `wrong password ${i}`);
      expect(res.statusCode).toBe(401);
    }

    // The right password no longer helps, on either instance.
    for (const [i, instance] of [b, a].entries()) {
      const client = new WebClient(instance.app, { remoteAddress: `198.51.100.${i + 10}` });
      const res = await client.logIn(email, PASSWORD);
      expect(res.statusCode).toBe(429);
      expect(res.json().message).toMatch(/^Too many login attempts\. Try again in \d+ seconds\.$/);
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
      expect(client.sessionCookie).toBeUndefined();
    }

    // The HTML form says the same.
    const form = await new WebClient(b.app, { remoteAddress: '198.51.100.20' }).submit('/login', { email, password: PASSWORD }, { csrf: false });
    expect(form.statusCode).toBe(429);
    expect(form.body).toContain('Too many login attempts');

    // Another account is not affected.
    expect((await new WebClient(b.app, { remoteAddress: '198.51.100.21' }).logIn(other, PASSWORD)).statusCode).toBe(200);
  });

  it('counts every attempt from one address across both instances (LOGIN_MAX_ATTEMPTS_PER_IP)', async () => {
    const ip = '192.0.2.44';
    const email = uniqueEmail('per-ip');
    expect((await new WebClient(a.app, { remoteAddress: '192.0.2.1' }).signUp(email, PASSWORD)).statusCode).toBe(201);
    // Six attempts for six different (unknown) accounts, alternating instances.
    for (let i = 0; i < 6; i++) {
      const res = await new WebClient(i % 2 ? a.app : b.app, { remoteAddress: ip }).logIn(uniqueEmail(`spray${i}`), PASSWORD);
      expect(res.statusCode).toBe(401);
    }
    // The seventh, even with valid credentials, is refused on either instance.
    for (const instance of [a, b]) {
      const res = await new WebClient(instance.app, { remoteAddress: ip }).logIn(email, PASSWORD);
      expect(res.statusCode).toBe(429);
      expect(res.json().message).toMatch(/Too many login attempts/);
    }
    // Another address still logs in.
    expect((await new WebClient(b.app, { remoteAddress: '192.0.2.45' }).logIn(email, PASSWORD)).statusCode).toBe(200);
  });

  it('clears the failure count of an account on a successful log-in', async () => {
    const email = uniqueEmail('reset');
    expect((await new WebClient(a.app, { remoteAddress: '192.0.2.60' }).signUp(email, PASSWORD)).statusCode).toBe(201);
    let n = 0;
    const attempt = (instance: TestWebApp, password: string) =>
      new WebClient(instance.app, { remoteAddress: `192.0.2.${70 + n++}` }).logIn(email, password);
    expect((await attempt(a, 'wrong password 1')).statusCode).toBe(401);
    expect((await attempt(b, 'wrong password 2')).statusCode).toBe(401);
    expect((await attempt(a, PASSWORD)).statusCode).toBe(200);
    expect((await attempt(b, 'wrong password 3')).statusCode).toBe(401);
    expect((await attempt(a, 'wrong password 4')).statusCode).toBe(401);
    expect((await attempt(b, PASSWORD)).statusCode).toBe(200);
  });
});
