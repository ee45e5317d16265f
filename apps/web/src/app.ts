import fastifyFormbody from '@fastify/formbody';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { waitForRedis } from '@watchpost/redis';
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
    disableRequestLogging: deps.config.env === 'test',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const manifest = loadAssetManifest(deps.assetsDir);
  await app.register(errorsPlugin);
  await app.register(metricsPlugin, { registry: deps.metrics });
  // Give Redis a moment to connect so the first requests find it, but start without it: readiness
  // fails and requests get 503 until it answers. (Not @fastify/redis: it refuses to start without it.)
  await waitForRedis(deps.redis, 3000).catch(() => deps.logger.warn('redis not reachable at start; serving with readiness failing'));
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
