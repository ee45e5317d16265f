import { JOBS, QUEUES } from '@watchpost/queue';
import { createRedis } from '@watchpost/redis';
import { bootProcess, bullConnection, joinFormation, onShutdown, serveMetrics } from '@watchpost/runtime';
import { createCheckProcessor } from './check-processor.js';
import { createRetentionProcessor } from './retention-processor.js';
import { createWorkerMetrics } from './worker-metrics.js';
import { startWorkers } from './workers.js';

const { config, logger, db, metrics: registry } = bootProcess('worker');
const publisher = createRedis(config.redis.url, 'request', `watchpost-${config.instanceId}-pub`);
publisher.on('error', (error) => logger.warn({ err: error }, 'redis publisher error'));
const metrics = createWorkerMetrics(registry);

const workers = startWorkers(
  {
    [QUEUES.checks]: {
      [JOBS.check]: createCheckProcessor({ db, publisher, redisPrefix: config.redis.prefix, logger, onChecked: metrics.observeCheck }),
    },
    [QUEUES.maintenance]: { [JOBS.retention]: createRetentionProcessor({ db, logger }) },
  },
  {
    connection: bullConnection(config, 'worker'),
    prefix: config.redis.prefix,
    concurrency: config.worker.concurrency,
    lockMs: config.worker.lockMs,
    logger,
  },
);
metrics.watch(workers);
const presence = joinFormation(publisher, config, metrics.stats);
const metricsServer = config.metricsPort === null ? null : await serveMetrics(registry, config.metricsPort, config.http.host, logger);
logger.info({ queues: Object.values(QUEUES), concurrency: config.worker.concurrency }, 'worker started');

onShutdown(logger, config.shutdownGraceMs, async () => {
  // close() stops fetching and waits for the jobs in hand; the grace timer bounds the wait.
  await Promise.all(workers.map((w) => w.close()));
  metricsServer?.close();
  await presence.stop();
  publisher.disconnect();
  await db.$disconnect();
});
