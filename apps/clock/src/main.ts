import { createQueues, enqueueRetention } from '@watchpost/queue';
import { createRedis } from '@watchpost/redis';
import { bootProcess, bullConnection, joinFormation, onShutdown, serveMetrics } from '@watchpost/runtime';
import { createClockMetrics } from './clock-metrics.js';
import { enqueueDueChecks, startOfUtcDay } from './enqueue-due-checks.js';
import { startSchedule } from './schedule.js';

const { config, logger, db, metrics: registry } = bootProcess('clock');
const queues = createQueues(bullConnection(config, 'producer'), config.redis.prefix);
queues.onError((error) => logger.warn({ err: error }, 'queue connection error'));
const redis = createRedis(config.redis.url, 'request', `watchpost-${config.instanceId}`);
redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
const metrics = createClockMetrics(registry, queues);

const schedule = startSchedule(
  [
    {
      name: 'due-checks',
      expression: `*/${config.clock.tickSeconds} * * * * *`,
      run: async () => {
        const { queued, lagMs } = await enqueueDueChecks(db, queues, new Date());
        metrics.observeTick(queued, lagMs);
        if (queued > 0) logger.debug({ queued, lagMs }, 'queued due checks');
      },
    },
    {
      name: 'retention',
      expression: config.clock.retentionCron,
      run: () => enqueueRetention(queues, startOfUtcDay(new Date()), config.retentionDays),
    },
  ],
  logger,
);
const presence = joinFormation(redis, config, metrics.stats);
const metricsServer = config.metricsPort === null ? null : await serveMetrics(registry, config.metricsPort, config.http.host, logger);
logger.info({ tickSeconds: config.clock.tickSeconds, retentionCron: config.clock.retentionCron }, 'clock started');

onShutdown(logger, config.shutdownGraceMs, async () => {
  await schedule.stop();
  metricsServer?.close();
  await presence.stop();
  await queues.close();
  redis.disconnect();
  await db.$disconnect();
});
