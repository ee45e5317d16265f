import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestRedisPrefix } from '../support/redis.js';
import { buildTestApp, type TestWebApp } from '../support/web-app.js';
import { csrfFromHtml, leaksInternals, PASSWORD, SESSION_COOKIE, uniqueEmail, WebClient } from '../support/web-client.js';

// The HTML pages as a browser without JavaScript uses them: plain forms (urlencoded, with the
// session's _csrf field), redirects after POST, re-rendered forms with errors, hashed assets.

let db: TestDatabase;
let redis: ReturnType<typeof createTestRedisPrefix>;
let web: TestWebApp;

beforeAll(async () => {
  db = await createTestDatabase();
  redis = createTestRedisPrefix();
  web = await buildTestApp(db.name, redis.prefix, { LOG_LEVEL: 'silent' });
});

afterAll(async () => {
  await web?.close();
  await redis?.cleanup();
  await db?.drop();
});

const monitorForm = (overrides: Record<string, string> = {}) => ({
  name: 'Status page',
  url: 'https://status.example.com/',
  method: 'GET',
  intervalSeconds: '60',
  timeoutSeconds: '10',
  expectedStatusMin: '200',
  expectedStatusMax: '299',
  ...overrides,
});

/** The <tr> of one monitor on the dashboard. */
function dashboardRow(page: string, id: string): string {
  const match = new RegExp(`<tr data-monitor-id="${id}">([\\s\\S]*?)</tr>`).exec(page);
  expect(match, `dashboard row for ${id}`).not.toBeNull();
  return match![1]!;
}

/** Signs up through the HTML form; the browser then has a session and the dashboard's CSRF token. */
async function signUpWithForm(email = uniqueEmail('page')): Promise<WebClient> {
  const browser = new WebClient(web.app);
  const form = await browser.get('/signup');
  expect(form.statusCode).toBe(200);
  const res = await browser.submit('/signup', { email, password: PASSWORD });
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe('/');
  expect(browser.sessionCookie).toBeDefined();
  expect((await browser.get('/')).statusCode).toBe(200);
  return browser;
}

describe('sign-up, log-in and log-out forms', () => {
  it('signs up through the form and lands on an empty dashboard', async () => {
    const email = uniqueEmail('signup-form');
    const browser = new WebClient(web.app);
    const signup = await browser.get('/signup');
    expect(signup.statusCode).toBe(200);
    expect(signup.headers['content-type']).toMatch(/^text\/html/);
    expect(signup.body).toContain('<form method="post" action="/signup"');
    // Anonymous pages carry no CSRF token (there is no session to bind it to).
    expect(csrfFromHtml(signup.body)).toBeNull();

    const res = await browser.submit('/signup', { email, password: PASSWORD });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const dashboard = await browser.get('/');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.headers['cache-control']).toBe('no-store');
    expect(dashboard.body).toContain('<h1>Monitors</h1>');
    expect(dashboard.body).toContain('No monitors yet.');
    expect(dashboard.body).toContain(email);
    expect(csrfFromHtml(dashboard.body)).toEqual(expect.any(String));
    // Logged in, the auth pages send you home.
    expect((await browser.get('/login')).headers.location).toBe('/');
  });

  it('re-renders an invalid sign-up with 400 and a message per field, keeping the email', async () => {
    const res = await new WebClient(web.app).submit('/signup', { email: 'someone@', password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p class="field-error" id="email-error">Must be a valid email address</p>');
    expect(res.body).toContain('<p class="field-error" id="password-error">Password must be at least 10 characters</p>');
    expect(res.body).toContain('value="someone@"');
    expect(res.body).not.toContain('short');

    const email = uniqueEmail('taken');
    await signUpWithForm(email);
    const taken = await new WebClient(web.app).submit('/signup', { email, password: PASSWORD });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('<p class="field-error" id="email-error">An account with this email already exists</p>');
  });

  it('logs in through the form; a wrong password re-renders with 401 and a message', async () => {
    const email = uniqueEmail('login-form');
    await signUpWithForm(email);
    const browser = new WebClient(web.app);
    const wrong = await browser.submit('/login', { email, password: 'not my password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('<p class="alert" role="alert">Email or password is incorrect</p>');
    expect(wrong.body).toContain(`value="${email}"`);
    expect(browser.sessionCookie).toBeUndefined();

    const empty = await browser.submit('/login', { email, password: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<p class="field-error" id="password-error">Password is required</p>');

    const ok = await browser.submit('/login', { email: email.toUpperCase(), password: PASSWORD });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/');
    expect(browser.sessionCookie).toBeDefined();
    expect((await browser.get('/')).body).toContain(email);
  });

  it('logs out through the form (with its _csrf), after which pages redirect to /login', async () => {
    const browser = await signUpWithForm();
    const id = browser.sessionId;
    // Without the token the log-out form is refused: a third-party page cannot log you out.
    expect((await browser.submit('/logout', {}, { csrf: false })).statusCode).toBe(403);
    expect((await browser.get('/')).statusCode).toBe(200);

    const res = await browser.submit('/logout', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(await redis.client.exists(`${redis.prefix}:sess:${id}`)).toBe(0);
    const after = await browser.get('/');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/login');
    expect((await browser.get('/monitors/new')).headers.location).toBe('/login');
  });
});

describe('monitor pages', () => {
  let browser: WebClient;
  beforeAll(async () => {
    browser = await signUpWithForm();
  });

  it('creates, edits, pauses, resumes and deletes a monitor through forms; the dashboard shows its status', async () => {
    const newPage = await browser.get('/monitors/new');
    expect(newPage.statusCode).toBe(200);
    expect(newPage.body).toContain('<form method="post" action="/monitors"');
    expect(newPage.body).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);

    // Create.
    const created = await browser.submit('/monitors', monitorForm({ name: 'Checkout API', intervalSeconds: '30' }));
    expect(created.statusCode).toBe(303);
    const location = String(created.headers.location);
    expect(location).toMatch(/^\/monitors\/[0-9a-f-]{36}$/);
    const id = location.split('/').pop()!;
    expect(await db.prisma.monitor.findUnique({ where: { id } })).toMatchObject({ name: 'Checkout API', intervalSeconds: 30, paused: false });

    const detail = await browser.get(location);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('Checkout API');
    expect(detail.body).toContain(`action="/monitors/${id}/pause"`);
    expect(detail.body).toContain('No checks yet');

    // The dashboard lists it, pending; then with the status and latency a check recorded.
    let row = dashboardRow((await browser.get('/')).body, id);
    expect(row).toContain(`<a href="/monitors/${id}">Checkout API</a>`);
    expect(row).toMatch(/<span class="badge badge-pending" data-field="status">PENDING<\/span>/);
    expect(row).toContain('GET https://status.example.com/');
    await db.prisma.monitor.update({ where: { id }, data: { status: 'UP', lastLatencyMs: 123, lastCheckedAt: new Date() } });
    row = dashboardRow((await browser.get('/')).body, id);
    expect(row).toContain('data-field="status">UP</span>');
    expect(row).toContain('<td data-field="latency">123 ms</td>');
    await db.prisma.monitor.update({ where: { id }, data: { status: 'DOWN', lastError: 'Connection refused' } });
    expect(dashboardRow((await browser.get('/')).body, id)).toContain('data-field="status">DOWN</span>');

    // Edit: the form is filled in; saving changes the monitor.
    const edit = await browser.get(`/monitors/${id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain(`action="/monitors/${id}"`);
    expect(edit.body).toContain('value="Checkout API"');
    expect(edit.body).toContain('<option value="GET" selected>GET</option>');
    const saved = await browser.submit(`/monitors/${id}`, monitorForm({ name: 'Checkout API v2', method: 'HEAD', intervalSeconds: '120', expectedStatusMax: '399' }));
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/monitors/${id}`);
    expect(await db.prisma.monitor.findUnique({ where: { id } })).toMatchObject({
      name: 'Checkout API v2',
      method: 'HEAD',
      intervalSeconds: 120,
      expectedStatusMax: 399,
    });

    // Pause and resume.
    const paused = await browser.submit(`/monitors/${id}/pause`, {});
    expect(paused.statusCode).toBe(303);
    expect((await db.prisma.monitor.findUnique({ where: { id } }))?.paused).toBe(true);
    expect(dashboardRow((await browser.get('/')).body, id)).toContain('data-field="status">PAUSED</span>');
    expect((await browser.get(`/monitors/${id}`)).body).toContain(`action="/monitors/${id}/resume"`);
    const resumed = await browser.submit(`/monitors/${id}/resume`, {});
    expect(resumed.statusCode).toBe(303);
    expect((await db.prisma.monitor.findUnique({ where: { id } }))?.paused).toBe(false);

    // Delete.
    const deleted = await browser.submit(`/monitors/${id}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe('/');
    expect(await db.prisma.monitor.findUnique({ where: { id } })).toBeNull();
    expect((await browser.get('/')).body).not.toContain(id);
    const gone = await browser.get(`/monitors/${id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toMatch(/^text\/html/);
    expect(gone.body).toContain('Monitor not found');
  });

  it('refuses every monitor form without the CSRF field', async () => {
    const created = await browser.submit('/monitors', monitorForm({ name: 'Guarded' }));
    const id = String(created.headers.location).split('/').pop()!;
    for (const path of [`/monitors/${id}`, `/monitors/${id}/pause`, `/monitors/${id}/delete`]) {
      const res = await browser.submit(path, monitorForm({ name: 'Changed' }), { csrf: false });
      expect(res.statusCode, path).toBe(403);
      expect(res.body).toContain('Missing or invalid CSRF token');
    }
    expect(await db.prisma.monitor.findUnique({ where: { id } })).toMatchObject({ name: 'Guarded', paused: false });
  });

  it('re-renders an invalid new-monitor form with 400, a message per field and the values typed', async () => {
    const before = await db.prisma.monitor.count();
    const res = await browser.submit('/monitors', monitorForm({ name: 'Bad one', url: 'ftp://files.example.com', intervalSeconds: '5', timeoutSeconds: '5' }));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('Please correct the fields marked below.');
    expect(res.body).toContain('<p class="field-error" id="url-error">Must be an absolute http:// or https:// URL</p>');
    expect(res.body).toContain('<p class="field-error" id="intervalSeconds-error">Interval must be at least 10 seconds</p>');
    expect(res.body).not.toContain('id="name-error"');
    expect(res.body).toContain('value="Bad one"');
    expect(res.body).toContain('value="ftp://files.example.com"');
    // The re-rendered form can be submitted again: it carries the token.
    expect(res.body).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(leaksInternals(res.body)).toBe(false);

    const nonNumber = await browser.submit('/monitors', monitorForm({ intervalSeconds: 'often' }));
    expect(nonNumber.statusCode).toBe(400);
    expect(nonNumber.body).toMatch(/id="intervalSeconds-error">Interval must be a number</);
    expect(nonNumber.body).toContain('value="often"');
    expect(await db.prisma.monitor.count()).toBe(before);
  });

  it('re-renders an invalid edit with 400 and leaves the monitor unchanged', async () => {
    const created = await browser.submit('/monitors', monitorForm({ name: 'Stable' }));
    const id = String(created.headers.location).split('/').pop()!;
    const res = await browser.submit(`/monitors/${id}`, monitorForm({ name: '', expectedStatusMin: '500', expectedStatusMax: '200' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p class="field-error" id="name-error">Name is required</p>');
    expect(res.body).toContain('<p class="field-error" id="expectedStatusMax-error">Lowest expected status must not exceed the highest</p>');
    expect(res.body).toContain(`action="/monitors/${id}"`);
    expect(await db.prisma.monitor.findUnique({ where: { id } })).toMatchObject({ name: 'Stable', expectedStatusMin: 200 });
  });

  it('re-renders an edit whose timeout would exceed its interval with 400', async () => {
    const created = await browser.submit('/monitors', monitorForm({ name: 'Quick' }));
    const id = String(created.headers.location).split('/').pop()!;
    const res = await browser.submit(`/monitors/${id}`, monitorForm({ name: 'Quick', intervalSeconds: '10', timeoutSeconds: '30' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p class="field-error" id="timeoutSeconds-error">Timeout must not exceed the interval</p>');
    expect(await db.prisma.monitor.findUnique({ where: { id } })).toMatchObject({ intervalSeconds: 60, timeoutSeconds: 10 });
  });

  it('escapes what users typed', async () => {
    const name = '<script>alert("x")</script>';
    const created = await browser.submit('/monitors', monitorForm({ name }));
    expect(created.statusCode).toBe(303);
    const page = (await browser.get('/')).body;
    expect(page).not.toContain(name);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('answers 404 pages for a malformed monitor id', async () => {
    for (const path of ['/monitors/not-a-uuid', '/monitors/not-a-uuid/edit']) {
      const res = await browser.get(path);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Monitor not found');
      expect(leaksInternals(res.body)).toBe(false);
    }
  });
});

describe('assets', () => {
  it("serves the page's content-hashed CSS and JS with immutable, year-long caching", async () => {
    const page = await new WebClient(web.app).get('/login');
    const css = /<link rel="stylesheet" href="([^"]+)">/.exec(page.body)?.[1];
    const js = /<script type="module" src="([^"]+)"><\/script>/.exec(page.body)?.[1];
    expect(css).toMatch(/^\/assets\/app-[A-Za-z0-9]{6,}\.css$/);
    expect(js).toMatch(/^\/assets\/app-[A-Za-z0-9]{6,}\.js$/);

    for (const [url, type] of [
      [css!, /^text\/css/],
      [js!, /javascript/],
    ] as const) {
      const res = await new WebClient(web.app).get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(type);
      expect(res.body.length).toBeGreaterThan(0);
      const cacheControl = String(res.headers['cache-control']);
      expect(cacheControl).toContain('immutable');
      const maxAge = Number(/max-age=(\d+)/.exec(cacheControl)?.[1]);
      expect(maxAge).toBeGreaterThanOrEqual(31_536_000);
      // Anonymous asset requests start no session.
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    // Logged-in pages link the same files.
    const browser = await signUpWithForm();
    const dashboard = (await browser.get('/')).body;
    expect(dashboard).toContain(`href="${css}"`);
    expect(dashboard).toContain(`src="${js}"`);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(true);
  });

  it('does not serve the manifest or unknown assets', async () => {
    const manifest = await new WebClient(web.app).get('/assets/manifest.json');
    expect(manifest.statusCode).toBe(404);
    const missing = await new WebClient(web.app).get('/assets/app-DOESNOTEXIST.js');
    expect(missing.statusCode).toBe(404);
    expect(String(missing.headers['cache-control'] ?? '')).not.toContain('immutable');
    const traversal = await new WebClient(web.app).get('/assets/../../package.json');
    expect(traversal.statusCode).toBe(404);
  });
});
