import { loadConfig } from '@watchpost/config';
import { createLogger } from '@watchpost/logger';
import { createQueues, enqueueRetention } from '@watchpost/queue';
import { bullConnection, createDatabase, exitOnFatalErrors, onShutdown } from '@watchpost/runtime';
import { enqueueDueChecks, startOfUtcDay } from './enqueue-due-checks.js';
import { startSchedule } from './schedule.js';

const config = loadConfig('clock');
const logger = createLogger({ processType: 'clock', instanceId: config.instanceId, level: config.logLevel });
exitOnFatalErrors(logger);

const db = createDatabase(config);
const queues = createQueues(bullConnection(config, 'producer'), config.redis.prefix);

const schedule = startSchedule(
  [
    {
      name: 'due-checks',
      expression: `*/${config.clock.tickSeconds} * * * * *`,
      run: async () => {
        const queued = await enqueueDueChecks(db, queues, new Date());
        if (queued > 0) logger.debug({ queued }, 'queued due checks');
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
logger.info({ tickSeconds: config.clock.tickSeconds, retentionCron: config.clock.retentionCron }, 'clock started');

onShutdown(logger, config.shutdownGraceMs, async () => {
  await schedule.stop();
  await queues.close();
  await db.$disconnect();
});
