import { fileURLToPath } from 'node:url';
import { loadConfig } from '@watchpost/config';
import { createLogger } from '@watchpost/logger';
import { createQueues } from '@watchpost/queue';
import { createRedis } from '@watchpost/redis';
import {
  bullConnection,
  createDatabase,
  createMetricsRegistry,
  exitOnFatalErrors,
  onShutdown,
  startPresence,
} from '@watchpost/runtime';
import { buildApp } from './app.js';

const config = loadConfig('web');
const logger = createLogger({ processType: 'web', instanceId: config.instanceId, level: config.logLevel });
exitOnFatalErrors(logger);

const db = createDatabase(config);
const redis = createRedis(config.redis.url, 'request', `watchpost-${config.instanceId}`);
const subscriber = createRedis(config.redis.url, 'blocking', `watchpost-${config.instanceId}-sub`);
for (const client of [redis, subscriber]) client.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
const queues = createQueues(bullConnection(config, 'producer'), config.redis.prefix);
const metrics = createMetricsRegistry('web', config.instanceId);

const assetsDir = fileURLToPath(new URL('./public', import.meta.url));
const app = await buildApp({
  config,
  logger,
  db,
  redis,
  subscriber,
  assetsDir,
  queues: [queues.checks, queues.maintenance],
  metrics,
});

const presence = startPresence(redis, config.redis.prefix, { type: 'web', instance: config.instanceId, version: config.version }, () => {
  const { served, inFlight } = app.requestStats();
  return { requestsServed: served, requestsInFlight: inFlight };
});

onShutdown(logger, config.shutdownGraceMs, async () => {
  // Fail readiness first and keep serving while balancers notice, then stop accepting and drain.
  app.markDraining();
  await new Promise((resolve) => setTimeout(resolve, config.readinessDrainMs));
  await app.close();
  await presence.stop();
  await queues.close();
  redis.disconnect();
  subscriber.disconnect();
  await db.$disconnect();
});

await app.listen({ port: config.http.port, host: config.http.host });
