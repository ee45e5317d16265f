/**
 * A tiny API client over real HTTP for tests with real processes: keeps the session cookie and
 * the CSRF token the API hands out, like a browser or script would.
 */
export class ApiClient {
  cookie: string | null = null;
  csrfToken: string | null = null;

  constructor(public baseUrl: string) {}

  /** The same session against another base URL (another web instance, or the front port). */
  withBaseUrl(baseUrl: string): ApiClient {
    const other = new ApiClient(baseUrl);
    other.cookie = this.cookie;
    other.csrfToken = this.csrfToken;
    return other;
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('wp.sid='));
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? null;
    const text = await response.text();
    const json = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (json && typeof json === 'object' && typeof json.csrfToken === 'string') this.csrfToken = json.csrfToken;
    return { status: response.status, json };
  }

  async signUp(email: string, password: string): Promise<void> {
    const { status, json } = await this.request('POST', '/api/v1/users', { email, password });
    if (status !== 201) throw new Error(`sign-up failed: ${status} ${JSON.stringify(json)}`);
  }

  async logIn(email: string, password: string): Promise<void> {
    const { status, json } = await this.request('POST', '/api/v1/session', { email, password });
    if (status !== 200) throw new Error(`log-in failed: ${status} ${JSON.stringify(json)}`);
  }
}
