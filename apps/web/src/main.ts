import { fileURLToPath } from 'node:url';
import { createQueues } from '@watchpost/queue';
import { createRedis } from '@watchpost/redis';
import { bootProcess, bullConnection, joinFormation, onShutdown } from '@watchpost/runtime';
import { buildApp } from './app.js';

const { config, logger, db, metrics } = bootProcess('web');
const redis = createRedis(config.redis.url, 'request', `watchpost-${config.instanceId}`);
const subscriber = createRedis(config.redis.url, 'blocking', `watchpost-${config.instanceId}-sub`);
for (const client of [redis, subscriber]) client.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
const queues = createQueues(bullConnection(config, 'producer'), config.redis.prefix);
queues.onError((error) => logger.warn({ err: error }, 'queue connection error'));

const assetsDir = fileURLToPath(new URL('./public', import.meta.url));
const app = await buildApp({ config, logger, db, redis, subscriber, assetsDir, queues: queues.all, metrics }).catch(
  (error: unknown) => {
    // Most often Redis not answering at boot: exit, and the process manager starts us again.
    logger.fatal({ err: error }, 'web could not start');
    process.exit(1);
  },
);

const presence = joinFormation(redis, config, () => {
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
