import fastifyFormbody from '@fastify/formbody';
import fastifyRedis from '@fastify/redis';
import Fastify, { LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { WebDeps } from './deps.js';
import assetsPlugin from './plugins/assets.js';
import errorsPlugin from './plugins/errors.js';
import healthPlugin from './plugins/health.js';
import metricsPlugin from './plugins/metrics.js';
import openapiPlugin from './plugins/openapi.js';
import sessionPlugin from './plugins/session.js';
import { accountRoutes } from './routes/api/accounts.js';
import { eventRoutes } from './routes/api/events.js';
import { monitorRoutes } from './routes/api/monitors.js';
import { opsRoutes } from './routes/ops.js';
import { authPageRoutes } from './routes/ui/auth-pages.js';
import { monitorPageRoutes } from './routes/ui/monitor-pages.js';
import { loadAssetManifest } from './views/assets.js';

/** Builds the web app from its clients: plugins first, then the JSON API and the pages. */
export async function buildApp(deps: WebDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    // Fastify also takes a hop count, which its types omit.
    trustProxy: deps.config.http.trustProxy as boolean | string,
    bodyLimit: deps.config.http.bodyLimit,
    requestTimeout: 30_000,
    // Idle keep-alive sockets close at once on shutdown; in-flight requests finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    logController: new LogController({ disableRequestLogging: deps.config.env === 'test' }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const manifest = loadAssetManifest(deps.assetsDir);
  await app.register(errorsPlugin);
  await app.register(metricsPlugin, { registry: deps.metrics });
  // Sessions, login limits and the ops view use this client as `app.redis`. @fastify/redis waits for
  // Redis at boot (up to the plugin timeout) and the process exits if it never answers: crash-only,
  // the process manager restarts it. Once running, a Redis outage gives 503s and heals by itself.
  await app.register(fastifyRedis, { client: deps.redis, closeClient: false });
  await app.register(fastifyFormbody, { bodyLimit: deps.config.http.bodyLimit });
  await app.register(healthPlugin, deps);
  await app.register(assetsPlugin, { assetsDir: deps.assetsDir });
  await app.register(openapiPlugin);
  await app.register(sessionPlugin, deps);

  await app.register(
    async (api) => {
      await api.register(accountRoutes, deps);
      await api.register(monitorRoutes, deps);
      await api.register(eventRoutes, deps);
      api.get('/openapi.json', async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );
  await app.register(authPageRoutes(manifest), deps);
  await app.register(monitorPageRoutes(manifest), deps);
  await app.register(opsRoutes(manifest), deps);
  return app;
}

export type WebApp = Awaited<ReturnType<typeof buildApp>>;
