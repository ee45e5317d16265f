import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort, startApp, stopAll, waitForHttp, type AppProcess } from '../support/processes.js';
import { createTestRedisPrefix } from '../support/redis.js';
import { appEnv } from '../support/test-env.js';

// A new user's whole journey through the server-rendered UI in a real browser (Debian chromium via
// playwright-core), against real web, worker and clock processes of the built apps, a fresh
// database and Redis prefix, and a local HTTP target that answers 200 on /ok and 500 on /fail.

/** How long one check may take to show up: the clock ticks every second, the monitor runs every 10 s. */
const CHECK_WAIT_MS = 40_000;
const INTERVAL_SECONDS = 10;
const PASSWORD = 'correct horse battery staple';
const MONITOR_NAME = 'Local target';

let db: TestDatabase;
let redis: ReturnType<typeof createTestRedisPrefix>;
let target: Server;
let targetBase: string;
let base: string;
let browser: Browser | undefined;
let page: Page;
const processes: AppProcess[] = [];

/** What the browser complained about: console errors (with the resource they name), uncaught exceptions, failed requests. */
const consoleErrors: { page: string; resource: string; text: string }[] = [];
const failedRequests: string[] = [];
/** Every /assets/ response the browser received, with its status and cache header. */
const assetResponses: { path: string; status: number; cacheControl: string | undefined }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  redis = createTestRedisPrefix();

  target = createServer((req, res) => {
    if (req.url === '/ok') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    else if (req.url === '/fail') res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetBase = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = (extra: Record<string, string> = {}) => appEnv(db.name, redis.prefix, { LOG_LEVEL: 'info', ...extra });
  processes.push(startApp('web', 'web.1', env({ PORT: String(port), HOST: '127.0.0.1' })));
  processes.push(startApp('worker', 'worker.1', env()));
  processes.push(startApp('clock', 'clock.1', env({ CLOCK_TICK_SECONDS: '1' })));
  await Promise.all([
    waitForHttp(`${base}/readyz`),
    processes[1]!.waitForLine(/worker started/),
    processes[2]!.waitForLine(/clock started/),
  ]);

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push({ page: page.url(), resource: message.location().url, text: message.text() });
  });
  page.on('pageerror', (error) => consoleErrors.push({ page: page.url(), resource: '', text: `uncaught ${error.message}` }));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'unknown';
    // The live-update stream stays open for the page's lifetime; leaving the page cancels it.
    if (new URL(request.url()).pathname === '/api/v1/events' && failure === 'net::ERR_ABORTED') return;
    failedRequests.push(`${request.method()} ${request.url()}: ${failure}`);
  });
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith('/assets/')) {
      assetResponses.push({ path, status: response.status(), cacheControl: response.headers()['cache-control'] });
    }
  });
});

afterAll(async () => {
  await browser?.close();
  await stopAll(processes);
  if (target) {
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
  await redis?.cleanup();
  await db?.drop();
});

/** The texts of every element `selector` matches right now (none while it is absent). */
const texts = (selector: string) => page.locator(selector).allTextContents();
const text = async (selector: string) => (await texts(selector)).join(' | ').trim();

/** Marks the current document, to prove later that a change arrived without a page load. */
async function markDocument(): Promise<void> {
  await page.evaluate(() => {
    (globalThis as { __watchpostMark?: boolean }).__watchpostMark = true;
  });
}
async function documentIsMarked(): Promise<boolean> {
  return page.evaluate(() => (globalThis as { __watchpostMark?: boolean }).__watchpostMark === true);
}

/** The status badge of the monitor page (next to its name). */
const PAGE_BADGE = 'main h1 [data-field="status"]';
const CHECK_ROWS = 'main table.checks tbody tr';

describe('a new user in the browser', () => {
  it('signs up, creates an HTTP monitor, watches it go UP and DOWN live, pauses, resumes and deletes it', async () => {
    const email = `browser.${Date.now().toString(36)}@example.com`;

    // --- Anonymous: / sends the visitor to the login page.
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await text('main h1')).toBe('Log in');

    // --- Sign-up, first with a password that is too short: the form comes back with the field's error.
    await page.locator('main').getByRole('link', { name: 'Sign up' }).click();
    await page.waitForURL(`${base}/signup`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill('short');
    await Promise.all([page.waitForURL(`${base}/signup`), page.getByRole('button', { name: 'Sign up' }).click()]);
    expect(await text('#password-error')).toBe('Password must be at least 10 characters');
    expect(await page.locator('#email').inputValue()).toBe(email);
    expect(await texts('#email-error')).toEqual([]);

    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${base}/`);

    // --- The dashboard, empty, for the logged-in user.
    expect(await text('main h1')).toBe('Monitors');
    expect(await text('header .who')).toBe(email);
    expect(await text('main p.empty')).toContain('No monitors yet');
    expect(await page.locator('table.monitors').count()).toBe(0);

    // Styles and script come from content-hashed /assets/ URLs, and the styles apply.
    const cssHref = await page.locator('link[rel="stylesheet"]').getAttribute('href');
    const jsSrc = await page.locator('script[type="module"]').getAttribute('src');
    expect(cssHref).toMatch(/^\/assets\/app-[A-Za-z0-9]{8,}\.css$/);
    expect(jsSrc).toMatch(/^\/assets\/app-[A-Za-z0-9]{8,}\.js$/);
    expect(await page.evaluate('getComputedStyle(document.body).marginTop')).toBe('0px');
    expect(await page.evaluate('getComputedStyle(document.querySelector("main")).maxWidth')).not.toBe('none');

    // --- A new HTTP monitor through the form; first with a URL that is not one.
    await page.getByRole('link', { name: 'Add monitor' }).click();
    await page.waitForURL(`${base}/monitors/new`);
    expect(await text('main h1')).toBe('New HTTP monitor');
    await page.locator('#name').fill(MONITOR_NAME);
    await page.locator('#url').fill('not a url');
    await page.locator('#intervalSeconds').fill(String(INTERVAL_SECONDS));
    await Promise.all([page.waitForURL(`${base}/monitors`), page.getByRole('button', { name: 'Create monitor' }).click()]);
    expect(await text('main [role="alert"]')).toBe('Please correct the fields marked below.');
    expect(await text('#url-error')).toBe('Must be an absolute http:// or https:// URL');
    expect(await texts('#name-error')).toEqual([]);
    // What the user typed is kept.
    expect(await page.locator('#name').inputValue()).toBe(MONITOR_NAME);
    expect(await page.locator('#url').inputValue()).toBe('not a url');
    expect(await page.locator('#intervalSeconds').inputValue()).toBe(String(INTERVAL_SECONDS));

    await page.locator('#url').fill(`${targetBase}/ok`);
    await page.getByRole('button', { name: 'Create monitor' }).click();
    await page.waitForURL(/\/monitors\/[0-9a-f-]{36}$/);
    const monitorId = new URL(page.url()).pathname.split('/').pop()!;
    expect(await text('main h1')).toContain(MONITOR_NAME);
    expect(await text('main dl.facts')).toContain(`GET ${targetBase}/ok`);
    expect(await text('main dl.facts')).toContain(`${INTERVAL_SECONDS} s (timeout 10 s)`);

    // --- The monitor page fills in live (SSE): no reload, yet new check rows arrive and the badge says UP.
    await markDocument();
    const rowsAtFirst = (await texts(CHECK_ROWS)).length;
    await expect.poll(async () => (await texts(CHECK_ROWS)).length, { timeout: CHECK_WAIT_MS, interval: 250 }).toBeGreaterThan(rowsAtFirst);
    await expect.poll(() => text(PAGE_BADGE), { timeout: CHECK_WAIT_MS, interval: 250 }).toBe('UP');
    expect(await documentIsMarked()).toBe(true);
    const firstRow = page.locator(CHECK_ROWS).first().locator('td');
    expect(await firstRow.allTextContents()).toEqual([expect.stringMatching(/ UTC$/), 'UP', '200', expect.stringMatching(/^\d+ ms$/), '']);

    // --- The dashboard lists it, and updates its row live: status, response time and "just now".
    await page.locator('header').getByRole('link', { name: 'Watchpost' }).click();
    await page.waitForURL(`${base}/`);
    const row = `tr[data-monitor-id="${monitorId}"]`;
    expect(await text(`${row} a`)).toBe(MONITOR_NAME);
    expect(await text(`${row} .muted`)).toBe(`GET ${targetBase}/ok`);
    expect(await texts('main p.empty')).toEqual([]);
    await markDocument();
    // Only the live update writes "just now"; the server renders "N s ago".
    await expect.poll(() => text(`${row} [data-field="checked"]`), { timeout: CHECK_WAIT_MS, interval: 250 }).toBe('just now');
    expect(await text(`${row} [data-field="status"]`)).toBe('UP');
    expect(await text(`${row} [data-field="latency"]`)).toMatch(/^\d+ ms$/);
    expect(await documentIsMarked()).toBe(true);
    await page.screenshot({ path: '/tmp/watchpost-dashboard.png', fullPage: true });

    // --- Edit it to point at /fail: it goes DOWN within a few intervals, live on the monitor page.
    await page.locator(`${row} a`).click();
    await page.waitForURL(`${base}/monitors/${monitorId}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.waitForURL(`${base}/monitors/${monitorId}/edit`);
    expect(await text('main h1')).toBe(`Edit ${MONITOR_NAME}`);
    expect(await page.locator('#url').inputValue()).toBe(`${targetBase}/ok`);
    expect(await page.locator('#intervalSeconds').inputValue()).toBe(String(INTERVAL_SECONDS));
    await page.locator('#url').fill(`${targetBase}/fail`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`${base}/monitors/${monitorId}`);
    expect(await text('main dl.facts')).toContain(`GET ${targetBase}/fail`);
    await markDocument();
    await expect.poll(() => text(PAGE_BADGE), { timeout: CHECK_WAIT_MS, interval: 250 }).toBe('DOWN');
    expect(await documentIsMarked()).toBe(true);
    expect(await page.locator(CHECK_ROWS).first().locator('td').allTextContents()).toEqual([
      expect.stringMatching(/ UTC$/),
      'DOWN',
      '500',
      expect.stringMatching(/^\d+ ms$/),
      'Expected status 200-299, got 500',
    ]);
    expect(await text('main dl.facts .fail-text')).toBe('Expected status 200-299, got 500');

    // --- Pause: the page and the dashboard say PAUSED; resume brings the Pause button back.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => text(PAGE_BADGE)).toBe('PAUSED');
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    await page.locator('header').getByRole('link', { name: 'Watchpost' }).click();
    await page.waitForURL(`${base}/`);
    expect(await text(`${row} [data-field="status"]`)).toBe('PAUSED');

    await page.locator(`${row} a`).click();
    await page.waitForURL(`${base}/monitors/${monitorId}`);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => text(PAGE_BADGE)).not.toBe('PAUSED');
    expect(await text(PAGE_BADGE)).toBe('DOWN');
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(0);

    // --- Delete, behind a confirmation: declining keeps it, accepting deletes it.
    // Wait for a live refresh of the page first: the confirmation must survive it.
    await markDocument();
    const rowsBeforeDelete = (await texts(CHECK_ROWS)).length;
    await expect.poll(async () => (await texts(CHECK_ROWS)).length, { timeout: CHECK_WAIT_MS, interval: 250 }).toBeGreaterThan(rowsBeforeDelete);
    expect(await documentIsMarked()).toBe(true);

    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toBe(`Delete ${MONITOR_NAME} and all its results?`);
    expect(new URL(page.url()).pathname).toBe(`/monitors/${monitorId}`);
    expect((await page.request.get(`${base}/monitors/${monitorId}`)).status()).toBe(200);

    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${base}/`);
    expect(dialogs).toHaveLength(2);
    expect(await page.locator(row).count()).toBe(0);
    expect(await text('main p.empty')).toContain('No monitors yet');
    expect((await page.request.get(`${base}/monitors/${monitorId}`)).status()).toBe(404);

    // --- Throughout: assets from hashed /assets/ URLs, cached for good; nothing failed in the browser.
    expect(assetResponses.length).toBeGreaterThan(0);
    for (const asset of assetResponses) {
      expect(asset.path).toMatch(/^\/assets\/app-[A-Za-z0-9]{8,}\.(css|js)$/);
      expect([200, 304]).toContain(asset.status);
      expect(asset.cacheControl).toContain('immutable');
    }
    expect(new Set(assetResponses.map((a) => a.path))).toEqual(new Set([cssHref, jsSrc]));
    // Chromium logs every 4xx response, documents included. Expected here, once each: the two
    // invalid forms re-rendered with 400.
    const loadError = (path: string, status: string) => (e: (typeof consoleErrors)[number]) =>
      e.resource === `${base}${path}` && e.text.startsWith(`Failed to load resource: the server responded with a status of ${status}`);
    const expectedErrors = [loadError('/signup', '400 (Bad Request)'), loadError('/monitors', '400 (Bad Request)')];
    for (const expected of expectedErrors) expect(consoleErrors.filter(expected)).toHaveLength(1);
    expect(consoleErrors.filter((e) => !expectedErrors.some((expected) => expected(e)))).toEqual([]);
    expect(failedRequests).toEqual([]);
  });
});
