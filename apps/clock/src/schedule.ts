import cron from 'node-cron';
import type { Logger } from '@watchpost/logger';

export interface ScheduledJob {
  name: string;
  expression: string;
  run: () => Promise<void>;
}

export interface Schedule {
  /** Stops the timers and waits for runs already under way. */
  stop(): Promise<void>;
}

/**
 * Runs each job on its cron expression (UTC) in this process, never overlapping itself.
 * A failed run is logged and the next tick tries again; the work itself is safe to repeat.
 */
export function startSchedule(jobs: ScheduledJob[], logger: Logger): Schedule {
  const running = new Set<Promise<void>>();
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.expression,
      async () => {
        const run = job.run().catch((error: unknown) => logger.error({ err: error, job: job.name }, 'scheduled job failed'));
        running.add(run);
        await run;
        running.delete(run);
      },
      { name: job.name, noOverlap: true, timezone: 'Etc/UTC' },
    ),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.all(running);
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}
