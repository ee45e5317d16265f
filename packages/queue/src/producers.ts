import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { checkJobId, periodicJobId } from '@watchpost/domain';
import { checkJobPayload, JOBS, QUEUES, retentionJobPayload, type CheckJobPayload } from './jobs.js';

/** Completed jobs stay an hour so a repeated enqueue of the same id within that time is a no-op. */
const defaultJobOptions: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 50_000 },
  removeOnFail: { age: 7 * 86400 },
};

const CLOSE_TIMEOUT_MS = 2000;

export interface Queues {
  checks: Queue;
  maintenance: Queue;
  /** Every queue, for what applies to all of them (depths, errors, closing). */
  all: Queue[];
  /** Reports connection errors of both queues (they reconnect by themselves). */
  onError(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const checks = new Queue(QUEUES.checks, { connection, prefix, defaultJobOptions });
  const maintenance = new Queue(QUEUES.maintenance, { connection, prefix, defaultJobOptions });
  const all = [checks, maintenance];
  return {
    checks,
    maintenance,
    all,
    onError(listener) {
      for (const queue of all) queue.on('error', listener);
    },
    async close() {
      // While Redis is away (or just back), close() can fail or wait for a connection that never
      // comes, and so can disconnect(): bound both, so shutdown never hangs on them.
      const within = (work: Promise<unknown>) =>
        Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
      await within(Promise.all(all.map((queue) => queue.close())));
      await within(Promise.all(all.map((queue) => queue.disconnect())));
    },
  };
}

export interface DueCheck {
  monitorId: string;
  slot: Date;
}

/** Adds one check job per due slot; an id that is already queued is not added again. */
export async function enqueueChecks(queues: Queues, due: DueCheck[]): Promise<void> {
  if (due.length === 0) return;
  await queues.checks.addBulk(
    due.map(({ monitorId, slot }) => {
      const data: CheckJobPayload = checkJobPayload.parse({ monitorId, slot: slot.getTime() });
      return { name: JOBS.check, data, opts: { jobId: checkJobId(monitorId, slot) } };
    }),
  );
}

/** Adds the retention job of one period (e.g. one day), once however many clocks ask. */
export async function enqueueRetention(queues: Queues, periodStart: Date, olderThanDays: number): Promise<void> {
  const data = retentionJobPayload.parse({ olderThanDays });
  await queues.maintenance.add(JOBS.retention, data, {
    jobId: periodicJobId(JOBS.retention, periodStart),
    removeOnComplete: { age: 3 * 86400 },
  });
}
