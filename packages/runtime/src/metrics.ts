import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from '@watchpost/logger';

/** A Prometheus registry for one process, with Node's default metrics, labelled by type and instance. */
export function createMetricsRegistry(type: string, instance: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ process_type: type, instance });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Serves `/metrics` and `/healthz` for a process type that has no web server of its own
 * (worker, clock). Returns the server so shutdown can close it.
 */
export async function serveMetrics(registry: Registry, port: number, host: string, logger: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
        (error: unknown) => {
          logger.warn({ err: error }, 'metrics collection failed');
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
        },
      );
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  logger.info({ port }, 'metrics listening');
  return server;
}
