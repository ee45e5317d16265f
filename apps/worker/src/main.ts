import { loadConfig } from '@watchpost/config';
import { createLogger } from '@watchpost/logger';
import { JOBS, QUEUES } from '@watchpost/queue';
import { createRedis } from '@watchpost/redis';
import { bullConnection, createDatabase, exitOnFatalErrors, onShutdown } from '@watchpost/runtime';
import { createCheckProcessor } from './check-processor.js';
import { createRetentionProcessor } from './retention-processor.js';
import { startWorkers } from './workers.js';

const config = loadConfig('worker');
const logger = createLogger({ processType: 'worker', instanceId: config.instanceId, level: config.logLevel });
exitOnFatalErrors(logger);

const db = createDatabase(config);
const publisher = createRedis(config.redis.url, 'request', `watchpost-${config.instanceId}-pub`);
publisher.on('error', (error) => logger.warn({ err: error }, 'redis publisher error'));

const workers = startWorkers(
  {
    [QUEUES.checks]: { [JOBS.check]: createCheckProcessor({ db, publisher, redisPrefix: config.redis.prefix, logger }) },
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
logger.info({ queues: Object.values(QUEUES), concurrency: config.worker.concurrency }, 'worker started');

onShutdown(logger, config.shutdownGraceMs, async () => {
  // close() stops fetching and waits for the jobs in hand; the grace timer bounds the wait.
  await Promise.all(workers.map((w) => w.close()));
  publisher.disconnect();
  await db.$disconnect();
});
