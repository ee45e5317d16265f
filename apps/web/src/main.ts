import { fileURLToPath } from 'node:url';
import { loadConfig } from '@watchpost/config';
import { createLogger } from '@watchpost/logger';
import { createRedis } from '@watchpost/redis';
import { createDatabase, exitOnFatalErrors, onShutdown } from '@watchpost/runtime';
import { buildApp } from './app.js';

const config = loadConfig('web');
const logger = createLogger({ processType: 'web', instanceId: config.instanceId, level: config.logLevel });
exitOnFatalErrors(logger);

const db = createDatabase(config);
const redis = createRedis(config.redis.url, 'request', `watchpost-${config.instanceId}`);
const subscriber = createRedis(config.redis.url, 'blocking', `watchpost-${config.instanceId}-sub`);
for (const client of [redis, subscriber]) client.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));

const assetsDir = fileURLToPath(new URL('./public', import.meta.url));
const app = await buildApp({ config, logger, db, redis, subscriber, assetsDir });

onShutdown(logger, config.shutdownGraceMs, async () => {
  // Fail readiness first so balancers stop routing here, then stop accepting and drain.
  app.markDraining();
  await app.close();
  redis.disconnect();
  subscriber.disconnect();
  await db.$disconnect();
});

await app.listen({ port: config.http.port, host: config.http.host });
