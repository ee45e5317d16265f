import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** Requests served and in flight, for the presence heartbeat. */
    requestStats(): { served: number; inFlight: number };
  }
}

/** Prometheus request metrics and `GET /metrics` for this web process. */
export default fp(
  async function metricsPlugin(app, opts: { registry: Registry }) {
    const requests = new Counter({
      name: 'watchpost_http_requests_total',
      help: 'HTTP requests served, by method, route and status code',
      labelNames: ['method', 'route', 'status_code'],
      registers: [opts.registry],
    });
    const duration = new Histogram({
      name: 'watchpost_http_request_duration_seconds',
      help: 'HTTP request latency, by method and route',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [opts.registry],
    });
    const inFlight = new Gauge({
      name: 'watchpost_http_requests_in_flight',
      help: 'HTTP requests being handled now',
      registers: [opts.registry],
    });
    let served = 0;
    let active = 0;

    app.decorate('requestStats', () => ({ served, inFlight: active }));
    app.addHook('onRequest', async (_request, reply) => {
      active++;
      inFlight.inc();
      // 'close' fires for every response, also for streams that bypass onResponse (SSE).
      reply.raw.once('close', () => {
        active--;
        inFlight.dec();
      });
    });
    app.addHook('onResponse', async (request, reply) => {
      served++;
      // The route pattern, not the URL, keeps label cardinality bounded.
      const route = request.routeOptions.url ?? 'unmatched';
      requests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
      duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });

    app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) =>
      reply.type(opts.registry.contentType).send(await opts.registry.metrics()),
    );
  },
  { name: 'metrics' },
);
