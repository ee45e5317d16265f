import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFetchError, evaluateStatus, runHttpCheck, type HttpCheckTarget } from './http-check.js';

describe('evaluateStatus', () => {
  const range = { expectedStatusMin: 200, expectedStatusMax: 299 };

  it('accepts a status inside the range, bounds included', () => {
    expect(evaluateStatus(200, range)).toEqual({ ok: true, error: null });
    expect(evaluateStatus(204, range)).toEqual({ ok: true, error: null });
    expect(evaluateStatus(299, range)).toEqual({ ok: true, error: null });
  });

  it('rejects a status outside the range and says what was expected', () => {
    expect(evaluateStatus(199, range)).toEqual({ ok: false, error: 'Expected status 200-299, got 199' });
    expect(evaluateStatus(300, range)).toEqual({ ok: false, error: 'Expected status 200-299, got 300' });
    expect(evaluateStatus(503, range)).toEqual({ ok: false, error: 'Expected status 200-299, got 503' });
  });

  it('names a single expected status without a range', () => {
    expect(evaluateStatus(200, { expectedStatusMin: 204, expectedStatusMax: 204 })).toEqual({
      ok: false,
      error: 'Expected status 204, got 200',
    });
  });
});

describe('describeFetchError', () => {
  it('reports a timeout or abort with the timeout', () => {
    expect(describeFetchError(new DOMException('signal timed out', 'TimeoutError'), 5)).toBe('Timed out after 5 s');
    expect(describeFetchError(new DOMException('aborted', 'AbortError'), 10)).toBe('Timed out after 10 s');
  });

  it('translates known network error codes into words', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(describeFetchError(refused, 5)).toBe('Connection refused');
    const dns = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }) });
    expect(describeFetchError(dns, 5)).toBe('Host name not found (DNS lookup failed)');
    const cert = new TypeError('fetch failed', { cause: Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }) });
    expect(describeFetchError(cert, 5)).toBe('TLS certificate has expired');
  });

  it('falls back to the cause message, then the error message', () => {
    const unknownCode = new TypeError('fetch failed', { cause: Object.assign(new Error('something odd'), { code: 'EWHATEVER' }) });
    expect(describeFetchError(unknownCode, 5)).toBe('Request failed: something odd');
    expect(describeFetchError(new TypeError('Invalid URL'), 5)).toBe('Request failed: Invalid URL');
    expect(describeFetchError(undefined, 5)).toBe('Request failed: unknown error');
    expect(describeFetchError('a string', 5)).toBe('Request failed: unknown error');
  });
});

describe('runHttpCheck against a real HTTP server', () => {
  let server: Server;
  let base: string;
  const seen: { method: string; url: string; userAgent: string | undefined }[] = [];

  function route(req: IncomingMessage, res: ServerResponse) {
    seen.push({ method: req.method ?? '', url: req.url ?? '', userAgent: req.headers['user-agent'] });
    switch (req.url) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('fine');
        return;
      case '/created':
        res.writeHead(201).end();
        return;
      case '/fail':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        return;
      case '/redirect':
        res.writeHead(302, { location: '/ok' }).end();
        return;
      case '/big':
        // A body the check must not wait for: it discards it.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(Buffer.alloc(1024 * 1024));
        return; // never ends
      case '/hang':
        return; // never answers
      default:
        res.writeHead(404).end();
    }
  }

  beforeAll(async () => {
    server = createServer(route);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const target = (path: string, extra: Partial<HttpCheckTarget> = {}): HttpCheckTarget => ({
    url: `${base}${path}`,
    method: 'GET',
    timeoutSeconds: 5,
    expectedStatusMin: 200,
    expectedStatusMax: 299,
    ...extra,
  });

  it('is ok for a status in range, with the status, a latency and the Watchpost user agent', async () => {
    const outcome = await runHttpCheck(target('/ok'));
    expect(outcome.ok).toBe(true);
    expect(outcome.statusCode).toBe(200);
    expect(outcome.error).toBeNull();
    expect(Number.isInteger(outcome.latencyMs)).toBe(true);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    expect(seen.at(-1)).toEqual({ method: 'GET', url: '/ok', userAgent: 'Watchpost/1.0 (+uptime check)' });
  });

  it('is not ok for a 500 and says why in words', async () => {
    const outcome = await runHttpCheck(target('/fail'));
    expect(outcome).toMatchObject({ ok: false, statusCode: 500, error: 'Expected status 200-299, got 500' });
  });

  it('uses the monitor method and expected range', async () => {
    const outcome = await runHttpCheck(target('/created', { method: 'POST', expectedStatusMin: 201, expectedStatusMax: 201 }));
    expect(outcome).toMatchObject({ ok: true, statusCode: 201, error: null });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/created' });

    const head = await runHttpCheck(target('/ok', { method: 'HEAD' }));
    expect(head).toMatchObject({ ok: true, statusCode: 200 });
    expect(seen.at(-1)).toMatchObject({ method: 'HEAD', url: '/ok' });
  });

  it('follows redirects and judges the final response', async () => {
    const before = seen.length;
    const outcome = await runHttpCheck(target('/redirect'));
    expect(outcome).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(seen.slice(before).map((r) => r.url)).toEqual(['/redirect', '/ok']);
  });

  it('does not wait for a body it does not need', async () => {
    const outcome = await runHttpCheck(target('/big', { timeoutSeconds: 10 }));
    expect(outcome).toMatchObject({ ok: true, statusCode: 200, error: null });
  });

  it('reports a timeout when the server never answers', async () => {
    const outcome = await runHttpCheck(target('/hang', { timeoutSeconds: 0.3 }));
    expect(outcome.ok).toBe(false);
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toBe('Timed out after 0.3 s');
    expect(outcome.error).toMatch(/timed out/i);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(250);
  });

  it('reports a refused connection in words, without throwing', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const outcome = await runHttpCheck(target('/', { url: `http://127.0.0.1:${port}/` }));
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: 'Connection refused' });
  });

  it('reports an unusable URL as a failed request rather than throwing', async () => {
    const outcome = await runHttpCheck(target('/', { url: 'http://[bad' }));
    expect(outcome.ok).toBe(false);
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toMatch(/^Request failed: /);
  });
});
