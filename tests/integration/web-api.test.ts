import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestRedisPrefix } from '../support/redis.js';
import { buildTestApp, type TestWebApp } from '../support/web-app.js';
import { leaksInternals, PASSWORD, uniqueEmail, WebClient, type Response } from '../support/web-client.js';

// The JSON API: monitors CRUD with CSRF, validation, authorisation, error shapes, the OpenAPI
// document, /metrics and the admin ops view, against real Postgres and Redis.

let db: TestDatabase;
let redis: ReturnType<typeof createTestRedisPrefix>;
let web: TestWebApp;
/** The first account of the installation: the administrator. */
let admin: WebClient;
let alice: WebClient;
let bob: WebClient;

const BODY_LIMIT = 4096;
const MISSING_UUID = '00000000-0000-4000-8000-000000000000';
const monitorInput = (name: string) => ({ name, url: 'https://example.com/health' });

/** Every error response: JSON {statusCode, error, message}, no stack frames or internals. */
function expectCleanError(res: Response, status: number) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
  expect(body.message.length).toBeGreaterThan(0);
  expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(['error', 'message', 'statusCode']));
  expect(body).not.toHaveProperty('stack');
  expect(leaksInternals(res.body)).toBe(false);
  return body as { statusCode: number; error: string; message: string; fields?: Record<string, string> };
}

async function createMonitor(client: WebClient, name: string): Promise<{ id: string; name: string }> {
  const res = await client.api('POST', '/api/v1/monitors', monitorInput(name));
  expect(res.statusCode).toBe(201);
  return res.json();
}

beforeAll(async () => {
  db = await createTestDatabase();
  redis = createTestRedisPrefix();
  web = await buildTestApp(db.name, redis.prefix, { LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  admin = new WebClient(web.app);
  expect((await admin.signUp(uniqueEmail('admin'), PASSWORD)).statusCode).toBe(201);
  alice = new WebClient(web.app);
  expect((await alice.signUp(uniqueEmail('alice'), PASSWORD)).statusCode).toBe(201);
  bob = new WebClient(web.app);
  expect((await bob.signUp(uniqueEmail('bob'), PASSWORD)).statusCode).toBe(201);
});

afterAll(async () => {
  await web?.close();
  await redis?.cleanup();
  await db?.drop();
});

describe('monitors CRUD', () => {
  it('creates, lists, reads, changes and deletes a monitor', async () => {
    const created = await alice.api('POST', '/api/v1/monitors', { ...monitorInput('Homepage'), intervalSeconds: 30, method: 'HEAD' });
    expect(created.statusCode).toBe(201);
    const monitor = created.json();
    expect(monitor).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Homepage',
      url: 'https://example.com/health',
      method: 'HEAD',
      intervalSeconds: 30,
      timeoutSeconds: 10,
      expectedStatusMin: 200,
      expectedStatusMax: 299,
      paused: false,
      status: 'PENDING',
      lastCheckedAt: null,
    });
    expect(created.headers.location).toBe(`/api/v1/monitors/${monitor.id}`);
    const row = await db.prisma.monitor.findUnique({ where: { id: monitor.id } });
    expect(row?.name).toBe('Homepage');

    const list = await alice.get('/api/v1/monitors');
    expect(list.statusCode).toBe(200);
    expect(list.json().monitors.map((m: { id: string }) => m.id)).toContain(monitor.id);

    const one = await alice.get(`/api/v1/monitors/${monitor.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(monitor);

    // An upper-case UUID names the same monitor.
    expect((await alice.get(`/api/v1/monitors/${monitor.id.toUpperCase()}`)).json().id).toBe(monitor.id);

    const patched = await alice.api('PATCH', `/api/v1/monitors/${monitor.id}`, { name: 'Homepage (www)', paused: true });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: monitor.id, name: 'Homepage (www)', paused: true, intervalSeconds: 30 });
    expect((await alice.get(`/api/v1/monitors/${monitor.id}`)).json()).toMatchObject({ name: 'Homepage (www)', paused: true });

    const resumed = await alice.api('PATCH', `/api/v1/monitors/${monitor.id}`, { paused: false });
    expect(resumed.json().paused).toBe(false);

    const deleted = await alice.api('DELETE', `/api/v1/monitors/${monitor.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect(await db.prisma.monitor.findUnique({ where: { id: monitor.id } })).toBeNull();

    const gone = await alice.get(`/api/v1/monitors/${monitor.id}`);
    expect(expectCleanError(gone, 404).message).toBe('Monitor not found');
    expectCleanError(await alice.api('DELETE', `/api/v1/monitors/${monitor.id}`), 404);
    expectCleanError(await alice.api('PATCH', `/api/v1/monitors/${monitor.id}`, { paused: true }), 404);
    expect((await alice.get('/api/v1/monitors')).json().monitors.map((m: { id: string }) => m.id)).not.toContain(monitor.id);
  });

  it('lists check results newest first, honouring ?limit', async () => {
    const monitor = await createMonitor(alice, 'With checks');
    const empty = await alice.get(`/api/v1/monitors/${monitor.id}/checks`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ checks: [] });

    const base = Date.UTC(2030, 0, 1, 12, 0, 0);
    await db.prisma.checkResult.createMany({
      data: [0, 1, 2].map((i) => ({
        monitorId: monitor.id,
        slot: new Date(base + i * 60_000),
        checkedAt: new Date(base + i * 60_000 + 150),
        ok: i !== 1,
        statusCode: i === 1 ? 503 : 200,
        latencyMs: 40 + i,
        error: i === 1 ? 'Expected status 200-299, got 503' : null,
      })),
    });
    const res = await alice.get(`/api/v1/monitors/${monitor.id}/checks`);
    expect(res.statusCode).toBe(200);
    const { checks } = res.json();
    expect(checks).toHaveLength(3);
    expect(checks.map((c: { slot: string }) => c.slot)).toEqual([2, 1, 0].map((i) => new Date(base + i * 60_000).toISOString()));
    expect(checks[1]).toEqual({
      slot: new Date(base + 60_000).toISOString(),
      checkedAt: new Date(base + 60_150).toISOString(),
      ok: false,
      statusCode: 503,
      latencyMs: 41,
      error: 'Expected status 200-299, got 503',
    });
    const limited = await alice.get(`/api/v1/monitors/${monitor.id}/checks?limit=1`);
    expect(limited.json().checks).toHaveLength(1);
    const badLimit = expectCleanError(await alice.get(`/api/v1/monitors/${monitor.id}/checks?limit=0`), 400);
    expect(Object.keys(badLimit.fields ?? {})).toEqual(['limit']);

    expectCleanError(await bob.get(`/api/v1/monitors/${monitor.id}/checks`), 404);
    expectCleanError(await alice.get(`/api/v1/monitors/${MISSING_UUID}/checks`), 404);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing API request without the x-csrf-token header: 403, nothing changes', async () => {
    const before = await db.prisma.monitor.count();
    const res = await alice.api('POST', '/api/v1/monitors', monitorInput('No token'), { csrf: false });
    expect(expectCleanError(res, 403).message).toBe('Missing or invalid CSRF token');
    expect(await db.prisma.monitor.count()).toBe(before);

    const monitor = await createMonitor(alice, 'Protected');
    expectCleanError(await alice.api('PATCH', `/api/v1/monitors/${monitor.id}`, { name: 'Hijacked' }, { csrf: false }), 403);
    expectCleanError(await alice.api('DELETE', `/api/v1/monitors/${monitor.id}`, undefined, { csrf: false }), 403);
    expect((await alice.get(`/api/v1/monitors/${monitor.id}`)).json().name).toBe('Protected');
  });

  it('refuses a wrong token, and another session\'s token', async () => {
    const wrong = await alice.api('POST', '/api/v1/monitors', monitorInput('Wrong token'), { headers: { 'x-csrf-token': 'not-the-token' } });
    expect(expectCleanError(wrong, 403).message).toBe('Missing or invalid CSRF token');
    const bobs = await alice.api('POST', '/api/v1/monitors', monitorInput('Bob token'), { headers: { 'x-csrf-token': bob.csrfToken! } });
    expectCleanError(bobs, 403);
    const names = (await alice.get('/api/v1/monitors')).json().monitors.map((m: { name: string }) => m.name);
    expect(names).not.toContain('Wrong token');
    expect(names).not.toContain('Bob token');
  });

  it('accepts the token GET /api/v1/me hands out', async () => {
    const me = await alice.get('/api/v1/me');
    const token = me.json().csrfToken as string;
    const res = await alice.api('POST', '/api/v1/monitors', monitorInput('Token from me'), { headers: { 'x-csrf-token': token } });
    expect(res.statusCode).toBe(201);
  });

  it('refuses an HTML form POST to /monitors without _csrf: 403 page', async () => {
    const before = await db.prisma.monitor.count();
    const res = await alice.submit('/monitors', { name: 'Form without token', url: 'https://example.com' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('Missing or invalid CSRF token');
    expect(leaksInternals(res.body)).toBe(false);
    const wrong = await alice.request({
      method: 'POST',
      url: '/monitors',
      form: { _csrf: 'forged', name: 'Form with forged token', url: 'https://example.com' },
      csrf: false,
    });
    expect(wrong.statusCode).toBe(403);
    expect(await db.prisma.monitor.count()).toBe(before);
  });
});

describe('validation', () => {
  it('answers 400 with a message per invalid field', async () => {
    const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{ ...monitorInput('x'), intervalSeconds: 5, timeoutSeconds: 5 }, { intervalSeconds: 'Interval must be at least 10 seconds' }],
      [{ ...monitorInput('x'), intervalSeconds: 20, timeoutSeconds: 30 }, { timeoutSeconds: 'Timeout must not exceed the interval' }],
      [{ ...monitorInput('x'), url: 'not a url' }, { url: 'Must be an absolute http:// or https:// URL' }],
      [{ ...monitorInput('x'), url: 'ftp://x' }, { url: 'Must be an absolute http:// or https:// URL' }],
      [{ ...monitorInput('x'), bogus: true }, { bogus: 'Unknown field' }],
      [{ url: 'https://example.com' }, { name: 'Name is required' }],
      [{ ...monitorInput('x'), method: 'FETCH' }, { method: expect.stringMatching(/^Method must be one of GET, HEAD/) }],
    ];
    const before = await db.prisma.monitor.count();
    for (const [payload, fields] of cases) {
      const res = await alice.api('POST', '/api/v1/monitors', payload);
      const body = expectCleanError(res, 400);
      expect(body.message).toBe('Invalid input');
      expect(body.fields).toEqual(fields);
    }
    // Several bad fields at once: one message each.
    const many = expectCleanError(
      await alice.api('POST', '/api/v1/monitors', { name: '', url: 'ftp://x', intervalSeconds: 5, extra: 1 }),
      400,
    );
    expect(many.fields).toMatchObject({
      name: 'Name is required',
      url: 'Must be an absolute http:// or https:// URL',
      intervalSeconds: 'Interval must be at least 10 seconds',
      extra: 'Unknown field',
    });
    expect(await db.prisma.monitor.count()).toBe(before);
  });

  it('validates PATCH bodies too, and leaves the monitor unchanged', async () => {
    const monitor = await createMonitor(alice, 'Patch target');
    const res = await alice.api('PATCH', `/api/v1/monitors/${monitor.id}`, { intervalSeconds: 5, paused: 'yes' });
    expect(expectCleanError(res, 400).fields).toEqual({
      intervalSeconds: 'Interval must be at least 10 seconds',
      paused: 'Paused must be true or false',
    });
    const range = await alice.api('PATCH', `/api/v1/monitors/${monitor.id}`, { expectedStatusMin: 500, expectedStatusMax: 200 });
    expect(expectCleanError(range, 400).fields).toEqual({ expectedStatusMax: 'Lowest expected status must not exceed the highest' });
    expect((await alice.get(`/api/v1/monitors/${monitor.id}`)).json()).toMatchObject({ intervalSeconds: 60, expectedStatusMin: 200 });
  });

  it('refuses a change that is valid alone but not with the fields the monitor keeps', async () => {
    const created = await alice.api('POST', '/api/v1/monitors', { ...monitorInput('Keeps its interval'), intervalSeconds: 15 });
    const monitor = created.json() as { id: string };
    // The monitor checks every 15 s: a 30 s timeout, or a lowest status above its highest, cannot be.
    const timeout = await alice.api('PATCH', `/api/v1/monitors/${monitor.id}`, { timeoutSeconds: 30 });
    expect(expectCleanError(timeout, 400).fields).toEqual({ timeoutSeconds: 'Timeout must not exceed the interval' });
    const status = await alice.api('PATCH', `/api/v1/monitors/${monitor.id}`, { expectedStatusMin: 400 });
    expect(expectCleanError(status, 400).fields).toEqual({ expectedStatusMax: 'Lowest expected status must not exceed the highest' });
    expect((await alice.get(`/api/v1/monitors/${monitor.id}`)).json()).toMatchObject({ timeoutSeconds: 10, expectedStatusMin: 200 });
    expect((await alice.api('PATCH', `/api/v1/monitors/${monitor.id}`, { timeoutSeconds: 15 })).statusCode).toBe(200);
  });

  it('answers malformed JSON with 400 and no parser internals', async () => {
    const res = await alice.request({
      method: 'POST',
      url: '/api/v1/monitors',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "broken", ',
      csrf: true,
    });
    expect(expectCleanError(res, 400).message).toBe('Request body is not valid JSON');
  });

  it('treats a malformed monitor id as a missing monitor: 404, no stack trace', async () => {
    for (const id of ['not-a-uuid', '1234', "x'; DROP TABLE monitors; --", `${MISSING_UUID}0`]) {
      const url = `/api/v1/monitors/${encodeURIComponent(id)}`;
      expect(expectCleanError(await alice.get(url), 404).message).toBe('Monitor not found');
      expectCleanError(await alice.api('PATCH', url, { paused: true }), 404);
      expectCleanError(await alice.api('DELETE', url), 404);
      expectCleanError(await alice.get(`${url}/checks`), 404);
    }
    expect((await alice.get(`/api/v1/monitors/${MISSING_UUID}`)).statusCode).toBe(404);
  });

  it('refuses a body over BODY_LIMIT_BYTES with 413 and creates nothing', async () => {
    expect(web.config.http.bodyLimit).toBe(BODY_LIMIT);
    const before = await db.prisma.monitor.count();
    // Valid JSON for a valid monitor, padded with whitespace past the limit.
    const payload = JSON.stringify(monitorInput('Too big')) + ' '.repeat(BODY_LIMIT + 10);
    const res = await alice.request({
      method: 'POST',
      url: '/api/v1/monitors',
      headers: { 'content-type': 'application/json' },
      payload,
      csrf: true,
    });
    expect(expectCleanError(res, 413).message).toBe('Request body is too large');
    // The same for an HTML form.
    const form = await alice.submit('/monitors', { name: 'Too big form', url: 'https://example.com', pad: 'x'.repeat(BODY_LIMIT) });
    expect(form.statusCode).toBe(413);
    expect(await db.prisma.monitor.count()).toBe(before);
    // Just under the limit is fine.
    const ok = await alice.request({
      method: 'POST',
      url: '/api/v1/monitors',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(monitorInput('Fits')) + ' '.repeat(BODY_LIMIT - 200),
      csrf: true,
    });
    expect(ok.statusCode).toBe(201);
  });
});

describe('routing and authentication', () => {
  it('answers an unknown /api route with 404 JSON and any other with a 404 page', async () => {
    const api = await alice.get('/api/v1/nope');
    expect(expectCleanError(api, 404).message).toBe('Route GET /api/v1/nope not found');
    const anonApi = await new WebClient(web.app).get('/api/v2/monitors?x=1');
    expect(expectCleanError(anonApi, 404).message).toBe('Route GET /api/v2/monitors not found');

    const page = await alice.get('/no/such/page');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toMatch(/<h1>404 Not Found<\/h1>/);
    expect(page.body).toContain('Route GET /no/such/page not found');
    expect(leaksInternals(page.body)).toBe(false);
  });

  it('answers 401 to every API route without a session', async () => {
    const anon = new WebClient(web.app);
    const routes: Array<[string, string]> = [
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/monitors'],
      ['POST', '/api/v1/monitors'],
      ['GET', `/api/v1/monitors/${MISSING_UUID}`],
      ['PATCH', `/api/v1/monitors/${MISSING_UUID}`],
      ['DELETE', `/api/v1/monitors/${MISSING_UUID}`],
      ['GET', `/api/v1/monitors/${MISSING_UUID}/checks`],
      ['DELETE', '/api/v1/session'],
      ['GET', '/api/v1/events'],
      ['GET', '/api/v1/ops'],
    ];
    const before = await db.prisma.monitor.count();
    for (const [method, url] of routes) {
      const res = await anon.api(method as 'GET', url, method === 'POST' || method === 'PATCH' ? monitorInput('anon') : undefined);
      expect(expectCleanError(res, 401).message, `${method} ${url}`).toBe('Log in first');
    }
    expect(await db.prisma.monitor.count()).toBe(before);
  });

  it('answers 401, not 400, to an anonymous call whatever its input', async () => {
    const anon = new WebClient(web.app);
    const calls: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/monitors', {}],
      ['PATCH', `/api/v1/monitors/${MISSING_UUID}`, { paused: 'x' }],
      ['GET', `/api/v1/monitors/${MISSING_UUID}/checks?limit=0`, undefined],
    ];
    for (const [method, url, body] of calls) {
      expect(expectCleanError(await anon.api(method as 'GET', url, body), 401).message, `${method} ${url}`).toBe('Log in first');
    }
  });
});

describe('authorisation between users', () => {
  it("hides alice's monitors from bob: 404 on read, change and delete; bob's list excludes them", async () => {
    const alices = await createMonitor(alice, 'Alice private');
    const bobs = await createMonitor(bob, 'Bob own');

    expect(expectCleanError(await bob.get(`/api/v1/monitors/${alices.id}`), 404).message).toBe('Monitor not found');
    expectCleanError(await bob.api('PATCH', `/api/v1/monitors/${alices.id}`, { name: 'Pwned', paused: true }), 404);
    expectCleanError(await bob.api('DELETE', `/api/v1/monitors/${alices.id}`), 404);
    const row = await db.prisma.monitor.findUnique({ where: { id: alices.id } });
    expect(row).toMatchObject({ name: 'Alice private', paused: false });

    const bobList = (await bob.get('/api/v1/monitors')).json().monitors as Array<{ id: string }>;
    expect(bobList.map((m) => m.id)).toEqual([bobs.id]);
    const aliceList = (await alice.get('/api/v1/monitors')).json().monitors as Array<{ id: string }>;
    expect(aliceList.map((m) => m.id)).toContain(alices.id);
    expect(aliceList.map((m) => m.id)).not.toContain(bobs.id);

    // The pages too.
    expect((await bob.get(`/monitors/${alices.id}`)).statusCode).toBe(404);
    expect((await bob.get(`/monitors/${alices.id}/edit`)).statusCode).toBe(404);
    expect((await bob.submit(`/monitors/${alices.id}/delete`, {})).statusCode).toBe(404);
    expect((await bob.submit(`/monitors/${alices.id}/pause`, {})).statusCode).toBe(404);
    expect(await db.prisma.monitor.findUnique({ where: { id: alices.id } })).toMatchObject({ paused: false });
  });
});

describe('OpenAPI document', () => {
  it('describes every route with request and response schemas, and explains CSRF', async () => {
    const res = await new WebClient(web.app).get('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const required: Array<[string, string, { body?: boolean; responses: string[] }]> = [
      ['post', '/api/v1/users', { body: true, responses: ['201', '400', '409'] }],
      ['post', '/api/v1/session', { body: true, responses: ['200', '401', '429'] }],
      ['delete', '/api/v1/session', { responses: ['204', '401'] }],
      ['get', '/api/v1/me', { responses: ['200', '401'] }],
      ['get', '/api/v1/monitors', { responses: ['200', '401'] }],
      ['post', '/api/v1/monitors', { body: true, responses: ['201', '400', '401', '403'] }],
      ['get', '/api/v1/monitors/{id}', { responses: ['200', '404'] }],
      ['patch', '/api/v1/monitors/{id}', { body: true, responses: ['200', '400', '404'] }],
      ['delete', '/api/v1/monitors/{id}', { responses: ['204', '404'] }],
      ['get', '/api/v1/monitors/{id}/checks', { responses: ['200', '404'] }],
    ];
    for (const [method, path, { body, responses }] of required) {
      const op = doc.paths?.[path]?.[method];
      expect(op, `${method.toUpperCase()} ${path}`).toBeDefined();
      expect(op.summary, `${method} ${path} summary`).toEqual(expect.any(String));
      for (const status of responses) {
        expect(op.responses?.[status], `${method} ${path} ${status}`).toBeDefined();
      }
      const ok = op.responses[responses[0]!];
      if (responses[0] !== '204') expect(ok.content?.['application/json']?.schema, `${method} ${path} response schema`).toBeDefined();
      if (body) expect(op.requestBody?.content?.['application/json']?.schema, `${method} ${path} request schema`).toBeDefined();
      if (path.includes('{id}')) expect(op.parameters?.some((p: { name: string; in: string }) => p.name === 'id' && p.in === 'path')).toBe(true);
    }
    // The monitor schema's fields, and the validation limits in the request schema.
    const create = doc.paths['/api/v1/monitors'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(create.properties)).toEqual(expect.arrayContaining(['name', 'url', 'method', 'intervalSeconds', 'timeoutSeconds']));
    expect(create.properties.intervalSeconds.minimum).toBe(10);
    expect(create.required).toEqual(expect.arrayContaining(['name', 'url']));
    // CSRF: the security scheme and the explanation.
    expect(doc.components.securitySchemes.csrf).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-csrf-token' });
    expect(doc.info.description).toMatch(/CSRF/);
    expect(doc.info.description).toContain('x-csrf-token');
    // Every API path the app serves is documented (the live stream and the ops view too).
    const served = [...web.app.printRoutes({ commonPrefix: false }).matchAll(/── (api\/v1\/[\w./-]+) \(([A-Z, ]+)\)/g)];
    expect(served.length).toBeGreaterThanOrEqual(6);
    for (const [, path, methods] of served) {
      if (path === 'api/v1/openapi.json') continue;
      for (const method of methods!.split(', ').filter((m) => m !== 'HEAD')) {
        expect(doc.paths?.[`/${path}`]?.[method.toLowerCase()], `${method} /${path} is in the OpenAPI document`).toBeDefined();
      }
    }
    expect(doc.paths['/api/v1/ops'].get.responses['200'].content['application/json'].schema.properties).toHaveProperty('formation');
    // Internal routes stay out.
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/ops') || p === '/metrics' || p === '/healthz')).toBe(false);
  });
});

describe('/metrics', () => {
  it('serves Prometheus text with request counters labelled by route pattern', async () => {
    await alice.get('/api/v1/monitors');
    const res = await new WebClient(web.app).get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('# TYPE watchpost_http_requests_total counter');
    expect(res.body).toMatch(/watchpost_http_requests_total\{[^}]*method="GET"[^}]*route="\/api\/v1\/monitors"[^}]*status_code="200"[^}]*\} \d+/);
    // The route pattern, never a concrete id.
    expect(res.body).toMatch(/route="\/api\/v1\/monitors\/:id"/);
    expect(res.body).not.toMatch(/route="\/api\/v1\/monitors\/[0-9a-f]{8}-/);
    expect(res.body).toContain('watchpost_http_request_duration_seconds_bucket');
  });
});

describe('ops view (admins only)', () => {
  it('makes the first account the admin and nobody else', async () => {
    const users = await db.prisma.user.findMany({ orderBy: { createdAt: 'asc' } });
    expect(users.filter((u) => u.isAdmin).map((u) => u.email)).toEqual([users[0]!.email]);
  });

  it('refuses /ops and /api/v1/ops to a non-admin with 403, anonymous visitors to the login', async () => {
    const page = await alice.get('/ops');
    expect(page.statusCode).toBe(403);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Only administrators can see this page');
    expect(expectCleanError(await alice.get('/api/v1/ops'), 403).message).toBe('Only administrators can see this page');

    const anon = await new WebClient(web.app).get('/ops');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/login');
    // Non-admins do not see the link either.
    expect((await alice.get('/')).body).not.toContain('href="/ops"');
  });

  it('serves the admin the ops page and the formation as JSON', async () => {
    const page = await admin.get('/ops');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Operations</h1>');
    expect(page.body).toContain('data-field="formation"');
    expect((await admin.get('/')).body).toContain('href="/ops"');

    const res = await admin.get('/api/v1/ops');
    expect(res.statusCode).toBe(200);
    const status = res.json();
    expect(Array.isArray(status.processes)).toBe(true);
    expect(typeof status.formation).toBe('object');
    expect(Array.isArray(status.queues)).toBe(true);
    expect(status.queues.length).toBeGreaterThanOrEqual(2);
    for (const q of status.queues) {
      expect(q).toMatchObject({ queue: expect.any(String), waiting: expect.any(Number), active: expect.any(Number), failed: expect.any(Number) });
    }
    expect(status).toHaveProperty('clockLagMs');
  });
});
