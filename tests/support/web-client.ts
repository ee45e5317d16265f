import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Redis } from 'ioredis';
import type { WebApp } from '../../apps/web/dist/app.js';

export type Response = LightMyRequestResponse;

/** The session cookie's name (apps/web/src/plugins/session.ts). */
export const SESSION_COOKIE = 'wp.sid';

export interface ClientOptions {
  /** The client address the app sees (the login limiter counts attempts per address). */
  remoteAddress?: string;
  /** Headers sent with every request, e.g. x-forwarded-proto. */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  method?: InjectOptions['method'];
  url: string;
  headers?: Record<string, string>;
  /** A JSON body (sent as application/json). */
  json?: unknown;
  /** An HTML form body (sent as application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** A raw body, sent as is. */
  payload?: string | Buffer;
  /** Send the session's CSRF token in x-csrf-token (default: true for unsafe JSON requests). */
  csrf?: boolean;
}

/**
 * A browser-like client over `app.inject`: keeps the cookies the app sets (dropping expired ones)
 * and the session's CSRF token, so tests read like a user's requests. Any number of clients can
 * talk to one app (two users), and one client can move between apps (cookie and all).
 */
export class WebClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(
    public app: WebApp,
    private readonly options: ClientOptions = {},
  ) {}

  async request(opts: RequestOptions): Promise<Response> {
    const method = opts.method ?? 'GET';
    const headers: Record<string, string> = { ...this.options.headers, ...opts.headers };
    let payload: string | Buffer | undefined = opts.payload;
    if (opts.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = JSON.stringify(opts.json);
    } else if (opts.form !== undefined) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(opts.form).toString();
    }
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
    if ((opts.csrf ?? (unsafe && opts.form === undefined)) && this.csrfToken) headers['x-csrf-token'] ??= this.csrfToken;
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
    }
    const res = await this.app.inject({
      method,
      url: opts.url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
      ...(this.options.remoteAddress ? { remoteAddress: this.options.remoteAddress } : {}),
    });
    for (const cookie of res.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      const expired = (cookie.expires && cookie.expires.getTime() <= Date.now()) || (cookie.maxAge !== undefined && cookie.maxAge <= 0);
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = csrfFromResponse(res);
    if (token) this.csrfToken = token;
    return res;
  }

  get(url: string, headers?: Record<string, string>): Promise<Response> {
    return this.request({ url, ...(headers ? { headers } : {}) });
  }

  /** A JSON API call; unsafe methods carry the CSRF token unless `csrf: false`. */
  api(method: NonNullable<RequestOptions['method']>, url: string, json?: unknown, extra: Partial<RequestOptions> = {}): Promise<Response> {
    return this.request({ method, url, ...(json !== undefined ? { json } : {}), ...extra });
  }

  /** An HTML form POST; adds the session's `_csrf` field unless `csrf: false`. */
  submit(url: string, fields: Record<string, string>, { csrf = true }: { csrf?: boolean } = {}): Promise<Response> {
    const form = csrf && this.csrfToken ? { _csrf: this.csrfToken, ...fields } : fields;
    return this.request({ method: 'POST', url, form, csrf: false });
  }

  /** Signs up through the API (201), which also logs in and yields a CSRF token. */
  async signUp(email: string, password: string): Promise<Response> {
    return this.api('POST', '/api/v1/users', { email, password });
  }

  async logIn(email: string, password: string): Promise<Response> {
    return this.api('POST', '/api/v1/session', { email, password });
  }

  /** The raw (signed, decoded) session cookie value, if any. */
  get sessionCookie(): string | undefined {
    return this.cookies.get(SESSION_COOKIE);
  }

  /** The session id the cookie names, i.e. the cookie value without its signature. */
  get sessionId(): string | undefined {
    return sessionIdOf(this.sessionCookie);
  }

  /** Another client holding a copy of this one's cookies, talking to `app` (default: the same app). */
  clone(app: WebApp = this.app, options: ClientOptions = this.options): WebClient {
    const copy = new WebClient(app, options);
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    copy.csrfToken = this.csrfToken;
    return copy;
  }
}

export function sessionIdOf(cookieValue: string | undefined): string | undefined {
  if (!cookieValue) return undefined;
  const dot = cookieValue.lastIndexOf('.');
  return dot > 0 ? cookieValue.slice(0, dot) : undefined;
}

/** The CSRF token a response hands out: `csrfToken` in JSON, or the page's csrf-token meta tag. */
export function csrfFromResponse(res: Response): string | null {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('application/json')) {
    try {
      const body = res.json() as { csrfToken?: unknown };
      return typeof body?.csrfToken === 'string' ? body.csrfToken : null;
    } catch {
      return null;
    }
  }
  if (type.includes('text/html')) return csrfFromHtml(res.body);
  return null;
}

export function csrfFromHtml(page: string): string | null {
  return /<meta name="csrf-token" content="([^"]+)">/.exec(page)?.[1] ?? /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? null;
}

/** The Set-Cookie header lines of a response. */
export function setCookieLines(res: Response): string[] {
  const raw = res.headers['set-cookie'];
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [String(raw)];
}

/** Every key under `prefix` in Redis (SCAN, never KEYS). */
export async function redisKeys(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

/** Fails if a response body carries stack frames or raw error internals. */
export function leaksInternals(body: string): boolean {
  return /\n\s+at |\bat [\w.<>]+ \(|Error:|node_modules|\/work\/|\.ts:\d+|\.js:\d+/.test(body);
}

export { sleep } from './processes.js';

let counter = 0;
/** A unique email for a test user. */
export function uniqueEmail(name = 'user'): string {
  counter += 1;
  return `${name}.${process.pid}.${Date.now().toString(36)}.${counter}@example.com`;
}

export const PASSWORD = 'correct horse battery staple';
