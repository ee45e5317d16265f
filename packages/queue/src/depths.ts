import type { Queue } from 'bullmq';

export interface QueueDepth {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Age of the oldest job waiting to be picked up; null when none waits. */
  oldestWaitingAgeMs: number | null;
}

/** How much work each queue holds now, for the ops page and the queue-depth metrics. */
export async function queueDepths(queues: Queue[], now: Date = new Date()): Promise<QueueDepth[]> {
  return Promise.all(
    queues.map(async (queue) => {
      const [counts, oldest] = await Promise.all([
        queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        queue.getJobs(['wait'], 0, 0, true),
      ]);
      const first = oldest[0];
      return {
        queue: queue.name,
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        oldestWaitingAgeMs: first ? Math.max(0, now.getTime() - first.timestamp) : null,
      };
    }),
  );
}
