import fp from 'fastify-plugin';
import type { WebDeps } from '../deps.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set when SIGTERM arrives: readiness fails first so balancers stop sending traffic. */
    markDraining(): void;
  }
}

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz`: the process is alive. `/readyz`: it can serve (Postgres and Redis answer, not draining). */
export default fp(
  async function healthPlugin(app, deps: WebDeps) {
    let draining = false;
    app.decorate('markDraining', () => {
      draining = true;
    });

    app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

    app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        within(2000, deps.db.$queryRaw`SELECT 1`).then(
          () => 'ok',
          (e: Error) => `unreachable: ${e.message.split('\n')[0]}`,
        ),
        within(2000, app.redis.ping()).then(
          () => 'ok',
          (e: Error) => `unreachable: ${e.message}`,
        ),
      ]);
      const ready = !draining && postgres === 'ok' && redis === 'ok';
      return reply.code(ready ? 200 : 503).send({ ready, draining, postgres, redis });
    });
  },
  { name: 'health' },
);
