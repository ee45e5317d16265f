import { createServer, type Server } from 'node:http';

/**
 * A local HTTP service for monitors to check: `/ok` answers 200, `/fail` 500, `/slow` 200 after
 * `slowMs`. Counts requests per path and lets a test wait for the next one to arrive.
 */
export class TargetServer {
  readonly hits = new Map<string, number>();
  /** Requests per full URL (path and query), e.g. one per monitor when each has its own query. */
  readonly hitsByUrl = new Map<string, number>();
  private readonly waiters: { path: string; resolve: () => void }[] = [];
  private server: Server | null = null;
  port = 0;

  constructor(private readonly slowMs = 6000) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      this.hitsByUrl.set(req.url ?? '/', (this.hitsByUrl.get(req.url ?? '/') ?? 0) + 1);
      for (const waiter of this.waiters.filter((w) => w.path === path)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (path === '/fail') return res.writeHead(500).end('failing on purpose');
      if (path === '/slow') return void setTimeout(() => res.writeHead(200).end('slow'), this.slowMs);
      return res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /** Resolves when the next request for `path` arrives. */
  nextRequest(path: string, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no request for ${path} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        path,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
